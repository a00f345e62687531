import { createInterface } from 'node:readline';
import path from 'node:path';
import type { Context } from '../cli/context.js';
import { status } from '../cli/output.js';
import { LockoutError, OrgError, Refused, UsageError } from '../errors.js';
import type { OrgClient, SaveResult } from '../org/client.js';
import { connectOrg, type OrgFlags } from '../org/connect.js';
import {
  gatherScope,
  rereadRecords,
  rereadWritten,
  scopeReadCalls,
  settleIngestJobs,
  startScope,
} from '../org/rollback-io.js';
import { canonicalJson, sha256Hex } from '../store/chain.js';
import type { Store } from '../store/evidence.js';
import { writeFileAtomic } from '../util/fs.js';
import { iso } from '../util/time.js';
import {
  acquireLock,
  createRun,
  getRun,
  journalRows,
  markSent,
  nextBatchNumber,
  recordResults,
  refuseIfInterrupted,
  releaseLock,
  renameLock,
  requireRun,
  setRunStatus,
  type JournalAction,
  type JournalRow,
  type JournalState,
  type RunRow,
} from './journal.js';
import { planCsv } from './output.js';
import {
  buildPlan,
  estimateCalls,
  planUndo,
  writes,
  type BeforeImage,
  type CallEstimate,
  type HistoryRow,
  type Plan,
  type PlanSummary,
  type ScopedRecord,
  type UndoConflict,
} from './plan.js';
import { sameValue, type Rec } from './records.js';
import type { RollbackScope } from './scope.js';
import { beforeImageLookup, listSnapshots } from './store.js';

export interface RollbackOptions {
  scope: RollbackScope;
  strategy: 'delete' | 'quarantine';
  onConflict: 'skip' | 'take-before';
  dryRun: boolean;
  planOut?: string;
  yes: boolean;
  approvedBy?: string;
  bulkThreshold?: number;
  org: OrgFlags;
}

export interface ApplyCounts {
  done: number;
  failed: number;
  byObject: Record<string, Record<string, { done: number; failed: number }>>;
  failures: { object: string; id: string; action: string; error: string }[];
}

export interface VerifyOutcome {
  ok: boolean;
  checked: number;
  mismatches: {
    object: string;
    id: string;
    action: string;
    field: string | null;
    expected: unknown;
    actual: unknown;
  }[];
}

export interface RollbackResult {
  runId: string | null;
  dryRun: boolean;
  scope: RollbackScope;
  summary: PlanSummary;
  estimate: CallEstimate;
  conflicts: {
    object: string;
    id: string;
    field: string;
    before: unknown;
    integration: unknown;
    current: unknown;
    changedBy: string[];
    resolution: string;
  }[];
  unrecoverable: { object: string; id: string; field: string; reason: string }[];
  manualReview: { object: string; id: string; reason: string; wouldBe: string | null; protectedBy: string | null }[];
  planFiles: { csv: string; json: string } | null;
  applied: ApplyCounts | null;
  verification: VerifyOutcome | null;
  apiCalls: { plan: number; apply: number; verify: number; total: number };
}

interface Deps {
  connect: (ctx: Context, flags: OrgFlags) => Promise<OrgClient>;
}
const defaultDeps: Deps = { connect: (ctx, flags) => connectOrg(ctx, flags) };

const opOf = (a: JournalAction): 'update' | 'delete' | 'undelete' =>
  a === 'delete' ? 'delete' : a === 'undelete' ? 'undelete' : 'update';

/** Append an evidence entry; a run's entries stay with the run's incident (also when resumed later). */
function evidence(ctx: Context, store: Store, kind: string, payload: unknown, runId?: string): void {
  const incident = runId ? (getRun(store.db, runId)?.incident ?? null) : ctx.incident();
  store.append({ kind, incident, actor: ctx.actor(), ts: iso(ctx.now()), payload });
}

async function confirm(ctx: Context, question: string, what: string): Promise<boolean> {
  // Only a person at a terminal confirms: a pipe may be `yes |`, or never answer and hang the command.
  if (!ctx.io.isTTY.in) {
    throw new Refused(`${what} not confirmed: no terminal to confirm on and no --yes`, {
      hint: 'review the plan with --dry-run, then run again with --yes',
    });
  }
  // Asked on stderr, answered on stdin; no answer means no.
  ctx.io.err.write(question);
  const rl = createInterface({ input: ctx.io.in, terminal: false });
  try {
    for await (const line of rl) return /^y(es)?$/i.test(line.trim());
    return false;
  } finally {
    rl.close();
  }
}

function writePlanFiles(ctx: Context, out: string, plan: Plan, meta: unknown): { csv: string; json: string } {
  const base = path.resolve(ctx.cwd, out).replace(/\.(csv|json)$/i, '');
  const csv = `${base}.csv`;
  const json = `${base}.json`;
  writeFileAtomic(csv, planCsv(plan), { flag: '--plan-out' });
  writeFileAtomic(
    json,
    `${JSON.stringify({ ...(meta as object), summary: plan.summary, records: plan.records }, null, 2)}\n`,
    {
      flag: '--plan-out',
    },
  );
  return { csv, json };
}

