/**
 * The org client: the one interface through which lockout talks to a Salesforce org.
 * Only src/org imports jsforce; everything else uses this interface (architecture.md).
 *
 * Contract for every method:
 * - Org, auth, network and limit failures throw `OrgError` (exit 3) whose message never contains a token.
 * - A call that would exceed the API budget set by `ensureBudget` throws `Refused` (exit 4).
 * - Reads are retried with backoff on 5xx/420/429 and network errors; writes are never retried blindly: only
 *   per-record failures whose outcome is known (UNABLE_TO_LOCK_ROW) are sent again.
 * - `calls` counts every HTTP request sent to the org (retries included; OAuth token requests excluded).
 */

/** How the client logged in (see connect.ts for the precedence). */
export type LoginMode = 'access-token' | 'env-access-token' | 'target-org' | 'oauth-password' | 'jwt-bearer';

/** Who we are and where: the org, the running user, the instance. */
export interface OrgIdentity {
  orgId: string;
  userId: string;
  username: string;
  displayName: string | null;
  organizationName: string | null;
  /** Organization.OrganizationType, e.g. "Enterprise Edition". */
  organizationType: string | null;
  isSandbox: boolean | null;
  instanceUrl: string;
  apiVersion: string;
  loginMode: LoginMode;
}

/** One entry of `/limits`: `{Max, Remaining}` (other keys are per-app sub-limits). */
export interface OrgLimit {
  Max: number;
  Remaining: number;
  [sub: string]: unknown;
}
export type OrgLimits = Record<string, OrgLimit>;

/** The outcome of a budget check. */
export interface BudgetCheck {
  /** API calls the caller said it needs. */
  needed: number;
  /** DailyApiRequests.Remaining when checked. */
  remaining: number;
  max: number;
  /** Percent of the remaining daily calls this command may use (--api-budget / org.apiBudget). */
  budgetPercent: number;
  /** Calls this command may make in total (client.calls is capped at this from now on). */
  allowed: number;
}

/** A per-record error as Salesforce returns it (`statusCode`, not `errorCode`). */
export interface RecordError {
  statusCode: string;
  message: string;
  fields: string[];
}

/** One result per input record, in input order, for collections writes. */
export interface SaveResult {
  /** Position of the record in the input array. */
  index: number;
  /** The record id (for create: the new id; null when a create failed). */
  id: string | null;
  success: boolean;
  errors: RecordError[];
  /** How many times the record was sent (more than 1 after UNABLE_TO_LOCK_ROW retries). */
  attempts: number;
}

export type BulkOperation = 'insert' | 'update' | 'upsert' | 'delete' | 'hardDelete';

/** Per-record results of a Bulk API 2.0 ingest job (never just a total). */
export interface BulkIngestResult {
  jobId: string;
  state: string;
  successful: { id: string; created: boolean; record: Record<string, string> }[];
  /** `error` is Salesforce's `STATUS_CODE:message:fields --` text. */
  failed: { id: string | null; error: string; record: Record<string, string> }[];
  unprocessed: Record<string, string>[];
}

/** A flattened record: `Account.Name` style keys, every value a string or null, as a Data Loader CSV has it. */
export type FlatRecord = Record<string, string | null>;

/** A raw REST record (`attributes` kept, nested parents as objects). */
export type SObjectRecord = { attributes?: { type: string; url?: string }; Id?: string } & Record<string, unknown>;

export interface QueryOptions {
  /** Include deleted and archived rows (`queryAll`). */
  all?: boolean;
  /** Records per page (`Sforce-Query-Options: batchSize`, 200–2000). */
  batchSize?: number;
}

export interface BulkQueryOptions {
  /** `queryAll` operation (include deleted rows). */
  all?: boolean;
  /** `maxRecords` per result page. */
  pageSize?: number;
  /** Poll interval while the job runs (default 500 ms). */
  pollIntervalMs?: number;
  /** Give up after this long (default 10 min). */
  timeoutMs?: number;
  /** Leave the finished job in the org (Salesforce removes it after 7 days) instead of deleting it: one call less. */
  keepJob?: boolean;
}

