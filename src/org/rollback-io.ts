import type {
  CompositeGet,
  CompositeSubresult,
  FlatRecord,
  OrgClient,
  SObjectDescribe,
  SObjectRecord,
} from './client.js';
import { parseDescribe } from './jsforce-client.js';
import { OrgApiError } from './errors.js';
import { UsageError } from '../errors.js';
import { normalizeRecord, type Rec, type SfValue } from '../rollback/records.js';
import { BULK_QUERY_CALLS, type HistoryRow, type ScopedRecord } from '../rollback/plan.js';

/**
 * Rollback-specific reads over the OrgClient: which records an integration created or changed in a window, their
 * History rows, and re-reads for verification and resume. No decisions here (those are in src/rollback/plan.ts).
 */

/** The History object and its parent field for an object (salesforce-api.md §4). */
export function historyNames(type: string): { name: string; parentField: string } {
  if (type === 'Opportunity') return { name: 'OpportunityFieldHistory', parentField: 'OpportunityId' };
  if (type.endsWith('__c')) return { name: `${type.slice(0, -3)}__History`, parentField: 'ParentId' };
  return { name: `${type}History`, parentField: `${type}Id` };
}

/** A SOQL datetime literal (whole seconds, UTC). */
export const soqlDateTime = (iso: string): string => new Date(iso).toISOString().replace(/\.\d{3}Z$/, 'Z');

export const soqlString = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

const chunks = <T>(list: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
};

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export interface GatherRequest {
  object: string;
  /** Integration user ids whose changes are rolled back. */
  userIds: readonly string[];
  since: string | null;
  until: string | null;
  /** Records named by the scanner. */
  flaggedIds: readonly string[];
  /** Fields to read besides the changed ones (quarantine field, snapshot fields). */
  extraFields: readonly string[];
  /** Read Account.Name too (protected accounts named by name). */
  accountNames: boolean;
  /** How to read large sets: `auto` (Bulk 2.0 query when it takes fewer calls); `rest`/`bulk` force one (tests). */
  readMode?: ReadMode;
}

/** Where large reads go: REST query pages, Bulk 2.0 query jobs, or whichever takes fewer calls. */
export type ReadMode = 'auto' | 'rest' | 'bulk';

export interface Gathered {
  records: ScopedRecord[];
  history: HistoryRow[];
  /** Updateable fields by name (describe), for validating what the plan writes. */
  updateable: Set<string>;
  fieldsRead: string[];
}

function isMissingObject(e: unknown): boolean {
  return e instanceof OrgApiError && ['INVALID_TYPE', 'NOT_FOUND'].includes(e.code);
}

/** Describe an object named by --object; an object the org does not have is bad input (exit 2), not an org error. */
export async function describeObject(client: OrgClient, object: string): Promise<SObjectDescribe> {
  try {
    return await client.describe(object);
  } catch (e) {
    if (isMissingObject(e)) throw new UsageError(`--object ${object}: the org has no such sObject type`);
    throw e;
  }
}

/** Records per REST query page (the maximum `batchSize`). */
export const REST_PAGE = 2000;
/** Result rows per Bulk 2.0 query page (`maxRecords`): large, so that a rollback's reads arrive in one page. */
const BULK_PAGE = 100_000;

/** Whether a Bulk 2.0 query (BULK_QUERY_CALLS calls) beats `pages` more REST query pages. */
export const bulkQueryPays = (pages: number): boolean => pages > BULK_QUERY_CALLS;

interface QueryPage {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: SObjectRecord[];
}

/** What one composite call reads before anything else: user ids, and per object its describe and History page 1. */
export interface ScopeStart {
  userIds: Map<string, string>;
  unknownUsers: string[];
  describes: Map<string, SObjectDescribe>;
  /** First REST page of each object's History query (absent: no History read, or the object has no History). */
  historyPages: Map<string, QueryPage>;
}