/** Plan, and unless --dry-run, apply a rollback (journaled, resumable, verified). */
export async function runRollback(
  ctx: Context,
  opts: RollbackOptions,
  deps: Deps = defaultDeps,
): Promise<RollbackResult> {
  const cfg = ctx.config();
  const bulkThreshold = opts.bulkThreshold ?? cfg.rollback.bulkThreshold;
  const quarantine = cfg.rollback.quarantine;
  if (opts.strategy === 'quarantine' && !quarantine.field && !quarantine.owner) {
    throw new UsageError('--strategy quarantine needs rollback.quarantine.field (and value) or .owner in the config');
  }
  const store = ctx.store();
  const lockName = `planning:${process.pid}`;
  if (!opts.dryRun) acquireLock(store.db, lockName, iso(ctx.now()));
  let runId: string | null = null;
  try {
    if (!opts.dryRun) refuseIfInterrupted(store.db);
    const client = await deps.connect(ctx, opts.org);
    const startCalls = client.calls;
    const scope = opts.scope;
    // The first call reads together (one composite call): the integration users, and per object its describe and
    // the first page of its History. Its Sforce-Limit-Info header gives the budget check (no /limits call): from
    // here the client refuses any call beyond the allowance, so the reads are capped too; before writing, the plan's
    // estimate is checked against what is left of it.
    status(ctx, `reading ${scope.objects.join(', ')}: describe, users and History since ${scope.since ?? '(none)'}`);
    const start = await startScope(client, {
      usernames: scope.usernames,
      objects: scope.objects,
      since: scope.since,
    });
    if (start.unknownUsers.length) {
      throw new UsageError(`--user: no such user in the org: ${start.unknownUsers.join(', ')}`);
    }
    const userIds = [...start.userIds.values()];
    const budget = await client.ensureBudget(
      scopeReadCalls(start, scope.objects, scope.flagged),
      'reading the rollback scope',
      { fromLastResponse: true },
    );
    const budgetStart = client.calls;

    const records: ScopedRecord[] = [];
    const history: HistoryRow[] = [];
    const snapshots = new Map<string, BeforeImage>();
    const updateable = new Map<string, Set<string>>();
    const protectByName = cfg.protect.accounts.some((a) => !/^001[a-zA-Z0-9]{12}([a-zA-Z0-9]{3})?$/.test(a));
    for (const object of scope.objects) {
      const snapFields = scope.since
        ? listSnapshots(store.db, object)
            .filter((s) => s.takenAt && s.takenAt <= scope.since!)
            .flatMap((s) => s.fields)
        : [];
      const extra = [
        ...new Set([
          ...snapFields,
          ...(quarantine.field ? [quarantine.field] : []),
          ...(quarantine.owner ? ['OwnerId'] : []),
        ]),
      ];
      status(
        ctx,
        `reading ${object}: the rest of its History and the records since ${scope.since ?? '(scan findings only)'}`,
      );
      const g = await gatherScope(
        client,
        {
          object,
          userIds,
          since: scope.since,
          until: scope.until,
          flaggedIds: scope.flagged[object] ?? [],
          extraFields: extra,
          accountNames: protectByName,
        },
        start,
      );
      records.push(...g.records);
      history.push(...g.history);
      updateable.set(object, g.updateable);
      const lookup = beforeImageLookup(store.db, object, scope.since);
      for (const r of g.records) {
        const b = lookup(r.id);
        if (b) snapshots.set(r.id, b);
      }
    }

    // Decide (pure).
    const plan = buildPlan({
      records,
      history,
      snapshots,
      integrationUsers: userIds,
      window: { since: scope.since, until: scope.until },
      protectedAccounts: cfg.protect.accounts,
      options: {
        strategy: opts.strategy,
        onConflict: opts.onConflict,
        quarantine: { field: quarantine.field, value: quarantine.value, ownerId: quarantine.owner },
      },
      updateable,
    });
    const estimate = estimateCalls(plan.records, { bulkThreshold });
    const planCalls = client.calls - startCalls;
    const options = {
      strategy: opts.strategy,
      onConflict: opts.onConflict,
      bulkThreshold,
      approvedBy: opts.approvedBy ?? null,
    };
    const result: RollbackResult = {
      runId: null,
      dryRun: opts.dryRun,
      scope,
      summary: plan.summary,
      estimate,
      conflicts: plan.records.flatMap((p) => p.conflicts.map((c) => ({ object: p.object, id: p.id, ...c }))),
      unrecoverable: plan.records.flatMap((p) => p.unrecoverable.map((u) => ({ object: p.object, id: p.id, ...u }))),
      manualReview: plan.records
        .filter((p) => p.action === 'manual-review')
        .map((p) => ({
          object: p.object,
          id: p.id,
          reason: p.reason,
          wouldBe: p.wouldBe ?? null,
          protectedBy: p.protectedBy ?? null,
        })),
      planFiles: null,
      applied: null,
      verification: null,
      apiCalls: { plan: planCalls, apply: 0, verify: 0, total: planCalls },
    };
    if (opts.planOut) {
      result.planFiles = writePlanFiles(ctx, opts.planOut, plan, {
        scope,
        options,
        estimate,
        instanceUrl: client.instanceUrl,
      });
    }
    const toWrite = writeOrder(plan.records.filter(writes));
    if (opts.dryRun || !toWrite.length) {
      if (!opts.dryRun) status(ctx, 'nothing to write');
      return result;
    }

    // Guardrails: threshold approval, then confirmation.
    const max = cfg.thresholds.rollback.maxRecords;
    if (toWrite.length > max && !opts.approvedBy) {
      throw new Refused(
        `this rollback writes ${toWrite.length} records, above thresholds.rollback.maxRecords (${max})`,
        {
          hint: 'name who approved it with --approved-by <name>, or review it with --dry-run --plan-out plan',
        },
      );
    }
    const left = budget.allowed - (client.calls - budgetStart);
    if (estimate.total > left) {
      throw new Refused(
        `the rollback of ${toWrite.length} records needs about ${estimate.total} API calls, but only ${left} are left ` +
          `of the API budget (${budget.budgetPercent}% of the ${budget.remaining} daily API calls remaining)`,
        { hint: 'raise --api-budget (config org.apiBudget), narrow the scope, or lower --bulk-threshold' },
      );
    }
    if (!opts.yes) {
      status(ctx, renderPlanSummary(result));
      const ok = await confirm(ctx, `apply this rollback to ${client.instanceUrl}? [y/N] `, 'rollback');
      if (!ok) throw new Refused('rollback not confirmed', { hint: 'pass --yes to apply without a prompt' });
    }

    // Write: the plan and every before-image go into the store before the first write.
    // The org is named by its instance URL (no identity call: two API calls this command does not need).
    const planJson = { scope, options, records: plan.records };
    runId = createRun(
      store.db,
      {
        kind: 'rollback',
        undoOf: null,
        incident: ctx.incident(),
        actor: ctx.actor(),
        createdAt: iso(ctx.now()),
        instanceUrl: client.instanceUrl,
        orgId: null,
        scope,
        options,
        summary: plan.summary,
        plan: planJson,
      },
      toWrite.map((p, i) => ({
        seq: i + 1,
        object: p.object,
        recordId: p.id,
        action: p.action as JournalAction,
        fields: p.set,
        beforeImage: p.beforeImage,
      })),
      (id) =>
        evidence(ctx, store, 'rollback.planned', {
          runId: id,
          kind: 'rollback',
          instanceUrl: client.instanceUrl,
          scope,
          options,
          counts: plan.summary.byObject,
          byAction: plan.summary.byAction,
          records: toWrite.length,
          fieldsAltered: fieldsAltered(plan),
          conflicts: result.conflicts,
          unrecoverable: result.unrecoverable,
          manualReview: result.manualReview,
          estimate,
          planSha256: sha256Hex(canonicalJson(planJson)),
        }),
    );
    renameLock(store.db, lockName, runId);
    result.runId = runId;
    status(ctx, `run ${runId}: writing ${toWrite.length} records`);
    const applyStart = client.calls;
    result.applied = await applyJournal(ctx, store, client, requireRun(store.db, runId, '--resume'), bulkThreshold);
    result.apiCalls.apply = client.calls - applyStart;
    const verifyStart = client.calls;
    result.verification = await verifyRun(ctx, store, client, runId);
    result.apiCalls.verify = client.calls - verifyStart;
    result.apiCalls.total = client.calls - startCalls;
    finishRun(ctx, store, runId, result.applied, result.verification, result.apiCalls);
    return result;
  } catch (e) {
    throw interrupted(e, runId);
  } finally {
    releaseLock(store.db, runId ?? lockName);
  }
}

