import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import type { Context } from '../cli/context.js';
import { status } from '../cli/output.js';
import { UsageError } from '../errors.js';
import type { OrgClient } from '../org/client.js';
import { connectOrg, type OrgFlags } from '../org/connect.js';
import { OrgApiError, QUERY_ERROR_CODES } from '../org/errors.js';
import { describeObject } from '../org/rollback-io.js';
import { writeFileAtomic } from '../util/fs.js';
import { iso } from '../util/time.js';
import { compareManifest, computeManifest, parseManifest, type Manifest, type ManifestMismatch } from './manifest.js';
import { canonicalRecord, normalizeRecord, sha256Text, type Rec } from './records.js';
import {
  deleteSnapshots,
  getSnapshot,
  listSnapshots,
  snapshotLookup,
  snapshotRecords,
  SnapshotWriter,
  type SnapshotMeta,
} from './store.js';
import { VerifyAccumulator, type VerifyResult } from './verify.js';
import { MerkleBuilder } from './merkle.js';

interface Deps {
  connect: (ctx: Context, flags: OrgFlags) => Promise<OrgClient>;
}
const defaultDeps: Deps = { connect: (ctx, flags) => connectOrg(ctx, flags) };

const API_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

function evidence(ctx: Context, kind: string, payload: unknown): void {
  ctx.store().append({ kind, incident: ctx.incident(), actor: ctx.actor(), ts: iso(ctx.now()), payload });
}

function readable(file: string, flag: string): string {
  if (!existsSync(file)) throw new UsageError(`${flag}: no such file ${file}`);
  if (statSync(file).isDirectory()) throw new UsageError(`${flag}: ${file} is a directory`);
  return file;
}

/**
 * Records of an export file: CSV (Data Loader / Bulk export: header row, empty cell = null) or JSONL (one record
 * per line). Errors name the file and line.
 */
export async function* readRecordFile(file: string, flag: string): AsyncGenerator<{ rec: Rec; line: number }> {
  readable(file, flag);
  if (/\.jsonl$|\.ndjson$/i.test(file)) {
    const rl = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
    let line = 0;
    for await (const text of rl) {
      line += 1;
      if (!text.trim()) continue;
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch {
        throw new UsageError(`${flag} ${file}:${line}: not valid JSON`);
      }
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
        throw new UsageError(`${flag} ${file}:${line}: not a JSON object`);
      yield { rec: normalizeRecord(raw as Record<string, unknown>), line };
    }
    return;
  }
  // Arrays, not `columns: true`: mapping the header here is several times faster on million-row exports.
  const parser = createReadStream(file).pipe(parse({ bom: true, relax_column_count: false }));
  let header: string[] | null = null;
  let line = 1;
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      if (!header) {
        header = cells;
        const dup = header.find((h, i) => header!.indexOf(h) !== i);
        if (dup !== undefined) throw new UsageError(`${flag} ${file}:1: column "${dup}" appears twice in the header`);
        continue;
      }
      line += 1;
      const rec: Rec = {};
      for (let i = 0; i < header.length; i += 1) {
        const v = cells[i]!;
        rec[header[i]!] = v === '' ? null : v;
      }
      // `line` counts records (+1 for the header): the file line unless a quoted value holds a line break.
      yield { rec, line };
    }
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const err = e as Error & { lines?: number };
    throw new UsageError(`${flag} ${file}${err.lines ? `:${err.lines}` : ''}: not valid CSV: ${err.message}`);
  }
}

export interface SnapshotOptions {
  object: string;
  where?: string;
  fields?: string[];
  allFields?: boolean;
  file?: string;
  bulk?: boolean;
  org: OrgFlags;
}

export interface SnapshotResult extends SnapshotMeta {
  evidenceSeq: number;
  seconds: number;
  recordsPerSecond: number;
}

async function fieldsFor(client: OrgClient, opts: SnapshotOptions): Promise<string[]> {
  if (opts.fields?.length && !opts.allFields) {
    const f = [...new Set(['Id', ...opts.fields])];
    for (const name of f)
      if (!/^[A-Za-z][A-Za-z0-9_.]*$/.test(name)) throw new UsageError(`--fields: "${name}" is not a field name`);
    return f;
  }
  // All fields: compound fields (address, location) are left out; their components are read instead.
  const d = await describeObject(client, opts.object);
  return d.fields.filter((f) => !['address', 'location'].includes(f.type)).map((f) => f.name);
}

