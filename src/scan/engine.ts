import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { flatten, objectFromLabel } from './fields.js';
import { evaluatePiece, type Batch, type BatchResult, type Evaluator } from './evaluate.js';
import { badInput } from './sources.js';
import { CHECK_EVERY, GROWTH_BYTES, maybeCollect, WORKER_GROWTH_BYTES, WORKER_YOUNG_MB } from './gc.js';
import { Spool } from './spool.js';
import { HeavyHitters } from './population.js';
import { reference, type Reference } from './reference.js';
import { defaultPopulationRules, defaultRules, RULES_VERSION } from './registry.js';
import type { CohortVerdict, PopulationRule, RecordRule } from './rule.js';
import { atLeast, combine, levelOf } from './score.js';
import type { CohortFinding, Finding, Level, Reason, ScanRecord, ScanSource, Thresholds } from './types.js';
import { detectObject, type Layout } from './view.js';

/** Accepted record ids and field values (`--allowlist`). */
export interface Allowlist {
  ids: ReadonlySet<string>;
  /** lower-case field name -> accepted values (trimmed, lower case) */
  values: ReadonlyMap<string, ReadonlySet<string>>;
}

/** A previous run's findings (`--baseline`): id -> level it had. */
export type Baseline = ReadonlyMap<string, Level>;

export interface ScanOptions {
  thresholds: Thresholds;
  /** Findings below this score are not listed. Default: the low threshold. */
  minScore?: number;
  /** sObject type for every source (`--object`). */
  object?: string;
  /** Extra field roles (config `scan.fields`). */
  fields?: Record<string, string>;
  /** Rule ids switched off (config `scan.disable`). */
  disable?: readonly string[];
  rules?: readonly RecordRule[];
  population?: readonly PopulationRule[];
  /** Worker threads; 1 evaluates in this thread. */
  jobs?: number;
  allowlist?: Allowlist;
  baseline?: Baseline;
  /** Keep the flagged input rows (for `--format csv`). */
  keepRows?: boolean;
  ref?: Reference;
  /** Monotonic milliseconds, for the duration. */
  clock?: () => number;
  onProgress?: (records: number) => void;
  /**
   * When set, each listed finding goes here as soon as it is decided and `findings` stays empty: memory stays
   * bounded for streaming formats (jsonl). The summary is the same.
   */
  onFinding?: (finding: Finding) => void;
  /** Characters of candidates held in memory before they spill to a temporary file (default 8 MB). */
  spoolChars?: number;
}

export interface InputSummary {
  file: string;
  object: string;
  sha256: string | null;
  rows: number;
  skipped: number;
}

export interface ScanSummary {
  recordsRead: number;
  recordsSkipped: number;
  findings: { total: number; low: number; medium: number; high: number };
  byRule: Record<string, number>;
  byObject: Record<string, number>;
  cohorts: CohortFinding[];
  inputs: InputSummary[];
  rulesVersion: string;
  rules: string[];
  thresholds: Thresholds;
  minScore: number;
  allowlisted: number;
  baselineSuppressed: number;
  durationMs: number;
}

/** A flagged record as the evidence log keeps it: ids and judgement, no personal field values. */
export interface FlaggedRecord {
  id: string;
  object: string;
  level: Level;
  score: number;
  rules: string[];
  country: string | null;
  createdDate?: string;
  createdById?: string;
}

export interface ScanResult {
  summary: ScanSummary;
  findings: Finding[];
  /** The input row of each finding (same index), when `keepRows` was set. */
  rows: Record<string, string | null>[];
  /** Every finding as an evidence record (same index as `findings`). */
  flagged: FlaggedRecord[];
  /** Every finding before baseline filtering, for `--update-baseline`. */
  unfiltered: { id: string; level: Level }[];
}

interface Candidate {
  id: string;
  object: string;
  file: string;
  line: number;
  reasons: Reason[];
  keys: string[];
  country: string | null;
  createdDate?: string;
  createdById?: string;
  row?: Record<string, string | null>;
}

const BATCH = 256;
/** Rows per batch from a batch source (a worker gets this many at once). */
const BATCH_ROWS = 2048;

const SKETCH_CAPACITY = 20_000;
const WORKER_URL = new URL('./worker.js', import.meta.url);