/** The History query of `gatherScope` (every user, from the window start on). */
function historySoql(object: string, since: string, ordered: boolean): string {
  const { name, parentField } = historyNames(object);
  return (
    `SELECT Id, ${parentField}, Field, OldValue, NewValue, CreatedById, CreatedDate FROM ${name} ` +
    `WHERE CreatedDate >= ${soqlDateTime(since)}${ordered ? ' ORDER BY CreatedDate, Id' : ''}`
  );
}

/** A failed composite subrequest as the error the same call made alone would give (`what` names the read). */
const errorOf = (r: CompositeSubresult, what: string): OrgApiError => {
  const first = (Array.isArray(r.body) ? r.body[0] : r.body) as { errorCode?: string; message?: string } | undefined;
  const code = first?.errorCode ?? `ERROR_HTTP_${r.httpStatusCode}`;
  return new OrgApiError(`${what} failed: ${code}: ${first?.message ?? `HTTP ${r.httpStatusCode}`}`, code);
};

/**
 * Start reading a rollback scope in as few calls as possible: the users query, every object's describe and the first
 * page of its History query go out together in composite calls (one call for up to 4 objects). An object the org
 * does not have is bad input (exit 2).
 */
export async function startScope(
  client: OrgClient,
  req: { usernames: readonly string[]; objects: readonly string[]; since: string | null },
): Promise<ScopeStart> {
  const subs: { sub: CompositeGet; query: boolean }[] = [];
  const names = [...new Set(req.usernames)];
  chunks(names, 200).forEach((part, i) =>
    subs.push({
      sub: {
        referenceId: `users${i}`,
        url: `/query?q=${encodeURIComponent(`SELECT Id, Username FROM User WHERE Username IN (${part.map(soqlString).join(', ')})`)}`,
      },
      query: true,
    }),
  );
  req.objects.forEach((object, i) => {
    subs.push({
      sub: { referenceId: `describe${i}`, url: `/sobjects/${encodeURIComponent(object)}/describe` },
      query: false,
    });
    if (req.since && names.length) {
      subs.push({
        sub: {
          referenceId: `history${i}`,
          url: `/query?q=${encodeURIComponent(historySoql(object, req.since, true))}`,
          httpHeaders: { 'Sforce-Query-Options': `batchSize=${REST_PAGE}` },
        },
        query: true,
      });
    }
  });
  // Composite limits: 25 subrequests, 5 of them queries.
  const calls: CompositeGet[][] = [];
  let cur: CompositeGet[] = [];
  let queries = 0;
  for (const { sub, query } of subs) {
    if (cur.length === 25 || (query && queries === 5)) {
      calls.push(cur);
      cur = [];
      queries = 0;
    }
    cur.push(sub);
    if (query) queries += 1;
  }
  if (cur.length) calls.push(cur);
  const results = new Map<string, CompositeSubresult>();
  for (const c of calls) for (const r of await client.compositeRead(c)) results.set(r.referenceId, r);

  const out: ScopeStart = { userIds: new Map(), unknownUsers: [], describes: new Map(), historyPages: new Map() };
  for (let i = 0; results.has(`users${i}`); i += 1) {
    const r = results.get(`users${i}`)!;
    if (r.httpStatusCode >= 400) throw errorOf(r, 'reading the users named by --user');
    for (const u of (r.body as QueryPage).records ?? [])
      out.userIds.set(String(u.Username).toLowerCase(), String(u.Id));
  }
  out.unknownUsers = names.filter((u) => !out.userIds.has(u.toLowerCase()));
  req.objects.forEach((object, i) => {
    const d = results.get(`describe${i}`)!;
    if (d.httpStatusCode >= 400) {
      const e = errorOf(d, `describing ${object}`);
      if (isMissingObject(e)) throw new UsageError(`--object ${object}: the org has no such sObject type`);
      throw e;
    }
    out.describes.set(object, parseDescribe(d.body as Record<string, unknown>, object));
    const h = results.get(`history${i}`);
    if (!h) return;
    if (h.httpStatusCode >= 400) {
      const e = errorOf(h, `reading ${historyNames(object).name}`);
      if (!isMissingObject(e)) throw e;
      return;
    }
    out.historyPages.set(object, h.body as QueryPage);
  });
  return out;
}

