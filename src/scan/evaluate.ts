import type { PopulationRule, RecordRule } from './rule.js';
import type { Reference } from './reference.js';
import { combine } from './score.js';
import type { RecordView } from './view.js';
import type { Reason } from './types.js';
import { buildRowView, layoutFor, type Layout } from './view.js';
import { CsvError, CsvSplitter, MAX_RECORD_CHARS, type CsvRows } from './csv.js';

/** A batch of records of one source, as sent to a worker: the header once, then rows of values. */
export interface Batch {
  seq: number;
  file: string;
  object: string;
  header: string[];
  rows: (string | null)[][];
  /** Input line of each row (ids of records without an Id are `<file>:<line>`). */
  lines: number[];
  /**
   * Instead of `rows` and `lines` (worker threads): whole CSV records as bytes, starting on input line `line`, to be
   * split by the worker (see CsvCutter).
   */
  bytes?: Uint8Array;
  line?: number;
}

/** A record worth keeping: it has record-level reasons or belongs to a tracked cohort. */
export interface BatchCandidate {
  /** Input line of the record. */
  line: number;
  /** The record's values in header order, when the evaluator keeps rows (`--format csv`). */
  values?: (string | null)[];
  id: string;
  reasons: Reason[];
  keys: string[];
  /** What the evidence log keeps of the record besides its id (see FlaggedRecord). */
  country: string | null;
  createdDate?: string;
  createdById?: string;
}

/**
 * What evaluating a batch yields: the candidates, and cohort counts aggregated over the batch (so a worker sends
 * back a few entries per batch rather than one object per record).
 */
export interface BatchResult {
  seq: number;
  /** Records evaluated (allowlisted ones included). */
  rows: number;
  /** A malformed record in a byte batch: nothing else is set. */
  error?: { line: number; message: string };
  candidates: BatchCandidate[];
  /** [cohort key, records, records flagged by record-level rules] */
  counts: [string, number, number][];
  /** [cohort base, records] */
  bases: [string, number][];
  allowlisted: number;
}

/** Accepted ids and field values, as evaluation applies them. */
export interface EvalAllowlist {
  ids: ReadonlySet<string>;
  /** lower-case field name -> accepted values (trimmed, lower case) */
  values: ReadonlyMap<string, ReadonlySet<string>>;
}

/** Everything evaluation needs besides the records. */
export interface Evaluator {
  rules: readonly RecordRule[];
  population: readonly PopulationRule[];
  fields: Record<string, string>;
  ref: Reference;
  /** Score at which a record counts as flagged in cohort statistics (the low threshold). */
  low: number;
  allowlist?: EvalAllowlist;
  /** Return each candidate's values (for `--format csv`). */
  keepRows?: boolean;
}

/** Drop reasons about field values the allowlist accepts. */
function allowReasons(reasons: Reason[], view: RecordView, allow?: EvalAllowlist): Reason[] {
  if (!allow?.values.size || !reasons.length) return reasons;
  const values = view.values;
  const lowerKeys = new Map(Object.keys(values).map((k) => [k.toLowerCase(), k]));
  return reasons.filter((r) => {
    for (const f of r.field.split('+')) {
      const accepted = allow.values.get(f.toLowerCase());
      const key = lowerKeys.get(f.toLowerCase());
      const v = key === undefined ? undefined : values[key];
      if (accepted && v !== undefined && v !== null && accepted.has(v.trim().toLowerCase())) return false;
    }
    return true;
  });
}

/** Evaluate a batch: pure given the reference data. Runs in the main thread or in a worker. */
export function evaluateBatch(batch: Batch, ev: Evaluator, layouts = new Map<string, Layout>()): BatchResult {
  const lk = `${batch.object}\u0000${batch.header.join('\u0001')}`;
  let layout = layouts.get(lk);
  if (!layout) {
    layout = layoutFor(batch.header, batch.object, ev.fields);
    layouts.set(lk, layout);
  }
  const idCol = batch.header.findIndex((h) => h.toLowerCase() === 'id');
  const tracked = new Set(ev.population.filter((p) => p.track).map((p) => p.id));
  const counts = new Map<string, [number, number]>();
  const bases = new Map<string, number>();
  const candidates: BatchCandidate[] = [];
  let allowlisted = 0;
  for (let i = 0; i < batch.rows.length; i++) {
    const row = batch.rows[i]!;
    const id = (idCol >= 0 ? row[idCol]?.trim() : '') || `${batch.file}:${batch.lines[i]}`;
    if (ev.allowlist?.ids.has(id)) {
      allowlisted += 1;
      continue;
    }
    const view = buildRowView(batch.header, row, layout, ev.ref);
    let reasons: Reason[] = [];
    for (const rule of ev.rules) {
      for (const hit of rule.check(view, ev.ref)) {
        reasons.push({
          rule: rule.id,
          field: hit.field,
          evidence: hit.evidence,
          message: hit.message,
          weight: Math.min(hit.weight, rule.maxWeight),
        });
      }
    }
    reasons = allowReasons(reasons, view, ev.allowlist);
    const flagged = reasons.length > 0 && combine(reasons) >= ev.low ? 1 : 0;
    const keys: string[] = [];
    let keep = reasons.length > 0;
    let lastBase = '';
    for (const p of ev.population) {
      for (const k of p.keys(view, batch.file)) {
        keys.push(k.key);
        const c = counts.get(k.key);
        if (c) {
          c[0] += 1;
          c[1] += flagged;
        } else counts.set(k.key, [1, flagged]);
        if (k.base !== lastBase) {
          bases.set(k.base, (bases.get(k.base) ?? 0) + 1);
          lastBase = k.base;
        }
        if (tracked.has(p.id)) keep = true;
      }
    }
    if (keep) {
      candidates.push({
        line: batch.lines[i]!,
        ...(ev.keepRows ? { values: row } : {}),
        id,
        reasons,
        keys,
        country: view.country,
        createdDate: view.first('createdDate')?.value,
        createdById: view.first('createdById')?.value,
      });
    }
  }
  return {
    seq: batch.seq,
    rows: batch.rows.length,
    candidates,
    counts: [...counts].map(([k, [n, f]]) => [k, n, f]),
    bases: [...bases],
    allowlisted,
  };
}

/** Evaluate a batch that may come as bytes (split here, in the worker) or as rows. */
export function evaluatePiece(batch: Batch, ev: Evaluator, layouts = new Map<string, Layout>()): BatchResult {
  if (!batch.bytes) return evaluateBatch(batch, ev, layouts);
  const out: CsvRows = { rows: [], lines: [] };
  try {
    const splitter = new CsvSplitter(MAX_RECORD_CHARS, { header: batch.header, line: batch.line ?? 1 });
    const bytes = batch.bytes;
    splitter.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), true, out);
  } catch (e) {
    if (!(e instanceof CsvError)) throw e;
    return {
      seq: batch.seq,
      rows: 0,
      error: { line: e.line, message: e.message },
      candidates: [],
      counts: [],
      bases: [],
      allowlisted: 0,
    };
  }
  return evaluateBatch({ ...batch, bytes: undefined, rows: out.rows, lines: out.lines }, ev, layouts);
}