/** Per field name, how many existing records the integration changed it on (restorable, conflicting or not). */
function fieldsAltered(plan: Plan): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of plan.records) {
    const names = new Set(
      [...p.restores, ...p.conflicts, ...p.unrecoverable].map((x) => x.field).filter((f) => f !== '*'),
    );
    for (const f of names) out[f] = (out[f] ?? 0) + 1;
  }
  return out;
}

/** Parents go last when deleting (deleting an Account takes its Contacts with it) and first when undeleting. */
const PARENTS = new Set(['Account']);
const stable = <T>(list: readonly T[], rank: (t: T) => number): T[] =>
  list
    .map((t, i) => [t, i] as const)
    .sort((a, b) => rank(a[0]) - rank(b[0]) || a[1] - b[1])
    .map(([t]) => t);
export const writeOrder = <T extends { object: string; action: string }>(list: readonly T[]): T[] =>
  stable(list, (p) => (p.action === 'delete' && PARENTS.has(p.object) ? 1 : 0));
export const undeleteOrder = <T extends { object: string; action: string }>(list: readonly T[]): T[] =>
  stable(list, (p) => (p.action === 'undelete' ? (PARENTS.has(p.object) ? 0 : 1) : 2));

/**
 * An error after a run was created leaves the run resumable: say so. The journal already holds what was sent;
 * `--resume` reads back the batch in flight instead of sending it again.
 */
