import os from 'node:os';
import type { DB } from '../store/db.js';
import { Refused, UsageError } from '../errors.js';
import type { Rec } from './records.js';

/**
 * The rollback journal (migration 5). A run's plan and every record's before-image are written before the first
 * write to the org; each batch is marked `sent` before it goes out and `done`/`failed` as results come back, so a
 * crash leaves at most one batch whose outcome must be read back from the org (see `reconcile` in apply.ts).
 */

export type JournalAction = 'delete' | 'quarantine' | 'restore' | 'undelete';
export type JournalState = 'pending' | 'sent' | 'done' | 'failed';
export type RunStatus = 'applying' | 'applied' | 'failed' | 'verified' | 'mismatch' | 'undone' | 'abandoned';

export interface JournalRow {
  runId: string;
  seq: number;
  object: string;
  recordId: string;
  action: JournalAction;
  /** What to write (restore/quarantine). */
  fields: Rec;
  /** Values before the write (the whole record for a delete). */
  beforeImage: Rec;
  state: JournalState;
  batch: number | null;
  /** How the last batch went out: collections, bulk2 (an ingest job), soap (undelete). */
  channel: string | null;
  attempts: number;
  error: string | null;
}

export interface RunRow {
  id: string;
  kind: 'rollback' | 'undo';
  undoOf: string | null;
  incident: string | null;
  actor: string;
  createdAt: string;
  status: RunStatus;
  instanceUrl: string | null;
  orgId: string | null;
  scope: unknown;
  options: unknown;
  summary: unknown;
  plan: unknown;
  finishedAt: string | null;
}

interface RawJournal {
  run_id: string;
  seq: number;
  object: string;
  record_id: string;
  action: JournalAction;
  fields: string;
  before_image: string;
  state: JournalState;
  batch: number | null;
  channel: string | null;
  attempts: number;
  error: string | null;
}

const toRow = (r: RawJournal): JournalRow => ({
  runId: r.run_id,
  seq: r.seq,
  object: r.object,
  recordId: r.record_id,
  action: r.action,
  fields: JSON.parse(r.fields) as Rec,
  beforeImage: JSON.parse(r.before_image) as Rec,
  state: r.state,
  batch: r.batch,
  channel: r.channel,
  attempts: r.attempts,
  error: r.error,
});

export function nextRunId(db: DB): string {
  const row = db
    .prepare("SELECT COALESCE(MAX(CAST(SUBSTR(id, 4) AS INTEGER)), 0) + 1 AS n FROM rollback_runs WHERE id LIKE 'rb-%'")
    .get() as { n: number };
  return `rb-${row.n}`;
}

/** Create a run with its journal in one transaction (nothing is half-written). */
export function createRun(
  db: DB,
  run: Omit<RunRow, 'id' | 'finishedAt' | 'status'>,
  rows: Omit<JournalRow, 'runId' | 'state' | 'batch' | 'channel' | 'attempts' | 'error'>[],
  onCreated: (id: string) => void,
): string {
  return db
    .transaction(() => {
      const id = nextRunId(db);
      db.prepare(
        `INSERT INTO rollback_runs (id, kind, undo_of, incident, actor, created_at, status, instance_url, org_id, scope, options, summary, plan)
       VALUES (?, ?, ?, ?, ?, ?, 'applying', ?, ?, ?, ?, ?, ?)`,
      ).run(
        id,
        run.kind,
        run.undoOf,
        run.incident,
        run.actor,
        run.createdAt,
        run.instanceUrl,
        run.orgId,
        JSON.stringify(run.scope),
        JSON.stringify(run.options),
        JSON.stringify(run.summary),
        JSON.stringify(run.plan),
      );
      const ins = db.prepare(
        `INSERT INTO rollback_journal (run_id, seq, object, record_id, action, fields, before_image, state, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?)`,
      );
      for (const r of rows) {
        ins.run(
          id,
          r.seq,
          r.object,
          r.recordId,
          r.action,
          JSON.stringify(r.fields),
          JSON.stringify(r.beforeImage),
          run.createdAt,
        );
      }
      onCreated(id);
      return id;
    })
    .immediate();
}

export function getRun(db: DB, id: string): RunRow | undefined {
  const r = db.prepare('SELECT * FROM rollback_runs WHERE id = ?').get(id) as Record<string, unknown> | undefined;
  if (!r) return undefined;
  return {
    id: String(r.id),
    kind: r.kind as RunRow['kind'],
    undoOf: (r.undo_of as string | null) ?? null,
    incident: (r.incident as string | null) ?? null,
    actor: String(r.actor),
    createdAt: String(r.created_at),
    status: r.status as RunStatus,
    instanceUrl: (r.instance_url as string | null) ?? null,
    orgId: (r.org_id as string | null) ?? null,
    scope: JSON.parse(String(r.scope)),
    options: JSON.parse(String(r.options)),
    summary: JSON.parse(String(r.summary)),
    plan: JSON.parse(String(r.plan)),
    finishedAt: (r.finished_at as string | null) ?? null,
  };
}

