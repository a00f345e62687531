import { z } from 'zod';

/**
 * The configuration schema: one place for every key of `lockout.config.yaml`.
 * Adding a key = adding it here with a default (and, if it has an env var or flag, a row in `settings` below).
 * Objects are strict so a misspelt key is reported with its path and line instead of being ignored.
 */

const level = z.enum(['low', 'medium', 'high']);

export const integrationSchema = z.strictObject({
  name: z.string().min(1),
  users: z.array(z.string()).default([]),
  connectedApps: z.array(z.string()).default([]),
  remoteSites: z.array(z.string()).default([]),
  namedCredentials: z.array(z.string()).default([]),
  flows: z.array(z.string()).default([]),
  objects: z.array(z.string()).default([]),
});

export const configSchema = z.strictObject({
  /** Evidence database path (relative to the working directory). */
  db: z.string().min(1).default('.lockout/lockout.db'),
  /** Who is acting, recorded in every evidence entry. Default: the OS user. */
  actor: z.string().min(1).optional(),

  org: z
    .strictObject({
      instanceUrl: z.url().optional(),
      loginUrl: z.url().default('https://login.salesforce.com'),
      apiVersion: z
        .string()
        .regex(/^\d+\.0$/, 'an API version such as "62.0"')
        .default('62.0'),
      targetOrg: z.string().optional(),
      /** Percent of the remaining daily API calls one command may use. */
      apiBudget: z.number().gt(0).max(100).default(10),
      /** `scan --org` reads through Bulk API 2.0 above this many records, through REST query below. */
      bulkThreshold: z.number().int().min(0).default(10000),
    })
    .prefault({}),

  scan: z
    .strictObject({
      thresholds: z
        .strictObject({
          low: z.number().min(0).max(1).default(0.35),
          medium: z.number().min(0).max(1).default(0.6),
          high: z.number().min(0).max(1).default(0.85),
        })
        .prefault({}),
      /** Extra field-to-role mappings, e.g. `Partner_Email__c: email`. */
      fields: z.record(z.string(), z.string()).default({}),
      /** Rule ids to switch off. */
      disable: z.array(z.string()).default([]),
      failOn: level.optional(),
      /** Worker threads for `lockout scan` (`--jobs` wins). Default 1 (see docs/benchmarks.md). */
      jobs: z.number().int().min(1).max(64).optional(),
    })
    .prefault({}),

  integrations: z.array(integrationSchema).default([]),

  protect: z
    .strictObject({
      /** Usernames that are never frozen (break-glass admins). The running user is always protected. */
      users: z.array(z.string()).default([]),
      /** Account Ids (or names) whose records are only ever planned for manual review. */
      accounts: z.array(z.string()).default([]),
    })
    .prefault({}),

  thresholds: z
    .strictObject({
      isolate: z
        .strictObject({
          maxUsers: z.number().int().min(0).default(5),
          maxApps: z.number().int().min(0).default(3),
          /** `scan --isolate-on`: isolate automatically only at or above this level. */
          autoIsolateLevel: level.default('high'),
        })
        .prefault({}),
      rollback: z
        .strictObject({
          /** Records a rollback may change without `--approved-by`. */
          maxRecords: z.number().int().min(0).default(500),
        })
        .prefault({}),
    })
    .prefault({}),

  /** Static facts for the regulator report (`lockout report`); everything else comes from the evidence log. */
  controller: z
    .strictObject({
      /** Legal entity name. */
      name: z.string().optional(),
      /** Company registration number (SIREN, CRO, Companies House number, ...). */
      registrationNumber: z.string().optional(),
      /** Main establishment (Art. 4(16)), e.g. "Dublin, IE". */
      establishment: z.string().optional(),
      address: z.string().optional(),
      /** Legal representative (CNIL asks for one besides the contact person). */
      legalRepresentative: z.string().optional(),
      leadSupervisoryAuthority: z.string().optional(),
      /** Other authorities for NIS2 / DORA notices, by name. */
      csirt: z.string().optional(),
      competentAuthority: z.string().optional(),
      dpo: z
        .strictObject({ name: z.string().optional(), email: z.string().optional(), phone: z.string().optional() })
        .prefault({}),
      /** Contact point when it is not the DPO (Art. 33(3)(b)). */
      contact: z
        .strictObject({ name: z.string().optional(), email: z.string().optional(), phone: z.string().optional() })
        .prefault({}),
      /** Art. 30 record-of-processing entries the affected data belongs to: "id" or "id: description". */
      processingActivities: z.array(z.string()).default([]),
      /** Which incident-reporting regimes apply to this controller. */
      sectors: z
        .strictObject({
          nis2: z.boolean().default(false),
          /** NIS2 entity class, when in scope. */
          nis2Entity: z.enum(['essential', 'important']).optional(),
          dora: z.boolean().default(false),
        })
        .prefault({}),
      /** Staff involvement and training (ICO form), as a standing statement. */
      staffTraining: z.string().optional(),
      /** Notification deadlines; configurable because the law may change (Digital Omnibus proposal). */
      deadlines: z
        .strictObject({
          gdprHours: z.number().positive().default(72),
          nis2EarlyWarningHours: z.number().positive().default(24),
          nis2NotificationHours: z.number().positive().default(72),
          nis2FinalMonths: z.number().int().positive().default(1),
          doraInitialAfterClassificationHours: z.number().positive().default(4),
          doraInitialHours: z.number().positive().default(24),
          doraIntermediateHours: z.number().positive().default(72),
          doraFinalMonths: z.number().int().positive().default(1),
        })
        .prefault({}),
    })
    .prefault({}),

  playbooks: z.strictObject({ dir: z.string().optional() }).prefault({}),

  /** `lockout rollback`: how created records are quarantined and when writes switch to Bulk 2.0. */
  rollback: z
    .strictObject({
      /** `--strategy quarantine`: a field set to a value and/or a new owner, instead of deleting. */
      quarantine: z
        .strictObject({
          field: z.string().min(1).optional(),
          value: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
          /** User or queue Id that takes ownership of quarantined records. */
          owner: z.string().min(15).max(18).optional(),
        })
        .prefault({}),
      /** Writes of at least this many records per object and operation go through Bulk API 2.0 ingest. */
      bulkThreshold: z.number().int().min(1).default(2000),
      /** Rounds of resending records that failed with UNABLE_TO_LOCK_ROW after the client's own retries. */
      lockRetries: z.number().int().min(0).max(10).default(2),
    })
    .prefault({}),
});

