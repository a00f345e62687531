import type { ChainedEntry } from '../store/chain.js';

/**
 * Playbook runs live only in the evidence log (no table of their own): a run's state is a fold over its
 * `playbook.*` entries, so what `--resume` continues from is exactly what the chain proves was done.
 */
export const PLAYBOOK_KINDS = [
  'playbook.started',
  'playbook.resumed',
  'playbook.step.started',
  'playbook.step.completed',
  'playbook.stopped',
  'playbook.completed',
] as const;

export type StepOutcome = 'done' | 'skipped' | 'decided' | 'not-applicable' | 'failed';

export interface StepRecord {
  step: string;
  outcome: StepOutcome;
  seq: number;
  actor: string;
  ts: string;
  decision?: string;
  decidedBy?: string;
  role?: string;
  reason?: string;
  exitCode?: number;
}

export interface RunState {
  run: string;
  playbook: string;
  incident: string | null;
  startedAt: string;
  startedBy: string;
  /** sha256 of the playbook file when the run started. */
  sha256: string | null;
  vars: Record<string, string>;
  /** The latest record of each step (a failed step that was retried shows its retry). */
  steps: Map<string, StepRecord>;
  /** Steps started and never completed: the process died or was killed during them. */
  interrupted: Set<string>;
  finished: boolean;
  stopped: { step: string | null; reason: string } | null;
  lastSeq: number;
}

/** Steps that count as done for resuming: everything but a failure. */
export const settled = (r: StepRecord | undefined): boolean => !!r && r.outcome !== 'failed';

const rec = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Fold `playbook.*` entries (in seq order) into runs, keyed by run id. Pure. */
export function foldRuns(entries: Iterable<ChainedEntry>): Map<string, RunState> {
  const runs = new Map<string, RunState>();
  for (const e of entries) {
    const p = rec(e.payload);
    const id = str(p.run);
    if (!id) continue;
    if (e.kind === 'playbook.started') {
      runs.set(id, {
        run: id,
        playbook: str(p.playbook) ?? '',
        incident: e.incident,
        startedAt: e.ts,
        startedBy: e.actor,
        sha256: str(p.sha256) ?? null,
        vars: Object.fromEntries(Object.entries(rec(p.vars)).filter(([, v]) => typeof v === 'string')) as Record<
          string,
          string
        >,
        steps: new Map(),
        interrupted: new Set(),
        finished: false,
        stopped: null,
        lastSeq: e.seq,
      });
      continue;
    }
    const run = runs.get(id);
    if (!run) continue;
    run.lastSeq = e.seq;
    if (e.kind === 'playbook.resumed') {
      for (const [k, v] of Object.entries(rec(p.vars))) if (typeof v === 'string') run.vars[k] = v;
      run.stopped = null;
    } else if (e.kind === 'playbook.step.started') {
      const step = str(p.step);
      if (step) run.interrupted.add(step);
      // Values asked for during the run (a variable's `from`) are kept for the steps after a resume.
      for (const [k, v] of Object.entries(rec(p.learned))) if (typeof v === 'string') run.vars[k] = v;
    } else if (e.kind === 'playbook.step.completed') {
      const step = str(p.step);
      if (!step) continue;
      run.interrupted.delete(step);
      run.steps.set(step, {
        step,
        outcome: (str(p.outcome) ?? 'failed') as StepOutcome,
        seq: e.seq,
        actor: e.actor,
        ts: e.ts,
        decision: str(p.decision),
        decidedBy: str(p.decidedBy),
        role: str(p.role),
        reason: str(p.reason),
        exitCode: typeof p.exitCode === 'number' ? p.exitCode : undefined,
      });
    } else if (e.kind === 'playbook.stopped') {
      run.stopped = { step: str(p.step) ?? null, reason: str(p.reason) ?? '' };
      // A stop is orderly: the step it names was not cut off half-way.
      if (run.stopped.step) run.interrupted.delete(run.stopped.step);
    } else if (e.kind === 'playbook.completed') {
      run.finished = true;
    }
  }
  return runs;
}

/** The run `--resume` continues: the newest unfinished run of this playbook (in this incident, when given). */
export function runToResume(runs: Map<string, RunState>, playbook: string, incident: string | null): RunState | null {
  const open = [...runs.values()].filter(
    (r) => r.playbook === playbook && !r.finished && (incident === null || r.incident === incident),
  );
  return open.sort((a, b) => b.lastSeq - a.lastSeq)[0] ?? null;
}

/** The id for the next run, given how many runs were started before: PB-0001, PB-0002, ... */
export const runId = (startedBefore: number): string => `PB-${String(startedBefore + 1).padStart(4, '0')}`;
