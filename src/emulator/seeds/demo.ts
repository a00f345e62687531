// The `demo` seed: a realistic org for drills, `lockout demo` and end-to-end tests (docs/emulator.md, "The demo
// seed"). Deterministic for a given `now` (a seeded PRNG, no network, no clock reads): a customer base of real-
// looking Accounts, Contacts and Leads, four integrations with their users, OAuth grants, remote sites, named
// credentials, record-triggered flows and recent Bulk jobs, a protected break-glass admin, and one offending
// integration (partner-sync) that, a few hours before `now`, injected a few hundred generator-made records and
// overwrote fields on real Contacts; History rows show it, and a real person later edited some of the same
// records, so a rollback has conflicts to find.
import type { Integration } from '../../config/schema.js';
import {
  AVOID_DOMAINS,
  PLACEHOLDER_NAMES,
  BUSINESSES,
  COUNTRY_NAME,
  FREE_MAIL,
  GEN_CITY_PREFIX,
  GEN_CITY_STEM,
  GEN_CITY_SUFFIX,
  GEN_FIRST,
  GEN_LAST,
  GEN_STATES,
  GEN_STREET_SUFFIX,
  GEN_TITLE,
  NAMES,
  PLACES,
  STREETS,
  TEST_TOKENS,
  TITLES,
  TLD,
  type Country,
  type Place,
} from './demo-data.js';

type Json = string | number | boolean | null | { '@ref': string };

/** The access token the demo seed gives an integration's OAuth grant (tests act as that integration with it). */
export const demoToken = (integration: string): string => `00D5E0000000001!AQdemo.${integration}.token`;
/** A seed record: field values, an optional `@ref` name other records point at with `{"@ref": name}`. */
export type SeedRecord = { '@ref'?: string } & Record<string, Json | undefined>;

export interface DemoSeed {
  org: Record<string, string | boolean>;
  oauthClients: { clientId: string; clientSecret: string; appName: string; runAs?: string }[];
  sobjects: Record<string, SeedRecord[]>;
  tooling: Record<string, SeedRecord[]>;
  metadata: Record<string, Record<string, Json>[]>;
  historyTracking: Record<string, string[]>;
  /** Bulk jobs (Bulk 2.0 and 1.0) known to the org at start; loaded by bulk2.ts. */
  bulkJobs: SeedBulkJob[];
}

export interface SeedBulkJob {
  '@ref': string;
  jobType: 'V2Ingest' | 'V2Query' | 'Classic';
  operation: string;
  object: string;
  createdBy: { '@ref': string };
  createdDate: string;
  state: 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted' | 'Closed';
  numberRecordsProcessed: number;
  numberRecordsFailed: number;
  query?: string;
}

/** Facts about the demo org that tests, docs and `lockout demo` rely on. */
export const DEMO = {
  orgName: 'Alder Ridge Supply Co.',
  domain: 'alderridgesupply.com',
  admin: { username: 'dana.whitfield@alderridgesupply.com', password: 'demo-Admin-2026!' },
  breakGlass: { username: 'breakglass@alderridgesupply.com' },
  /** The sales rep who edited some of partner-sync's victims after the incident (rollback conflicts). */
  editor: { username: 'marcus.bell@alderridgesupply.com' },
  offender: 'partner-sync',
  /** OAuth client for lockout itself (password / refresh flows as the admin). */
  lockoutClient: { clientId: 'lockout-demo-client', clientSecret: 'lockout-demo-secret', appName: 'Lockout CLI' },
  integrations: [
    {
      name: 'partner-sync',
      username: 'partnersync.integration@alderridgesupply.com',
      connectedApp: 'Partner Sync',
      remoteSite: 'PartnerSync_API',
      remoteSiteUrl: 'https://api.partnersync.io',
      namedCredential: 'PartnerSync',
      namedCredentialEndpoint: 'https://api.partnersync.io/v2',
      flow: 'PartnerSync_Contact_Enrichment',
      flowObject: 'Contact',
      apexTrigger: 'PartnerSyncContactTrigger',
      objects: ['Contact', 'Lead', 'Account'],
    },
    {
      name: 'erp-sync',
      username: 'erp.integration@alderridgesupply.com',
      connectedApp: 'ERP Connector',
      remoteSite: 'ERP_Gateway',
      remoteSiteUrl: 'https://erp-gateway.alderridgesupply.com',
      namedCredential: 'ERP_Gateway',
      namedCredentialEndpoint: 'https://erp-gateway.alderridgesupply.com/api',
      flow: 'ERP_Account_Sync',
      flowObject: 'Account',
      apexTrigger: null,
      objects: ['Account'],
    },
    {
      name: 'marketing-sync',
      username: 'marketing.integration@alderridgesupply.com',
      connectedApp: 'Campaign Hub Connector',
      remoteSite: 'CampaignHub_API',
      remoteSiteUrl: 'https://api.campaignhub.net',
      namedCredential: 'CampaignHub',
      namedCredentialEndpoint: 'https://api.campaignhub.net/rest',
      flow: 'Lead_Score_Sync',
      flowObject: 'Lead',
      apexTrigger: null,
      objects: ['Lead', 'Contact'],
    },
    {
      name: 'support-desk',
      username: 'support.integration@alderridgesupply.com',
      connectedApp: 'Helpdesk Bridge',
      remoteSite: 'Helpdesk_API',
      remoteSiteUrl: 'https://alderridge.helpdeskbridge.com',
      namedCredential: 'Helpdesk',
      namedCredentialEndpoint: 'https://alderridge.helpdeskbridge.com/api/v1',
      flow: 'Case_Contact_Update',
      flowObject: 'Contact',
      apexTrigger: null,
      objects: ['Contact'],
    },
  ],
  /** Approximate sizes (exact counts are in the seed itself). */
  sizes: {
    accounts: 1400,
    contacts: 2400,
    leads: 700,
    syntheticContacts: 180,
    syntheticLeads: 80,
    syntheticAccounts: 30,
    overwrittenContacts: 60,
    laterEdits: 12,
  },
  /** When partner-sync ran, relative to the emulator's start: from 5 h to 3 h before it. */
  incidentWindowHours: [5, 3] as const,
} as const;