function interrupted(e: unknown, runId: string | null): unknown {
  if (!runId || !(e instanceof LockoutError) || e instanceof UsageError) return e;
  const hint = `run ${runId} stopped part-way; finish it with: lockout rollback --resume ${runId}`;
  const Err = e instanceof Refused ? Refused : OrgError;
  return new Err(`${e.message} (run ${runId} interrupted)`, { hint: e.hint ? `${e.hint}\n${hint}` : hint, cause: e });
}

export interface ResumeResult {
  runId: string;
  kind: 'rollback' | 'undo';
  reconciled: { done: number; resent: number; failed: number };
  /** Unsent field writes checked again before sending: `failed` ones were changed by someone while interrupted. */
  rechecked: { done: number; pending: number; failed: number };
  applied: ApplyCounts;
  verification: VerifyOutcome;
  apiCalls: { apply: number; verify: number; total: number };
}

/** What `--abandon` recorded. */
export interface AbandonResult {
  runId: string;
  status: 'abandoned';
  /** Journal states at the time: `sent` records were in flight and may or may not have been written. */
  journal: Record<JournalState, number>;
  reason: string;
}

/**
 * Give up an interrupted run that can never be finished (the org is gone, the plan is obsolete): new runs are
 * allowed again. Nothing is written to the org; the journal stays as it is, and the evidence log records the
 * decision with the records that were in flight (their state is unknown: `lockout verify` or a new dry run shows
 * what the org holds). The run can still be undone for what it did write.
 */
export async function abandonRollback(
  ctx: Context,
  runId: string,
  opts: { reason: string; yes: boolean },
): Promise<AbandonResult> {
  const store = ctx.store({ create: false });
  const run = requireRun(store.db, runId, '--abandon');
  if (run.status !== 'applying') {
    throw new Refused(`run ${runId} is not interrupted (status ${run.status}); nothing to abandon`);
  }
  const journal: Record<JournalState, number> = { pending: 0, sent: 0, done: 0, failed: 0 };
  for (const r of journalRows(store.db, runId)) journal[r.state] += 1;
  if (!opts.yes) {
    const ok = await confirm(
      ctx,
      `abandon run ${runId} (${journal.done} records written, ${journal.sent} in flight with unknown outcome, ${journal.pending} never sent)? [y/N] `,
      'abandon',
    );
    if (!ok) throw new Refused('abandon not confirmed', { hint: 'pass --yes to abandon without a prompt' });
  }
  acquireLock(store.db, runId, iso(ctx.now()));
  try {
    store.db.transaction(() => {
      setRunStatus(store.db, runId, 'abandoned', iso(ctx.now()));
      evidence(ctx, store, 'rollback.abandoned', { runId, reason: opts.reason, journal }, runId);
    })();
  } finally {
    releaseLock(store.db, runId);
  }
  return { runId, status: 'abandoned', journal, reason: opts.reason };
}

/** Finish an interrupted run: settle the batch that was in flight by reading it back, then send the rest. */
export async function resumeRollback(
  ctx: Context,
  runId: string,
  opts: { org: OrgFlags; bulkThreshold?: number },
  deps: Deps = defaultDeps,
): Promise<ResumeResult> {
  const store = ctx.store({ create: false });
  const run = requireRun(store.db, runId, '--resume');
  if (run.status !== 'applying') {
    throw new Refused(`run ${runId} is not interrupted (status ${run.status}); nothing to resume`);
  }
  acquireLock(store.db, runId, iso(ctx.now()));
  try {
    const client = await deps.connect(ctx, opts.org);
    if (run.instanceUrl && client.instanceUrl !== run.instanceUrl) {
      throw new UsageError(`--resume ${runId}: the run was against ${run.instanceUrl}, not ${client.instanceUrl}`);
    }
    const start = client.calls;
    const pending = journalRows(store.db, runId, ['pending', 'sent']);
    await client.ensureBudget(
      estimateCalls(
        pending.map((r) => ({ object: r.object, action: r.action === 'undelete' ? 'restore' : r.action }) as never),
        { bulkThreshold: opts.bulkThreshold ?? ctx.config().rollback.bulkThreshold },
      ).total +
        Math.ceil(pending.length / 300) +
        2,
      `resume of ${runId}`,
    );
    const reconciled = await reconcile(ctx, store, client, run);
    const unsent = journalRows(store.db, runId, ['pending']).filter((r) => opOf(r.action) === 'update');
    if (unsent.length) status(ctx, `run ${runId}: checking ${unsent.length} unsent records for changes since the plan`);
    const { resent: stillPending, ...recheck } = await readBack(ctx, store, client, run, unsent);
    const rechecked = { ...recheck, pending: stillPending };
    const applied = await applyJournal(
      ctx,
      store,
      client,
      run,
      opts.bulkThreshold ?? ctx.config().rollback.bulkThreshold,
    );
    const applyCalls = client.calls - start;
    const vStart = client.calls;
    const verification = await verifyRun(ctx, store, client, runId);
    const apiCalls = { apply: applyCalls, verify: client.calls - vStart, total: client.calls - start };
    finishRun(ctx, store, runId, applied, verification, apiCalls);
    if (run.kind === 'undo' && run.undoOf) finishUndo(ctx, store, run, applied, verification);
    return { runId, kind: run.kind, reconciled, rechecked, applied, verification, apiCalls };
  } catch (e) {
    throw interrupted(e, runId);
  } finally {
    releaseLock(store.db, runId);
  }
}