export function requireRun(db: DB, id: string, flag: string): RunRow {
  const run = getRun(db, id);
  if (!run)
    throw new UsageError(`${flag}: no rollback run ${id} in this database`, {
      hint: 'lockout rollback --status lists the runs',
    });
  return run;
}

export function listRuns(db: DB): Omit<RunRow, 'plan'>[] {
  const ids = db.prepare('SELECT id FROM rollback_runs ORDER BY created_at, id').all() as { id: string }[];
  return ids.map(({ id }) => {
    const { plan: _p, ...rest } = getRun(db, id)!;
    return rest;
  });
}

/** Refuse to start a run while an earlier one is interrupted: its in-flight records are not yet known. */
export function refuseIfInterrupted(db: DB): void {
  const run = db
    .prepare("SELECT id FROM rollback_runs WHERE status = 'applying' ORDER BY created_at, id LIMIT 1")
    .get() as { id: string } | undefined;
  if (run) {
    throw new Refused(`run ${run.id} was interrupted and is not finished`, {
      hint: `finish it first: lockout rollback --resume ${run.id} (or, if it can never be finished, lockout rollback --abandon ${run.id})`,
    });
  }
}

export function setRunStatus(db: DB, id: string, status: RunStatus, finishedAt: string | null): void {
  db.prepare('UPDATE rollback_runs SET status = ?, finished_at = ? WHERE id = ?').run(status, finishedAt, id);
}

export function journalRows(db: DB, runId: string, states?: readonly JournalState[]): JournalRow[] {
  const rows = (
    states?.length
      ? db
          .prepare(
            `SELECT * FROM rollback_journal WHERE run_id = ? AND state IN (${states.map(() => '?').join(', ')}) ORDER BY seq`,
          )
          .all(runId, ...states)
      : db.prepare('SELECT * FROM rollback_journal WHERE run_id = ? ORDER BY seq').all(runId)
  ) as RawJournal[];
  return rows.map(toRow);
}

/** Mark rows as sent in batch `batch` over `channel` (committed before the request goes out). */
export function markSent(
  db: DB,
  runId: string,
  seqs: readonly number[],
  batch: number,
  channel: string,
  at: string,
): void {
  const stmt = db.prepare(
    "UPDATE rollback_journal SET state = 'sent', batch = ?, channel = ?, attempts = attempts + 1, updated_at = ? WHERE run_id = ? AND seq = ?",
  );
  db.transaction(() => {
    for (const s of seqs) stmt.run(batch, channel, at, runId, s);
  }).immediate();
}

/** Record per-record outcomes and run `alsoInTx` (the evidence append) in the same transaction. */
export function recordResults(
  db: DB,
  runId: string,
  results: readonly { seq: number; state: JournalState; error: string | null }[],
  at: string,
  alsoInTx: () => void,
): void {
  const stmt = db.prepare(
    'UPDATE rollback_journal SET state = ?, error = ?, updated_at = ? WHERE run_id = ? AND seq = ?',
  );
  db.transaction(() => {
    for (const r of results) stmt.run(r.state, r.error, at, runId, r.seq);
    alsoInTx();
  }).immediate();
}

export function nextBatchNumber(db: DB, runId: string): number {
  const row = db
    .prepare('SELECT COALESCE(MAX(batch), 0) + 1 AS n FROM rollback_journal WHERE run_id = ?')
    .get(runId) as { n: number };
  return row.n;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Take the database's one rollback lock for `runId`. A lock held by a live process refuses (exit 4); a lock left
 * by a process that died (kill -9, crash) on this host is taken over.
 */
export function acquireLock(db: DB, runId: string, at: string): void {
  db.transaction(() => {
    const held = db.prepare('SELECT run_id, pid, host, acquired_at FROM rollback_lock WHERE id = 1').get() as
      { run_id: string; pid: number; host: string; acquired_at: string } | undefined;
    if (held) {
      const sameHost = held.host === os.hostname();
      if (
        !sameHost ||
        (held.pid !== process.pid && alive(held.pid)) ||
        (held.pid === process.pid && held.run_id !== runId)
      ) {
        throw new Refused(
          `another rollback (${held.run_id}) is running against this database (pid ${held.pid} on ${held.host}, since ${held.acquired_at})`,
          { hint: sameHost ? 'wait for it to finish; if it died, run the command again' : 'it runs on another host' },
        );
      }
    }
    db.prepare('INSERT OR REPLACE INTO rollback_lock (id, run_id, pid, host, acquired_at) VALUES (1, ?, ?, ?, ?)').run(
      runId,
      process.pid,
      os.hostname(),
      at,
    );
  }).immediate();
}

/** Move the lock from a placeholder name to the real run id once it is known. */
export function renameLock(db: DB, from: string, to: string): void {
  db.prepare('UPDATE rollback_lock SET run_id = ? WHERE id = 1 AND run_id = ? AND pid = ?').run(to, from, process.pid);
}

export function releaseLock(db: DB, runId: string): void {
  db.prepare('DELETE FROM rollback_lock WHERE id = 1 AND run_id = ? AND pid = ?').run(runId, process.pid);
}