/** `lockout.config.yaml` integration entries for the demo org (schema: src/config/schema.ts). */
export const DEMO_INTEGRATIONS: Integration[] = DEMO.integrations.map((i) => ({
  name: i.name,
  users: [i.username],
  connectedApps: [i.connectedApp],
  remoteSites: [i.remoteSite],
  namedCredentials: [i.namedCredential],
  flows: [i.flow],
  objects: [...i.objects],
}));

/** A whole `lockout.config.yaml` for the demo org (integrations plus the protected break-glass admin). */
export const DEMO_CONFIG = {
  integrations: DEMO_INTEGRATIONS,
  protect: { users: [DEMO.breakGlass.username], accounts: [] as string[] },
};

// ------------------------------------------------------------------ deterministic randomness

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  constructor(readonly next: () => number) {}
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  /** Frequent items first: a long-tailed pick, as real name frequencies are. */
  skewed<T>(xs: readonly T[]): T {
    return xs[Math.floor(Math.pow(this.next(), 1.8) * xs.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(0, 9));
    return s;
  }
}

// ------------------------------------------------------------------ helpers

const ascii = (s: string): string =>
  s
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/Ä/g, 'Ae')
    .replace(/Ö/g, 'Oe')
    .replace(/Ü/g, 'Ue')
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ı/g, 'i')
    .replace(/ş/g, 's');

const slug = (s: string): string =>
  ascii(s)
    .toLowerCase()
    .replace(/&/g, 'and')
    .replace(/[^a-z0-9]+/g, '');

const iso = (ms: number): string => new Date(ms).toISOString();

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A subscriber number that no numbering plan reserves for fiction (NANP 555, Ofcom drama ranges, ...). */
function phone(rng: Rng, country: Country, place: Place, mobile = false): string {
  switch (country) {
    case 'US': {
      let exch = `${rng.int(2, 9)}${rng.digits(2)}`;
      if (exch === '555' || exch.endsWith('11')) exch = '482';
      const line = rng.digits(4);
      return rng.chance(0.7) ? `(${place.area}) ${exch}-${line}` : `${place.area}-${exch}-${line}`;
    }
    case 'GB': {
      if (mobile) return `+44 7${rng.pick(['4', '5', '7', '8', '9'])}${rng.digits(2)} ${rng.int(1, 8)}${rng.digits(5)}`;
      const ranges = (place.lead ?? '20-48').split(',').map((r) => r.split('-').map(Number) as [number, number]);
      const [lo, hi] = rng.pick(ranges);
      const prefix = String(rng.int(lo, hi));
      if (place.area === '20') return `+44 20 ${prefix}${rng.digits(2)} ${rng.digits(4)}`;
      return `+44 ${place.area} ${prefix}${rng.digits(1)} ${rng.digits(4)}`;
    }
    case 'DE': {
      if (mobile) {
        const net = rng.pick(['151', '152', '157', '170', '171', '172', '176']);
        return `+49 ${net} ${rng.int(1, 9)}${rng.digits(net.startsWith('15') || net === '176' ? 7 : 6)}`;
      }
      const len = place.area.length === 2 ? 8 : 7;
      return `+49 ${place.area} ${rng.int(2, 9)}${rng.digits(len - 1)}`;
    }
    case 'FR': {
      if (mobile) return `+33 6 ${rng.int(10, 38)} ${rng.digits(2)} ${rng.digits(2)} ${rng.digits(2)}`;
      const pair = () => rng.digits(2);
      // Metropolitan ranges only (0262, 0590, 0594 are overseas), and none of ARCEP's fiction blocks
      // (01 99 00, 02 61 91, 03 53 01, 04 65 71, 05 36 49).
      let second = String(rng.int(20, 79));
      if (['61', '62', '53', '65', '36'].includes(second)) second = '48';
      const national = `0${place.area} ${second} ${pair()} ${pair()} ${pair()}`;
      return rng.chance(0.5) ? national : `+33 ${national.slice(1)}`;
    }
  }
}

function street(rng: Rng, country: Country): string {
  const name = rng.pick(STREETS[country]);
  let no = rng.int(1, country === 'US' ? 9800 : 180);
  if (no === 1 || no === 123 || no === 742) no += 7; // "123 Main St" and friends are placeholder addresses
  const addr =
    country === 'US' || country === 'GB' ? `${no} ${name}` : country === 'FR' ? `${no} ${name}` : `${name} ${no}`;
  return country === 'US' && rng.chance(0.2) ? `${addr}\nSuite ${rng.int(1, 9)}${rng.digits(2)}` : addr;
}

function pickCountry(rng: Rng): Country {
  const r = rng.next();
  return r < 0.68 ? 'US' : r < 0.82 ? 'GB' : r < 0.92 ? 'DE' : 'FR';
}

interface Company {
  name: string;
  domain: string;
  industry: string;
}