/**
 * Rows marked `sent` when the process died may or may not have reached the org. Read them back: written as
 * planned -> done (never sent again); untouched -> pending (sent once, later); anything else -> failed.
 */
async function reconcile(
  ctx: Context,
  store: Store,
  client: OrgClient,
  run: RunRow,
): Promise<{ done: number; resent: number; failed: number }> {
  const sent = journalRows(store.db, run.id, ['sent']);
  const out = { done: 0, resent: 0, failed: 0 };
  if (!sent.length) return out;
  status(ctx, `run ${run.id}: reading back ${sent.length} records whose batch was in flight`);
  // A Bulk 2.0 job may still be running on the server: let it finish (or abort it if it was never closed) before
  // reading back, so nothing it still writes lands after the read.
  const bulkObjects = new Set(sent.filter((r) => r.channel === 'bulk2').map((r) => r.object));
  if (bulkObjects.size) {
    const me = await client.identity();
    const settled = await settleIngestJobs(client, { objects: bulkObjects, since: run.createdAt, userId: me.userId });
    if (settled.waited.length || settled.aborted.length) {
      status(
        ctx,
        `  Bulk 2.0 jobs: waited for ${settled.waited.length}, aborted ${settled.aborted.length} never closed`,
      );
    }
  }
  return readBack(ctx, store, client, run, sent);
}

/**
 * Read rows back and settle each one: written as planned -> done; as it was at planning -> pending (sent later);
 * anything else -> failed (someone changed it since the plan; it is never overwritten).
 */
async function readBack(
  ctx: Context,
  store: Store,
  client: OrgClient,
  run: RunRow,
  rows: readonly JournalRow[],
): Promise<{ done: number; resent: number; failed: number }> {
  const out = { done: 0, resent: 0, failed: 0 };
  if (!rows.length) return out;
  const byObject = groupBy(rows, (r) => r.object);
  const batch = nextBatchNumber(store.db, run.id);
  for (const [object, rows] of byObject) {
    const fields = [...new Set(rows.flatMap((r) => Object.keys(r.fields)))];
    const current = await rereadRecords(
      client,
      object,
      rows.map((r) => r.recordId),
      fields,
    );
    const results: { seq: number; state: JournalState; error: string | null }[] = [];
    const report: unknown[] = [];
    for (const r of rows) {
      const cur = current.get(r.recordId) ?? null;
      let state: JournalState;
      let error: string | null = null;
      if (r.action === 'delete') state = cur ? 'pending' : 'done';
      else if (r.action === 'undelete') state = cur ? 'done' : 'pending';
      else if (!cur) {
        state = 'failed';
        error = 'RECORD_GONE: the record no longer exists';
      } else if (Object.entries(r.fields).every(([f, v]) => sameValue(cur[f], v))) state = 'done';
      else if (Object.entries(r.beforeImage).every(([f, v]) => sameValue(cur[f], v))) state = 'pending';
      else {
        state = 'failed';
        error = 'CHANGED_SINCE_PLAN: the record was changed by someone else while the run was interrupted';
      }
      out[state === 'done' ? 'done' : state === 'pending' ? 'resent' : 'failed'] += 1;
      results.push({ seq: r.seq, state, error });
      if (state !== 'pending') report.push(batchRecord(r, state === 'done', error));
    }
    recordResults(store.db, run.id, results, iso(ctx.now()), () => {
      if (report.length) {
        evidence(
          ctx,
          store,
          'rollback.batch',
          {
            runId: run.id,
            kind: run.kind,
            batch,
            object,
            operation: 'reconcile',
            channel: 'read-back',
            reconciled: true,
            records: report,
          },
          run.id,
        );
      }
    });
  }
  return out;
}

const groupBy = <T>(list: readonly T[], key: (t: T) => string): Map<string, T[]> => {
  const m = new Map<string, T[]>();
  for (const t of list) {
    const k = key(t);
    const l = m.get(k) ?? [];
    l.push(t);
    m.set(k, l);
  }
  return m;
};

const errorText = (r: SaveResult | undefined): string =>
  r
    ? r.errors.map((e) => `${e.statusCode}: ${e.message}`).join('; ') || 'UNKNOWN: failed without an error'
    : 'UNKNOWN: no result';

function batchRecord(r: JournalRow, ok: boolean, error: string | null): Record<string, unknown> {
  const fields = Object.keys(r.fields);
  return {
    id: r.recordId,
    action: r.action,
    ok,
    fields,
    ...(fields.length ? { before: r.beforeImage, after: r.fields } : {}),
    ...(error ? { error } : {}),
  };
}

/**
 * Send every pending row, batch by batch: Collections (200 per call) below the bulk threshold, one Bulk 2.0 ingest
 * job per object and operation at or above it. Each batch is marked `sent` before it goes out; its per-record
 * results and a `rollback.batch` evidence entry are committed together as they come back. Records that failed
 * with UNABLE_TO_LOCK_ROW are sent again in up to `rollback.lockRetries` further rounds.
 */
