/*
 * Bulk API 2.0 (ingest and query jobs) and the Bulk API 1.0 job resource, as salesforce-api.md §5 describes.
 *
 *   POST   /services/data/vNN.N/jobs/ingest                 create {object, operation, externalIdFieldName?, ...}
 *   PUT    /services/data/vNN.N/jobs/ingest/:id/batches     upload CSV (once, only while Open)
 *   PATCH  /services/data/vNN.N/jobs/ingest/:id             {"state":"UploadComplete"|"Aborted"}
 *   GET    /services/data/vNN.N/jobs/ingest/:id[/successfulResults|/failedResults|/unprocessedrecords]
 *   DELETE /services/data/vNN.N/jobs/ingest/:id
 *   POST   /services/data/vNN.N/jobs/query                  {query, operation: query|queryAll}
 *   GET    /services/data/vNN.N/jobs/query/:id[/results?locator=&maxRecords=]
 *   PATCH/DELETE /services/data/vNN.N/jobs/query/:id
 *   GET    /services/data/vNN.N/jobs/ingest | /jobs/query   list jobs (V2 and Bulk 1.0 "Classic")
 *   POST/GET /services/async/NN.N/job[/:id]                  Bulk 1.0 job create / info / close / abort (XML)
 *   POST   /__emulator/bulk/config                           {pollsInProgress?, failedRowsCarryId?}
 *   POST   /__emulator/bulk/jobs/:id                         force {state, errorMessage?} (tests)
 *
 * Jobs live in `state.ext.bulk2` (persisted with the state). Ingest rows are written through OrgState as the
 * job's creator, so they stamp that user, write History and meet the same validation as REST writes.
 * Query jobs run through the core's SOQL runner when the job is created (a snapshot), and their results
 * are paged by an opaque, stable locator; the page size is `maxRecords` or `state.options.bulkPageSize`.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { parseQuery, type FieldType as SoqlFieldType, type Query } from '@jetstreamapp/soql-parser-js';
import { bulkDateTime, runSoql } from './soql.js';
import { ApiError, RecordError } from './errors.js';
import { makeId, normalizeId } from './ids.js';
import { bulkV1Error, csv, escapeXml, json, noContent, xml, type Req, type Res, type Router } from './router.js';
import type { FieldDef } from './schema.js';
import type { OrgState, Rec, Value } from './state.js';
import type { LoadedSeed } from './seed.js';

// ------------------------------------------------------------------ pure CSV helpers

export const DELIMITERS: Record<string, string> = {
  COMMA: ',',
  TAB: '\t',
  PIPE: '|',
  SEMICOLON: ';',
  CARET: '^',
  BACKQUOTE: '`',
};

/**
 * Serialise rows as Bulk CSV: every value double-quoted (jsforce splits on `,;|^\t` and backquote at once, so
 * an unquoted `;` would break a value), quotes doubled, rows joined by the job's line ending.
 */
export function toCsv(rows: readonly (readonly string[])[], delimiter = ',', lineEnding: 'LF' | 'CRLF' = 'LF'): string {
  const eol = lineEnding === 'CRLF' ? '\r\n' : '\n';
  return (
    rows.map((r) => r.map((v) => `"${v.replace(/"/g, '""')}"`).join(delimiter)).join(eol) + (rows.length ? eol : '')
  );
}

/** Parse an uploaded CSV into header and rows; throws Error with a one-line reason for a malformed file. */
export function parseUpload(text: string, delimiter = ','): { header: string[]; rows: string[][] } {
  const all = parseCsv(text, { delimiter, bom: true, skip_empty_lines: true, relax_column_count: false }) as string[][];
  const [header, ...rows] = all;
  if (!header || header.length === 0 || header.every((h) => h.trim() === ''))
    throw new Error('Empty CSV (no header row)');
  return { header: header.map((h) => h.trim()), rows };
}

/** The Bulk error cell: `STATUS_CODE:message:field1,field2 --` (salesforce-api.md §5.4). */
export function bulkErrorCell(statusCode: string, message: string, fields: readonly string[] = []): string {
  return fields.length ? `${statusCode}:${message}:${fields.join(',')} --` : `${statusCode}:${message}:--`;
}

/** Opaque, stable locator for a result offset (base64 of the offset, as Salesforce's look: `MTAwMDA`). */
export function encodeLocator(offset: number): string {
  return Buffer.from(String(offset)).toString('base64').replace(/=+$/, '');
}

export function decodeLocator(loc: string): number | null {
  const s = Buffer.from(loc, 'base64').toString('utf8');
  return /^\d+$/.test(s) ? Number(s) : null;
}