/**
 * Calls gatherScope will still make after startScope, per object: the rest of the History (REST pages or one Bulk
 * query, whichever is fewer) and the records (about one row per History row at most). An estimate for the budget
 * check; ids named only by --from-scan add one call per 200.
 */
export function scopeReadCalls(
  start: ScopeStart,
  objects: readonly string[],
  flagged: Record<string, string[]>,
): number {
  let calls = 0;
  for (const object of objects) {
    const first = start.historyPages.get(object);
    const rest = first && !first.done ? first.totalSize - first.records.length : 0;
    calls += Math.min(Math.ceil(rest / Math.max(1, first?.records.length ?? 0)), BULK_QUERY_CALLS);
    if (first) calls += Math.min(Math.max(1, Math.ceil(first.totalSize / REST_PAGE)), BULK_QUERY_CALLS);
    calls += Math.ceil((flagged[object]?.length ?? 0) / 200);
  }
  return calls;
}

/** A Bulk CSV cell (text; empty = null) as the REST API types it, by the field's describe type. */
function typed(type: string | undefined, v: string | null): SfValue {
  if (v === null) return null;
  switch (type) {
    case 'boolean':
      return v.toLowerCase() === 'true';
    case 'int':
    case 'double':
    case 'currency':
    case 'percent':
    case 'long': {
      const n = Number(v);
      return Number.isFinite(n) ? n : v;
    }
    case 'datetime':
      // REST writes datetimes as 2024-05-01T12:34:56.000+0000, Bulk CSV as ...Z.
      return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(v) ? `${v.slice(0, -1)}+0000` : v;
    default:
      return v;
  }
}

/**
 * Run a Bulk read; in `auto` mode, when the org refuses or fails the job (an org error, not the API budget), run the
 * REST read instead (it starts from scratch: `rest` clears what the Bulk read had collected).
 */
async function bulkOrRest(mode: ReadMode, bulk: () => Promise<void>, rest: () => Promise<void>): Promise<void> {
  try {
    await bulk();
  } catch (e) {
    const fatal = ['INVALID_SESSION_ID', 'REQUEST_LIMIT_EXCEEDED'];
    if (mode !== 'auto' || !(e instanceof OrgApiError) || fatal.includes(e.code)) throw e;
    await rest();
  }
}

/** Rows of a Bulk 2.0 query, job kept (one call less), results in one page where the org allows. */
function bulkRows(client: OrgClient, soql: string): AsyncIterable<FlatRecord> {
  return client.bulkQuery(soql, { pageSize: BULK_PAGE, keepJob: true });
}

/**
 * Read the records in scope for one object, and the History rows from the window start on (every user). `start`
 * holds the describe and the first History page (startScope). Large reads go through Bulk 2.0 query jobs when that
 * takes fewer calls than REST pages of 2,000.
 */