async function applyJournal(
  ctx: Context,
  store: Store,
  client: OrgClient,
  run: RunRow,
  bulkThreshold: number,
): Promise<ApplyCounts> {
  const rounds = 1 + ctx.config().rollback.lockRetries;
  for (let round = 0; round < rounds; round += 1) {
    const pending = journalRows(store.db, run.id, ['pending']);
    if (!pending.length) break;
    const last = round === rounds - 1;
    const groups = groupBy(pending, (r) => `${r.object}\u0000${opOf(r.action)}`);
    for (const rows of groups.values()) {
      const object = rows[0]!.object;
      const op = opOf(rows[0]!.action);
      const bulk = op !== 'undelete' && rows.length >= bulkThreshold;
      const batches = bulk ? [rows] : chunk(rows, 200);
      const channel = bulk ? 'bulk2' : op === 'undelete' ? 'soap' : 'collections';
      for (const b of batches) {
        const batch = nextBatchNumber(store.db, run.id);
        markSent(
          store.db,
          run.id,
          b.map((r) => r.seq),
          batch,
          channel,
          iso(ctx.now()),
        );
        const outcome = await send(client, op, object, b, bulk);
        const results = b.map((r) => {
          const res = outcome.get(r.recordId);
          const attempts = res?.attempts ?? 1;
          if (res?.success) return { row: r, state: 'done' as JournalState, error: null, attempts };
          const error = errorText(res);
          // Already in the recycle bin (e.g. deleted with its parent account): the planned end state holds.
          if (op === 'delete' && /^ENTITY_IS_DELETED/.test(error)) {
            return { row: r, state: 'done' as JournalState, error: null, attempts };
          }
          const locked = /^UNABLE_TO_LOCK_ROW/.test(error) || !res;
          return { row: r, state: (locked && !last ? 'pending' : 'failed') as JournalState, error, attempts };
        });
        recordResults(
          store.db,
          run.id,
          results.map((x) => ({ seq: x.row.seq, state: x.state, error: x.error })),
          iso(ctx.now()),
          () =>
            evidence(
              ctx,
              store,
              'rollback.batch',
              {
                runId: run.id,
                kind: run.kind,
                batch,
                object,
                operation: op,
                channel,
                records: results.map((x) => ({
                  ...batchRecord(x.row, x.state === 'done', x.state === 'done' ? null : x.error),
                  ...(x.state === 'pending' ? { retry: true } : {}),
                  ...(x.attempts > 1 ? { attempts: x.attempts } : {}),
                })),
              },
              run.id,
            ),
        );
        const ok = results.filter((x) => x.state === 'done').length;
        status(ctx, `  batch ${batch}: ${object} ${op} ${ok}/${b.length} ok${bulk ? ' (Bulk 2.0)' : ''}`);
      }
    }
  }
  return countRun(store, run.id);
}

const chunk = <T>(list: readonly T[], n: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += n) out.push(list.slice(i, i + n));
  return out;
};

async function send(
  client: OrgClient,
  op: 'update' | 'delete' | 'undelete',
  object: string,
  rows: JournalRow[],
  bulk: boolean,
): Promise<Map<string, SaveResult>> {
  const out = new Map<string, SaveResult>();
  if (bulk) {
    // Every record with the same columns: a field a record does not restore stays an empty cell (unchanged).
    const records = rows.map((r) => (op === 'delete' ? { Id: r.recordId } : { Id: r.recordId, ...r.fields }));
    const res = await client.bulkIngest(op === 'delete' ? 'delete' : 'update', object, records);
    for (const s of res.successful) {
      const id = s.record.Id ?? s.id;
      out.set(id, { index: 0, id, success: true, errors: [], attempts: 1 });
    }
    for (const f of res.failed) {
      const id = f.record.Id ?? f.id ?? '';
      const [code, ...msg] = f.error.split(':');
      out.set(id, {
        index: 0,
        id,
        success: false,
        errors: [{ statusCode: code ?? 'UNKNOWN', message: msg.join(':').replace(/:?--$/, ''), fields: [] }],
        attempts: 1,
      });
    }
    return out;
  }
  const ids = rows.map((r) => r.recordId);
  const res =
    op === 'delete'
      ? await client.delete(object, ids)
      : op === 'undelete'
        ? await client.undelete(object, ids)
        : await client.update(
            object,
            rows.map((r) => ({ Id: r.recordId, ...r.fields })),
          );
  res.forEach((r, i) => out.set(ids[r.index ?? i]!, r));
  return out;
}

function countRun(store: Store, runId: string): ApplyCounts {
  const counts: ApplyCounts = { done: 0, failed: 0, byObject: {}, failures: [] };
  for (const r of journalRows(store.db, runId)) {
    const o = (counts.byObject[r.object] ??= {});
    const a = (o[r.action] ??= { done: 0, failed: 0 });
    if (r.state === 'done') {
      counts.done += 1;
      a.done += 1;
    } else if (r.state === 'failed') {
      counts.failed += 1;
      a.failed += 1;
      counts.failures.push({ object: r.object, id: r.recordId, action: r.action, error: r.error ?? '' });
    }
  }
  return counts;
}