/** A read subrequest of a composite call (`url` relative to `/services/data/vXX.X`, or absolute from `/services/`). */
export interface CompositeGet {
  referenceId: string;
  url: string;
  httpHeaders?: Record<string, string>;
}

/** One subrequest's answer: its own HTTP status and body (an error body is `[{errorCode, message}]`). */
export interface CompositeSubresult {
  referenceId: string;
  httpStatusCode: number;
  body: unknown;
  httpHeaders?: Record<string, string>;
}

export interface BulkIngestOptions {
  externalIdFieldName?: string;
  pollIntervalMs?: number;
  timeoutMs?: number;
}

/** A field of an sObject describe (the subset lockout uses). */
export interface FieldDescribe {
  name: string;
  type: string;
  label: string;
  nillable: boolean;
  updateable: boolean;
  createable: boolean;
  filterable: boolean;
  /** Present on relationship fields: the relationship name, e.g. `Account` for `AccountId`. */
  relationshipName: string | null;
  referenceTo: string[];
  /** Compound fields (address, location) have components; a component names its compound field here. */
  compoundFieldName: string | null;
}

export interface SObjectDescribe {
  name: string;
  label: string;
  keyPrefix: string | null;
  queryable: boolean;
  fields: FieldDescribe[];
}

/** A Metadata API component as jsforce returns it; `fullName` is absent when the component does not exist. */
export type MetadataComponent = { fullName?: string } & Record<string, unknown>;

export interface MetadataSaveResult {
  fullName: string;
  success: boolean;
  errors: { statusCode: string; message: string; fields: string[] }[];
}

