import { setTimeout as sleep } from 'node:timers/promises';
import type { Connection } from 'jsforce';
import { parse as parseCsv } from 'csv-parse/sync';
import { OrgError, Refused } from '../errors.js';
import { registerSecret } from '../redact.js';
import { OrgApiError, errorCodeOf, toOrgError } from './errors.js';
import type {
  BudgetCheck,
  BulkIngestOptions,
  BulkIngestResult,
  BulkOperation,
  BulkQueryOptions,
  CompositeGet,
  CompositeSubresult,
  FieldDescribe,
  FlatRecord,
  HttpMethod,
  LoginMode,
  MetadataComponent,
  MetadataFile,
  MetadataSaveResult,
  OrgClient,
  OrgIdentity,
  OrgLimits,
  QueryOptions,
  RecordError,
  SaveResult,
  SObjectDescribe,
  SObjectRecord,
} from './client.js';

/** Retry policy for reads (5xx/420/429 and network errors) and for per-record UNABLE_TO_LOCK_ROW. */
export interface RetryPolicy {
  maxRetries: number;
  baseMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 3, baseMs: 500 };

/** Collections take at most 200 records per call. */
export const COLLECTION_SIZE = 200;
/** `save()` switches from Collections to Bulk 2.0 ingest above this many records. */
export const DEFAULT_BULK_THRESHOLD = 2000;

const RETRY_STATUS = [420, 429, 500, 502, 503, 504];
/** Error codes of outages (a read may be sent again). */
const TRANSIENT_CODES =
  /^(SERVER_UNAVAILABLE|UNKNOWN_EXCEPTION|ERROR_HTTP_(420|429|50[0234])|ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|UND_ERR_SOCKET)$/;

interface QueryPage {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: SObjectRecord[];
}

interface RawSaveResult {
  id?: string | null;
  success: boolean | string;
  errors?: unknown;
}

const asArray = <T>(v: T | T[] | undefined | null): T[] => (v == null ? [] : Array.isArray(v) ? v : [v]);

function normalizeErrors(raw: unknown): RecordError[] {
  return asArray(raw as Record<string, unknown> | Record<string, unknown>[]).map((e) => ({
    statusCode: String(e.statusCode ?? e.errorCode ?? 'UNKNOWN').replace(/^sf:/, ''),
    message: String(e.message ?? ''),
    fields: asArray(e.fields as string | string[]).map(String),
  }));
}

const isLockError = (r: SaveResult) => !r.success && r.errors.some((e) => e.statusCode === 'UNABLE_TO_LOCK_ROW');

/** What the client needs from connect.ts beyond the jsforce Connection. */
export interface ClientOptions {
  loginMode: LoginMode;
  apiBudgetPercent: number;
  retry?: RetryPolicy;
  /** Whether a 401 can be answered by logging in again (false for plain access tokens). */
  canRefresh: boolean;
}

/** OrgClient over a jsforce Connection. Built by connectOrg; see client.ts for the contract. */
export class JsforceOrgClient implements OrgClient {
  readonly loginMode: LoginMode;
  readonly apiVersion: string;
  private readonly conn: Connection;
  private readonly retry: RetryPolicy;
  private readonly budgetPercent: number;
  private readonly canRefresh: boolean;
  private callCount = 0;
  private cap: { total: number; check: BudgetCheck; what: string } | null = null;
  private describes = new Map<string, Promise<SObjectDescribe>>();
  /** Set by a successful (non-401) response; a refresh is allowed only after the last new session worked. */
  sessionWorked = true;

  constructor(conn: Connection, opts: ClientOptions) {
    this.conn = conn;
    this.loginMode = opts.loginMode;
    this.apiVersion = conn.version;
    this.retry = opts.retry ?? DEFAULT_RETRY;
    this.budgetPercent = opts.apiBudgetPercent;
    this.canRefresh = opts.canRefresh;
    this.instrument();
  }

  get instanceUrl(): string {
    return this.conn.instanceUrl.replace(/\/+$/, '');
  }

  get calls(): number {
    return this.callCount;
  }