const VERIFY_SKEW_MS = 15 * 60_000;

/** Re-read every record the run wrote and check it holds what was written (deleted ones are gone). */
async function verifyRun(ctx: Context, store: Store, client: OrgClient, runId: string): Promise<VerifyOutcome> {
  const done = journalRows(store.db, runId, ['done']);
  const mismatches: VerifyOutcome['mismatches'] = [];
  // Everything the run wrote got a SystemModstamp after the run was created (15 minutes' leeway for clock skew
  // between here and the org; a record the window misses is re-read by id, so skew costs calls, never correctness).
  const run = requireRun(store.db, runId, '--resume');
  const modifiedSince = new Date(Date.parse(run.createdAt) - VERIFY_SKEW_MS).toISOString();
  for (const [object, rows] of groupBy(done, (r) => r.object)) {
    const fields = [...new Set(rows.flatMap((r) => Object.keys(r.fields)))];
    const current = await rereadWritten(
      client,
      object,
      rows.map((r) => r.recordId),
      fields,
      modifiedSince,
    );
    for (const r of rows) {
      const cur = current.get(r.recordId) ?? null;
      if (r.action === 'delete') {
        if (cur)
          mismatches.push({
            object,
            id: r.recordId,
            action: r.action,
            field: null,
            expected: 'deleted',
            actual: 'exists',
          });
      } else if (r.action === 'undelete') {
        if (!cur)
          mismatches.push({
            object,
            id: r.recordId,
            action: r.action,
            field: null,
            expected: 'exists',
            actual: 'deleted',
          });
      } else if (!cur) {
        mismatches.push({
          object,
          id: r.recordId,
          action: r.action,
          field: null,
          expected: 'exists',
          actual: 'deleted',
        });
      } else {
        for (const [f, v] of Object.entries(r.fields)) {
          if (!sameValue(cur[f], v))
            mismatches.push({
              object,
              id: r.recordId,
              action: r.action,
              field: f,
              expected: v,
              actual: cur[f] ?? null,
            });
        }
      }
    }
  }
  const outcome = { ok: mismatches.length === 0, checked: done.length, mismatches };
  evidence(ctx, store, 'rollback.verified', { runId, ...outcome }, runId);
  return outcome;
}

function finishRun(
  ctx: Context,
  store: Store,
  runId: string,
  applied: ApplyCounts,
  verification: VerifyOutcome,
  apiCalls: Record<string, number>,
): void {
  const at = iso(ctx.now());
  store.db
    .transaction(() => {
      setRunStatus(
        store.db,
        runId,
        verification.ok && applied.failed === 0 ? 'verified' : applied.failed ? 'failed' : 'mismatch',
        at,
      );
      evidence(
        ctx,
        store,
        'rollback.completed',
        {
          runId,
          done: applied.done,
          failed: applied.failed,
          byObject: applied.byObject,
          failures: applied.failures,
          verified: verification.ok,
          apiCalls,
        },
        runId,
      );
    })
    .immediate();
}

export interface UndoResult {
  /** The undo run's id; null for a dry run or when there is nothing to undo. */
  runId: string | null;
  dryRun: boolean;
  undoOf: string;
  items: number;
  conflicts: UndoConflict[];
  missing: string[];
  applied: ApplyCounts | null;
  verification: VerifyOutcome | null;
  apiCalls: { read: number; apply: number; verify: number; total: number };
}