/** A wire value as a Bulk CSV cell: null -> empty, datetimes in `...000Z` form, booleans/numbers as text. */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') {
    const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3})\+0000$/.exec(v);
    return m ? `${m[1]}Z` : v;
  }
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** Refuse what Bulk API 2.0 query does not support (aggregates, GROUP BY, OFFSET, subqueries, TYPEOF). */
export function checkBulkQuery(soql: string): void {
  const q: Query = parseQuery(soql);
  if (q.groupBy || q.having) throw new ApiError(400, 'API_ERROR', 'GROUP BY is not supported by Bulk API 2.0 query');
  if (q.offset !== undefined) throw new ApiError(400, 'API_ERROR', 'OFFSET is not supported by Bulk API 2.0 query');
  for (const f of (q.fields ?? []) as SoqlFieldType[]) {
    if (f.type === 'FieldFunctionExpression') {
      throw new ApiError(400, 'API_ERROR', 'Aggregate queries are not supported by Bulk API 2.0 query');
    }
    if (f.type === 'FieldSubquery') {
      throw new ApiError(400, 'API_ERROR', 'Parent-to-child subqueries are not supported by Bulk API 2.0 query');
    }
    if (f.type === 'FieldTypeof') throw new ApiError(400, 'API_ERROR', 'TYPEOF is not supported by Bulk API 2.0 query');
  }
}

// ------------------------------------------------------------------ job store

export type JobType = 'V2Ingest' | 'V2Query' | 'Classic';
export type JobState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted' | 'Closed';

export interface BulkJob {
  id: string;
  jobType: JobType;
  operation: string;
  object: string;
  createdById: string;
  createdDate: string;
  systemModstamp: string;
  state: JobState;
  externalIdFieldName?: string;
  assignmentRuleId?: string;
  query?: string;
  concurrencyMode: 'Parallel' | 'Serial';
  contentType: 'CSV' | 'XML' | 'JSON';
  apiVersion: number;
  lineEnding: 'LF' | 'CRLF';
  columnDelimiter: string;
  numberRecordsProcessed: number;
  numberRecordsFailed: number;
  retries: number;
  totalProcessingTime: number;
  apiActiveProcessingTime: number;
  apexProcessingTime: number;
  errorMessage?: string;
  /** Polls still to answer InProgress before the job shows its final state. */
  pendingPolls: number;
  finalState?: JobState;
  upload?: { header: string[]; rows: string[][] };
  results?: { successful: string[][]; failed: string[][]; unprocessed: string[][] };
  /** Query results: header + rows of cells. */
  rows?: string[][];
  header?: string[];
}

interface BulkExt {
  jobs: Record<string, BulkJob>;
  config: { pollsInProgress: number; failedRowsCarryId: boolean };
  seeded?: boolean;
}

function store(state: OrgState): BulkExt {
  const ext = (state.ext.bulk2 ??= { jobs: {}, config: { pollsInProgress: 0, failedRowsCarryId: true } }) as BulkExt;
  ext.config ??= { pollsInProgress: 0, failedRowsCarryId: true };
  return ext;
}

const wire = (d: Date): string => d.toISOString().replace('Z', '+0000');

function newJobId(state: OrgState): string {
  const n = (state.counters['750'] ?? 0) + 1;
  state.counters['750'] = n;
  return makeId('750', n);
}

function apiVersionOf(req: Req): number {
  const m = /^v?(\d+\.\d)$/.exec(req.params.version ?? req.params.apiv ?? '');
  return m ? Number(m[1]) : 62;
}

function findJob(state: OrgState, id: string, kinds: JobType[]): BulkJob {
  const nid = normalizeId(id);
  const job = nid ? store(state).jobs[nid] : undefined;
  if (!job || !kinds.includes(job.jobType))
    throw new ApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
  return job;
}

/** The job's state as a poll sees it: InProgress for the configured number of polls, then the final state. */
function observe(state: OrgState, job: BulkJob): void {
  if (job.finalState && job.pendingPolls <= 0) {
    job.state = job.finalState;
    delete job.finalState;
    state.changed();
  } else if (job.finalState) {
    job.pendingPolls -= 1;
  }
}

function jobInfo(job: BulkJob, detail: boolean, list = false): Record<string, unknown> {
  const base: Record<string, unknown> = {
    id: job.id,
    operation: job.operation,
    object: job.object,
    createdById: job.createdById,
    createdDate: job.createdDate,
    systemModstamp: job.systemModstamp,
    state: job.state,
  };
  if (job.externalIdFieldName) base.externalIdFieldName = job.externalIdFieldName;
  if (job.assignmentRuleId) base.assignmentRuleId = job.assignmentRuleId;
  base.concurrencyMode = job.concurrencyMode;
  base.contentType = job.contentType;
  base.apiVersion = job.apiVersion;
  if (list) base.jobType = job.jobType;
  if (job.jobType === 'V2Ingest' && !detail && !list)
    base.contentUrl = `services/data/v${job.apiVersion.toFixed(1)}/jobs/ingest/${job.id}/batches`;
  base.lineEnding = job.lineEnding;
  base.columnDelimiter = job.columnDelimiter;
  if (!detail) return base;
  base.jobType = job.jobType;
  if (job.jobType === 'V2Query') {
    base.numberRecordsProcessed = job.numberRecordsProcessed;
    base.retries = job.retries;
    base.totalProcessingTime = job.totalProcessingTime;
    base.isPkChunkingSupported = true;
  } else {
    if (job.jobType === 'V2Ingest')
      base.contentUrl = `services/data/v${job.apiVersion.toFixed(1)}/jobs/ingest/${job.id}/batches`;
    base.numberRecordsProcessed = job.numberRecordsProcessed;
    base.numberRecordsFailed = job.numberRecordsFailed;
    base.retries = job.retries;
    base.totalProcessingTime = job.totalProcessingTime;
    base.apiActiveProcessingTime = job.apiActiveProcessingTime;
    base.apexProcessingTime = job.apexProcessingTime;
  }
  if (job.errorMessage) base.errorMessage = job.errorMessage;
  return base;
}