  /**
   * Count every HTTP request, enforce the budget cap, and set jsforce's retry policy per request: reads only
   * (jsforce's default would also retry PUT and DELETE, and wait 15.5 s).
   */
  private instrument(): void {
    const transport = this.conn._transport;
    const original = transport.httpRequest.bind(transport);
    const retry = {
      maxRetries: this.retry.maxRetries,
      minTimeout: this.retry.baseMs,
      timeoutFactor: 2,
      methods: ['GET', 'HEAD'] as ('GET' | 'HEAD')[],
      statusCodes: RETRY_STATUS,
    };
    transport.httpRequest = (req, options = {}) => {
      this.beforeCall();
      const sp = original(req, { ...options, retry });
      sp.stream().on('retry', () => {
        this.callCount += 1;
      });
      sp.then(
        (res) => {
          if (res.statusCode !== 401) this.sessionWorked = true;
        },
        () => undefined,
      );
      return sp;
    };
  }

  /** Count one call; refuse it when the budget set by ensureBudget is used up. */
  private beforeCall(): void {
    if (this.cap && this.callCount >= this.cap.total) {
      const { check, what } = this.cap;
      throw new Refused(
        `${what} used its whole API budget (${check.allowed} calls: ${check.budgetPercent}% of the ` +
          `${check.remaining} daily API calls remaining) and stopped before making more`,
        { hint: 'raise --api-budget (config org.apiBudget) and run it again; completed work is kept' },
      );
    }
    this.callCount += 1;
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw toOrgError(e, what, { instanceUrl: this.instanceUrl, canRefresh: this.canRefresh });
    }
  }

  /**
   * A read sent as POST (SOAP Metadata read/list): jsforce never retries POSTs, so retry it here on outages only.
   */
  private async readCall<T>(what: string, fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.call(what, fn);
      } catch (e) {
        const transient = e instanceof OrgApiError && TRANSIENT_CODES.test(e.code);
        if (!transient || attempt >= this.retry.maxRetries) throw e;
        await sleep(this.retry.baseMs * 2 ** attempt);
      }
    }
  }

  private get(url: string, headers?: Record<string, string>) {
    return this.conn.request<unknown>({ method: 'GET', url, headers });
  }

  async identity(): Promise<OrgIdentity> {
    const info = (await this.call('reading the identity', () => this.get('/services/oauth2/userinfo'))) as Record<
      string,
      unknown
    >;
    let org: Record<string, unknown> | undefined;
    try {
      for await (const r of this.query('SELECT Id, Name, IsSandbox, OrganizationType FROM Organization')) {
        org = r;
        break;
      }
    } catch (e) {
      // Some profiles cannot read Organization; identity still stands without it.
      if (!(e instanceof OrgApiError) || !['INVALID_TYPE', 'INSUFFICIENT_ACCESS', 'INVALID_FIELD'].includes(e.code))
        throw e;
    }
    const str = (v: unknown) => (v == null || v === '' ? null : String(v));
    return {
      orgId: String(info.organization_id ?? org?.Id ?? ''),
      userId: String(info.user_id ?? ''),
      username: String(info.preferred_username ?? info.username ?? ''),
      displayName: str(info.name ?? info.display_name),
      organizationName: str(org?.Name),
      organizationType: str(org?.OrganizationType),
      isSandbox: typeof org?.IsSandbox === 'boolean' ? org.IsSandbox : null,
      instanceUrl: this.instanceUrl,
      apiVersion: this.apiVersion,
      loginMode: this.loginMode,
    };
  }

  async limits(): Promise<OrgLimits> {
    return (await this.call('reading /limits', () => this.get('/limits'))) as OrgLimits;
  }

  async ensureBudget(
    callsNeeded: number,
    what = 'this command',
    opts: { fromLastResponse?: boolean } = {},
  ): Promise<BudgetCheck> {
    // The last REST response's `Sforce-Limit-Info: api-usage=<used>/<max>` (jsforce keeps it in conn.limitInfo)
    // tells the same as /limits' DailyApiRequests, without a call.
    const usage = opts.fromLastResponse ? this.conn.limitInfo?.apiUsage : undefined;
    const daily =
      usage && Number.isFinite(usage.used) && Number.isFinite(usage.limit)
        ? { Max: usage.limit, Remaining: Math.max(0, usage.limit - usage.used) }
        : (await this.limits()).DailyApiRequests;
    if (!daily || typeof daily.Remaining !== 'number') {
      throw new OrgError('the org did not report DailyApiRequests in /limits, so the API budget cannot be checked');
    }
    const allowed = Math.floor((daily.Remaining * this.budgetPercent) / 100);
    const check: BudgetCheck = {
      needed: Math.ceil(callsNeeded),
      remaining: daily.Remaining,
      max: daily.Max,
      budgetPercent: this.budgetPercent,
      allowed,
    };
    if (daily.Remaining <= 0) {
      throw new Refused(
        `${what} needs about ${check.needed} API calls, but the org has no daily API calls left (0 of ${daily.Max})`,
        { hint: 'daily API calls are counted over a rolling 24 hours: wait, or ask Salesforce to raise the limit' },
      );
    }
    if (check.needed > allowed) {
      throw new Refused(
        `${what} needs about ${check.needed} API calls, but the API budget allows ${allowed}: ` +
          `${this.budgetPercent}% of the ${daily.Remaining} daily API calls remaining (of ${daily.Max})`,
        {
          hint: `raise --api-budget to at least ${Math.min(100, Math.ceil((check.needed * 100) / daily.Remaining))} (config org.apiBudget), or narrow the work`,
        },
      );
    }
    this.cap = { total: this.callCount + allowed, check, what };
    return check;
  }

  private async *pages(kind: string, soql: string, opts: QueryOptions = {}): AsyncGenerator<SObjectRecord> {
    const headers = opts.batchSize ? { 'Sforce-Query-Options': `batchSize=${opts.batchSize}` } : undefined;
    const what = `SOQL ${kind} failed`;
    let page = (await this.call(what, () => this.get(`/${kind}?q=${encodeURIComponent(soql)}`, headers))) as QueryPage;
    for (;;) {
      for (const r of page.records ?? []) yield r;
      if (page.done || !page.nextRecordsUrl) return;
      const next = page.nextRecordsUrl;
      page = (await this.call(what, () => this.get(next, headers))) as QueryPage;
    }
  }

  query<T extends SObjectRecord = SObjectRecord>(soql: string, opts: QueryOptions = {}): AsyncIterable<T> {
    return this.pages(opts.all ? 'queryAll' : 'query', soql, opts) as AsyncIterable<T>;
  }

  queryAll<T extends SObjectRecord = SObjectRecord>(soql: string, opts: QueryOptions = {}): AsyncIterable<T> {
    return this.pages('queryAll', soql, opts) as AsyncIterable<T>;
  }

  toolingQuery<T extends SObjectRecord = SObjectRecord>(soql: string): AsyncIterable<T> {
    return this.pages('tooling/query', soql) as AsyncIterable<T>;
  }

  async count(soql: string, opts: { all?: boolean } = {}): Promise<number> {
    const kind = opts.all ? 'queryAll' : 'query';
    const page = (await this.call(`SOQL ${kind} failed`, () =>
      this.get(`/${kind}?q=${encodeURIComponent(soql)}`),
    )) as QueryPage;
    return page.totalSize;
  }

  async *bulkQuery(soql: string, opts: BulkQueryOptions = {}): AsyncIterable<FlatRecord> {
    const pollMs = opts.pollIntervalMs ?? 500;
    const deadline = Date.now() + (opts.timeoutMs ?? 600_000);
    const job = (await this.call('creating a Bulk API 2.0 query job', () =>
      this.conn.request<{ id: string; state: string }>({
        method: 'POST',
        url: '/jobs/query',
        body: JSON.stringify({ operation: opts.all ? 'queryAll' : 'query', query: soql }),
        headers: { 'content-type': 'application/json; charset=utf-8' },
      }),
    )) as { id: string; state: string };
    try {
      let state = job.state;
      while (state !== 'JobComplete') {
        if (state === 'Failed' || state === 'Aborted') {
          const info = (await this.call('reading the Bulk query job', () => this.get(`/jobs/query/${job.id}`))) as {
            errorMessage?: string;
          };
          throw new OrgApiError(
            `Bulk API 2.0 query job ${job.id} ${state.toLowerCase()}${info.errorMessage ? `: ${info.errorMessage}` : ''}`,
            `JOB_${state.toUpperCase()}`,
          );
        }
        if (Date.now() > deadline) throw new OrgApiError(`Bulk API 2.0 query job ${job.id} timed out`, 'JOB_TIMEOUT');
        await sleep(pollMs);
        const info = (await this.call('polling the Bulk query job', () => this.get(`/jobs/query/${job.id}`))) as {
          state: string;
        };
        state = info.state;
      }
      let locator: string | null = null;
      do {
        const page = await this.resultsPage(job.id, locator, opts.pageSize ?? 10_000);
        for (const row of page.rows) yield row;
        locator = page.locator;
      } while (locator);
    } finally {
      // A finished job's results stay in the org for 7 days; remove them unless told to keep them (best effort,
      // never masks an error). Keeping them saves one call per query.
      if (!opts.keepJob) {
        await this.conn.request({ method: 'DELETE', url: `/jobs/query/${job.id}` }).catch(() => undefined);
      }
    }
  }

  /**
   * One page of Bulk 2.0 query results, fetched by lockout (jsforce's multi-page reader crashes, see
   * salesforce-api.md §0.2). Retried like every read; a 401 refreshes the session where the login mode allows.
   */
  private async resultsPage(
    jobId: string,
    locator: string | null,
    pageSize: number,
  ): Promise<{ rows: FlatRecord[]; locator: string | null }> {
    const url = new URL(`/services/data/v${this.apiVersion}/jobs/query/${jobId}/results`, this.instanceUrl);
    url.searchParams.set('maxRecords', String(pageSize));
    if (locator) url.searchParams.set('locator', locator);
    const what = `reading Bulk API 2.0 results of job ${jobId}`;
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      this.beforeCall();
      const started = Date.now();
      let res: Response;
      try {
        res = await fetch(url, {
          headers: { Authorization: `Bearer ${this.conn.accessToken}`, Accept: 'text/csv' },
        });
      } catch (e) {
        if (attempt < this.retry.maxRetries) {
          await sleep(this.retry.baseMs * 2 ** attempt);
          continue;
        }
        throw toOrgError(e, what, { instanceUrl: this.instanceUrl });
      }
      if (res.status === 401 && !refreshed && this.conn._refreshDelegate) {
        await res.text();
        refreshed = true;
        await this.call(what, () => this.conn._refreshDelegate!.refresh(started));
        continue;
      }
      if (RETRY_STATUS.includes(res.status) && attempt < this.retry.maxRetries) {
        await res.text();
        await sleep(this.retry.baseMs * 2 ** attempt);
        continue;
      }
      const text = await res.text();
      if (!res.ok) {
        let err: { errorCode?: string; message?: string } = { errorCode: `ERROR_HTTP_${res.status}`, message: text };
        try {
          const body = JSON.parse(text) as unknown;
          const first = (Array.isArray(body) ? body[0] : body) as typeof err;
          if (first?.errorCode) err = first;
        } catch {
          /* not JSON: keep the text */
        }
        throw toOrgError(err, what, { instanceUrl: this.instanceUrl, canRefresh: this.canRefresh });
      }
      this.sessionWorked = true;
      const next = res.headers.get('sforce-locator');
      const rows = (
        parseCsv(text, { columns: true, skip_empty_lines: true, bom: true }) as Record<string, string>[]
      ).map((row) => {
        const out: FlatRecord = {};
        for (const [k, v] of Object.entries(row)) out[k] = v === '' ? null : v;
        return out;
      });
      // The last page carries the literal string "null"; an absent header also ends (never loop on page one).
      return { rows, locator: next && next !== 'null' ? next : null };
    }
  }

  async toolingUpdate(type: string, record: { Id: string } & Record<string, unknown>): Promise<void> {
    const { Id, ...fields } = record;
    await this.call(`updating tooling ${type} ${Id}`, () =>
      this.conn.request({
        method: 'PATCH',
        url: `/tooling/sobjects/${encodeURIComponent(type)}/${encodeURIComponent(Id)}`,
        body: JSON.stringify(fields),
        headers: { 'content-type': 'application/json' },
      }),
    );
  }

  async metadataRead(type: string, fullNames: string[]): Promise<MetadataComponent[]> {
    if (fullNames.length === 0) return [];
    const out: MetadataComponent[] = [];
    // The Metadata API reads at most 10 components per call.
    for (let i = 0; i < fullNames.length; i += 10) {
      const names = fullNames.slice(i, i + 10);
      const res = await this.readCall(`reading ${type} metadata`, () => this.conn.metadata.read(type as never, names));
      out.push(...(asArray(res as unknown as MetadataComponent | MetadataComponent[]) as MetadataComponent[]));
    }
    return out.map((c) =>
      c && typeof c.fullName === 'string' && c.fullName !== '' ? c : { ...c, fullName: undefined },
    );
  }

  async metadataUpdate(type: string, components: MetadataComponent[]): Promise<MetadataSaveResult[]> {
    const out: MetadataSaveResult[] = [];
    for (let i = 0; i < components.length; i += 10) {
      const batch = components.slice(i, i + 10) as { fullName: string }[];
      const res = await this.call(`updating ${type} metadata`, () =>
        this.conn.metadata.update(type as never, batch as never),
      );
      for (const r of asArray(res as unknown as Record<string, unknown>) as Record<string, unknown>[]) {
        out.push({
          fullName: String(r.fullName ?? ''),
          success: r.success === true || r.success === 'true',
          errors: normalizeErrors(r.errors),
        });
      }
    }
    return out;
  }

  async metadataList(type: string): Promise<MetadataFile[]> {
    const res = await this.readCall(`listing ${type} metadata`, () =>
      this.conn.metadata.list([{ type }], this.apiVersion),
    );
    return asArray(res as unknown as Record<string, unknown>[]).map((f) => ({
      fullName: String(f.fullName ?? ''),
      type: String(f.type ?? type),
      id: f.id ? String(f.id) : null,
      fileName: f.fileName ? String(f.fileName) : null,
    }));
  }

  describe(type: string): Promise<SObjectDescribe> {
    let cached = this.describes.get(type);
    if (!cached) {
      cached = this.call(`describing ${type}`, async () =>
        parseDescribe(
          (await this.get(`/sobjects/${encodeURIComponent(type)}/describe`)) as Record<string, unknown>,
          type,
        ),
      );
      this.describes.set(type, cached);
      cached.catch(() => this.describes.delete(type));
    }
    return cached;
  }

  async compositeRead(subrequests: CompositeGet[]): Promise<CompositeSubresult[]> {
    if (subrequests.length === 0) return [];
    const base = `/services/data/v${this.apiVersion}`;
    const body = {
      allOrNone: false,
      compositeRequest: subrequests.map((s) => ({
        method: 'GET',
        url: s.url.startsWith('/services/') ? s.url : `${base}${s.url}`,
        referenceId: s.referenceId,
        ...(s.httpHeaders ? { httpHeaders: s.httpHeaders } : {}),
      })),
    };
    // Every subrequest is a read: the whole call may be sent again on an outage.
    const res = (await this.readCall('composite read', () =>
      this.conn.request({
        method: 'POST',
        url: '/composite',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json' },
      }),
    )) as { compositeResponse?: CompositeSubresult[] };
    const out = res.compositeResponse ?? [];
    if (out.length !== subrequests.length) {
      throw new OrgApiError(
        `composite read: the org answered ${out.length} results for ${subrequests.length} subrequests`,
        'BAD_RESPONSE',
      );
    }
    return out;
  }

  /**
   * Send records in chunks of 200; resend only the records that failed with UNABLE_TO_LOCK_ROW (their outcome
   * is known: not saved), with backoff. Results keep input order.
   */
  private async collection(
    what: string,
    count: number,
    send: (indices: number[]) => Promise<RawSaveResult[]>,
    allOrNone: boolean,
  ): Promise<SaveResult[]> {
    const results: SaveResult[] = new Array<SaveResult>(count);
    for (let start = 0; start < count; start += COLLECTION_SIZE) {
      let pending = Array.from({ length: Math.min(COLLECTION_SIZE, count - start) }, (_, k) => start + k);
      for (let attempt = 1; pending.length; attempt++) {
        const raw = await this.call(what, () => send(pending));
        if (raw.length !== pending.length) {
          throw new OrgApiError(
            `${what}: the org answered ${raw.length} results for ${pending.length} records`,
            'BAD_RESPONSE',
          );
        }
        const retry: number[] = [];
        raw.forEach((r, k) => {
          const index = pending[k]!;
          const result: SaveResult = {
            index,
            id: r.id ? String(r.id) : null,
            success: r.success === true || r.success === 'true',
            errors: normalizeErrors(r.errors),
            attempts: attempt,
          };
          results[index] = result;
          if (isLockError(result)) retry.push(index);
        });
        if (attempt > this.retry.maxRetries || retry.length === 0) break;
        if (allOrNone) {
          // Everything was rolled back; resend the whole chunk only if locks were the only real failures.
          const real = pending.filter(
            (i) =>
              !results[i]!.success &&
              !results[i]!.errors.every((e) =>
                ['UNABLE_TO_LOCK_ROW', 'ALL_OR_NONE_OPERATION_ROLLED_BACK'].includes(e.statusCode),
              ),
          );
          if (real.length) break;
        } else {
          pending = retry;
        }
        await sleep(this.retry.baseMs * 2 ** (attempt - 1));
      }
    }
    return results;
  }

  create(type: string, records: Record<string, unknown>[], opts: { allOrNone?: boolean } = {}) {
    const allOrNone = opts.allOrNone ?? false;
    return this.collection(
      `creating ${type} records`,
      records.length,
      async (idx) =>
        (await this.conn.sobject(type).create(
          idx.map((i) => records[i]!),
          { allOrNone },
        )) as unknown as RawSaveResult[],
      allOrNone,
    );
  }

  update(type: string, records: ({ Id: string } & Record<string, unknown>)[], opts: { allOrNone?: boolean } = {}) {
    const allOrNone = opts.allOrNone ?? false;
    return this.collection(
      `updating ${type} records`,
      records.length,
      async (idx) =>
        (await this.conn.sobject(type).update(
          idx.map((i) => records[i]!),
          { allOrNone },
        )) as unknown as RawSaveResult[],
      allOrNone,
    );
  }

  delete(type: string, ids: string[], opts: { allOrNone?: boolean } = {}) {
    const allOrNone = opts.allOrNone ?? false;
    return this.collection(
      `deleting ${type} records`,
      ids.length,
      async (idx) =>
        (await this.conn.sobject(type).destroy(
          idx.map((i) => ids[i]!),
          { allOrNone },
        )) as unknown as RawSaveResult[],
      allOrNone,
    );
  }

  undelete(type: string, ids: string[]) {
    return this.collection(
      `undeleting ${type} records`,
      ids.length,
      async (idx) => asArray((await this.conn.soap.undelete(idx.map((i) => ids[i]!))) as unknown as RawSaveResult[]),
      false,
    );
  }

  async bulkIngest(
    operation: BulkOperation,
    type: string,
    records: Record<string, unknown>[],
    opts: BulkIngestOptions = {},
  ): Promise<BulkIngestResult> {
    // jsforce takes the CSV header from the first record only: give every record the same columns.
    // null -> "#N/A" (set to null), undefined -> empty cell (leave unchanged).
    const columns = [...new Set(records.flatMap((r) => Object.keys(r)))];
    const rows = records.map((r) => {
      const row: Record<string, unknown> = {};
      for (const c of columns) row[c] = r[c] === undefined ? '' : r[c];
      return row;
    });
    const job = this.conn.bulk2.createJob({
      object: type,
      operation,
      ...(opts.externalIdFieldName ? { externalIdFieldName: opts.externalIdFieldName } : {}),
    });
    const what = `Bulk API 2.0 ${operation} of ${records.length} ${type} records`;
    await this.call(`${what}: creating the job`, () => job.open());
    try {
      await this.call(`${what}: uploading`, () => job.uploadData(rows as never));
      await this.call(`${what}: closing the upload`, () => job.close());
    } catch (e) {
      await job.abort().catch(() => undefined);
      throw e;
    }
    await this.call(`${what}: waiting for job ${job.id}`, () =>
      job.poll(opts.pollIntervalMs ?? 500, opts.timeoutMs ?? 600_000),
    );
    const all = await this.call(`${what}: reading results of job ${job.id}`, () => job.getAllResults());
    const str = (r: Record<string, unknown>) => {
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(r)) if (!k.startsWith('sf__')) out[k] = v == null ? '' : String(v);
      return out;
    };
    return {
      jobId: String(job.id),
      state: 'JobComplete',
      successful: asArray(all.successfulResults as unknown as Record<string, unknown>[]).map((r) => ({
        id: String(r.sf__Id ?? ''),
        created: String(r.sf__Created) === 'true',
        record: str(r),
      })),
      failed: asArray(all.failedResults as unknown as Record<string, unknown>[]).map((r) => ({
        id: r.sf__Id ? String(r.sf__Id) : null,
        error: String(r.sf__Error ?? ''),
        record: str(r),
      })),
      unprocessed: asArray(all.unprocessedRecords as unknown as Record<string, unknown>[]).map(str),
    };
  }

  async save(
    operation: 'insert' | 'update' | 'delete',
    type: string,
    records: Record<string, unknown>[],
    opts: { threshold?: number } = {},
  ): Promise<SaveResult[]> {
    const threshold = opts.threshold ?? DEFAULT_BULK_THRESHOLD;
    if (records.length <= threshold) {
      if (operation === 'insert') return this.create(type, records);
      if (operation === 'update') return this.update(type, records as ({ Id: string } & Record<string, unknown>)[]);
      return this.delete(
        type,
        records.map((r) => String(r.Id)),
      );
    }
    const input = operation === 'delete' ? records.map((r) => ({ Id: r.Id })) : records;
    const res = await this.bulkIngest(operation, type, input);
    return mapBulkResults(operation, input, res);
  }

  async request<T = unknown>(
    method: HttpMethod,
    path: string,
    body?: unknown,
    opts: { headers?: Record<string, string> } = {},
  ): Promise<T> {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === 'string' ? body : JSON.stringify(body);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
        headers['content-type'] = typeof body === 'string' ? 'text/plain' : 'application/json';
      }
    }
    return (await this.call(`${method} ${path.split('?')[0]}`, () =>
      this.conn.request<T>({ method, url: path, body: payload, headers }),
    )) as T;
  }

  async abortBulkV1Job(jobId: string): Promise<void> {
    // Counted and budget-checked by the instrumented transport, like every other request.
    await this.call(`abort Bulk 1.0 job ${jobId}`, () => this.conn.bulk.job(jobId).abort());
  }

  async revokeToken(token: string): Promise<void> {
    registerSecret(token);
    await this.request('POST', '/services/oauth2/revoke', `token=${encodeURIComponent(token)}`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  }
}

