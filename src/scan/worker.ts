import { parentPort, workerData } from 'node:worker_threads';
import { evaluatePiece, type Batch, type EvalAllowlist } from './evaluate.js';
import { CHECK_EVERY, maybeCollect, WORKER_GROWTH_BYTES } from './gc.js';
import { reference } from './reference.js';
import { defaultPopulationRules, defaultRules } from './registry.js';
import type { Layout } from './view.js';

/** Worker thread entry: evaluates batches with the enabled rules (by id) and posts each result back. */
const data = workerData as {
  ruleIds: string[];
  populationIds: string[];
  fields: Record<string, string>;
  low: number;
  allowlist?: EvalAllowlist;
  keepRows?: boolean;
};
const ev = {
  rules: defaultRules.filter((r) => data.ruleIds.includes(r.id)),
  population: defaultPopulationRules.filter((r) => data.populationIds.includes(r.id)),
  fields: data.fields,
  ref: reference(),
  low: data.low,
  allowlist: data.allowlist,
  keepRows: data.keepRows,
};
const layouts = new Map<string, Layout>();
// The first batch loads the reference data its rules use: collect the loading garbage right after it.
let seen = CHECK_EVERY;
parentPort?.on('message', (batch: Batch) => {
  const result = evaluatePiece(batch, ev, layouts);
  parentPort?.postMessage(result);
  seen += result.rows;
  if (seen >= CHECK_EVERY) {
    seen = 0;
    // Each worker has its own heap: a smaller allowance each keeps the process's total near one thread's.
    maybeCollect(WORKER_GROWTH_BYTES);
  }
});