export async function gatherScope(client: OrgClient, req: GatherRequest, start?: ScopeStart): Promise<Gathered> {
  const describe = start?.describes.get(req.object) ?? (await describeObject(client, req.object));
  const fieldNames = new Map(describe.fields.map((f) => [f.name.toLowerCase(), f]));
  const has = (f: string) => fieldNames.has(f.toLowerCase());
  const typeOf = (f: string) => fieldNames.get(f.toLowerCase())?.type;
  const updateable = new Set(describe.fields.filter((f) => f.updateable).map((f) => f.name));
  const integ = new Set(req.userIds);
  const { parentField } = historyNames(req.object);

  const history: HistoryRow[] = [];
  const addHistory = (h: Record<string, unknown>) =>
    history.push({
      id: String(h.Id),
      recordId: String(h[parentField]),
      field: String(h.Field),
      oldValue: (h.OldValue ?? null) as SfValue,
      newValue: (h.NewValue ?? null) as SfValue,
      createdById: String(h.CreatedById),
      createdDate: String(h.CreatedDate),
    });
  if (req.since && req.userIds.length) {
    try {
      const first = start?.historyPages.get(req.object);
      const restRest = first && !first.done && first.nextRecordsUrl ? first.totalSize - first.records.length : 0;
      const mode = req.readMode ?? 'auto';
      const pages = Math.ceil(restRest / Math.max(1, first?.records.length ?? 0));
      const restPages = async (from: QueryPage) => {
        let page = from;
        for (;;) {
          for (const h of page.records ?? []) addHistory(h);
          if (page.done || !page.nextRecordsUrl) break;
          page = await client.request<QueryPage>('GET', page.nextRecordsUrl, undefined, {
            headers: { 'Sforce-Query-Options': `batchSize=${REST_PAGE}` },
          });
        }
      };
      if (first && (mode === 'bulk' || (mode === 'auto' && bulkQueryPays(pages)))) {
        // Read it all again as one Bulk job (cheaper than the REST pages left); sorted here, since ORDER BY would
        // turn off the job's PK chunking. Where the org refuses the job (e.g. no Bulk API), REST pages instead.
        await bulkOrRest(
          mode,
          async () => {
            for await (const h of bulkRows(client, historySoql(req.object, req.since!, false))) {
              const type = typeOf(String(h.Field));
              addHistory({
                ...h,
                OldValue: typed(type, h.OldValue ?? null),
                NewValue: typed(type, h.NewValue ?? null),
                CreatedDate: typed('datetime', h.CreatedDate ?? null),
              });
            }
            history.sort((a, b) =>
              a.createdDate === b.createdDate
                ? a.id < b.id
                  ? -1
                  : 1
                : Date.parse(a.createdDate) - Date.parse(b.createdDate),
            );
          },
          async () => {
            history.length = 0;
            await restPages(first);
          },
        );
      } else if (first) {
        await restPages(first);
      } else if (!start) {
        for await (const h of client.query(historySoql(req.object, req.since, true), { batchSize: REST_PAGE })) {
          addHistory(h);
        }
      }
    } catch (e) {
      if (!isMissingObject(e)) throw e;
    }
  }

  const inWindow = (t: unknown) => {
    if (typeof t !== 'string') return false;
    const ms = Date.parse(t);
    return (!req.since || ms >= Date.parse(req.since)) && (!req.until || ms <= Date.parse(req.until));
  };
  const touched = new Set(
    history.filter((h) => integ.has(h.createdById) && inWindow(h.createdDate)).map((h) => h.recordId),
  );
  const changedFields = new Set(
    history.filter((h) => integ.has(h.createdById) && inWindow(h.createdDate)).map((h) => h.field),
  );

  const wanted = new Set(['Id', 'CreatedById', 'CreatedDate', 'LastModifiedById', 'LastModifiedDate']);
  for (const f of [...changedFields, ...req.extraFields])
    if (has(f) && !f.includes('.')) wanted.add(fieldNames.get(f.toLowerCase())!.name);
  if (has('AccountId')) wanted.add('AccountId');
  if (req.object === 'Account' && has('Name')) wanted.add('Name');
  const select = [...wanted];
  if (req.accountNames && has('AccountId')) select.push('Account.Name');
  const fieldList = select.join(', ');

  const toScoped = (raw: SObjectRecord, flagged: boolean): ScopedRecord => {
    const rec = normalizeRecord(raw);
    const current: Rec = {};
    for (const f of wanted) if (f in rec) current[f] = rec[f] ?? null;
    return {
      object: req.object,
      id: String(rec.Id),
      current,
      createdById: str(rec.CreatedById),
      createdDate: str(rec.CreatedDate),
      lastModifiedById: str(rec.LastModifiedById),
      lastModifiedDate: str(rec.LastModifiedDate),
      accountId: req.object === 'Account' ? String(rec.Id) : str(rec.AccountId),
      accountName: req.object === 'Account' ? str(rec.Name) : str(rec['Account.Name']),
      flagged,
    };
  };

  const byId = new Map<string, ScopedRecord>();
  const flagged = new Set(req.flaggedIds);
  if (req.since && req.userIds.length) {
    const where = `WHERE LastModifiedDate >= ${soqlDateTime(req.since)}`;
    const keep = (r: ScopedRecord) => {
      const created = !!r.createdById && integ.has(r.createdById) && inWindow(r.createdDate);
      const lastByInteg = !!r.lastModifiedById && integ.has(r.lastModifiedById) && inWindow(r.lastModifiedDate);
      if (created || lastByInteg || touched.has(r.id) || r.flagged) byId.set(r.id, r);
    };
    // Every record the integration touched was modified since the window start: at least that many rows come back.
    const mode = req.readMode ?? 'auto';
    const rest = async () => {
      byId.clear();
      for await (const raw of client.query(`SELECT ${fieldList} FROM ${req.object} ${where} ORDER BY Id`, {
        batchSize: REST_PAGE,
      })) {
        keep(toScoped(raw, flagged.has(String(raw.Id))));
      }
    };
    if (mode === 'bulk' || (mode === 'auto' && bulkQueryPays(Math.ceil(touched.size / REST_PAGE)))) {
      await bulkOrRest(
        mode,
        async () => {
          for await (const row of bulkRows(client, `SELECT ${fieldList} FROM ${req.object} ${where}`)) {
            const raw: SObjectRecord = {};
            for (const [k, v] of Object.entries(row)) raw[k] = k.includes('.') ? v : typed(typeOf(k), v);
            keep(toScoped(raw, flagged.has(String(raw.Id))));
          }
        },
        rest,
      );
    } else {
      await rest();
    }
  }
  const missing = [...new Set([...req.flaggedIds, ...touched])].filter((id) => !byId.has(id));
  for (const part of chunks(missing, 200)) {
    const soql = `SELECT ${fieldList} FROM ${req.object} WHERE Id IN (${part.map(soqlString).join(', ')})`;
    for await (const raw of client.query(soql)) byId.set(String(raw.Id), toScoped(raw, flagged.has(String(raw.Id))));
  }
  // Records that were touched or flagged but are gone (deleted since): planned as "no longer exists".
  for (const id of missing) {
    if (!byId.has(id)) byId.set(id, { object: req.object, id, current: null, flagged: flagged.has(id) });
  }
  return { records: [...byId.values()], history, updateable, fieldsRead: select };
}