/** The list envelope of GET /jobs/ingest and /jobs/query. */
function listEnvelope(jobs: BulkJob[]): Record<string, unknown> {
  return { done: true, records: jobs.map((j) => jobInfo(j, false, true)), nextRecordsUrl: null };
}

const invalidState = (message: string): ApiError => new ApiError(400, 'INVALIDJOBSTATE', message);

// ------------------------------------------------------------------ ingest processing

const OPERATIONS = ['insert', 'update', 'upsert', 'delete', 'hardDelete'];

/** Process the uploaded rows of an ingest job through OrgState, as the job's creator. */
export function processIngest(state: OrgState, job: BulkJob, path: string): void {
  const started = Date.now();
  const upload = job.upload;
  const cfg = store(state).config;
  if (!upload) {
    job.finalState = 'Failed';
    job.errorMessage = 'InvalidBatch : No data was uploaded for this job';
    return;
  }
  const def = state.object(job.object)!;
  const { header } = upload;
  // `Account.Partner_Id__c`-style columns set a lookup by the parent's external id.
  const relations = new Map<number, { field: FieldDef; ext: string }>();
  for (const [i, h] of header.entries()) {
    const dot = h.indexOf('.');
    const rel =
      dot > 0
        ? [...def.fields.values()].find((f) => f.relationshipName?.toLowerCase() === h.slice(0, dot).toLowerCase())
        : undefined;
    if (rel) relations.set(i, { field: rel, ext: h.slice(dot + 1) });
    else if (!def.fields.has(h.toLowerCase())) {
      job.finalState = 'Failed';
      job.errorMessage = `InvalidBatch : Field name not found : ${h}`;
      job.results = { successful: [], failed: [], unprocessed: upload.rows };
      return;
    }
  }
  const parentByExt = (field: FieldDef, ext: string, value: string): string => {
    for (const type of field.referenceTo) {
      const pdef = state.object(type);
      const f = pdef?.fields.get(ext.toLowerCase());
      if (!pdef || !f) continue;
      const hits = state
        .records(pdef.name)
        .filter((r) => String(r[f.name] ?? '').toLowerCase() === value.toLowerCase());
      if (hits.length > 1)
        throw new RecordError(
          'DUPLICATE_EXTERNAL_ID',
          `${f.name}: more than one record found for external id field: ${value}`,
          [field.name],
        );
      if (hits.length === 1) return hits[0]!.Id as string;
    }
    throw new RecordError(
      'INVALID_FIELD',
      `Foreign key external ID: ${value} not found for field ${ext} in entity ${field.referenceTo.join(', ')}`,
      [field.name],
    );
  };
  const idCol = header.findIndex((h) => h.toLowerCase() === 'id');
  const extCol = job.externalIdFieldName
    ? header.findIndex((h) => h.toLowerCase() === job.externalIdFieldName!.toLowerCase())
    : -1;
  if (job.operation === 'upsert' && extCol < 0) {
    job.finalState = 'Failed';
    job.errorMessage = `InvalidBatch : Field name not found : ${job.externalIdFieldName}`;
    job.results = { successful: [], failed: [], unprocessed: upload.rows };
    return;
  }
  const successful: string[][] = [];
  const failed: string[][] = [];
  const userId = job.createdById;
  // External id -> record ids, built once per job (an upsert of n rows stays O(n)).
  let index: Map<string, string[]> | null = null;
  const extIndex = (field: string): Map<string, string[]> => {
    if (!index) {
      index = new Map();
      for (const r of state.records(def.name)) {
        const k = String(r[field] ?? '').toLowerCase();
        if (k) index.set(k, [...(index.get(k) ?? []), r.Id as string]);
      }
    }
    return index;
  };
  for (const row of upload.rows) {
    const given = idCol >= 0 ? (row[idCol] ?? '') : '';
    try {
      const fields: Record<string, Value> = {};
      header.forEach((h, i) => {
        if (i === idCol) return;
        const cell = row[i] ?? '';
        if (cell === '') return; // empty cell: leave unchanged (insert: default)
        const rel = relations.get(i);
        if (rel) fields[rel.field.name] = cell === '#N/A' ? null : parentByExt(rel.field, rel.ext, cell);
        else fields[def.fields.get(h.toLowerCase())!.name] = cell === '#N/A' ? null : cell;
      });
      const fault = state.faults.recordFault('PUT', path, given);
      if (fault) throw new RecordError(fault.statusCode, fault.message);
      let id: string;
      let created = false;
      switch (job.operation) {
        case 'insert':
          id = state.insert(def.name, fields, { userId }).Id as string;
          created = true;
          break;
        case 'update':
          if (!given) throw new RecordError('MISSING_ARGUMENT', 'Id not specified in an update call');
          id = state.update(def.name, given, fields, { userId }).Id as string;
          break;
        case 'upsert': {
          const key = row[extCol] ?? '';
          const extName = def.fields.get(job.externalIdFieldName!.toLowerCase())!.name;
          if (extName === 'Id') {
            if (!key) {
              delete fields.Id;
              id = state.insert(def.name, fields, { userId }).Id as string;
              created = true;
            } else id = state.update(def.name, key, fields, { userId }).Id as string;
            break;
          }
          if (!key) throw new RecordError('MISSING_ARGUMENT', `${extName} not specified`, [extName]);
          const matches = extIndex(extName).get(key.toLowerCase()) ?? [];
          if (matches.length > 1) {
            throw new RecordError(
              'DUPLICATE_EXTERNAL_ID',
              `${extName}: more than one record found for external id field: ${key}`,
              [extName],
            );
          }
          if (matches.length === 1) id = state.update(def.name, matches[0]!, fields, { userId }).Id as string;
          else {
            id = state.insert(def.name, fields, { userId }).Id as string;
            extIndex(extName).set(key.toLowerCase(), [id]);
            created = true;
          }
          break;
        }
        case 'delete':
          if (!given) throw new RecordError('MISSING_ARGUMENT', 'Id not specified in a delete call');
          state.remove(def.name, given, { userId });
          id = normalizeId(given)!;
          break;
        case 'hardDelete': {
          if (!given) throw new RecordError('MISSING_ARGUMENT', 'Id not specified in a delete call');
          const rec = state.liveRecord(def, given);
          state.hardDelete(def.name, rec.Id as string);
          id = rec.Id as string;
          break;
        }
        default:
          throw new RecordError('INVALID_OPERATION', `unsupported operation ${job.operation}`);
      }
      successful.push([id, created ? 'true' : 'false', ...row]);
    } catch (e) {
      const carry = cfg.failedRowsCarryId && job.operation !== 'insert' ? (normalizeId(given) ?? '') : '';
      if (e instanceof RecordError) failed.push([carry, bulkErrorCell(e.statusCode, e.message, e.fields), ...row]);
      else if (e instanceof ApiError)
        failed.push([carry, bulkErrorCell(e.errorCode, e.message, e.fields ?? []), ...row]);
      else throw e;
    }
  }
  job.results = { successful, failed, unprocessed: [] };
  job.numberRecordsProcessed = upload.rows.length;
  job.numberRecordsFailed = failed.length;
  job.totalProcessingTime = job.apiActiveProcessingTime = Date.now() - started;
  job.finalState = 'JobComplete';
  const batches = Math.max(1, Math.ceil(upload.rows.length / 10000));
  const l = state.limits.DailyBulkApiBatches;
  if (l) l.Remaining = Math.max(0, l.Remaining - batches);
}