function companyName(rng: Rng, country: Country, taken: Set<string>): Company {
  const b = BUSINESSES[country];
  for (let attempt = 0; ; attempt++) {
    const [kind, industry] = rng.pick(b.kinds);
    const last = rng.skewed(NAMES[country].last);
    let name: string;
    const style = rng.next();
    if (country === 'US') {
      name = style < 0.55 ? `${rng.pick(b.prefix)} ${kind}` : `${last} ${kind}`;
      if (rng.chance(0.35)) name += rng.pick([', Inc.', ' LLC', ' Co.']);
    } else if (country === 'GB') {
      name = style < 0.5 ? `${rng.pick(b.prefix)} ${kind}` : style < 0.8 ? `${last} ${kind}` : `${last} & Sons Ltd`;
    } else if (country === 'DE') {
      const front = ['Zahnarztpraxis', 'Steuerberatung', 'Brauerei', 'Druckerei', 'Autohaus'].includes(kind);
      name = front ? `${kind} ${last}` : style < 0.5 ? `${rng.pick(b.prefix)} ${kind}` : `${last} ${kind}`;
    } else {
      const front = ['Cabinet Dentaire', 'Boulangerie', 'Imprimerie', 'Garage', 'Expertise Comptable'].includes(kind);
      name = front ? `${kind} ${last}` : style < 0.5 ? `${rng.pick(b.prefix)} ${kind}` : `${last} ${kind}`;
    }
    if ((taken.has(name) || AVOID_DOMAINS.has(domainOf(name, country))) && attempt < 20) continue;
    if (taken.has(name)) name = `${name} (${rng.pick(PLACES[country]).city})`;
    taken.add(name);
    return { name, domain: domainOf(name, country), industry };
  }
}

/** The web/mail domain of a company name: its words without the legal suffix, at most ~26 characters. */
function domainOf(name: string, country: Country): string {
  const words = name.replace(/,? (Inc\.|LLC|Co\.|Ltd|LLP|GmbH|SARL|SAS)$/, '').split(' ');
  let core = slug(words.join(' '));
  while (core.length > 26 && words.length > 2) {
    words.pop();
    core = slug(words.join(' '));
  }
  return `${core}.${TLD[country]}`;
}

/** A first and last name, never one of the well-known placeholder names (Jean Dupont, Max Mustermann, ...). */
function personName(rng: Rng, country: Country): [string, string] {
  for (;;) {
    const first = rng.skewed(NAMES[country].first);
    const last = rng.skewed(NAMES[country].last);
    if (!PLACEHOLDER_NAMES.has(`${first} ${last}`.toLowerCase())) return [first, last];
  }
}

function emailFor(rng: Rng, first: string, last: string, domain: string): string {
  const f = slug(first);
  const l = slug(last);
  const style = rng.next();
  const local = style < 0.55 ? `${f}.${l}` : style < 0.75 ? `${f[0]}${l}` : style < 0.9 ? f : `${f}${l[0]}`;
  return `${local}@${domain}`;
}

// ------------------------------------------------------------------ the seed

export interface DemoOptions {
  /** The emulator's start time; every date in the seed is relative to it. */
  now?: Date;
  /** PRNG seed (the default gives the documented org). */
  seed?: number;
  /** Multiplies the customer-base size (tests may use 0.1). */
  scale?: number;
}