/**
 * Re-read what a run wrote, to verify it. Every record the run updated, deleted or undeleted got a SystemModstamp at
 * or after `modifiedSince`, so when it takes fewer calls than retrieving them by id, ONE Bulk 2.0 `queryAll` over that
 * window (deleted rows included, IsDeleted=true) answers for all of them (filtered here to `ids`). Any id it does not
 * return (e.g. clock skew, or hard-deleted from the recycle bin) is re-read by id (rereadRecords), so the answer is
 * the same either way: the current record, or null when it no longer exists (deleted).
 */
export async function rereadWritten(
  client: OrgClient,
  object: string,
  ids: readonly string[],
  fields: readonly string[],
  modifiedSince: string,
  opts: { mode?: ReadMode } = {},
): Promise<Map<string, Rec | null>> {
  const out = new Map<string, Rec | null>();
  const mode = opts.mode ?? 'auto';
  if (mode === 'bulk' || (mode === 'auto' && bulkQueryPays(Math.ceil(ids.length / 2000)))) {
    const want = new Set(ids);
    const select = [...new Set(['Id', 'IsDeleted', ...fields])];
    const soql = `SELECT ${select.join(', ')} FROM ${object} WHERE SystemModstamp >= ${soqlDateTime(modifiedSince)}`;
    await bulkOrRest(
      mode,
      async () => {
        for await (const row of client.bulkQuery(soql, { all: true, pageSize: BULK_PAGE, keepJob: true })) {
          const id = String(row.Id);
          if (!want.has(id)) continue;
          const { IsDeleted, ...rec } = row;
          out.set(id, String(IsDeleted).toLowerCase() === 'true' ? null : (rec as Rec));
        }
      },
      // Whatever the job did not answer is re-read by id below.
      async () => undefined,
    );
  }
  const rest = ids.filter((id) => !out.has(id));
  if (rest.length) for (const [id, rec] of await rereadRecords(client, object, rest, fields)) out.set(id, rec);
  return out;
}