export type Config = z.infer<typeof configSchema>;
export type Integration = z.infer<typeof integrationSchema>;

/** A config key that can also be set by an environment variable and/or a global flag. */
export interface Setting {
  /** Dotted path in the config, or null for variables that are not config keys. */
  path: string | null;
  env?: string;
  flag?: string;
  /** The value is a number (env and flag strings are converted). */
  number?: boolean;
  /** Never printed: `config show` and errors redact it. */
  secret?: boolean;
  help: string;
}

/**
 * Every environment variable lockout reads, in one table (shown by `lockout help environment`).
 * Precedence for keys that have several sources: flag > env > config file > default.
 */
export const settings: readonly Setting[] = [
  { path: null, env: 'LOCKOUT_CONFIG', flag: '--config', help: 'config file (default: ./lockout.config.yaml)' },
  { path: 'db', env: 'LOCKOUT_DB', flag: '--db', help: 'evidence database (default: .lockout/lockout.db)' },
  {
    path: 'actor',
    env: 'LOCKOUT_ACTOR',
    flag: '--actor',
    help: 'who is acting, recorded in evidence (default: OS user)',
  },
  {
    path: null,
    env: 'LOCKOUT_INCIDENT',
    flag: '--incident',
    help: 'incident to attach evidence to (default: current)',
  },
  { path: null, env: 'NO_COLOR', flag: '--no-color', help: 'any value turns colour off' },
  { path: null, env: 'LOCKOUT_DEBUG', help: '1 prints stack traces for errors' },
  {
    path: 'org.instanceUrl',
    env: 'SF_INSTANCE_URL',
    flag: '--instance-url',
    help: 'org instance URL (org login 1 and 2, with an access token)',
  },
  {
    path: null,
    env: 'SF_ACCESS_TOKEN',
    flag: '--access-token',
    secret: true,
    help: 'access token, never stored (org login 1: flag, 2: env)',
  },
  {
    path: 'org.targetOrg',
    env: 'SF_TARGET_ORG',
    flag: '--target-org',
    help: 'alias or username of a Salesforce CLI login (org login 3: sf org display)',
  },
  { path: 'org.loginUrl', env: 'SF_LOGIN_URL', flag: '--login-url', help: 'OAuth2 login URL' },
  { path: 'org.apiVersion', env: 'SF_API_VERSION', flag: '--api-version', help: 'API version (default 62.0)' },
  {
    path: 'org.apiBudget',
    env: 'LOCKOUT_API_BUDGET',
    flag: '--api-budget',
    number: true,
    help: 'percent of remaining daily API calls a command may use',
  },
  { path: null, env: 'SF_USERNAME', help: 'username (org login 4: OAuth2 password, 5: JWT bearer)' },
  { path: null, env: 'SF_PASSWORD', secret: true, help: 'password, never stored (org login 4: OAuth2 password)' },
  { path: null, env: 'SF_CLIENT_ID', help: 'connected app consumer key' },
  { path: null, env: 'SF_CLIENT_SECRET', secret: true, help: 'connected app consumer secret (never stored)' },
  { path: null, env: 'SF_JWT_KEY_FILE', help: 'private key file (org login 5: JWT bearer)' },
  {
    path: null,
    env: 'LOCKOUT_SF_BIN',
    help: 'Salesforce CLI used by --target-org (default: sf on PATH)',
  },
  {
    path: null,
    env: 'LOCKOUT_SNAPSHOT_WORKER_BYTES',
    help: 'snapshot --file: CSV files of at least this size are parsed and hashed on a worker thread (default 16 MiB)',
  },
];