/** Undo a finished run: undelete what it deleted, put back the before-images it overwrote (conflict-aware). */
export async function undoRollback(
  ctx: Context,
  undoOf: string,
  opts: { org: OrgFlags; onConflict: 'skip' | 'take-before'; yes: boolean; dryRun?: boolean },
  deps: Deps = defaultDeps,
): Promise<UndoResult> {
  const store = ctx.store({ create: false });
  const target = requireRun(store.db, undoOf, '--undo');
  if (target.kind !== 'rollback') throw new UsageError(`--undo ${undoOf}: it is itself an undo run`);
  if (target.status === 'applying') {
    throw new Refused(`run ${undoOf} was interrupted; finish it first with lockout rollback --resume ${undoOf}`);
  }
  if (target.status === 'undone') throw new Refused(`run ${undoOf} has already been undone`);
  const lockName = `undo:${undoOf}`;
  acquireLock(store.db, lockName, iso(ctx.now()));
  let runId: string | null = null;
  try {
    if (!opts.dryRun) refuseIfInterrupted(store.db);
    const client = await deps.connect(ctx, opts.org);
    if (target.instanceUrl && client.instanceUrl !== target.instanceUrl) {
      throw new UsageError(`--undo ${undoOf}: the run was against ${target.instanceUrl}, not ${client.instanceUrl}`);
    }
    const start = client.calls;
    const done = journalRows(store.db, undoOf, ['done']).filter((r) => r.action !== 'undelete');
    const current = new Map<string, Rec | null>();
    for (const [object, rows] of groupBy(
      done.filter((r) => r.action !== 'delete'),
      (r) => r.object,
    )) {
      const fields = [...new Set(rows.flatMap((r) => Object.keys(r.fields)))];
      for (const [id, rec] of await rereadRecords(
        client,
        object,
        rows.map((r) => r.recordId),
        fields,
      ))
        current.set(id, rec);
    }
    const undo = planUndo(
      done.map((r) => ({
        object: r.object,
        id: r.recordId,
        action: r.action as 'delete',
        fields: r.fields,
        beforeImage: r.beforeImage,
      })),
      current,
      opts.onConflict,
    );
    const plan = { ...undo, items: undeleteOrder(undo.items) };
    const read = client.calls - start;
    const result: UndoResult = {
      runId: null,
      dryRun: !!opts.dryRun,
      undoOf,
      items: plan.items.length,
      conflicts: plan.conflicts,
      missing: plan.missing,
      applied: null,
      verification: null,
      apiCalls: { read, apply: 0, verify: 0, total: read },
    };
    if (!plan.items.length) {
      status(ctx, 'nothing to undo');
      return result;
    }
    if (opts.dryRun) return result;
    if (!opts.yes) {
      const ok = await confirm(
        ctx,
        `undo ${undoOf}: ${plan.items.length} records on ${client.instanceUrl}? [y/N] `,
        'undo',
      );
      if (!ok) throw new Refused('undo not confirmed', { hint: 'pass --yes to apply without a prompt' });
    }
    await client.ensureBudget(Math.ceil(plan.items.length / 200) * 2 + 4, `undo of ${undoOf}`);
    runId = createRun(
      store.db,
      {
        kind: 'undo',
        undoOf,
        incident: ctx.incident(),
        actor: ctx.actor(),
        createdAt: iso(ctx.now()),
        instanceUrl: client.instanceUrl,
        orgId: target.orgId,
        scope: { undoOf },
        options: { onConflict: opts.onConflict },
        summary: { items: plan.items.length, conflicts: plan.conflicts.length, missing: plan.missing.length },
        plan: plan,
      },
      plan.items.map((it, i) => ({
        seq: i + 1,
        object: it.object,
        recordId: it.id,
        action: it.action,
        fields: it.set,
        beforeImage: it.beforeImage,
      })),
      (id) =>
        evidence(ctx, store, 'rollback.planned', {
          runId: id,
          kind: 'undo',
          undoOf,
          instanceUrl: client.instanceUrl,
          records: plan.items.length,
          byAction: {
            undelete: plan.items.filter((i) => i.action === 'undelete').length,
            restore: plan.items.filter((i) => i.action === 'restore').length,
          },
          conflicts: plan.conflicts,
          missing: plan.missing,
        }),
    );
    renameLock(store.db, lockName, runId);
    result.runId = runId;
    const run = requireRun(store.db, runId, '--undo');
    const a0 = client.calls;
    result.applied = await applyJournal(ctx, store, client, run, ctx.config().rollback.bulkThreshold);
    result.apiCalls.apply = client.calls - a0;
    const v0 = client.calls;
    result.verification = await verifyRun(ctx, store, client, runId);
    result.apiCalls.verify = client.calls - v0;
    result.apiCalls.total = client.calls - start;
    finishRun(ctx, store, runId, result.applied, result.verification, result.apiCalls);
    finishUndo(ctx, store, run, result.applied, result.verification, plan.conflicts);
    return result;
  } catch (e) {
    throw interrupted(e, runId);
  } finally {
    releaseLock(store.db, runId ?? lockName);
  }
}

function finishUndo(
  ctx: Context,
  store: Store,
  run: RunRow,
  applied: ApplyCounts,
  verification: VerifyOutcome,
  conflicts?: UndoConflict[],
): void {
  const undoOf = run.undoOf!;
  store.db
    .transaction(() => {
      if (applied.failed === 0) setRunStatus(store.db, undoOf, 'undone', iso(ctx.now()));
      evidence(
        ctx,
        store,
        'rollback.undone',
        {
          runId: run.id,
          undoOf,
          done: applied.done,
          failed: applied.failed,
          byObject: applied.byObject,
          conflicts: conflicts ?? (run.plan as { conflicts?: UndoConflict[] }).conflicts ?? [],
          verified: verification.ok,
        },
        run.id,
      );
    })
    .immediate();
}

/** The plan in a few lines (for the confirmation prompt and the text output). */
export function renderPlanSummary(r: RollbackResult): string {
  const s = r.summary;
  const lines = [
    `plan: ${s.records} records in scope (${r.scope.objects.join(', ')})`,
    `  delete ${s.byAction.delete}, quarantine ${s.byAction.quarantine}, restore ${s.byAction.restore} (${s.fieldsRestored} fields), manual review ${s.byAction['manual-review']}, nothing to do ${s.byAction.none}`,
    `  conflicts ${s.conflicts}${s.conflictsTakenBefore ? ` (${s.conflictsTakenBefore} taken before)` : ' (left alone)'}, unrecoverable fields ${s.unrecoverableFields}`,
    `  API calls needed: ${r.estimate.total} (${r.estimate.collections} Collections, ${r.estimate.bulk} Bulk 2.0, ${r.estimate.verify} to verify; one call per record would be ${r.estimate.naive})`,
  ];
  return lines.join('\n');
}

export { getRun };