/** A query the org rejected is bad input (exit 2) naming the flags that built it; anything else passes through. */
function queryUsage(e: unknown, where: string | undefined): never {
  if (e instanceof OrgApiError && QUERY_ERROR_CODES.has(e.code)) {
    throw new UsageError(
      `${where ? '--where/--fields' : '--fields/--object'}: the org rejected the query: ${e.message}`,
    );
  }
  throw e;
}

/** Count what a read of the org will fetch and refuse (exit 4) before reading when the API budget cannot cover it. */
async function ensureReadBudget(
  client: OrgClient,
  object: string,
  where: string | undefined,
  bulk: boolean | undefined,
  what: string,
): Promise<void> {
  let total: number;
  try {
    total = await client.count(`SELECT COUNT() FROM ${object}${where ? ` WHERE ${where}` : ''}`);
  } catch (e) {
    queryUsage(e, where);
  }
  // REST: one call per 2000 records; Bulk 2.0: create, a few polls, one call per result page, delete.
  const needed = bulk ? 8 + Math.ceil(total / 10_000) : Math.max(1, Math.ceil(total / 2000));
  await client.ensureBudget(needed, `${what} ${total} ${object} records`);
}

const WORKER_URL = new URL('./snapshot-worker.js', import.meta.url);

/** Large CSV files are parsed and hashed on a worker thread (compiled build only; tests use the same code inline). */
function useWorker(ctx: Context, file: string): boolean {
  if (/\.(jsonl|ndjson)$/i.test(file)) return false;
  const min = Number(ctx.env.LOCKOUT_SNAPSHOT_WORKER_BYTES ?? 16 * 1024 * 1024);
  return statSync(file).size >= min && existsSync(fileURLToPath(WORKER_URL));
}

/** Insert what the worker prepares; returns the worker's count and Merkle root. Errors name the file and line. */
function feedFromWorker(
  writer: SnapshotWriter,
  file: string,
  fields: string[],
): Promise<{ count: number; root: string }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_URL, { workerData: { file, batchSize: 5000 } });
    let settled = false;
    const fail = (e: Error) => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      reject(e);
    };
    let line = 1;
    worker.on('message', (m: { type: string } & Record<string, unknown>) => {
      if (settled) return;
      if (m.type === 'batch') {
        const ids = m.ids as string[];
        const jsons = m.jsons as string[];
        const shas = m.shas as string[];
        for (let i = 0; i < ids.length; i += 1) {
          line += 1;
          try {
            writer.addPrepared(ids[i]!, jsons[i]!, shas[i]!);
          } catch (e) {
            fail(new UsageError(`--file ${file}:${line}: ${(e as Error).message}`));
            return;
          }
        }
        worker.postMessage({ type: 'ack' });
      } else if (m.type === 'done') {
        settled = true;
        fields.push(...(m.fields as string[]));
        void worker.terminate();
        resolve({ count: m.count as number, root: m.root as string });
      } else if (m.type === 'error') {
        const at = m.line ? `:${m.line as number}` : '';
        fail(new UsageError(`--file ${file}${at}: ${m.message as string}`));
      }
    });
    worker.on('error', (e) => fail(e));
    worker.on('exit', (code) => {
      if (!settled) fail(new Error(`snapshot worker stopped (exit ${code})`));
    });
  });
}

