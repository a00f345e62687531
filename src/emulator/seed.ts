// Seed loading: the seed contract of docs/emulator.md (schema in docs/emulator-seed.schema.json).
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { normalizeId } from './ids.js';
import { historyObject, makeField, makeObject, type FieldType } from './schema.js';
import { OrgState, type Rec } from './state.js';

export interface SeedRecord {
  '@ref'?: string;
  [field: string]: unknown;
}

export interface Seed {
  org?: {
    Id?: string;
    Name?: string;
    IsSandbox?: boolean;
    InstanceName?: string;
    OrganizationType?: string;
    TimeZoneSidKey?: string;
    NamespacePrefix?: string | null;
    /** Limit name -> Max (Remaining starts at Max unless given as {Max, Remaining}). */
    limits?: Record<string, number | { Max: number; Remaining: number }>;
    [k: string]: unknown;
  };
  /** OAuth clients (connected apps): token requests with other client ids are refused when this is non-empty. */
  oauthClients?: { clientId: string; clientSecret?: string; appName: string; certificate?: string; runAs?: string }[];
  /** Extra objects or fields: {"Obj__c": {"label"?, "keyPrefix"?, "fields": {"Foo__c": "string" | {type, referenceTo}}}} */
  schema?: Record<
    string,
    {
      label?: string;
      keyPrefix?: string;
      tooling?: boolean;
      fields?: Record<string, FieldType | { type: FieldType; referenceTo?: string[] }>;
    }
  >;
  sobjects?: Record<string, SeedRecord[]>;
  tooling?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  historyTracking?: Record<string, string[]>;
  /** Bulk jobs known at start (read by bulk2.ts). */
  bulkJobs?: unknown[];
}

/** Thrown for an invalid seed; the message names the place. */
export class SeedError extends Error {}

export interface LoadedSeed {
  state: OrgState;
  adminUserId: string;
  adminToken: string;
  /** `@ref` name -> Id. */
  refs: Map<string, string>;
  seed: Seed;
}

/** The minimal org: an Organization, a System Administrator profile and one admin user. */
export function emptySeed(): Seed {
  return {
    org: { Name: 'Emulated Org', IsSandbox: false, InstanceName: 'EMU1', OrganizationType: 'Enterprise Edition' },
    sobjects: {
      UserLicense: [{ '@ref': 'license-sf', Name: 'Salesforce', LicenseDefinitionKey: 'SFDC', Status: 'Active' }],
      Profile: [
        {
          '@ref': 'profile-admin',
          Name: 'System Administrator',
          UserLicenseId: { '@ref': 'license-sf' },
          UserType: 'Standard',
          PermissionsApiEnabled: true,
          PermissionsApiUserOnly: false,
          PermissionsModifyAllData: true,
          PermissionsViewAllData: true,
        },
      ],
      User: [
        {
          '@ref': 'admin',
          admin: true,
          Username: 'admin@emulator.example',
          FirstName: 'Emulator',
          LastName: 'Admin',
          Alias: 'eadmin',
          Email: 'admin@emulator.example',
          IsActive: true,
          UserType: 'Standard',
          ProfileId: { '@ref': 'profile-admin' },
          TimeZoneSidKey: 'GMT',
          LocaleSidKey: 'en_US',
          LanguageLocaleKey: 'en_US',
          EmailEncodingKey: 'UTF-8',
          password: 'emulator-password',
        },
      ],
    },
  };
}