/** An sObject describe as the REST API returns it, reduced to what lockout uses. */
export function parseDescribe(d: Record<string, unknown>, type: string): SObjectDescribe {
  const fields = asArray(d.fields as Record<string, unknown>[]).map((f): FieldDescribe => ({
    name: String(f.name),
    type: String(f.type ?? 'string'),
    label: String(f.label ?? f.name),
    nillable: f.nillable !== false,
    updateable: f.updateable === true,
    createable: f.createable === true,
    filterable: f.filterable !== false,
    relationshipName: f.relationshipName ? String(f.relationshipName) : null,
    referenceTo: asArray(f.referenceTo as string[]).map(String),
    compoundFieldName: f.compoundFieldName ? String(f.compoundFieldName) : null,
  }));
  return {
    name: String(d.name ?? type),
    label: String(d.label ?? type),
    keyPrefix: d.keyPrefix ? String(d.keyPrefix) : null,
    queryable: d.queryable !== false,
    fields,
  };
}

/** Bulk results come back in any order: match them to the input by Id, or for inserts by their column values. */
export function mapBulkResults(
  operation: string,
  input: Record<string, unknown>[],
  res: BulkIngestResult,
): SaveResult[] {
  const columns = [...new Set(input.flatMap((r) => Object.keys(r)))].sort();
  // As uploaded: null was sent as #N/A, undefined as an empty cell.
  const cell = (v: unknown) => (v === null ? '#N/A' : v === undefined ? '' : String(v));
  const keyOf = (r: Record<string, unknown>) =>
    operation === 'insert' ? JSON.stringify(columns.map((k) => cell(r[k]))) : String(r.Id ?? '').slice(0, 15);
  const byKey = new Map<string, number[]>();
  input.forEach((r, i) => {
    const k = keyOf(r);
    byKey.set(k, [...(byKey.get(k) ?? []), i]);
  });
  const results: SaveResult[] = input.map((r, index) => ({
    index,
    id: operation === 'insert' ? null : String(r.Id ?? ''),
    success: false,
    errors: [{ statusCode: 'UNPROCESSED', message: 'the Bulk job did not process this record', fields: [] }],
    attempts: 1,
  }));
  const take = (rec: Record<string, string>) => {
    const list = byKey.get(keyOf(rec));
    return list?.shift();
  };
  for (const s of res.successful) {
    const i = take(s.record);
    if (i !== undefined) results[i] = { index: i, id: s.id || null, success: true, errors: [], attempts: 1 };
  }
  for (const f of res.failed) {
    const i = take(f.record);
    if (i === undefined) continue;
    const [statusCode = 'UNKNOWN', message = f.error] = f.error.split(':');
    results[i] = {
      index: i,
      id: f.id ?? results[i]!.id,
      success: false,
      errors: [{ statusCode, message: message.trim(), fields: [] }],
      attempts: 1,
    };
  }
  return results;
}

export { errorCodeOf };