// ------------------------------------------------------------------ routes

/** Register the Bulk 2.0 / Bulk 1.0 routes; `seed` (a freshly loaded seed) adds its `bulkJobs`. */
export function registerBulk2(router: Router, seed?: LoadedSeed): void {
  const state = router.state;
  if (seed) loadBulkSeed(state, seed);
  const V = '/services/data/:version/jobs';

  const userOf = (req: Req): Rec => req.user!;

  // ---- ingest
  router.add('POST', `${V}/ingest`, (req) => {
    const body = req.json<Record<string, unknown>>() ?? {};
    const object = String(body.object ?? '');
    const operation = String(body.operation ?? '');
    const def = state.object(object);
    if (!def || def.tooling) throw new ApiError(400, 'INVALIDENTITY', `Entity type: ${object} is not supported`);
    if (!OPERATIONS.includes(operation)) throw new ApiError(400, 'API_ERROR', `Unsupported operation: ${operation}`);
    const allowed =
      operation === 'insert'
        ? def.createable
        : operation === 'update'
          ? def.updateable
          : operation === 'upsert'
            ? def.createable && def.updateable
            : def.deletable;
    if (!allowed) throw new ApiError(400, 'INVALIDENTITY', `Entity type: ${def.name} does not support ${operation}`);
    if (operation === 'upsert' && !body.externalIdFieldName) {
      throw new ApiError(400, 'INVALIDJOB', 'External ID field name is required for upsert');
    }
    if (body.externalIdFieldName && !def.fields.has(String(body.externalIdFieldName).toLowerCase())) {
      throw new ApiError(400, 'INVALIDJOB', `External ID field not found: ${String(body.externalIdFieldName)}`);
    }
    const delim = String(body.columnDelimiter ?? 'COMMA');
    if (!(delim in DELIMITERS)) throw new ApiError(400, 'API_ERROR', `Invalid columnDelimiter: ${delim}`);
    const lineEnding = String(body.lineEnding ?? 'LF');
    if (lineEnding !== 'LF' && lineEnding !== 'CRLF')
      throw new ApiError(400, 'API_ERROR', `Invalid lineEnding: ${lineEnding}`);
    if (body.contentType !== undefined && body.contentType !== 'CSV')
      throw new ApiError(400, 'API_ERROR', 'Only CSV content is supported');
    const now = wire(state.now());
    const job: BulkJob = {
      id: newJobId(state),
      jobType: 'V2Ingest',
      operation,
      object: def.name,
      createdById: userOf(req).Id as string,
      createdDate: now,
      systemModstamp: now,
      state: 'Open',
      ...(body.externalIdFieldName
        ? { externalIdFieldName: def.fields.get(String(body.externalIdFieldName).toLowerCase())!.name }
        : {}),
      ...(body.assignmentRuleId ? { assignmentRuleId: String(body.assignmentRuleId) } : {}),
      concurrencyMode: 'Parallel',
      contentType: 'CSV',
      apiVersion: apiVersionOf(req),
      lineEnding,
      columnDelimiter: delim,
      numberRecordsProcessed: 0,
      numberRecordsFailed: 0,
      retries: 0,
      totalProcessingTime: 0,
      apiActiveProcessingTime: 0,
      apexProcessingTime: 0,
      pendingPolls: 0,
    };
    store(state).jobs[job.id] = job;
    state.changed();
    return json(200, jobInfo(job, false));
  });

  router.add('PUT', `${V}/ingest/:id/batches`, (req) => {
    const job = findJob(state, req.params.id!, ['V2Ingest']);
    if (job.state !== 'Open') throw invalidState(`Job ${job.id} is not open for uploads: its state is ${job.state}`);
    if (job.upload) {
      throw invalidState(
        `Found multiple contents for job: <${job.id}>, please 'Close' / 'Abort' / 'Delete' the current Job then create a new Job and make sure the content is uploaded only once for a job.`,
      );
    }
    try {
      job.upload = parseUpload(req.text(), DELIMITERS[job.columnDelimiter]);
    } catch (e) {
      job.upload = { header: [], rows: [] };
      job.errorMessage = `InvalidBatch : ${(e as Error).message.split('\n')[0]}`;
    }
    job.systemModstamp = wire(state.now());
    state.changed();
    return { status: 201 };
  });

  const patchJob = (kinds: JobType[]) => (req: Req) => {
    const job = findJob(state, req.params.id!, kinds);
    const body = req.json<{ state?: string }>() ?? {};
    observe(state, job);
    if (body.state === 'Aborted') {
      if (!['Open', 'UploadComplete', 'InProgress'].includes(job.state)) {
        throw invalidState(`Job ${job.id} cannot be aborted: its state is ${job.state}`);
      }
      job.state = 'Aborted';
      delete job.finalState;
      if (job.upload && !job.results) job.results = { successful: [], failed: [], unprocessed: job.upload.rows };
    } else if (body.state === 'UploadComplete' && job.jobType === 'V2Ingest') {
      if (job.state !== 'Open') throw invalidState(`Job ${job.id} cannot be closed: its state is ${job.state}`);
      job.state = 'UploadComplete';
      if (job.errorMessage) job.finalState = 'Failed';
      else processIngest(state, job, `/services/data/${req.params.version}/jobs/ingest/${job.id}/batches`);
      job.pendingPolls = store(state).config.pollsInProgress;
      if (job.upload) job.upload = { header: job.upload.header, rows: [] }; // results keep the rows they need
    } else {
      throw new ApiError(400, 'INVALIDJOBSTATE', `Invalid state change: ${String(body.state)}`);
    }
    job.systemModstamp = wire(state.now());
    state.changed();
    const info = jobInfo(job, false);
    return json(200, info);
  };
  router.add('PATCH', `${V}/ingest/:id`, patchJob(['V2Ingest']));
  router.add('PATCH', `${V}/query/:id`, patchJob(['V2Query']));

  const getJob = (kinds: JobType[]) => (req: Req) => {
    const job = findJob(state, req.params.id!, kinds);
    observe(state, job);
    const shown = job.finalState ? { ...job, state: 'InProgress' as JobState } : job;
    return json(200, jobInfo(shown, true));
  };
  router.add('GET', `${V}/ingest/:id`, getJob(['V2Ingest']));
  router.add('GET', `${V}/query/:id`, getJob(['V2Query']));

  const deleteJob = (kinds: JobType[]) => (req: Req) => {
    const job = findJob(state, req.params.id!, kinds);
    observe(state, job);
    if (!['Open', 'JobComplete', 'Failed', 'Aborted', 'UploadComplete'].includes(job.state) || job.finalState) {
      throw invalidState(`Job ${job.id} cannot be deleted while ${job.finalState ? 'InProgress' : job.state}`);
    }
    delete store(state).jobs[job.id];
    state.changed();
    return noContent();
  };
  router.add('DELETE', `${V}/ingest/:id`, deleteJob(['V2Ingest']));
  router.add('DELETE', `${V}/query/:id`, deleteJob(['V2Query']));

  const resultCsv = (kind: 'successful' | 'failed' | 'unprocessed') => (req: Req) => {
    const job = findJob(state, req.params.id!, ['V2Ingest']);
    observe(state, job);
    if (job.finalState || !['JobComplete', 'Failed', 'Aborted'].includes(job.state)) {
      throw new ApiError(
        412,
        'JOB_NOT_COMPLETE',
        `can only download results of a completed bulk job. Current status: ${job.finalState ? 'InProgress' : job.state}`,
      );
    }
    const header = job.upload?.header ?? [];
    const head =
      kind === 'successful'
        ? ['sf__Id', 'sf__Created', ...header]
        : kind === 'failed'
          ? ['sf__Id', 'sf__Error', ...header]
          : header;
    const rows = job.results?.[kind] ?? [];
    const delim = DELIMITERS[job.columnDelimiter] ?? ',';
    return csv(200, head.length ? toCsv([head, ...rows], delim, job.lineEnding) : '');
  };
  router.add('GET', `${V}/ingest/:id/successfulResults`, resultCsv('successful'));
  router.add('GET', `${V}/ingest/:id/failedResults`, resultCsv('failed'));
  router.add('GET', `${V}/ingest/:id/unprocessedrecords`, resultCsv('unprocessed'));

  // ---- query
  router.add('POST', `${V}/query`, (req) => {
    const body = req.json<Record<string, unknown>>() ?? {};
    const soql = String(body.query ?? '');
    const operation = String(body.operation ?? 'query');
    if (operation !== 'query' && operation !== 'queryAll')
      throw new ApiError(400, 'API_ERROR', `Unsupported operation: ${operation}`);
    const delim = String(body.columnDelimiter ?? 'COMMA');
    if (!(delim in DELIMITERS)) throw new ApiError(400, 'API_ERROR', `Invalid columnDelimiter: ${delim}`);
    const lineEnding = String(body.lineEnding ?? 'LF');
    if (lineEnding !== 'LF' && lineEnding !== 'CRLF')
      throw new ApiError(400, 'API_ERROR', `Invalid lineEnding: ${lineEnding}`);
    const result = runSoql(state, soql, { scanAll: operation === 'queryAll', version: req.params.version!.slice(1) });
    if (result.aggregate || result.countOnly) {
      throw new ApiError(400, 'API_ERROR', 'Aggregate queries are not supported by Bulk API 2.0 query');
    }
    checkBulkQuery(soql);
    const def = state.object(result.object);
    const now = wire(state.now());
    const job: BulkJob = {
      id: newJobId(state),
      jobType: 'V2Query',
      operation,
      object: def?.name ?? result.object,
      createdById: userOf(req).Id as string,
      createdDate: now,
      systemModstamp: now,
      state: 'UploadComplete',
      query: soql,
      concurrencyMode: 'Parallel',
      contentType: 'CSV',
      apiVersion: apiVersionOf(req),
      lineEnding: lineEnding as 'LF' | 'CRLF',
      columnDelimiter: delim,
      numberRecordsProcessed: result.records.length,
      numberRecordsFailed: 0,
      retries: 0,
      totalProcessingTime: 0,
      apiActiveProcessingTime: 0,
      apexProcessingTime: 0,
      pendingPolls: store(state).config.pollsInProgress,
      finalState: 'JobComplete',
      header: result.columns,
      rows: result.flatRows().map((r) => r.map((v) => csvCell(bulkDateTime(v)))),
    };
    store(state).jobs[job.id] = job;
    const l = state.limits.DailyBulkV2QueryJobs;
    if (l) l.Remaining = Math.max(0, l.Remaining - 1);
    state.changed();
    return json(200, jobInfo(job, false));
  });

  router.add('GET', `${V}/query/:id/results`, (req) => {
    const job = findJob(state, req.params.id!, ['V2Query']);
    observe(state, job);
    if (job.finalState || job.state !== 'JobComplete') {
      const cur = job.finalState ? 'IN_PROGRESS' : job.state.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
      throw new ApiError(
        412,
        'JOB_NOT_COMPLETE',
        `can only download query results of successfully completed bulk job with status: JOB_COMPLETE. Current status: ${cur}`,
      );
    }
    const rows = job.rows ?? [];
    let offset = 0;
    if (req.query.locator) {
      const o = decodeLocator(req.query.locator);
      if (o === null || o > rows.length)
        throw new ApiError(400, 'INVALID_LOCATOR', `Invalid locator: ${req.query.locator}`);
      offset = o;
    }
    let size = state.options.bulkPageSize;
    if (req.query.maxRecords !== undefined) {
      const n = Number(req.query.maxRecords);
      if (!Number.isInteger(n) || n < 1)
        throw new ApiError(400, 'INVALIDMAXRECORDS', `Invalid maxRecords: ${req.query.maxRecords}`);
      size = n;
    }
    const page = rows.slice(offset, offset + size);
    const next = offset + page.length < rows.length ? encodeLocator(offset + page.length) : 'null';
    const delim = DELIMITERS[job.columnDelimiter] ?? ',';
    return csv(200, toCsv([job.header ?? [], ...page], delim, job.lineEnding), {
      'sforce-locator': next,
      'sforce-numberofrecords': String(page.length),
    });
  });

  // ---- listing (Bulk 2.0 and Bulk 1.0 jobs)
  const list = (kinds: JobType[]) => (req: Req) => {
    const jobs = Object.values(store(state).jobs);
    for (const j of jobs) observe(state, j);
    const wanted = req.query.jobType;
    const filtered = jobs
      .filter((j) => kinds.includes(j.jobType))
      .filter((j) => !wanted || j.jobType === wanted)
      .filter((j) => !req.query.concurrencyMode || j.concurrencyMode === req.query.concurrencyMode)
      .map((j) => (j.finalState ? { ...j, state: 'InProgress' as JobState } : j));
    return json(200, listEnvelope(filtered));
  };
  router.add('GET', `${V}/ingest`, list(['V2Ingest', 'Classic']));
  router.add('GET', `${V}/query`, list(['V2Query', 'Classic']));

  // ---- Bulk API 1.0: job create / info / close / abort (X-SFDC-Session)
  const A = '/services/async/:apiv/job';
  const v1 = (handler: (req: Req, user: Rec) => Res) => (req: Req) => {
    if (!/^\d+\.\d$/.test(req.params.apiv ?? '')) return bulkV1Error(404, 'InvalidUrl', 'Unknown API version');
    const r = req.authenticate(req.headers['x-sfdc-session']);
    if (!r.ok) {
      return r.reason === 'limit'
        ? bulkV1Error(403, 'ExceededQuota', 'TotalRequests Limit exceeded.')
        : bulkV1Error(400, 'InvalidSessionId', 'Invalid session id');
    }
    try {
      return handler(req, r.user);
    } catch (e) {
      if (e instanceof ApiError) return bulkV1Error(400, e.errorCode, e.message);
      throw e;
    }
  };
  const v1Job = (req: Req): BulkJob | null => {
    const nid = normalizeId(req.params.id ?? '');
    const job = nid ? store(state).jobs[nid] : undefined;
    return job && job.jobType === 'Classic' ? job : null;
  };
  router.add(
    'POST',
    A,
    v1((req, user) => {
      const info = parseJobInfoXml(req.text());
      const def = info.object ? state.object(info.object) : undefined;
      if (!def) throw new ApiError(400, 'InvalidEntity', `Entity type: ${info.object ?? ''} is not supported`);
      if (!info.operation || ![...OPERATIONS, 'query', 'queryAll'].includes(info.operation)) {
        throw new ApiError(400, 'InvalidJob', `Invalid operation: ${info.operation ?? ''}`);
      }
      const now = wire(state.now());
      const job: BulkJob = {
        id: newJobId(state),
        jobType: 'Classic',
        operation: info.operation,
        object: def.name,
        createdById: user.Id as string,
        createdDate: now,
        systemModstamp: now,
        state: 'Open',
        concurrencyMode: (info.concurrencyMode as 'Parallel') ?? 'Parallel',
        contentType: (info.contentType as 'CSV') ?? 'CSV',
        apiVersion: Number(req.params.apiv),
        lineEnding: 'LF',
        columnDelimiter: 'COMMA',
        numberRecordsProcessed: 0,
        numberRecordsFailed: 0,
        retries: 0,
        totalProcessingTime: 0,
        apiActiveProcessingTime: 0,
        apexProcessingTime: 0,
        pendingPolls: 0,
      };
      store(state).jobs[job.id] = job;
      state.changed();
      return { ...xml(201, jobInfoXml(job), 'application/xml') };
    }),
    { auth: 'none' },
  );
  router.add(
    'GET',
    `${A}/:id`,
    v1((req) => {
      const job = v1Job(req);
      if (!job) return bulkV1Error(400, 'InvalidJob', `Unable to find job id: ${req.params.id}`);
      return xml(200, jobInfoXml(job), 'application/xml');
    }),
    { auth: 'none' },
  );
  router.add(
    'POST',
    `${A}/:id`,
    v1((req) => {
      const job = v1Job(req);
      if (!job) return bulkV1Error(400, 'InvalidJob', `Unable to find job id: ${req.params.id}`);
      const wanted = parseJobInfoXml(req.text()).state;
      if (wanted === 'Aborted') {
        if (job.state !== 'Open' && job.state !== 'Closed') {
          return bulkV1Error(400, 'InvalidJobState', `Job ${job.id} cannot be aborted: its state is ${job.state}`);
        }
        job.state = 'Aborted';
      } else if (wanted === 'Closed') {
        if (job.state !== 'Open')
          return bulkV1Error(400, 'InvalidJobState', `Job ${job.id} is not open: its state is ${job.state}`);
        job.state = 'Closed';
      } else {
        return bulkV1Error(400, 'InvalidJobState', `Invalid state: ${wanted ?? ''}`);
      }
      job.systemModstamp = wire(state.now());
      state.changed();
      return xml(200, jobInfoXml(job), 'application/xml');
    }),
    { auth: 'none' },
  );

  // ---- emulator control (tests)
  router.add(
    'POST',
    '/__emulator/bulk/config',
    (req) => {
      const body = req.json<Partial<BulkExt['config']> & { pageSize?: number }>() ?? {};
      const cfg = store(state).config;
      if (body.pollsInProgress !== undefined)
        cfg.pollsInProgress = Math.max(0, Math.trunc(Number(body.pollsInProgress)));
      if (body.failedRowsCarryId !== undefined) cfg.failedRowsCarryId = !!body.failedRowsCarryId;
      if (body.pageSize !== undefined) state.options.bulkPageSize = Math.max(1, Math.trunc(Number(body.pageSize)));
      state.changed();
      return json(200, { ...cfg, pageSize: state.options.bulkPageSize });
    },
    { auth: 'none' },
  );
  router.add(
    'POST',
    '/__emulator/bulk/jobs/:id',
    (req) => {
      const nid = normalizeId(req.params.id ?? '');
      const job = nid ? store(state).jobs[nid] : undefined;
      if (!job) throw new ApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
      const body = req.json<{ state?: JobState; errorMessage?: string }>() ?? {};
      if (body.state) {
        job.state = body.state;
        delete job.finalState;
      }
      if (body.errorMessage !== undefined) job.errorMessage = body.errorMessage;
      state.changed();
      return json(200, jobInfo(job, true));
    },
    { auth: 'none' },
  );
  router.add(
    'GET',
    '/__emulator/bulk/jobs',
    () =>
      json(
        200,
        Object.values(store(state).jobs).map((j) => jobInfo(j, true)),
      ),
    { auth: 'none' },
  );
}