/** Whether worker threads can run here (the compiled worker exists; not when running from TypeScript sources). */
export const workersAvailable = (): boolean => existsSync(fileURLToPath(WORKER_URL));

/**
 * Worker threads, started one after another: the next starts when the previous has answered its first batch, that
 * is, when it has loaded the reference data its rules use and collected the loading garbage. Started together,
 * every worker would hold that garbage at the same moment, and the peak memory with them.
 */
class Pool {
  private workers: Worker[] = [];
  private next = 0;
  private waiting = new Map<number, { resolve: (r: BatchResult) => void; reject: (e: unknown) => void }>();
  constructor(
    private readonly size: number,
    private readonly data: unknown,
  ) {
    this.spawn();
  }
  private spawn(): void {
    const w = new Worker(WORKER_URL, {
      workerData: this.data,
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB },
    });
    let first = true;
    w.on('message', (m: BatchResult) => {
      this.waiting.get(m.seq)?.resolve(m);
      this.waiting.delete(m.seq);
      if (first && this.workers.length < this.size) this.spawn();
      first = false;
    });
    w.on('error', (e) => {
      for (const p of this.waiting.values()) p.reject(e);
      this.waiting.clear();
    });
    this.workers.push(w);
  }
  submit(batch: Batch): Promise<BatchResult> {
    return new Promise((resolve, reject) => {
      this.waiting.set(batch.seq, { resolve, reject });
      this.workers[this.next++ % this.workers.length]!.postMessage(batch);
    });
  }
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/**
 * Scan sources once, streaming: record rules per record (in worker threads with `jobs` > 1), population rules over
 * bounded cohort counts, then scores, levels, allowlist and baseline. Reused unchanged for live org scans.
 */