export interface MetadataFile {
  fullName: string;
  type: string;
  id: string | null;
  fileName: string | null;
}

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface OrgClient {
  /** Origin of the org's instance, e.g. `https://acme.my.salesforce.com` (no trailing slash). */
  readonly instanceUrl: string;
  /** The API version every call uses, e.g. "62.0". */
  readonly apiVersion: string;
  readonly loginMode: LoginMode;
  /** HTTP requests sent to the org by this client so far (retries included). */
  readonly calls: number;

  /** The org, the running user and whether the org is a sandbox (identity URL + Organization query). */
  identity(): Promise<OrgIdentity>;

  /** `/limits`, as the org returns it. */
  limits(): Promise<OrgLimits>;

  /**
   * Read `/limits` and refuse (Refused, exit 4) when `callsNeeded` more calls would exceed the budget: the
   * `--api-budget` percent (config `org.apiBudget`) of the remaining daily API calls. From then on the client
   * refuses any call beyond the allowance, so the budget is never exceeded silently. `what` names the work in
   * the message ("rollback of 1200 records"). With `fromLastResponse`, the remaining calls come from the last REST
   * response's `Sforce-Limit-Info` header when there is one (no `/limits` call).
   */
  ensureBudget(callsNeeded: number, what?: string, opts?: { fromLastResponse?: boolean }): Promise<BudgetCheck>;

  /**
   * Up to 25 GET subrequests (at most 5 queries) in one REST Composite call, which counts as ONE API call. Retried
   * like a read. Each subrequest succeeds or fails on its own (allOrNone false).
   */
  compositeRead(subrequests: CompositeGet[]): Promise<CompositeSubresult[]>;

  /** SOQL through REST query/queryMore, streamed page by page (raw records, `attributes` kept). */
  query<T extends SObjectRecord = SObjectRecord>(soql: string, opts?: QueryOptions): AsyncIterable<T>;

  /** Like `query`, including deleted and archived rows (REST `queryAll`). */
  queryAll<T extends SObjectRecord = SObjectRecord>(soql: string, opts?: QueryOptions): AsyncIterable<T>;

  /** `SELECT COUNT() FROM ...`: the number of matching rows (one call). */
  count(soql: string, opts?: { all?: boolean }): Promise<number>;

  /**
   * SOQL through a Bulk API 2.0 query job, result pages fetched by lockout itself (Sforce-Locator), streamed as
   * flattened CSV rows (`Account.Name` keys; empty cells become null). The job is deleted afterwards.
   */
  bulkQuery(soql: string, opts?: BulkQueryOptions): AsyncIterable<FlatRecord>;

  /** SOQL against the Tooling API, streamed. */
  toolingQuery<T extends SObjectRecord = SObjectRecord>(soql: string): AsyncIterable<T>;

  /** `PATCH /tooling/sobjects/{type}/{Id}` with the record's other fields (one call per record). */
  toolingUpdate(type: string, record: { Id: string } & Record<string, unknown>): Promise<void>;

  /** Metadata API readMetadata (SOAP), one result per name; a missing component comes back without `fullName`. */
  metadataRead(type: string, fullNames: string[]): Promise<MetadataComponent[]>;

  /** Metadata API updateMetadata (replaces each component: send every required field). Per-component results. */
  metadataUpdate(type: string, components: MetadataComponent[]): Promise<MetadataSaveResult[]>;

  /** Metadata API listMetadata for one type. */
  metadataList(type: string): Promise<MetadataFile[]>;

  /** `GET /sobjects/{type}/describe` (cached per client). */
  describe(type: string): Promise<SObjectDescribe>;

  /** sObject Collections create, 200 records per call, per-record results in input order. */
  create(type: string, records: Record<string, unknown>[], opts?: { allOrNone?: boolean }): Promise<SaveResult[]>;

  /** sObject Collections update (each record carries `Id`), 200 per call, per-record results. */
  update(
    type: string,
    records: ({ Id: string } & Record<string, unknown>)[],
    opts?: { allOrNone?: boolean },
  ): Promise<SaveResult[]>;

  /** sObject Collections delete (to the recycle bin), 200 ids per call, per-record results. */
  delete(type: string, ids: string[], opts?: { allOrNone?: boolean }): Promise<SaveResult[]>;

  /** Restore records from the recycle bin (SOAP `undelete`, 200 ids per call), per-record results. */
  undelete(type: string, ids: string[]): Promise<SaveResult[]>;

  /**
   * A write through a Bulk API 2.0 ingest job. Every record is sent with the same columns; a `null` value is
   * sent as `#N/A` (set the field to null), an `undefined` one as an empty cell (leave unchanged).
   */
  bulkIngest(
    operation: BulkOperation,
    type: string,
    records: Record<string, unknown>[],
    opts?: BulkIngestOptions,
  ): Promise<BulkIngestResult>;

  /**
   * Collections below `threshold` records (default 2000), Bulk 2.0 ingest above it; results in the
   * collections shape either way (input order).
   */
  save(
    operation: 'insert' | 'update' | 'delete',
    type: string,
    records: Record<string, unknown>[],
    opts?: { threshold?: number },
  ): Promise<SaveResult[]>;

  /**
   * Any other REST call. `path` is relative to `/services/data/vXX.X` (e.g. `/jobs/ingest`) or absolute from
   * `/services/` (e.g. `/services/oauth2/revoke`). Bodies are JSON unless a string is given. GETs are retried.
   */
  request<T = unknown>(
    method: HttpMethod,
    path: string,
    body?: unknown,
    opts?: { headers?: Record<string, string> },
  ): Promise<T>;

  /** Revoke an OAuth token (e.g. an OauthToken's DeleteToken) at `/services/oauth2/revoke`. */
  revokeToken(token: string): Promise<void>;

  /**
   * Abort a Bulk API 1.0 job (`/services/async/<v>/job/<id>`, authenticated with `X-SFDC-Session`, which `request`
   * does not send). One call; never retried (a write).
   */
  abortBulkV1Job(jobId: string): Promise<void>;
}