/** Stream records (org or export file) into a new snapshot; its Merkle root goes to the evidence log. */
export async function takeSnapshot(
  ctx: Context,
  opts: SnapshotOptions,
  deps: Deps = defaultDeps,
): Promise<SnapshotResult> {
  if (!API_NAME.test(opts.object)) throw new UsageError(`--object: "${opts.object}" is not an sObject API name`);
  if (opts.file && (opts.where || opts.allFields || opts.fields)) {
    throw new UsageError('--file takes the records as they are: --where, --fields and --all-fields are for the org');
  }
  const started = ctx.now();
  const t0 = performance.now();
  const store = ctx.store();
  let writer: SnapshotWriter | undefined;
  let source: AsyncIterable<Rec>;
  let fields: string[];
  const file = opts.file ? path.resolve(ctx.cwd, opts.file) : undefined;
  let sourceName: string;
  let line = 0;
  if (file) {
    readable(file, '--file');
    sourceName = `file:${path.basename(file)}`;
    fields = [];
    source = (async function* () {
      for await (const r of readRecordFile(file, '--file')) {
        line = r.line;
        if (typeof r.rec.Id !== 'string' || !r.rec.Id)
          throw new UsageError(`--file ${file}:${line}: the record has no Id`);
        if (!fields.length) fields.push(...Object.keys(r.rec));
        yield r.rec;
      }
    })();
  } else {
    const client = await deps.connect(ctx, opts.org);
    fields = await fieldsFor(client, opts);
    await ensureReadBudget(client, opts.object, opts.where, opts.bulk, 'a snapshot of');
    const soql = `SELECT ${fields.join(', ')} FROM ${opts.object}${opts.where ? ` WHERE ${opts.where}` : ''} ORDER BY Id`;
    sourceName = `org:${client.instanceUrl}`;
    source = (async function* () {
      try {
        if (opts.bulk) {
          for await (const r of client.bulkQuery(soql)) yield r as Rec;
        } else {
          for await (const r of client.query(soql, { batchSize: 2000 })) yield normalizeRecord(r);
        }
      } catch (e) {
        queryUsage(e, opts.where);
      }
    })();
  }
  const newWriter = () =>
    new SnapshotWriter(store.db, {
      object: opts.object,
      source: sourceName,
      where: opts.where ?? null,
      fields,
      startedAt: iso(started),
      incident: ctx.incident(),
    });
  const complete = (
    w: SnapshotWriter,
    external?: { count: number; root: string; fields?: string[] },
  ): SnapshotResult => {
    const takenAt = iso(ctx.now());
    const done = w.finish(takenAt, external);
    const entry = ctx.store().append({
      kind: 'snapshot.created',
      incident: ctx.incident(),
      actor: ctx.actor(),
      ts: takenAt,
      payload: {
        snapshotId: done.id,
        object: opts.object,
        source: sourceName,
        where: opts.where ?? null,
        fields,
        count: done.count,
        merkleRoot: done.merkleRoot,
        merkle: 'RFC 9162 MTH over the RFC 8785 canonical JSON of each record, in stored order',
        startedAt: iso(started),
        takenAt,
      },
    });
    const seconds = (performance.now() - t0) / 1000;
    const { n: _n, ...rest } = getSnapshot(store.db, done.id)!;
    return {
      ...rest,
      evidenceSeq: entry.seq,
      seconds,
      recordsPerSecond: Math.round(done.count / Math.max(seconds, 1e-6)),
    };
  };
  if (file && useWorker(ctx, file)) {
    writer = newWriter();
    try {
      const res = await feedFromWorker(writer, file, fields);
      return complete(writer, { ...res, fields });
    } catch (e) {
      writer.abort();
      throw e;
    }
  }
  try {
    for await (const rec of source) {
      writer ??= newWriter();
      try {
        writer.add(rec);
      } catch (e) {
        throw new UsageError(`${file ? `--file ${file}:${line}` : 'org'}: ${(e as Error).message}`);
      }
      if (writer.count % 100_000 === 0) status(ctx, `  ${writer.count} records`);
    }
    return complete(writer ?? newWriter());
  } catch (e) {
    writer?.abort();
    throw e;
  }
}

export function requireSnapshot(ctx: Context, id: string, flag: string) {
  const snap = getSnapshot(ctx.store({ create: false }).db, id);
  if (!snap) throw new UsageError(`${flag}: no snapshot ${id}`, { hint: 'lockout snapshot list shows them' });
  if (!snap.takenAt) throw new UsageError(`${flag}: snapshot ${id} is incomplete (interrupted); take a new one`);
  return snap;
}

export const snapshotList = (ctx: Context, object?: string): SnapshotMeta[] =>
  listSnapshots(ctx.store({ create: false }).db, object);