// ------------------------------------------------------------------ Bulk 1.0 XML

const NS_V1 = 'http://www.force.com/2009/06/asyncapi/dataload';

/** The few jobInfo elements a Bulk 1.0 request carries (state, operation, object, ...). */
export function parseJobInfoXml(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/<(?:\w+:)?(\w+)>([^<]*)<\/(?:\w+:)?\1>/g)) out[m[1]!] = m[2]!.trim();
  return out;
}

export function jobInfoXml(job: BulkJob): string {
  const t = (s: string) => s.replace(/\+0000$/, 'Z');
  const el: [string, string | number][] = [
    ['id', job.id],
    ['operation', job.operation],
    ['object', job.object],
    ['createdById', job.createdById],
    ['createdDate', t(job.createdDate)],
    ['systemModstamp', t(job.systemModstamp)],
    ['state', job.state],
    ['concurrencyMode', job.concurrencyMode],
    ['contentType', job.contentType],
    ['numberBatchesQueued', 0],
    ['numberBatchesInProgress', 0],
    ['numberBatchesCompleted', job.numberRecordsProcessed ? 1 : 0],
    ['numberBatchesFailed', 0],
    ['numberBatchesTotal', job.numberRecordsProcessed ? 1 : 0],
    ['numberRecordsProcessed', job.numberRecordsProcessed],
    ['numberRetries', job.retries],
    ['apiVersion', job.apiVersion.toFixed(1)],
    ['numberRecordsFailed', job.numberRecordsFailed],
    ['totalProcessingTime', job.totalProcessingTime],
    ['apiActiveProcessingTime', job.apiActiveProcessingTime],
    ['apexProcessingTime', job.apexProcessingTime],
  ];
  return `<?xml version="1.0" encoding="UTF-8"?><jobInfo xmlns="${NS_V1}">${el.map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`).join('')}</jobInfo>`;
}

// ------------------------------------------------------------------ seed

/** Load `seed.bulkJobs` (see seeds/demo.ts SeedBulkJob) once per fresh state. */
export function loadBulkSeed(state: OrgState, loaded: LoadedSeed): void {
  const ext = store(state);
  if (ext.seeded) return;
  ext.seeded = true;
  const jobs = (loaded.seed as { bulkJobs?: unknown }).bulkJobs;
  if (!Array.isArray(jobs)) return;
  for (const [i, raw] of jobs.entries()) {
    const j = raw as Record<string, unknown>;
    const by = j.createdBy as { '@ref'?: string } | string | undefined;
    const userId =
      typeof by === 'string' ? normalizeId(by) : by?.['@ref'] ? loaded.refs.get(by['@ref']) : loaded.adminUserId;
    if (!userId) throw new Error(`seed: bulkJobs[${i}].createdBy: unknown user`);
    const created = typeof j.createdDate === 'string' ? wire(new Date(j.createdDate)) : wire(state.now());
    const job: BulkJob = {
      id: newJobId(state),
      jobType: (j.jobType as JobType) ?? 'V2Ingest',
      operation: String(j.operation ?? 'insert'),
      object: String(j.object ?? 'Account'),
      createdById: userId,
      createdDate: created,
      systemModstamp: created,
      state: (j.state as JobState) ?? 'JobComplete',
      ...(typeof j.query === 'string' ? { query: j.query } : {}),
      concurrencyMode: 'Parallel',
      contentType: 'CSV',
      apiVersion: Number(j.apiVersion ?? 62),
      lineEnding: 'LF',
      columnDelimiter: 'COMMA',
      numberRecordsProcessed: Number(j.numberRecordsProcessed ?? 0),
      numberRecordsFailed: Number(j.numberRecordsFailed ?? 0),
      retries: 0,
      totalProcessingTime: 0,
      apiActiveProcessingTime: 0,
      apexProcessingTime: 0,
      pendingPolls: 0,
      header: [],
      rows: [],
    };
    ext.jobs[job.id] = job;
    if (typeof j['@ref'] === 'string') loaded.refs.set(j['@ref'], job.id);
  }
  state.changed();
}
