import { parse } from 'yaml';
import { appendIntegrations, groupSurfaces, words } from '../../src/isolate/discover.js';
import type { Surfaces } from '../../src/org/isolation.js';
import { configSchema } from '../../src/config/schema.js';

const U = {
  ps: '005000000000001AAA',
  erp: '005000000000002AAA',
  admin: '005000000000003AAA',
  rep: '005000000000004AAA',
};

const surfaces: Surfaces = {
  readAt: '2026-11-27T00:00:00.000Z',
  runningUser: { id: U.admin, username: 'admin@acme.example' },
  integrationUsers: [
    {
      id: U.ps,
      username: 'partnersync.integration@acme.example',
      profile: 'API Only',
      license: 'Salesforce Integration',
      apiOnly: true,
      lastLogin: null,
    },
    {
      id: U.erp,
      username: 'erp.integration@acme.example',
      profile: 'API Only',
      license: 'Salesforce Integration',
      apiOnly: true,
      lastLogin: null,
    },
  ],
  tokens: [
    {
      appName: 'Partner Sync',
      userId: U.ps,
      username: 'partnersync.integration@acme.example',
      useCount: 9,
      lastUsedDate: '2026-11-26T21:00:00.000+0000',
    },
    { appName: 'Partner Sync', userId: U.admin, username: 'admin@acme.example', useCount: 1, lastUsedDate: null },
    { appName: 'Data Loader', userId: U.rep, username: 'rep@acme.example', useCount: 3, lastUsedDate: null },
  ],
  remoteSites: [
    {
      id: null,
      name: 'PartnerSync_API',
      url: 'https://api.partnersync.io',
      isActive: true,
      disableProtocolSecurity: false,
      description: null,
    },
    {
      id: null,
      name: 'Weather',
      url: 'https://weather.example',
      isActive: true,
      disableProtocolSecurity: false,
      description: null,
    },
  ],
  namedCredentials: [{ name: 'PartnerSync', endpoint: 'https://api.partnersync.io/v2' }],
  flows: [
    { apiName: 'PartnerSync_Contact_Enrichment', object: 'Contact', triggerType: 'RecordAfterSave' },
    { apiName: 'Case_Router', object: 'Case', triggerType: 'RecordBeforeSave' },
  ],
  bulkJobs: [
    {
      id: '750000000000001AAA',
      api: 'v2-ingest',
      object: 'Contact',
      operation: 'insert',
      state: 'Open',
      createdById: U.ps,
      createdDate: null,
    },
  ],
  writers: [
    { object: 'Lead', userId: U.ps, created: 80, modified: 80 },
    { object: 'Account', userId: U.erp, created: 0, modified: 12 },
  ],
  usernames: {
    [U.ps]: 'partnersync.integration@acme.example',
    [U.erp]: 'erp.integration@acme.example',
    [U.admin]: 'admin@acme.example',
    [U.rep]: 'rep@acme.example',
  },
};

describe('groupSurfaces', () => {
  const d = groupSurfaces(surfaces, []);

  it('groups an app, its integration users, its remote site, named credential, flows and written objects', () => {
    const ps = d.candidates.find((c) => c.name === 'partner-sync')!;
    expect({ ...ps, evidence: undefined }).toEqual({
      name: 'partner-sync',
      users: ['partnersync.integration@acme.example'],
      connectedApps: ['Partner Sync'],
      remoteSites: ['PartnerSync_API'],
      namedCredentials: ['PartnerSync'],
      flows: ['PartnerSync_Contact_Enrichment'],
      objects: ['Contact', 'Lead'],
      evidence: undefined,
    });
    expect(ps.evidence[0]).toMatch(/holds OAuth tokens of Partner Sync \(integration\/API-only users\)/);
  });

  it('never puts the running user (or a protected one) into a candidate', () => {
    expect(d.candidates.flatMap((c) => c.users)).not.toContain('admin@acme.example');
    const p = groupSurfaces(surfaces, ['rep@acme.example']);
    expect(p.candidates.some((c) => c.users.includes('rep@acme.example'))).toBe(false);
  });

  it('an API-only user without tokens is its own candidate; unmatched surfaces are listed for review', () => {
    expect(d.candidates.map((c) => c.name)).toEqual(['data-loader', 'partner-sync', 'erp-integration']);
    expect(d.candidates.find((c) => c.name === 'erp-integration')!.objects).toEqual(['Account']);
    expect(d.unassigned).toEqual({ remoteSites: ['Weather'], namedCredentials: [], flows: ['Case_Router'] });
  });

  it('reports Bulk jobs and top writers by user', () => {
    expect(d.bulkJobs).toEqual([
      { username: 'partnersync.integration@acme.example', jobs: 1, open: 1, objects: ['Contact'] },
    ]);
    expect(d.topWriters[0]).toEqual({
      object: 'Lead',
      username: 'partnersync.integration@acme.example',
      created: 80,
      modified: 80,
    });
  });

  it.each([
    ['PartnerSync_API https://api.partnersync.io', ['partner', 'partnersync']],
    ['CampaignHub_API', ['campaign', 'hub']],
  ])('words(%s)', (s, expected) => expect(words(s)).toEqual(expect.arrayContaining(expected)));
});

describe('appendIntegrations', () => {
  const candidate = {
    name: 'partner-sync',
    users: ['a@b.c'],
    connectedApps: ['Partner Sync'],
    remoteSites: [],
    namedCredentials: [],
    flows: [],
    objects: ['Contact'],
  };

  it('appends under integrations, keeps comments and other keys, and the result is a valid config', () => {
    const before =
      '# our config\nprotect:\n  users: [breakglass@acme.example] # never frozen\nintegrations:\n  - name: billing\n    users: [billing@acme.example]\n';
    const out = appendIntegrations(before, [candidate, { ...candidate, name: 'billing' }], 'added by discover');
    expect(out.added).toEqual(['partner-sync']);
    expect(out.skipped).toEqual(['billing']);
    expect(out.text).toMatch(/^# our config/);
    expect(out.text).toMatch(/# never frozen/);
    expect(out.text).toMatch(/# added by discover\n\s+- name: partner-sync/);
    const parsed = configSchema.parse(parse(out.text));
    expect(parsed.integrations.map((i) => i.name)).toEqual(['billing', 'partner-sync']);
  });

  it('creates the file content when there is none', () => {
    const out = appendIntegrations('', [candidate], 'n');
    expect(configSchema.parse(parse(out.text)).integrations[0]).toEqual(candidate);
  });

  it('refuses a config that is not a mapping', () => {
    expect(() => appendIntegrations('- a\n- b\n', [candidate], 'n')).toThrow(/not a mapping/);
  });
});