export async function runScan(
  sources: AsyncIterable<ScanSource> | Iterable<ScanSource>,
  opts: ScanOptions,
): Promise<ScanResult> {
  const clock = opts.clock ?? (() => performance.now());
  const started = clock();
  const ref = opts.ref ?? reference();
  const disabled = new Set(opts.disable ?? []);
  const rules = (opts.rules ?? defaultRules).filter((r) => !disabled.has(r.id));
  const population = (opts.population ?? defaultPopulationRules).filter((r) => !disabled.has(r.id));
  const tracked = new Set(population.filter((p) => p.track).map((p) => p.id));
  const ev: Evaluator = {
    rules,
    population,
    fields: opts.fields ?? {},
    ref,
    low: opts.thresholds.low,
    allowlist: opts.allowlist,
    keepRows: opts.keepRows,
  };
  const t = opts.thresholds;
  const minScore = opts.minScore ?? t.low;
  const jobs = Math.max(1, opts.jobs ?? 1);
  const pool =
    jobs > 1 && workersAvailable()
      ? new Pool(jobs, {
          ruleIds: rules.map((r) => r.id),
          populationIds: population.map((p) => p.id),
          fields: ev.fields,
          // Workers must judge exactly as this thread does: the flagged bar of cohort counts and the allowlist.
          low: ev.low,
          allowlist: ev.allowlist,
          keepRows: ev.keepRows,
        })
      : null;

  const counts = new HeavyHitters(SKETCH_CAPACITY);
  const flaggedCounts = new HeavyHitters(SKETCH_CAPACITY);
  const base = new HeavyHitters(SKETCH_CAPACITY);
  const candidates = new Spool<Candidate>(opts.spoolChars);
  const inputs: InputSummary[] = [];
  const layouts = new Map<string, Layout>();
  let recordsRead = 0;
  let recordsSkipped = 0;
  let allowlisted = 0;
  let seq = 0;

  // The first check comes with the first batch: it measures the live set right after reference data is loaded.
  let nextCheck = 0;
  let sourceRows = 0;
  const absorb = (batch: Batch, result: BatchResult) => {
    if (result.error) throw badInput(batch.file, result.error.line, result.error.message);
    allowlisted += result.allowlisted;
    const before = recordsRead;
    recordsRead += result.rows;
    sourceRows += result.rows;
    for (const [key, n, f] of result.counts) {
      counts.add(key, n);
      if (f) flaggedCounts.add(key, f);
    }
    for (const [b, n] of result.bases) base.add(b, n);
    for (const c of result.candidates) {
      let row: Record<string, string | null> | undefined;
      if (opts.keepRows && c.values) {
        row = {};
        for (let j = 0; j < batch.header.length; j++) row[batch.header[j]!] = c.values[j] ?? null;
      }
      candidates.push({
        id: c.id,
        object: batch.object,
        file: batch.file,
        line: c.line,
        reasons: c.reasons,
        keys: c.keys,
        country: c.country,
        createdDate: c.createdDate,
        createdById: c.createdById,
        row,
      });
    }
    if (opts.onProgress && Math.floor(recordsRead / 10_000) > Math.floor(before / 10_000)) {
      opts.onProgress(recordsRead);
    }
    if (recordsRead >= nextCheck) {
      nextCheck = recordsRead + CHECK_EVERY;
      // With workers this thread only reads and merges: its live set is small, so is its allowance.
      maybeCollect(pool ? WORKER_GROWTH_BYTES : GROWTH_BYTES);
    }
  };

  const inflight: { batch: Batch; result: Promise<BatchResult> }[] = [];
  const drain = async (keep: number) => {
    while (inflight.length > keep) {
      const head = inflight.shift()!;
      absorb(head.batch, await head.result);
    }
  };
  const submit = async (batch: Batch) => {
    if (pool) {
      inflight.push({ batch, result: pool.submit(batch) });
      await drain(jobs * 4);
    } else {
      absorb(batch, evaluatePiece(batch, ev, layouts));
    }
  };

  try {
    return await finish();
  } finally {
    candidates.close();
  }

  async function finish(): Promise<ScanResult> {
    try {
      for await (const src of sources) {
        let object: string | null = opts.object ?? src.object ?? null;
        let header: string[] | null = null;
        let headerKey = '';
        let rows: (string | null)[][] = [];
        let lines: number[] = [];
        let ordinal = 0;
        const flush = async () => {
          if (!rows.length || !header) return;
          const batch: Batch = { seq: seq++, file: src.label, object: object!, header, rows, lines };
          rows = [];
          lines = [];
          await submit(batch);
        };
        const submitRows = async (b: { rows: (string | null)[][]; lines: number[] }) => {
          if (!header) {
            header = [...src.header!()];
            if (!object) {
              const idCol = header.findIndex((h) => h.toLowerCase() === 'id');
              object = detectObject(idCol >= 0 ? { Id: b.rows[0]?.[idCol] ?? null } : {}, objectFromLabel(src.label));
            }
          }
          for (let i = 0; i < b.rows.length; i += BATCH_ROWS) {
            const whole = i === 0 && b.rows.length <= BATCH_ROWS;
            await submit({
              seq: seq++,
              file: src.label,
              object: object!,
              header: header!,
              rows: whole ? b.rows : b.rows.slice(i, i + BATCH_ROWS),
              lines: whole ? b.lines : b.lines.slice(i, i + BATCH_ROWS),
            });
          }
        };
        sourceRows = 0;
        const viaPieces = !!(pool && src.pieces);
        if (viaPieces) {
          // Worker threads split the file themselves: this thread only cuts it at record boundaries.
          for await (const piece of src.pieces!) {
            if ('rows' in piece) await submitRows(piece);
            else {
              // Byte pieces come after the first rows (see csvSource), so the header and object are known.
              await submit({
                seq: seq++,
                file: src.label,
                object: object!,
                header: header!,
                rows: [],
                lines: [],
                bytes: piece.bytes,
                line: piece.line,
              });
            }
          }
          // This file's rows are counted when its last results are in.
          await drain(0);
        } else if (src.batches) {
          // Whole batches of rows (CSV files): no per-record step between the reader and the rules.
          for await (const b of src.batches) await submitRows(b);
        }
        for await (const rec of src.records ?? []) {
          ordinal += 1;
          if (Array.isArray(rec)) {
            // Array rows of a fixed header (CSV): no per-record object.
            const fixed = src.header!();
            if (fixed !== header) {
              await flush();
              header = [...fixed];
              headerKey = header.join('\u0001');
            }
            if (!object) {
              const idCol = header.findIndex((h) => h.toLowerCase() === 'id');
              object = detectObject(
                idCol >= 0 ? { Id: (rec[idCol] as string | null) ?? null } : {},
                objectFromLabel(src.label),
              );
            }
            rows.push(rec as (string | null)[]);
          } else {
            const flat = flatten(rec as ScanRecord);
            if (!object) object = detectObject(flat, objectFromLabel(src.label));
            const keys = Object.keys(flat);
            const key = keys.join('\u0001');
            if (key !== headerKey) {
              await flush();
              header = keys;
              headerKey = key;
            }
            rows.push(keys.map((k) => flat[k] ?? null));
          }
          lines.push(src.line ? src.line() : ordinal);
          if (rows.length >= BATCH) await flush();
        }
        await flush();
        const stats = src.stats?.();
        recordsSkipped += stats?.skipped ?? 0;
        inputs.push({
          file: src.label,
          object: object ?? 'Unknown',
          sha256: stats?.sha256 ?? null,
          rows: viaPieces ? sourceRows : (stats?.rows ?? ordinal),
          skipped: stats?.skipped ?? 0,
        });
      }
      await drain(0);
    } finally {
      await pool?.close();
    }

    // Population verdicts over the bounded counts; a member gets the strongest verdict of each rule.
    const verdicts = new Map<string, { rule: string; v: CohortVerdict }>();
    const cohorts: CohortFinding[] = [];
    for (const p of population) {
      for (const v of p.judge({ count: counts.counts, flagged: flaggedCounts.counts, base: base.counts })) {
        verdicts.set(v.key, { rule: p.id, v });
        cohorts.push({ rule: p.id, cohort: v.cohort, members: v.members, statistic: v.statistic, message: v.message });
      }
    }

    const findings: Finding[] = [];
    const byRule: Record<string, number> = {};
    const byObject: Record<string, number> = {};
    const byLevel = { total: 0, low: 0, medium: 0, high: 0 };
    const rows: Record<string, string | null>[] = [];
    const flagged: FlaggedRecord[] = [];
    const unfiltered: { id: string; level: Level }[] = [];
    let baselineSuppressed = 0;
    let read = 0;
    for (const c of candidates.items()) {
      if (++read % CHECK_EVERY === 0) maybeCollect();
      const reasons = [...c.reasons];
      const added = new Map<string, Reason>();
      for (const k of c.keys) {
        const hit = verdicts.get(k);
        if (!hit) continue;
        const trackedOnly = tracked.has(hit.rule);
        if (!trackedOnly && c.reasons.length === 0) continue;
        const prev = added.get(hit.rule);
        if (!prev || prev.weight < hit.v.weight) {
          added.set(hit.rule, {
            rule: hit.rule,
            field: hit.v.field,
            evidence: hit.v.evidence,
            message: hit.v.message,
            weight: hit.v.weight,
          });
        }
      }
      reasons.push(...added.values());
      if (!reasons.length) continue;
      const score = combine(reasons);
      if (score < minScore || score === 0) continue;
      // Below the low threshold a record is listed only when --min-score asks for it, and then counts as low.
      const level = levelOf(score, t) ?? 'low';
      unfiltered.push({ id: c.id, level });
      const before = opts.baseline?.get(c.id);
      if (before && atLeast(before, level)) {
        baselineSuppressed += 1;
        continue;
      }
      reasons.sort((a, b) => b.weight - a.weight);
      const finding: Finding = { id: c.id, object: c.object, file: c.file, line: c.line, score, level, reasons };
      byLevel.total += 1;
      byLevel[level] += 1;
      byObject[c.object] = (byObject[c.object] ?? 0) + 1;
      for (const r of new Set(reasons.map((x) => x.rule))) byRule[r] = (byRule[r] ?? 0) + 1;
      if (opts.onFinding) opts.onFinding(finding);
      else findings.push(finding);
      if (opts.keepRows && c.row) rows.push(c.row);
      flagged.push({
        id: c.id,
        object: c.object,
        level,
        score,
        rules: [...new Set(reasons.map((r) => r.rule))],
        country: c.country,
        ...(c.createdDate ? { createdDate: c.createdDate } : {}),
        ...(c.createdById ? { createdById: c.createdById } : {}),
      });
    }

    return {
      summary: {
        recordsRead,
        recordsSkipped,
        findings: byLevel,
        byRule,
        byObject,
        cohorts,
        inputs,
        rulesVersion: RULES_VERSION,
        rules: [...rules.map((r) => r.id), ...population.map((p) => p.id)],
        thresholds: t,
        minScore,
        allowlisted,
        baselineSuppressed,
        durationMs: Math.round(clock() - started),
      },
      findings,
      rows,
      flagged,
      unfiltered,
    };
  }
}