/**
 * Re-read records by id: current values of `fields`, and whether each still exists (not deleted). Uses
 * Collections retrieve (2000 ids per call) and falls back to SOQL `Id IN` (300 ids per call) where retrieve is
 * not available.
 */
export async function rereadRecords(
  client: OrgClient,
  object: string,
  ids: readonly string[],
  fields: readonly string[],
): Promise<Map<string, Rec | null>> {
  const out = new Map<string, Rec | null>();
  const select = [...new Set(['Id', ...fields])];
  let useQuery = false;
  for (const part of chunks(ids, 2000)) {
    if (!useQuery) {
      try {
        const res = await client.request<(SObjectRecord | null)[]>('POST', `/composite/sobjects/${object}`, {
          ids: part,
          fields: select,
        });
        part.forEach((id, i) => {
          const r = res[i];
          out.set(id, r && r.Id ? normalizeRecord(r) : null);
        });
        continue;
      } catch (e) {
        if (
          !(e instanceof OrgApiError) ||
          !['NOT_FOUND', 'METHOD_NOT_ALLOWED', 'ERROR_HTTP_404', 'ERROR_HTTP_405'].includes(e.code)
        )
          throw e;
        useQuery = true;
      }
    }
    for (const small of chunks(part, 300)) {
      for (const id of small) out.set(id, null);
      const soql = `SELECT ${select.join(', ')} FROM ${object} WHERE Id IN (${small.map(soqlString).join(', ')})`;
      for await (const raw of client.query(soql)) out.set(String(raw.Id), normalizeRecord(raw));
    }
  }
  return out;
}

interface IngestJobInfo {
  id: string;
  object: string;
  state: string;
  createdById?: string;
  createdDate?: string;
  jobType?: string;
}

const TERMINAL = new Set(['JobComplete', 'Failed', 'Aborted']);

/**
 * Before reading back a Bulk 2.0 batch that was in flight when lockout died: find this user's ingest jobs on
 * `objects` created since the run began; abort those never closed (Open: nothing was processed), and wait for
 * those still processing (UploadComplete, InProgress) to reach a final state.
 */
export async function settleIngestJobs(
  client: OrgClient,
  opts: { objects: ReadonlySet<string>; since: string; userId: string; pollMs?: number; timeoutMs?: number },
): Promise<{ waited: string[]; aborted: string[] }> {
  const list = await client.request<{ records?: IngestJobInfo[] }>('GET', '/jobs/ingest');
  const mine = (list.records ?? []).filter(
    (j) =>
      opts.objects.has(j.object) &&
      (j.jobType ?? 'V2Ingest') === 'V2Ingest' &&
      (!j.createdById || j.createdById === opts.userId) &&
      (!j.createdDate || Date.parse(j.createdDate.replace(/\+0000$/, 'Z')) >= Date.parse(opts.since) - 60_000) &&
      !TERMINAL.has(j.state),
  );
  const waited: string[] = [];
  const aborted: string[] = [];
  const deadline = Date.now() + (opts.timeoutMs ?? 10 * 60_000);
  for (const job of mine) {
    if (job.state === 'Open') {
      await client.request('PATCH', `/jobs/ingest/${job.id}`, { state: 'Aborted' });
      aborted.push(job.id);
      continue;
    }
    waited.push(job.id);
    for (;;) {
      const info = await client.request<IngestJobInfo>('GET', `/jobs/ingest/${job.id}`);
      if (TERMINAL.has(info.state)) break;
      if (Date.now() > deadline) {
        throw new OrgApiError(`Bulk 2.0 job ${job.id} is still ${info.state} after waiting`, 'JOB_NOT_COMPLETE', {
          hint: 'run the same --resume again later',
        });
      }
      await new Promise((r) => setTimeout(r, opts.pollMs ?? 1000));
    }
  }
  return { waited, aborted };
}
