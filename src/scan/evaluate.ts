import type { PopulationRule, RecordRule } from './rule.js';
import type { Reference } from './reference.js';
import type { Reason } from './types.js';
import { buildView, layoutFor, type Layout } from './view.js';

/** A batch of records of one source, as sent to a worker: the header once, then rows of values. */
export interface Batch {
  seq: number;
  file: string;
  object: string;
  header: string[];
  rows: (string | null)[][];
}

/** What evaluating one record yields: its reasons and the population cohorts it belongs to. */
export interface Evaluated {
  reasons: Reason[];
  keys: { rule: string; key: string; base: string }[];
}

/** Everything evaluation needs besides the records. */
export interface Evaluator {
  rules: readonly RecordRule[];
  population: readonly PopulationRule[];
  fields: Record<string, string>;
  ref: Reference;
}

/** Evaluate a batch: pure given the reference data. Runs in the main thread or in a worker. */
export function evaluateBatch(batch: Batch, ev: Evaluator, layouts = new Map<string, Layout>()): Evaluated[] {
  const lk = `${batch.object}\u0000${batch.header.join('\u0001')}`;
  let layout = layouts.get(lk);
  if (!layout) {
    layout = layoutFor(batch.header, batch.object, ev.fields);
    layouts.set(lk, layout);
  }
  const out: Evaluated[] = [];
  for (const row of batch.rows) {
    const values: Record<string, string | null> = {};
    for (let i = 0; i < batch.header.length; i++) values[batch.header[i]!] = row[i] ?? null;
    const view = buildView(values, layout, ev.ref);
    const reasons: Reason[] = [];
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
    const keys: { rule: string; key: string; base: string }[] = [];
    for (const p of ev.population) for (const k of p.keys(view, batch.file)) keys.push({ rule: p.id, ...k });
    out.push({ reasons, keys });
  }
  return out;
}
