import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { emptySeed, type Seed } from '../../src/emulator/seed.js';
import { Store } from '../../src/store/evidence.js';
import { runCli, tempDir } from '../helpers/cli.js';

const INT_USER = 'partnersync.integration@acme.example';
const INT_TOKEN = '00DEMU0000000001!AQdrill.partner-sync.token';

function seed(isSandbox: boolean): Seed {
  const s = emptySeed();
  s.org = { ...s.org, Name: isSandbox ? 'Acme UAT' : 'Acme Production', IsSandbox: isSandbox };
  s.sobjects!.User!.push({
    '@ref': 'int',
    Username: INT_USER,
    FirstName: 'Partner',
    LastName: 'Sync',
    Alias: 'psync',
    Email: INT_USER,
    IsActive: true,
    UserType: 'Standard',
    ProfileId: { '@ref': 'profile-admin' },
    TimeZoneSidKey: 'GMT',
    LocaleSidKey: 'en_US',
    LanguageLocaleKey: 'en_US',
    EmailEncodingKey: 'UTF-8',
    accessToken: INT_TOKEN,
  });
  s.sobjects!.Contact = [{ FirstName: 'Ada', LastName: 'Lovelace', Email: 'ada@lovelace.example.org' }];
  return s;
}

const CONFIG = `integrations:
  - name: partner-sync
    users: [${INT_USER}]
    objects: [Contact]
`;

describe('lockout drill', () => {
  let sandbox: Emulator;
  let production: Emulator;
  beforeAll(async () => {
    sandbox = await startEmulator({ seed: seed(true) });
    production = await startEmulator({ seed: seed(false) });
  });
  afterAll(async () => {
    await sandbox?.close();
    await production?.close();
  });

  const setup = () => {
    const dir = tempDir('lockout-drill-');
    writeFileSync(path.join(dir, 'lockout.config.yaml'), CONFIG);
    return dir;
  };
  const contacts = (emu: Emulator) => emu.state.records('Contact').length;
  const kinds = (dir: string) => {
    const store = Store.open(path.join(dir, '.lockout/lockout.db'), { create: false });
    try {
      return [...store.entries()].map((e) => ({ kind: e.kind, payload: e.payload as Record<string, unknown> }));
    } finally {
      store.close();
    }
  };

  it('inserts canaries through the integration user, detects every one, removes them and records it', async () => {
    const dir = setup();
    const before = contacts(sandbox);
    const r = await runCli(
      [
        'drill',
        '--integration',
        'partner-sync',
        '--instance-url',
        sandbox.instanceUrl,
        '--access-token',
        INT_TOKEN,
        '--json',
      ],
      { cwd: dir },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result).toMatchObject({
      drill: 'DRL-0001',
      user: INT_USER,
      integration: 'partner-sync',
      object: 'Contact',
      org: { isSandbox: true },
      missed: 0,
      cleanup: { remaining: 0, failed: [] },
    });
    expect(result.detected).toBe(result.canaries.length);
    expect(result.canaries.length).toBeGreaterThanOrEqual(5);
    expect(result.timeToDetectMs).toBeGreaterThanOrEqual(0);

    // The canaries were written by the integration's user, and are gone (in the recycle bin) afterwards.
    const ids: string[] = result.canaries.map((c: { id: string }) => c.id);
    const intUserId = sandbox.state.userByUsername(INT_USER)!.Id;
    for (const id of ids) {
      const rec = sandbox.state.get('Contact', id, { includeDeleted: true })!;
      expect(rec.CreatedById).toBe(intUserId);
      expect(sandbox.state.get('Contact', id)).toBeUndefined();
    }
    expect(contacts(sandbox)).toBe(before);

    const log = kinds(dir);
    expect(log.map((e) => e.kind)).toEqual([
      'drill.started',
      'drill.inserted',
      'drill.scanned',
      'drill.cleaned',
      'drill.completed',
    ]);
    expect(log[4]!.payload).toMatchObject({ drill: 'DRL-0001', detected: ids.length, missed: 0, cleanedUp: true });
    expect((await runCli(['audit', 'verify'], { cwd: dir })).code).toBe(0);
  });

  it('has Lead canaries the scanner catches as well', async () => {
    const dir = setup();
    const before = sandbox.state.records('Lead').length;
    const r = await runCli(
      [
        'drill',
        '--integration',
        'partner-sync',
        '--object',
        'Lead',
        '--instance-url',
        sandbox.instanceUrl,
        '--access-token',
        INT_TOKEN,
        '--json',
      ],
      { cwd: dir },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ object: 'Lead', missed: 0, cleanup: { remaining: 0 } });
    expect(sandbox.state.records('Lead').length).toBe(before);
  });

  it('refuses a production org (exit 4) without inserting anything', async () => {
    const dir = setup();
    const before = contacts(production);
    const r = await runCli(
      ['drill', '--integration', 'partner-sync', '--instance-url', production.instanceUrl, '--access-token', INT_TOKEN],
      {
        cwd: dir,
      },
    );
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('Organization.IsSandbox = false');
    expect(contacts(production)).toBe(before);
    expect(kinds(dir).map((e) => e.kind)).toEqual(['drill.refused']);

    const noApprover = await runCli(
      [
        'drill',
        '--integration',
        'partner-sync',
        '--instance-url',
        production.instanceUrl,
        '--access-token',
        INT_TOKEN,
        '--allow-production',
      ],
      { cwd: dir },
    );
    expect(noApprover.code).toBe(4);
    expect(noApprover.stderr).toContain('--allow-production needs --approved-by');
    expect(contacts(production)).toBe(before);
  });

  it('runs in production with --allow-production --approved-by, recording the approval', async () => {
    const dir = setup();
    const before = contacts(production);
    const r = await runCli(
      [
        'drill',
        '--integration',
        'partner-sync',
        '--instance-url',
        production.instanceUrl,
        '--access-token',
        INT_TOKEN,
        '--allow-production',
        '--approved-by',
        'Dana Ruiz',
        '--reason',
        'quarterly control test',
        '--json',
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).production).toEqual({ approvedBy: 'Dana Ruiz', reason: 'quarterly control test' });
    expect(kinds(dir)[0]!.payload).toMatchObject({ production: { approvedBy: 'Dana Ruiz' } });
    expect(contacts(production)).toBe(before);
  });

  it('exits 1 naming a canary the scanner no longer catches, and still removes every canary', async () => {
    const dir = setup();
    writeFileSync(path.join(dir, 'lockout.config.yaml'), `${CONFIG}scan:\n  disable: [region-mismatch]\n`);
    const before = contacts(sandbox);
    const r = await runCli(
      ['drill', '--integration', 'partner-sync', '--instance-url', sandbox.instanceUrl, '--access-token', INT_TOKEN],
      {
        cwd: dir,
      },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/missed 1 canary: cross-field/);
    expect(r.stdout).toMatch(/cross-field +>= low +MISSED \(not flagged\)/);
    expect(contacts(sandbox)).toBe(before);
    expect(kinds(dir).at(-1)!.payload).toMatchObject({ missed: 1, missedCanaries: ['cross-field'], cleanedUp: true });
  });

  it('insists on the integration user when an integration is named (exit 2)', async () => {
    const dir = setup();
    const r = await runCli(
      [
        'drill',
        '--integration',
        'partner-sync',
        '--instance-url',
        sandbox.instanceUrl,
        '--access-token',
        sandbox.accessToken,
      ],
      {
        cwd: dir,
      },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`connect as one of: ${INT_USER}`);
  });
});