/** Read a seed file (JSON). */
export function readSeedFile(file: string): Seed {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new SeedError(`seed ${file}: cannot read: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text) as Seed;
  } catch (e) {
    throw new SeedError(`seed ${file}: invalid JSON: ${(e as Error).message}`);
  }
}

const isRef = (v: unknown): v is { '@ref': string } =>
  !!v && typeof v === 'object' && !Array.isArray(v) && typeof (v as { '@ref'?: unknown })['@ref'] === 'string';

/** Fields of a seed record that are instructions, not record fields. */
const META = new Set(['@ref', 'password', 'securityToken', 'accessToken', 'refreshToken', 'admin', 'appName']);

/** The seed's top-level keys (docs/emulator-seed.schema.json): a misspelt one must not be ignored silently. */
const SEED_KEYS = [
  '$schema',
  'org',
  'oauthClients',
  'schema',
  'sobjects',
  'historyTracking',
  'tooling',
  'metadata',
  'bulkJobs',
];

/** Build an org from a seed. */
export function loadSeed(seed: Seed, where = 'seed'): LoadedSeed {
  if (!seed || typeof seed !== 'object' || Array.isArray(seed)) throw new SeedError(`${where}: must be a JSON object`);
  for (const k of Object.keys(seed)) {
    if (!SEED_KEYS.includes(k)) {
      throw new SeedError(`${where}: unknown top-level key "${k}" (known: ${SEED_KEYS.slice(1).join(', ')})`);
    }
  }
  const st = new OrgState();
  st.options.oauthClients = seed.oauthClients ?? [];

  // Schema first: declared objects and fields, and the History objects of tracked or seeded histories.
  for (const [name, spec] of Object.entries(seed.schema ?? {})) {
    const def =
      st.object(name) ??
      st.defineObject(
        makeObject(name, spec.keyPrefix ?? (undefined as unknown as null), [], {
          custom: name.endsWith('__c'),
          tooling: !!spec.tooling,
          ...(spec.label ? { label: spec.label, labelPlural: `${spec.label}s` } : {}),
        }),
      );
    for (const [fname, f] of Object.entries(spec.fields ?? {})) {
      const t = typeof f === 'string' ? { type: f } : f;
      def.fields.set(
        fname.toLowerCase(),
        makeField(fname, t.type, { referenceTo: 'referenceTo' in t ? (t.referenceTo ?? []) : [] }),
      );
    }
  }
  for (const type of Object.keys(seed.historyTracking ?? {})) {
    const h = historyObject(st.ensureObject(type).name);
    if (!st.object(h.name)) st.defineObject(h);
  }
  const sobjects = seed.sobjects ?? {};
  for (const type of Object.keys(sobjects)) {
    const base = /^(.*)History$/.exec(type)?.[1];
    if (base && st.object(base) && !st.object(type)) st.defineObject(historyObject(st.object(base)!.name));
    if (type === 'OpportunityFieldHistory' && !st.object(type)) st.defineObject(historyObject('Opportunity'));
  }

  // Organization.
  const org = seed.org ?? {};
  const orgFields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(org)) if (k !== 'limits' && k !== 'Id') orgFields[k] = v;
  const orgId = org.Id ? normalizeId(org.Id) : st.newId('Organization');
  if (!orgId || !orgId.startsWith('00D')) throw new SeedError(`${where}: org.Id must be an Organization id (00D...)`);
  st.orgId = orgId;
  for (const [k, v] of Object.entries(orgFields)) st.ensureField('Organization', k, v);
  st.insert(
    'Organization',
    {
      Name: 'Emulated Org',
      IsSandbox: false,
      InstanceName: 'EMU1',
      OrganizationType: 'Enterprise Edition',
      TimeZoneSidKey: 'GMT',
      ...orgFields,
    },
    { userId: '', system: true, id: orgId },
  );
  for (const [k, v] of Object.entries(org.limits ?? {})) {
    st.limits[k] = typeof v === 'number' ? { Max: v, Remaining: v } : { Max: v.Max, Remaining: v.Remaining };
  }

  // Pass 1: Ids for every record, so references may point forward.
  const refs = new Map<string, string>();
  const ids = new Map<SeedRecord, string>();
  for (const [type, rows] of Object.entries(sobjects)) {
    if (!Array.isArray(rows)) throw new SeedError(`${where}: sobjects.${type} must be an array`);
    const def = st.ensureObject(type);
    rows.forEach((r, i) => {
      const at = `${where}: sobjects.${type}[${i}]`;
      if (!r || typeof r !== 'object') throw new SeedError(`${at}: must be an object`);
      let id: string | null = null;
      if (r.Id !== undefined && r.Id !== null) {
        id = normalizeId(r.Id);
        if (!id) throw new SeedError(`${at}: Id ${String(r.Id)} is not a valid Salesforce id`);
      } else if (def.name !== 'OauthToken') id = st.newId(def.name);
      if (id) ids.set(r, id);
      if (r['@ref'] !== undefined) {
        if (typeof r['@ref'] !== 'string') throw new SeedError(`${at}: "@ref" must be a string`);
        if (refs.has(r['@ref'])) throw new SeedError(`${at}: duplicate "@ref" ${r['@ref']}`);
        if (id) refs.set(r['@ref'], id);
      }
    });
  }

  // Pass 2: insert, resolving references.
  let adminUserId = '';
  let adminToken = '';
  let firstUser = '';
  const pendingSessions: (() => void)[] = [];
  const actor = (): string => adminUserId || firstUser;
  for (const [type, rows] of Object.entries(sobjects)) {
    const def = st.ensureObject(type);
    rows.forEach((r, i) => {
      const at = `${where}: sobjects.${type}[${i}]`;
      const fields: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(r)) {
        if (META.has(k) || k === 'Id') continue;
        let value = v;
        if (isRef(v)) {
          const target = refs.get(v['@ref']);
          if (!target) throw new SeedError(`${at}.${k}: unknown "@ref" ${v['@ref']}`);
          value = target;
          const f = st.ensureField(def.name, k, target);
          if (f.type !== 'reference') {
            f.type = 'reference';
            f.relationshipName ??= null;
          }
          const targetType =
            st.findById(target)?.type ?? [...st.schema.values()].find((d) => d.keyPrefix === target.slice(0, 3))?.name;
          if (targetType && !f.referenceTo.includes(targetType)) f.referenceTo.push(targetType);
          if (!f.relationshipName)
            f.relationshipName = k.endsWith('Id') ? k.slice(0, -2) : k.endsWith('__c') ? `${k.slice(0, -3)}__r` : null;
        } else {
          st.ensureField(def.name, k, v);
        }
        fields[k] = value;
      }
      const id = ids.get(r);
      if (def.name === 'OauthToken' && !fields.DeleteToken) fields.DeleteToken = randomBytes(24).toString('base64url');
      if (def.name === 'UserLogin' && fields.UserId) {
        const existing = st.records('UserLogin').find((l) => l.UserId === normalizeId(fields.UserId));
        if (existing) st.hardDelete('UserLogin', existing.Id as string);
      }
      let rec: Rec;
      try {
        rec = st.insert(def.name, fields, { userId: (fields.CreatedById as string) ?? actor(), system: true, id });
      } catch (e) {
        throw new SeedError(`${at}: ${(e as Error).message}`);
      }
      if (def.name === 'User') {
        const uid = rec.Id as string;
        firstUser ||= uid;
        if (r.admin === true && !adminUserId) adminUserId = uid;
        if (typeof r.password === 'string') st.passwords.set(uid, r.password);
        if (typeof r.securityToken === 'string') st.securityTokens.set(uid, r.securityToken);
        if (typeof r.accessToken === 'string') {
          const token = r.accessToken;
          pendingSessions.push(() => {
            st.issueSession(uid, { accessToken: token, loginType: 'Application', sessionType: 'UI' });
          });
        }
      }
      if (def.name === 'OauthToken') {
        const access = typeof r.accessToken === 'string' ? r.accessToken : null;
        const uid = rec.UserId as string | null;
        if (!uid) throw new SeedError(`${at}: OauthToken needs a UserId`);
        if (access) {
          const grant = rec.DeleteToken as string;
          pendingSessions.push(() => {
            st.issueSession(uid, { accessToken: access, appName: rec.AppName as string, grant });
            if (typeof r.refreshToken === 'string') {
              st.tokens.set(r.refreshToken, {
                token: r.refreshToken,
                kind: 'refresh',
                userId: uid,
                sessionId: null,
                grant,
                revoked: false,
                appName: (rec.AppName as string) ?? null,
              });
            }
          });
        }
      }
    });
  }
  if (!firstUser) throw new SeedError(`${where}: sobjects.User must contain at least one user (the admin)`);
  adminUserId ||= firstUser;
  for (const f of pendingSessions) f();
  // The admin token: the admin's seeded accessToken, else a fresh session.
  adminToken =
    [...st.tokens.values()].find((t) => t.userId === adminUserId && t.kind === 'access' && !t.grant)?.token ??
    st.issueSession(adminUserId, { loginType: 'Application', sessionType: 'UI' }).accessToken;

  for (const [type, fields] of Object.entries(seed.historyTracking ?? {})) {
    const def = st.ensureObject(type);
    for (const f of fields) {
      if (!def.fields.has(f.toLowerCase()))
        throw new SeedError(`${where}: historyTracking.${type}: unknown field ${f}`);
    }
    st.trackHistory(def.name, fields);
  }
  st.ext.adminUserId = adminUserId;
  return { state: st, adminUserId, adminToken, refs, seed };
}