export interface SnapshotShow extends SnapshotMeta {
  /** Recomputed from the stored records: proves the stored records are the ones the root was taken over. */
  recomputedRoot: string;
  rootMatches: boolean;
  sample: Rec[];
}

/** Show a snapshot and recompute its Merkle root from the stored canonical JSON (and each record's sha256). */
export function snapshotShow(ctx: Context, id: string, sample = 5): SnapshotShow {
  const snap = requireSnapshot(ctx, id, 'snapshot show');
  const db = ctx.store({ create: false }).db;
  const m = new MerkleBuilder();
  const rows: Rec[] = [];
  let badHash: string | null = null;
  for (const r of snapshotRecords(db, snap.n)) {
    m.push(r.json);
    if (!badHash && sha256Text(r.json) !== r.sha256) badHash = r.id;
    if (rows.length < sample) rows.push(JSON.parse(r.json) as Rec);
  }
  const root = m.root();
  const { n: _n, ...meta } = snap;
  return { ...meta, recomputedRoot: root, rootMatches: root === snap.merkleRoot && !badHash, sample: rows };
}

/** Remove snapshots: by id, older than a time, all but the newest N per object, or incomplete ones. */
export function snapshotPrune(
  ctx: Context,
  opts: { ids?: string[]; olderThan?: Date; keep?: number; incomplete?: boolean },
): { removed: string[] } {
  if (!opts.ids?.length && !opts.olderThan && opts.keep === undefined && !opts.incomplete) {
    throw new UsageError('snapshot prune: say what to remove: <id...>, --older-than, --keep or --incomplete');
  }
  const store = ctx.store({ create: false });
  const all = listSnapshots(store.db);
  const doomed = new Set<string>();
  for (const id of opts.ids ?? []) {
    if (!all.some((s) => s.id === id)) throw new UsageError(`snapshot prune: no snapshot ${id}`);
    doomed.add(id);
  }
  if (opts.olderThan) for (const s of all) if ((s.takenAt ?? s.startedAt) < iso(opts.olderThan)) doomed.add(s.id);
  if (opts.incomplete) for (const s of all) if (!s.takenAt) doomed.add(s.id);
  if (opts.keep !== undefined) {
    const byObject = new Map<string, SnapshotMeta[]>();
    for (const s of all.filter((x) => x.takenAt)) byObject.set(s.object, [...(byObject.get(s.object) ?? []), s]);
    for (const list of byObject.values()) {
      list.sort((a, b) => (a.takenAt! < b.takenAt! ? 1 : -1));
      for (const s of list.slice(opts.keep)) doomed.add(s.id);
    }
  }
  const removed = deleteSnapshots(store.db, [...doomed]);
  if (removed.length) {
    store.append({
      kind: 'snapshot.pruned',
      incident: ctx.incident(),
      actor: ctx.actor(),
      ts: iso(ctx.now()),
      payload: { removed },
    });
  }
  return { removed };
}

export interface SnapshotVerifyResult extends VerifyResult {
  mode: 'snapshot';
  snapshotId: string;
  object: string;
  against: string;
  ok: boolean;
}

