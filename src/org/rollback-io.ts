import type { OrgClient, SObjectDescribe, SObjectRecord } from './client.js';
import { OrgApiError } from './errors.js';
import { UsageError } from '../errors.js';
import { normalizeRecord, type Rec, type SfValue } from '../rollback/records.js';
import type { HistoryRow, ScopedRecord } from '../rollback/plan.js';

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

/** Ids of users by username (unknown usernames are returned separately). */
export async function userIdsByUsername(
  client: OrgClient,
  usernames: readonly string[],
): Promise<{ ids: Map<string, string>; unknown: string[] }> {
  const ids = new Map<string, string>();
  for (const part of chunks([...new Set(usernames)], 200)) {
    const soql = `SELECT Id, Username FROM User WHERE Username IN (${part.map(soqlString).join(', ')})`;
    for await (const u of client.query(soql)) ids.set(String(u.Username).toLowerCase(), String(u.Id));
  }
  return { ids, unknown: usernames.filter((u) => !ids.has(u.toLowerCase())) };
}

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
}

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

/** Read the records in scope for one object, and the History rows from the window start on (every user). */
export async function gatherScope(client: OrgClient, req: GatherRequest): Promise<Gathered> {
  const describe = await describeObject(client, req.object);
  const fieldNames = new Map(describe.fields.map((f) => [f.name.toLowerCase(), f]));
  const has = (f: string) => fieldNames.has(f.toLowerCase());
  const updateable = new Set(describe.fields.filter((f) => f.updateable).map((f) => f.name));
  const integ = new Set(req.userIds);

  const history: HistoryRow[] = [];
  if (req.since && req.userIds.length) {
    const { name, parentField } = historyNames(req.object);
    const soql =
      `SELECT Id, ${parentField}, Field, OldValue, NewValue, CreatedById, CreatedDate FROM ${name} ` +
      `WHERE CreatedDate >= ${soqlDateTime(req.since)} ORDER BY CreatedDate, Id`;
    try {
      for await (const h of client.query(soql, { batchSize: 2000 })) {
        history.push({
          id: String(h.Id),
          recordId: String(h[parentField]),
          field: String(h.Field),
          oldValue: (h.OldValue ?? null) as SfValue,
          newValue: (h.NewValue ?? null) as SfValue,
          createdById: String(h.CreatedById),
          createdDate: String(h.CreatedDate),
        });
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
    const soql = `SELECT ${fieldList} FROM ${req.object} WHERE LastModifiedDate >= ${soqlDateTime(req.since)} ORDER BY Id`;
    for await (const raw of client.query(soql, { batchSize: 2000 })) {
      const r = toScoped(raw, flagged.has(String(raw.Id)));
      const created = !!r.createdById && integ.has(r.createdById) && inWindow(r.createdDate);
      const lastByInteg = !!r.lastModifiedById && integ.has(r.lastModifiedById) && inWindow(r.lastModifiedDate);
      if (created || lastByInteg || touched.has(r.id) || r.flagged) byId.set(r.id, r);
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