/** Build the demo seed (deterministic for the same options). */
export function demoSeed(opts: DemoOptions = {}): DemoSeed {
  const now = (opts.now ?? new Date()).getTime();
  const rng = new Rng(mulberry32(opts.seed ?? 20261127));
  const scale = opts.scale ?? 1;
  const S = DEMO.sizes;
  const sobjects: Record<string, SeedRecord[]> = {};
  const add = (type: string, rec: SeedRecord): SeedRecord => {
    (sobjects[type] ??= []).push(rec);
    return rec;
  };
  const ref = (name: string) => ({ '@ref': name });
  const audit = (created: number, modified: number, by: string, modBy = by) => ({
    CreatedDate: iso(created),
    CreatedById: ref(by),
    LastModifiedDate: iso(modified),
    LastModifiedById: ref(modBy),
    SystemModstamp: iso(modified),
  });
  const orgStart = now - 6 * 365 * DAY;
  const ago = (lo: number, hi: number) => now - Math.floor((lo + rng.next() * (hi - lo)) * DAY);
  /** A last-modified time after `created`, at least a day before now. */
  const later = (created: number) => created + Math.floor(rng.next() * rng.next() * Math.max(0, now - DAY - created));

  // ---------------------------------------------------------------- licences, profiles, users
  add('UserLicense', {
    '@ref': 'lic-sf',
    Name: 'Salesforce',
    LicenseDefinitionKey: 'SFDC',
    Status: 'Active',
    TotalLicenses: 50,
    UsedLicenses: 12,
  });
  add('UserLicense', {
    '@ref': 'lic-int',
    Name: 'Salesforce Integration',
    LicenseDefinitionKey: 'SFDC_INTEGRATION',
    Status: 'Active',
    TotalLicenses: 5,
    UsedLicenses: 4,
  });
  add('Profile', {
    '@ref': 'p-admin',
    Name: 'System Administrator',
    UserLicenseId: ref('lic-sf'),
    UserType: 'Standard',
    PermissionsApiEnabled: true,
    PermissionsApiUserOnly: false,
    PermissionsModifyAllData: true,
    PermissionsViewAllData: true,
  });
  add('Profile', {
    '@ref': 'p-std',
    Name: 'Standard User',
    UserLicenseId: ref('lic-sf'),
    UserType: 'Standard',
    PermissionsApiEnabled: true,
    PermissionsApiUserOnly: false,
    PermissionsModifyAllData: false,
    PermissionsViewAllData: false,
  });
  add('Profile', {
    '@ref': 'p-int',
    Name: 'Minimum Access - API Only Integrations',
    UserLicenseId: ref('lic-int'),
    UserType: 'Standard',
    PermissionsApiEnabled: true,
    PermissionsApiUserOnly: true,
    PermissionsModifyAllData: false,
    PermissionsViewAllData: false,
  });

  const userBase = (
    ref_: string,
    first: string,
    last: string,
    username: string,
    profile: string,
    extra: SeedRecord = {},
  ) =>
    add('User', {
      '@ref': ref_,
      Username: username,
      FirstName: first,
      LastName: last,
      Alias: (first[0] + last).slice(0, 8).toLowerCase(),
      Email: username,
      IsActive: true,
      UserType: 'Standard',
      ProfileId: ref(profile),
      TimeZoneSidKey: 'America/Los_Angeles',
      LocaleSidKey: 'en_US',
      LanguageLocaleKey: 'en_US',
      EmailEncodingKey: 'UTF-8',
      CompanyName: DEMO.orgName,
      CreatedDate: iso(orgStart + rng.int(0, 400) * DAY),
      LastLoginDate: iso(now - rng.int(1, 40) * HOUR),
      ...extra,
    });

  userBase('u-admin', 'Dana', 'Whitfield', DEMO.admin.username, 'p-admin', {
    admin: true,
    Title: 'Salesforce Administrator',
    Department: 'IT',
    password: DEMO.admin.password,
  });
  userBase('u-breakglass', 'Break-Glass', 'Admin', DEMO.breakGlass.username, 'p-admin', {
    Title: 'Emergency access (break-glass)',
    Department: 'IT',
    LastLoginDate: iso(now - 97 * DAY),
  });
  const reps: string[] = [];
  const repNames: [string, string][] = [
    ['Marcus', 'Bell'],
    ['Priya', 'Raman'],
    ['Elena', 'Sokolova'],
    ['Tom', 'Gallagher'],
    ['Aisha', 'Okonkwo'],
    ['Lukas', 'Brandt'],
    ['Claire', 'Fontaine'],
    ['Jordan', 'Reyes'],
  ];
  for (const [f, l] of repNames) {
    const r = `u-${slug(f)}`;
    userBase(r, f, l, `${slug(f)}.${slug(l)}@${DEMO.domain}`, 'p-std', {
      Title: rng.pick([
        'Account Executive',
        'Sales Manager',
        'Inside Sales Representative',
        'Customer Success Manager',
      ]),
      Department: 'Sales',
      password: `demo-${slug(f)}-2026!`,
    });
    reps.push(r);
  }

  // ---------------------------------------------------------------- integrations
  const intRefs: Record<string, string> = {};
  const IPS: Record<string, string> = {
    'partner-sync': '34.141.88.203',
    'erp-sync': '52.29.118.14',
    'marketing-sync': '104.18.22.91',
    'support-desk': '18.197.40.2',
  };
  const tooling: Record<string, SeedRecord[]> = { FlowDefinition: [], RemoteProxy: [], ApexTrigger: [] };
  const metadata: Record<string, Record<string, Json>[]> = { NamedCredential: [] };
  for (const [n, i] of DEMO.integrations.entries()) {
    const u = `u-int-${i.name}`;
    intRefs[i.name] = u;
    const words = i.connectedApp.split(' ');
    const created = orgStart + (600 + n * 250) * DAY;
    userBase(u, words.slice(0, -1).join(' ') || i.connectedApp, `${words.at(-1)} Integration`, i.username, 'p-int', {
      Title: 'Integration user',
      Department: 'IT',
      Email: DEMO.admin.username,
      CreatedDate: iso(created),
      LastLoginDate: iso(now - (i.name === 'partner-sync' ? 3 * HOUR : rng.int(1, 20) * HOUR)),
    });
    add('PermissionSet', {
      '@ref': `ps-${i.name}`,
      Name: `${slug(i.connectedApp)}_api`,
      Label: `${i.connectedApp} API access`,
      IsOwnedByProfile: false,
      PermissionsApiEnabled: true,
      PermissionsApiUserOnly: true,
      PermissionsModifyAllData: false,
    });
    add('PermissionSetAssignment', { AssigneeId: ref(u), PermissionSetId: ref(`ps-${i.name}`), IsActive: true });
    add('ConnectedApplication', {
      '@ref': `app-${i.name}`,
      Name: i.connectedApp,
      OptionsAllowAdminApprovedUsersOnly: i.name !== 'partner-sync',
      OptionsHasSessionLevelPolicy: false,
      OptionsIsInternal: false,
      OptionsRefreshTokenValidityMetric: false,
      RefreshTokenValidityPeriod: 0,
      StartUrl: null,
      CreatedDate: iso(created),
      CreatedById: ref('u-admin'),
      LastModifiedDate: iso(created),
      LastModifiedById: ref('u-admin'),
    });
    add('OauthToken', {
      AppName: i.connectedApp,
      UserId: ref(u),
      DeleteToken: `DEMO${slug(i.name).toUpperCase()}DELETETOKEN${n}`,
      UseCount: rng.int(2000, 90000),
      LastUsedDate: iso(now - (i.name === 'partner-sync' ? 3 * HOUR : rng.int(1, 12) * HOUR)),
      CreatedDate: iso(created + DAY),
      AppMenuItemId: null,
      RequestToken: null,
      accessToken: demoToken(i.name),
    });
    for (let k = 0; k < 3; k++) {
      add('LoginHistory', {
        UserId: ref(u),
        LoginTime: iso(now - (k * 8 + 3) * HOUR),
        LoginType: 'Remote Access 2.0',
        SourceIp: IPS[i.name]!,
        Status: 'Success',
        Application: i.connectedApp,
        Browser: 'Unknown',
        Platform: 'Unknown',
        LoginUrl: 'login.salesforce.com',
      });
    }
    add('NamedCredential', {
      '@ref': `nc-${i.name}`,
      DeveloperName: i.namedCredential,
      MasterLabel: i.namedCredential.replace(/_/g, ' '),
      Endpoint: i.namedCredentialEndpoint,
      PrincipalType: 'NamedUser',
      NamespacePrefix: null,
      Language: 'en_US',
      CreatedDate: iso(created),
      CreatedById: ref('u-admin'),
      LastModifiedDate: iso(created),
      LastModifiedById: ref('u-admin'),
    });
    metadata.NamedCredential!.push({
      fullName: i.namedCredential,
      label: i.namedCredential.replace(/_/g, ' '),
      endpoint: i.namedCredentialEndpoint,
      principalType: 'NamedUser',
      protocol: 'Password',
      allowMergeFieldsInBody: false,
      allowMergeFieldsInHeader: false,
      generateAuthorizationHeader: true,
    });
    tooling.RemoteProxy!.push({
      '@ref': `rs-${i.name}`,
      SiteName: i.remoteSite,
      EndpointUrl: i.remoteSiteUrl,
      IsActive: true,
      Description: `${i.connectedApp} callouts`,
      DisableProtocolSecurity: false,
      ProtocolMismatch: false,
      NamespacePrefix: null,
      ManageableState: 'unmanaged',
      CreatedDate: iso(created),
      CreatedById: ref('u-admin'),
      LastModifiedDate: iso(created),
      LastModifiedById: ref('u-admin'),
    });
    // A record-triggered flow with two versions, the second active (tooling.ts builds the Flow versions and
    // the FlowDefinitionView row from this).
    tooling.FlowDefinition!.push({
      '@ref': `fd-${i.name}`,
      DeveloperName: i.flow,
      MasterLabel: i.flow.replace(/_/g, ' '),
      Description: `Keeps ${i.flowObject} records in step with ${i.connectedApp}`,
      NamespacePrefix: null,
      versions: 2,
      activeVersion: 2,
      ProcessType: 'AutoLaunchedFlow',
      TriggerType: 'RecordAfterSave',
      TriggerObject: i.flowObject,
      CreatedDate: iso(created),
      CreatedById: ref('u-admin'),
      LastModifiedDate: iso(created + 30 * DAY),
      LastModifiedById: ref('u-admin'),
    });
    if (i.apexTrigger) {
      tooling.ApexTrigger!.push({
        Name: i.apexTrigger,
        TableEnumOrId: i.flowObject,
        Status: 'Active',
        ApiVersion: 62,
        UsageBeforeInsert: false,
        UsageAfterInsert: true,
        UsageBeforeUpdate: false,
        UsageAfterUpdate: true,
        UsageBeforeDelete: false,
        UsageAfterDelete: false,
        UsageIsBulk: true,
        UsageAfterUndelete: false,
        NamespacePrefix: null,
        Body: `trigger ${i.apexTrigger} on ${i.flowObject} (after insert, after update) {\n    PartnerSyncQueue.enqueue(Trigger.new);\n}`,
        CreatedDate: iso(created),
        CreatedById: ref('u-admin'),
        LastModifiedDate: iso(created),
        LastModifiedById: ref('u-admin'),
      });
    }
  }

  // ---------------------------------------------------------------- the customer base
  const taken = new Set<string>();
  const accounts: { rec: SeedRecord; ref: string; country: Country; place: Place; company: Company; owner: string }[] =
    [];
  const nAcc = Math.max(20, Math.round(S.accounts * scale));
  for (let a = 0; a < nAcc; a++) {
    const country = pickCountry(rng);
    const place = rng.pick(PLACES[country]);
    const company = companyName(rng, country, taken);
    const owner = rng.pick(reps);
    const created = ago(30, 6 * 365);
    const modified = later(created);
    const creator = rng.chance(0.3) ? 'u-int-erp-sync' : owner;
    const r = `acc-${a}`;
    const employees = Math.max(2, Math.round(Math.exp(rng.next() * 7)));
    const rec = add('Account', {
      '@ref': r,
      Name: company.name,
      Type: rng.pick(['Customer - Direct', 'Customer - Direct', 'Customer - Channel', 'Prospect', 'Partner']),
      Industry: company.industry,
      Phone: phone(rng, country, place),
      Website: rng.chance(0.85) ? `https://www.${company.domain}` : null,
      NumberOfEmployees: employees,
      AnnualRevenue: Math.round(employees * (60000 + rng.next() * 140000) * (0.6 + rng.next())),
      BillingStreet: street(rng, country),
      BillingCity: place.city,
      BillingState: place.state || null,
      BillingPostalCode: rng.pick(place.zips),
      BillingCountry: COUNTRY_NAME[country],
      OwnerId: ref(owner),
      ...audit(created, modified, creator, rng.chance(0.2) ? 'u-int-erp-sync' : owner),
    });
    accounts.push({ rec, ref: r, country, place, company, owner });
  }

  const contacts: { rec: SeedRecord; ref: string; country: Country; first: string; last: string }[] = [];
  const nCon = Math.max(40, Math.round(S.contacts * scale));
  for (let c = 0; c < nCon; c++) {
    const acc = accounts[c < accounts.length ? c : rng.int(0, accounts.length - 1)]!;
    const country = rng.chance(0.93) ? acc.country : pickCountry(rng);
    const [first, last] = personName(rng, country);
    const domain = rng.chance(0.9) || country !== acc.country ? acc.company.domain : rng.pick(FREE_MAIL[country]);
    const place = country === acc.country && rng.chance(0.85) ? acc.place : rng.pick(PLACES[country]);
    const created = Math.max(Date.parse(String(acc.rec.CreatedDate)), ago(10, 5 * 365));
    const modified = later(created);
    const creator = rng.chance(0.15) ? 'u-int-marketing-sync' : rng.chance(0.1) ? 'u-int-support-desk' : acc.owner;
    const r = `con-${c}`;
    const rec = add('Contact', {
      '@ref': r,
      AccountId: ref(acc.ref),
      OwnerId: ref(acc.owner),
      Salutation: null,
      FirstName: first,
      LastName: last,
      Email: rng.chance(0.95) ? emailFor(rng, first, last, domain) : null,
      Phone: rng.chance(0.8) ? phone(rng, country, place) : null,
      MobilePhone: rng.chance(0.35) ? phone(rng, country, place, true) : null,
      Title: rng.chance(0.85) ? rng.pick(TITLES) : null,
      LeadSource: rng.pick(['Web', 'Phone Inquiry', 'Partner Referral', 'Trade Show', 'Word of mouth', null]),
      MailingStreet: street(rng, country),
      MailingCity: place.city,
      MailingState: place.state || null,
      MailingPostalCode: rng.pick(place.zips),
      MailingCountry: COUNTRY_NAME[country],
      ...audit(created, modified, creator, rng.chance(0.7) ? acc.owner : creator),
    });
    contacts.push({ rec, ref: r, country, first, last });
  }

  const nLead = Math.max(20, Math.round(S.leads * scale));
  for (let l = 0; l < nLead; l++) {
    const country = pickCountry(rng);
    const place = rng.pick(PLACES[country]);
    const company = companyName(rng, country, taken);
    const [first, last] = personName(rng, country);
    const created = ago(2, 2 * 365);
    const owner = rng.pick(reps);
    const creator = rng.chance(0.5) ? 'u-int-marketing-sync' : owner;
    add('Lead', {
      '@ref': `lead-${l}`,
      FirstName: first,
      LastName: last,
      Company: company.name,
      Email: emailFor(rng, first, last, rng.chance(0.85) ? company.domain : rng.pick(FREE_MAIL[country])),
      Phone: rng.chance(0.75) ? phone(rng, country, place) : null,
      Title: rng.chance(0.7) ? rng.pick(TITLES) : null,
      Status: rng.pick([
        'Open - Not Contacted',
        'Working - Contacted',
        'Working - Contacted',
        'Closed - Not Converted',
      ]),
      LeadSource: rng.pick(['Web', 'Trade Show', 'Partner Referral', 'Phone Inquiry', 'Purchased List']),
      Industry: company.industry,
      Street: street(rng, country),
      City: place.city,
      State: place.state || null,
      PostalCode: rng.pick(place.zips),
      Country: COUNTRY_NAME[country],
      OwnerId: ref(owner),
      ...audit(created, later(created), creator, owner),
    });
  }

  // ---------------------------------------------------------------- ordinary history (weeks ago)
  const history: Record<string, SeedRecord[]> = { ContactHistory: [], AccountHistory: [], LeadHistory: [] };
  const hist = (
    type: 'Contact' | 'Account' | 'Lead',
    parent: string,
    field: string,
    oldV: Json,
    newV: Json,
    by: string,
    at: number,
    dataType = 'Text',
  ) =>
    history[`${type}History`]!.push({
      [`${type}Id`]: ref(parent),
      Field: field,
      DataType: dataType,
      OldValue: oldV,
      NewValue: newV,
      CreatedById: ref(by),
      CreatedDate: iso(at),
    });
  for (let k = 0; k < Math.round(120 * Math.max(scale, 0.2)); k++) {
    const c = rng.pick(contacts);
    const at = now - rng.int(8, 200) * DAY;
    const newTitle = rng.pick(TITLES);
    hist(
      'Contact',
      c.ref,
      'Title',
      c.rec.Title ?? null,
      newTitle,
      String((c.rec.LastModifiedById as { '@ref': string })['@ref']),
      at,
    );
    c.rec.Title = newTitle;
  }

  // ---------------------------------------------------------------- the incident: partner-sync, 5 h to 3 h ago
  const [fromH, toH] = DEMO.incidentWindowHours;
  const incidentStart = now - fromH * HOUR;
  const incidentEnd = now - toH * HOUR;
  const tIncident = (k: number, n: number) =>
    Math.floor(incidentStart + ((incidentEnd - incidentStart) * k) / Math.max(1, n));
  const offender = 'u-int-partner-sync';
  const genCity = () => `${rng.pick(GEN_CITY_PREFIX)} ${rng.pick(GEN_CITY_STEM)}${rng.pick(GEN_CITY_SUFFIX)}`;
  const genPhone = () => (rng.chance(0.7) ? `555-01${rng.digits(2)}` : `(555) 555-01${rng.digits(2)}`);
  const genTitle = () => `${rng.pick(GEN_TITLE[0]!)} ${rng.pick(GEN_TITLE[1]!)} ${rng.pick(GEN_TITLE[2]!)}`;
  const genZip = () => `${rng.digits(5)}-${rng.digits(4)}`;
  const genStreet = () => `${rng.int(100, 99999)} ${rng.pick(GEN_LAST)} ${rng.pick(GEN_STREET_SUFFIX)}`;
  const genCompany = () => {
    const s = rng.next();
    const [a, b, c] = [rng.pick(GEN_LAST), rng.pick(GEN_LAST), rng.pick(GEN_LAST)];
    return s < 0.4 ? `${a} - ${b}` : s < 0.75 ? `${a}, ${b} and ${c}` : `${a} ${rng.pick(['Inc', 'LLC', 'Group'])}`;
  };
  const genEmail = (first: string, last: string, k: number) => {
    const s = rng.next();
    return s < 0.5
      ? `${slug(first)}.${slug(last)}@example.com`
      : s < 0.7
        ? `${slug(first)}${k}@example.org`
        : s < 0.85
          ? `loadtest+${k}@partnersync.test`
          : `qa.user${k}@example.net`;
  };
  const synthetic = { Account: [] as string[], Contact: [] as string[], Lead: [] as string[] };
  const nSynAcc = Math.max(3, Math.round(S.syntheticAccounts * Math.max(scale, 0.1)));
  const nSynCon = Math.max(10, Math.round(S.syntheticContacts * Math.max(scale, 0.1)));
  const nSynLead = Math.max(5, Math.round(S.syntheticLeads * Math.max(scale, 0.1)));
  const nOver = Math.max(6, Math.round(S.overwrittenContacts * Math.max(scale, 0.1)));
  const nEdits = Math.max(3, Math.round(S.laterEdits * Math.max(scale, 0.1)));
  const total = nSynAcc + nSynCon + nSynLead + nOver;
  let tick = 0;
  const synAccRefs: string[] = [];
  for (let k = 0; k < nSynAcc; k++) {
    const t = tIncident(tick++, total);
    const r = `syn-acc-${k}`;
    const obvious = k % 6 === 5;
    add('Account', {
      '@ref': r,
      Name: obvious ? rng.pick(TEST_TOKENS.company) : genCompany(),
      Type: 'Prospect',
      Industry: rng.pick(['Technology', 'Other', 'Consulting']),
      Phone: genPhone(),
      Website: `https://www.example.com/${k}`,
      NumberOfEmployees: rng.pick([10, 100, 1000, 5000]),
      AnnualRevenue: rng.pick([1000000, 5000000, 10000000]),
      BillingStreet: genStreet(),
      BillingCity: genCity(),
      BillingState: rng.pick(GEN_STATES),
      BillingPostalCode: genZip(),
      BillingCountry: 'United States',
      OwnerId: ref(offender),
      ...audit(t, t, offender),
    });
    synAccRefs.push(r);
    synthetic.Account.push(r);
  }
  for (let k = 0; k < nSynCon; k++) {
    const t = tIncident(tick++, total);
    const obvious = k % 9 === 8;
    const first = obvious ? rng.pick(TEST_TOKENS.first) : rng.pick(GEN_FIRST);
    const last = obvious ? rng.pick(TEST_TOKENS.last) : rng.pick(GEN_LAST);
    const r = `syn-con-${k}`;
    const acc = rng.chance(0.7) ? rng.pick(synAccRefs) : rng.pick(accounts).ref;
    add('Contact', {
      '@ref': r,
      AccountId: ref(acc),
      OwnerId: ref(offender),
      FirstName: first,
      LastName: last,
      Email: genEmail(first, last, k),
      Phone: genPhone(),
      MobilePhone: rng.chance(0.3) ? genPhone() : null,
      Title: obvious ? rng.pick(TEST_TOKENS.title) : genTitle(),
      LeadSource: 'Partner Referral',
      MailingStreet: genStreet(),
      MailingCity: genCity(),
      MailingState: rng.pick(GEN_STATES),
      MailingPostalCode: genZip(),
      MailingCountry: 'United States',
      ...audit(t, t, offender),
    });
    synthetic.Contact.push(r);
  }
  for (let k = 0; k < nSynLead; k++) {
    const t = tIncident(tick++, total);
    const first = rng.pick(GEN_FIRST);
    const last = rng.pick(GEN_LAST);
    const r = `syn-lead-${k}`;
    add('Lead', {
      '@ref': r,
      FirstName: first,
      LastName: last,
      Company: genCompany(),
      Email: genEmail(first, last, 1000 + k),
      Phone: genPhone(),
      Title: genTitle(),
      Status: 'Open - Not Contacted',
      LeadSource: 'Partner Referral',
      Street: genStreet(),
      City: genCity(),
      State: rng.pick(GEN_STATES),
      PostalCode: genZip(),
      Country: 'United States',
      OwnerId: ref(offender),
      ...audit(t, t, offender),
    });
    synthetic.Lead.push(r);
  }
  // Overwrites on real Contacts (the integrity breach), then a real person's later edits on some of them.
  const victims: string[] = [];
  const pool = contacts.filter((c) => c.country === 'US');
  const chosen = new Set<number>();
  while (chosen.size < Math.min(nOver, pool.length)) chosen.add(rng.int(0, pool.length - 1));
  const editor = `u-${DEMO.editor.username.split('.')[0]}`;
  let edits = 0;
  for (const idx of chosen) {
    const c = pool[idx]!;
    const t = tIncident(tick++, total);
    const changes: [string, Json, string][] = [];
    const first = String(c.rec.FirstName);
    const last = String(c.rec.LastName);
    changes.push(['Email', c.rec.Email ?? null, `${slug(first)}.${slug(last)}@example.com`]);
    if (rng.chance(0.7)) changes.push(['Phone', c.rec.Phone ?? null, genPhone()]);
    if (rng.chance(0.6)) changes.push(['Title', c.rec.Title ?? null, genTitle()]);
    if (rng.chance(0.5)) changes.push(['MailingCity', c.rec.MailingCity ?? null, genCity()]);
    for (const [field, oldV, newV] of changes) {
      hist(
        'Contact',
        c.ref,
        field,
        oldV,
        newV,
        offender,
        t,
        field === 'Email' ? 'Email' : field === 'Phone' ? 'Phone' : 'Text',
      );
      c.rec[field] = newV;
    }
    Object.assign(c.rec, { LastModifiedDate: iso(t), LastModifiedById: ref(offender), SystemModstamp: iso(t) });
    victims.push(c.ref);
    if (edits < nEdits && rng.chance(0.3)) {
      // The rep notices a wrong number and fixes it by hand (or retitles the contact) an hour or two later.
      const te = now - rng.int(40, 150) * 60_000;
      const place = PLACES.US.find((p) => p.city === c.rec.MailingCity) ?? rng.pick(PLACES.US);
      const [field, newV] = rng.chance(0.6) ? ['Phone', phone(rng, 'US', place)] : ['Title', rng.pick(TITLES)];
      hist('Contact', c.ref, field, c.rec[field] ?? null, newV, editor, te, field === 'Phone' ? 'Phone' : 'Text');
      c.rec[field] = newV;
      Object.assign(c.rec, { LastModifiedDate: iso(te), LastModifiedById: ref(editor), SystemModstamp: iso(te) });
      edits++;
    }
  }
  for (const [type, refs] of Object.entries(synthetic) as ['Account' | 'Contact' | 'Lead', string[]][]) {
    for (const r of refs) {
      const rec = sobjects[type]!.find((x) => x['@ref'] === r)!;
      hist(type, r, 'created', null, null, offender, Date.parse(String(rec.CreatedDate)), '');
    }
  }
  for (const [type, rows] of Object.entries(history)) {
    rows.sort((a, b) => String(a.CreatedDate).localeCompare(String(b.CreatedDate)));
    sobjects[type] = rows;
  }

  // ---------------------------------------------------------------- recent Bulk jobs
  const job = (
    r: string,
    owner: string,
    jobType: SeedBulkJob['jobType'],
    operation: string,
    object: string,
    at: number,
    state: SeedBulkJob['state'],
    processed: number,
    failed = 0,
    query?: string,
  ): SeedBulkJob => ({
    '@ref': r,
    jobType,
    operation,
    object,
    createdBy: ref(owner),
    createdDate: iso(at),
    state,
    numberRecordsProcessed: processed,
    numberRecordsFailed: failed,
    ...(query ? { query } : {}),
  });
  const bulkJobs: SeedBulkJob[] = [
    job('job-ps-1', offender, 'V2Ingest', 'insert', 'Account', incidentStart, 'JobComplete', nSynAcc),
    job('job-ps-2', offender, 'V2Ingest', 'insert', 'Contact', incidentStart + 10 * 60_000, 'JobComplete', nSynCon, 3),
    job('job-ps-3', offender, 'V2Ingest', 'insert', 'Lead', incidentStart + 40 * 60_000, 'JobComplete', nSynLead),
    job(
      'job-ps-4',
      offender,
      'V2Ingest',
      'update',
      'Contact',
      incidentEnd - 30 * 60_000,
      'JobComplete',
      victims.length,
    ),
    job('job-ps-5', offender, 'V2Ingest', 'upsert', 'Contact', now - 20 * 60_000, 'InProgress', 1200),
    job('job-ps-6', offender, 'Classic', 'insert', 'Lead', now - 12 * 60_000, 'Open', 0),
    job(
      'job-ps-7',
      offender,
      'V2Query',
      'query',
      'Contact',
      incidentStart - 30 * 60_000,
      'JobComplete',
      2400,
      0,
      'SELECT Id, Email, Phone FROM Contact',
    ),
    job('job-erp-1', 'u-int-erp-sync', 'V2Ingest', 'upsert', 'Account', now - 20 * HOUR, 'JobComplete', 312),
    job('job-erp-2', 'u-int-erp-sync', 'V2Ingest', 'upsert', 'Account', now - 44 * HOUR, 'JobComplete', 287, 1),
    job(
      'job-mkt-1',
      'u-int-marketing-sync',
      'V2Query',
      'query',
      'Lead',
      now - 9 * HOUR,
      'JobComplete',
      700,
      0,
      'SELECT Id, Email, Status FROM Lead',
    ),
    job('job-mkt-2', 'u-int-marketing-sync', 'V2Ingest', 'update', 'Lead', now - 8 * HOUR, 'JobComplete', 95),
    job('job-sd-1', 'u-int-support-desk', 'Classic', 'update', 'Contact', now - 26 * HOUR, 'Closed', 41),
  ];

  const oauthClients = [
    { ...DEMO.lockoutClient },
    ...DEMO.integrations.map((i) => ({
      clientId: `${slug(i.name)}-client`,
      clientSecret: `${slug(i.name)}-secret`,
      appName: i.connectedApp,
      runAs: i.username,
    })),
  ];
  return {
    oauthClients,
    org: {
      Name: DEMO.orgName,
      InstanceName: 'EMU1',
      IsSandbox: false,
      OrganizationType: 'Enterprise Edition',
      TimeZoneSidKey: 'America/Los_Angeles',
      Country: 'US',
    },
    sobjects,
    tooling,
    metadata,
    historyTracking: {
      Account: ['Name', 'Phone', 'Website', 'Industry', 'BillingCity', 'OwnerId'],
      Contact: ['FirstName', 'LastName', 'Email', 'Phone', 'MobilePhone', 'Title', 'MailingCity', 'AccountId'],
      Lead: ['Email', 'Phone', 'Status', 'Company', 'Title'],
    },
    bulkJobs,
  };
}