/** Compare the org (or an export file) with a snapshot: unchanged, changed (which fields), added, deleted. */
export async function verifySnapshot(
  ctx: Context,
  opts: { snapshot: string; file?: string; org: OrgFlags; limit?: number; bulk?: boolean },
  deps: Deps = defaultDeps,
): Promise<SnapshotVerifyResult> {
  const snap = requireSnapshot(ctx, opts.snapshot, '--snapshot');
  const db = ctx.store({ create: false }).db;
  const lookup = snapshotLookup(db, snap.n);
  const fields = snap.fields.length ? snap.fields : undefined;
  const acc = new VerifyAccumulator(fields, opts.limit);
  const seen = new Set<string>();
  let against: string;
  const take = (rec: Rec) => {
    const id = String(rec.Id);
    seen.add(id);
    const twin = lookup(id);
    const cur: Rec = {};
    if (fields) for (const f of fields) cur[f] = rec[f] ?? null;
    const current = fields ? cur : rec;
    acc.seen(id, current, twin, twin ? sha256Text(canonicalRecord(current)) : undefined);
  };
  if (opts.file) {
    const file = path.resolve(ctx.cwd, opts.file);
    against = `file:${path.basename(file)}`;
    for await (const { rec, line } of readRecordFile(file, '--file')) {
      if (typeof rec.Id !== 'string' || !rec.Id) throw new UsageError(`--file ${file}:${line}: the record has no Id`);
      take(rec);
    }
  } else {
    const client = await deps.connect(ctx, opts.org);
    against = `org:${client.instanceUrl}`;
    await ensureReadBudget(client, snap.object, snap.where ?? undefined, opts.bulk, 'verifying against');
    const soql = `SELECT ${snap.fields.join(', ')} FROM ${snap.object}${snap.where ? ` WHERE ${snap.where}` : ''} ORDER BY Id`;
    if (opts.bulk) for await (const r of client.bulkQuery(soql)) take(r as Rec);
    else for await (const r of client.query(soql, { batchSize: 2000 })) take(normalizeRecord(r));
  }
  for (const r of snapshotRecords(db, snap.n)) if (!seen.has(r.id)) acc.deleted(r.id);
  const res = acc.finish();
  const c = res.counts;
  const result: SnapshotVerifyResult = {
    mode: 'snapshot',
    snapshotId: snap.id,
    object: snap.object,
    against,
    ok: c.changed === 0 && c.added === 0 && c.deleted === 0,
    ...res,
  };
  evidence(ctx, 'verify.completed', {
    mode: 'snapshot',
    snapshotId: snap.id,
    merkleRoot: snap.merkleRoot,
    object: snap.object,
    against,
    ok: result.ok,
    counts: c,
    fieldCounts: res.fieldCounts,
    changed: res.changed,
    added: res.added,
    deleted: res.deleted,
    truncated: res.truncated,
  });
  return result;
}

export interface ManifestResult extends Manifest {
  path: string;
}

/** Write a checksum manifest (sha256 of the file and its row count) next to a Data Loader file or to `out`. */
export async function createManifest(ctx: Context, opts: { file: string; out?: string }): Promise<ManifestResult> {
  const file = readable(path.resolve(ctx.cwd, opts.file), 'manifest');
  const m = await computeManifest(file, 'manifest', iso(ctx.now()));
  const out = path.resolve(ctx.cwd, opts.out ?? `${opts.file}.manifest.json`);
  writeFileAtomic(out, `${JSON.stringify(m, null, 2)}\n`, { flag: '--out' });
  evidence(ctx, 'manifest.created', {
    file: m.file,
    sha256: m.sha256,
    rows: m.rows,
    bytes: m.bytes,
    manifest: path.basename(out),
  });
  return { ...m, path: out };
}

export interface ManifestVerifyResult {
  mode: 'manifest';
  ok: boolean;
  file: string;
  manifest: string;
  expected: { sha256: string; rows: number };
  actual: { sha256: string; rows: number };
  mismatches: ManifestMismatch[];
}

/** Check a file against its approved manifest. */
export async function verifyManifest(
  ctx: Context,
  opts: { file: string; manifest: string },
): Promise<ManifestVerifyResult> {
  const file = readable(path.resolve(ctx.cwd, opts.file), '--file');
  const mfile = readable(path.resolve(ctx.cwd, opts.manifest), '--manifest');
  const expected = parseManifest(readFileSync(mfile, 'utf8'), mfile);
  const actual = await computeManifest(file, '--file', iso(ctx.now()));
  const mismatches = compareManifest(expected, actual).filter((m) => !(m.field === 'bytes' && !expected.bytes));
  const result: ManifestVerifyResult = {
    mode: 'manifest',
    ok: mismatches.length === 0,
    file,
    manifest: mfile,
    expected: { sha256: expected.sha256, rows: expected.rows },
    actual: { sha256: actual.sha256, rows: actual.rows },
    mismatches,
  };
  evidence(ctx, 'verify.completed', {
    mode: 'manifest',
    file: path.basename(file),
    ok: result.ok,
    expected: result.expected,
    actual: result.actual,
    mismatches,
  });
  return result;
}
