import type { Context } from '../cli/context.js';
import { Refused, UsageError } from '../errors.js';
import type { OrgClient } from '../org/client.js';
import {
  abortJobs,
  disabledNamedCredential,
  endSessions,
  readIsolationState,
  revokeTokens,
  setFlowVersion,
  setFrozen,
  writeNamedCredentials,
  writeRemoteSites,
  type Outcome,
} from '../org/isolation.js';
import { iso } from '../util/time.js';
import { journal, journalFinished, journalPlanned, loadIsolation, setState, type IsolationState } from './journal.js';
import {
  approvalCommand,
  buildPlan,
  estimateCalls,
  resolveTargets,
  unknownFlagTargets,
  verdict,
  type Action,
  type Plan,
  type TargetFlags,
} from './plan.js';
import { renderPlan, renderUndoPlan, verb } from './render.js';
import { buildUndoPlan, type ActionResult, type UndoPlan } from './undo.js';

/**
 * Apply an isolation (or its undo): read the pre-state, decide (pure), confirm, journal, act, record.
 * Order matters for evidence: `isolate.planned` (with the pre-state of every target) is appended before the
 * first write to the org, and one `isolate.action` entry follows each result. A failed action never stops the
 * others; the caller turns `failed > 0` into exit 3.
 */

export interface Confirmer {
  /** Ask on a terminal; resolves true only on an explicit yes. */
  (question: string): Promise<boolean>;
}

export interface RunDeps {
  connect: () => Promise<OrgClient>;
  confirm: Confirmer;
}

export interface IsolateOptions {
  targets: TargetFlags;
  approvedBy?: string;
  reason?: string;
  dryRun?: boolean;
  yes?: boolean;
  /** Set by `scan --isolate-on`: why the isolation started without a person. */
  auto?: { why: string };
}

/**
 * HTTP requests sent, as the client counted them. `discovery` and `apply` are API calls (REST, Tooling, SOAP,
 * Bulk: what the org counts against DailyApiRequests); `revokes` are requests to the OAuth revoke endpoint, one per
 * token (no batch revoke exists), which the org does not count as API calls.
 */
export interface ApiCalls {
  discovery: number;
  apply: number;
  revokes: number;
  /** Requests per action kind (revokes included under revoke-token). */
  byAction: Record<string, number>;
}

export interface ApplySummary {
  done: number;
  failed: number;
  skipped: number;
  /** Targets now isolated (changed by this run or already in place). */
  isolated: string[];
  /** Targets that are not isolated, and why. */
  notIsolated: { target: string; reason: string }[];
}

export interface IsolateResult {
  isolationId: string | null;
  dryRun: boolean;
  trigger: 'manual' | 'auto';
  plan: Plan;
  results: ActionResult[];
  summary: ApplySummary | null;
  apiCalls: ApiCalls;
}

export interface UndoResult {
  isolationId: string;
  dryRun: boolean;
  plan: UndoPlan;
  results: ActionResult[];
  summary: ApplySummary | null;
  apiCalls: ApiCalls;
}

const label = (a: Action) => `${a.kind} ${a.target.name}`;

function chatter(ctx: Context, text: string): void {
  if (!ctx.flags.quiet && !ctx.flags.json) ctx.io.err.write(text.endsWith('\n') ? text : `${text}\n`);
}

async function confirmOrRefuse(ctx: Context, deps: RunDeps, yes: boolean | undefined, text: string, what: string) {
  if (yes) return;
  if (!ctx.io.isTTY.in || !ctx.io.isTTY.err) {
    throw new Refused(`${what}: no terminal to confirm on and no --yes`, {
      hint: 'review the plan with --dry-run, then run again with --yes',
    });
  }
  // The plan goes to stderr so it is visible even when stdout is piped.
  ctx.io.err.write(`${text}\n\n`);
  if (!(await deps.confirm(`${what}? Type "yes" to continue: `))) throw new Refused(`${what}: declined`);
}

type Executor = (client: OrgClient, actions: Action[]) => Promise<Outcome[]>;

function executors(secrets: Map<string, string>): Partial<Record<Action['kind'], Executor>> {
  const of = <K extends Action['kind']>(actions: Action[], k: K) =>
    actions.filter((a): a is Extract<Action, { kind: K }> => a.kind === k);
  return {
    'freeze-user': (c, as) =>
      setFrozen(
        c,
        of(as, 'freeze-user').map((a) => ({ key: a.key, userLoginId: a.record.userLoginId })),
        true,
      ),
    'unfreeze-user': (c, as) =>
      setFrozen(
        c,
        of(as, 'unfreeze-user').map((a) => ({ key: a.key, userLoginId: a.record.userLoginId })),
        false,
      ),
    'end-sessions': (c, as) =>
      endSessions(
        c,
        of(as, 'end-sessions').map((a) => ({ key: a.key, sessionIds: a.record.sessionIds })),
      ),
    'revoke-token': async (c, as) => {
      const items = of(as, 'revoke-token');
      const missing = items.filter((a) => !secrets.has(a.record.ref));
      const out = await revokeTokens(
        c,
        items
          .filter((a) => secrets.has(a.record.ref))
          .map((a) => ({ key: a.key, deleteToken: secrets.get(a.record.ref)! })),
      );
      return [...out, ...missing.map((a) => ({ key: a.key, ok: false, reason: 'the DeleteToken was not read' }))];
    },
    'deactivate-remote-site': (c, as) =>
      writeRemoteSites(
        c,
        of(as, 'deactivate-remote-site').map((a) => ({ key: a.key, site: { ...a.record, isActive: false } })),
      ),
    'activate-remote-site': (c, as) =>
      writeRemoteSites(
        c,
        of(as, 'activate-remote-site').map((a) => ({ key: a.key, site: a.record })),
      ),
    'disable-named-credential': (c, as) =>
      writeNamedCredentials(
        c,
        of(as, 'disable-named-credential').map((a) => ({ key: a.key, metadata: disabledNamedCredential(a.record) })),
      ),
    'restore-named-credential': (c, as) =>
      writeNamedCredentials(
        c,
        of(as, 'restore-named-credential').map((a) => ({ key: a.key, metadata: a.record.metadata })),
      ),
    'abort-bulk-job': (c, as) =>
      abortJobs(
        c,
        of(as, 'abort-bulk-job').map((a) => ({ key: a.key, job: a.record })),
      ),
    'deactivate-flow': (c, as) =>
      setFlowVersion(
        c,
        of(as, 'deactivate-flow').map((a) => ({ key: a.key, flowId: a.record.id, activeVersionNumber: 0 })),
      ),
    'activate-flow': async (c, as) => {
      const items = of(as, 'activate-flow');
      const known = items.filter((a) => a.record.activeVersionNumber !== null);
      const out = await setFlowVersion(
        c,
        known.map((a) => ({ key: a.key, flowId: a.record.id, activeVersionNumber: a.record.activeVersionNumber! })),
      );
      const unknown = items.filter((a) => a.record.activeVersionNumber === null);
      return [
        ...out,
        ...unknown.map((a) => ({
          key: a.key,
          ok: false,
          reason: 'the active version number was not recorded: activate it in Setup > Flows',
        })),
      ];
    },
  };
}

/** Containment first: stop logins, then live access, then in-flight loads, then the plumbing. */
const ORDER: Action['kind'][] = [
  'freeze-user',
  'revoke-token',
  'end-sessions',
  'abort-bulk-job',
  'deactivate-remote-site',
  'disable-named-credential',
  'deactivate-flow',
  'activate-flow',
  'restore-named-credential',
  'activate-remote-site',
  'unfreeze-user',
];

/** Run the changing actions kind by kind; record each result as it arrives. */
async function execute(
  client: OrgClient,
  actions: readonly Action[],
  secrets: Map<string, string>,
  record: (a: Action, r: ActionResult) => void,
  progress: (line: string) => void = () => undefined,
): Promise<{ results: ActionResult[]; byAction: Record<string, number> }> {
  const run = executors(secrets);
  const results: ActionResult[] = [];
  const byAction: Record<string, number> = {};
  for (const a of actions.filter((x) => !x.change)) {
    const r: ActionResult = { key: a.key, status: 'skipped', reason: `already ${a.current}` };
    results.push(r);
  }
  for (const kind of ORDER) {
    const group = actions.filter((a) => a.change && a.kind === kind);
    if (!group.length) continue;
    const before = client.calls;
    let outcomes: Outcome[];
    try {
      outcomes = await run[kind]!(client, group);
    } catch (e) {
      outcomes = group.map((a) => ({ key: a.key, ok: false, reason: (e as Error).message }));
    }
    byAction[kind] = client.calls - before;
    for (const a of group) {
      const o = outcomes.find((x) => x.key === a.key);
      const r: ActionResult = o?.ok
        ? { key: a.key, status: 'done' }
        : { key: a.key, status: 'failed', reason: o?.reason ?? 'no result' };
      results.push(r);
      record(a, r);
    }
    const failed = outcomes.filter((o) => !o.ok).length;
    progress(`  ${verb(kind)}: ${group.length - failed} done${failed ? `, ${failed} FAILED` : ''}`);
  }
  return { results, byAction };
}

function summarise(actions: readonly Action[], results: readonly ActionResult[]): ApplySummary {
  const byKey = new Map(results.map((r) => [r.key, r]));
  const isolated: string[] = [];
  const notIsolated: { target: string; reason: string }[] = [];
  for (const a of actions) {
    const r = byKey.get(a.key);
    if (r?.status === 'failed') notIsolated.push({ target: label(a), reason: r.reason ?? 'failed' });
    else if (r) isolated.push(label(a));
  }
  return {
    done: results.filter((r) => r.status === 'done').length,
    failed: results.filter((r) => r.status === 'failed').length,
    skipped: results.filter((r) => r.status === 'skipped').length,
    isolated,
    notIsolated,
  };
}

/** `lockout isolate`: plan, guard, confirm, journal, apply, record. */
export async function runIsolate(ctx: Context, opts: IsolateOptions, deps: RunDeps): Promise<IsolateResult> {
  const config = ctx.config();
  const resolved = resolveTargets(config.integrations, opts.targets);
  if ('error' in resolved) throw new UsageError(resolved.error);
  const { targets } = resolved;
  if ((opts.approvedBy && !opts.reason) || (!opts.approvedBy && opts.reason)) {
    throw new UsageError('--approved-by and --reason go together: name who approved and why');
  }

  const client = await deps.connect();
  const start = client.calls;
  const read = await readIsolationState(client, targets, ctx.now());
  const unknown = unknownFlagTargets(opts.targets, read.pre.notFound);
  if (unknown.length) {
    throw new UsageError(unknown.join('; '), {
      hint: 'check the spelling; lockout isolate --discover lists what the org has',
    });
  }
  const plan = buildPlan({
    targets,
    pre: read.pre,
    integrations: config.integrations,
    protect: config.protect,
    thresholds: config.thresholds.isolate,
    approval: { by: opts.approvedBy, reason: opts.reason },
  });
  const trigger = opts.auto ? ('auto' as const) : ('manual' as const);
  const meta = () => ({ incident: ctx.incident(), actor: ctx.actor(), ts: iso(ctx.now()) });

  const v = verdict(plan);
  if (!v.ok) {
    const command = v.needs === 'approval' ? approvalCommand(opts.targets) : null;
    journal(ctx.store(), meta(), 'isolate.refused', {
      trigger: { kind: trigger, why: opts.auto?.why ?? null },
      reason: v.reason,
      integrations: plan.integrations,
      counts: plan.counts,
      command,
    });
    chatter(ctx, renderPlan(plan));
    throw new Refused(v.reason, {
      hint: command
        ? `a person must approve it: ${command}`
        : 'remove the protected user from the targets (protect.users, or the user lockout runs as)',
    });
  }

  if (opts.dryRun || plan.counts.changes === 0) {
    const apiCalls = { discovery: client.calls - start, apply: 0, revokes: 0, byAction: {} };
    return { isolationId: null, dryRun: !!opts.dryRun, results: [], summary: null, plan, trigger, apiCalls };
  }

  await confirmOrRefuse(ctx, deps, opts.yes || !!opts.auto, renderPlan(plan), 'Apply this isolation');
  // Refuse before the first change rather than run out of budget half-way (one /limits call).
  await client.ensureBudget(estimateCalls(plan.actions), 'this isolation');
  const discovery = client.calls - start;
  const store = ctx.store();
  const isolationId = journalPlanned(
    store,
    meta(),
    { kind: trigger, why: opts.auto?.why ?? null },
    {
      targets,
      approval: plan.guardrails.approval,
      preState: read.pre,
      plan,
    },
  );
  chatter(ctx, `${isolationId}: applying ${plan.counts.changes} changes`);

  const applyStart = client.calls;
  const { results, byAction } = await execute(
    client,
    plan.actions,
    read.secrets,
    (a, r) =>
      journal(store, meta(), 'isolate.action', {
        isolationId,
        key: a.key,
        kind: a.kind,
        target: a.target,
        status: r.status,
        ...(r.reason ? { reason: r.reason } : {}),
      }),
    (line) => chatter(ctx, line),
  );
  const summary = summarise(plan.actions, results);
  const revokes = byAction['revoke-token'] ?? 0;
  const apiCalls: ApiCalls = { discovery, apply: client.calls - applyStart - revokes, revokes, byAction };
  const state: IsolationState = summary.failed === 0 ? 'applied' : summary.done > 0 ? 'partial' : 'failed';
  journalFinished(store, meta(), 'isolate.applied', isolationId, state, summary.failed, {
    state,
    ...summary,
    approval: plan.guardrails.approval,
    apiCalls,
  });
  return { isolationId, dryRun: false, trigger, plan, results, summary, apiCalls };
}

/** `lockout isolate --undo <id>`: rebuild from the evidence log, re-read now, plan, confirm, restore, record. */
export async function runUndo(
  ctx: Context,
  opts: { isolationId: string; dryRun?: boolean; yes?: boolean },
  deps: RunDeps,
): Promise<UndoResult> {
  const store = ctx.store({ create: false });
  const rec = loadIsolation(store, opts.isolationId);
  if (!rec)
    throw new UsageError(`--undo ${opts.isolationId}: no such isolation in ${store.path}`, {
      hint: 'lockout isolate list',
    });

  const client = await deps.connect();
  const start = client.calls;
  const now = await readIsolationState(
    client,
    { ...rec.targets, apps: [], objects: [], skip: ['tokens', 'bulkJobs'] },
    ctx.now(),
  );
  // Ids are only meaningful in the org they came from: never restore them in another one.
  if (rec.org.id && now.pre.org.id !== rec.org.id) {
    throw new UsageError(
      `--undo ${rec.id}: the isolation was applied to org ${rec.org.id} (${rec.org.instanceUrl ?? 'unknown instance'}), ` +
        `but this connection is to org ${now.pre.org.id} (${client.instanceUrl})`,
      { hint: 'connect to the org the isolation was applied to (--instance-url/--target-org)' },
    );
  }
  const plan = buildUndoPlan(rec.id, rec.actions, rec.results, now.pre, rec.manual);
  const apiCalls: ApiCalls = { discovery: client.calls - start, apply: 0, revokes: 0, byAction: {} };
  if (opts.dryRun || plan.counts.changes === 0) {
    return { isolationId: rec.id, dryRun: !!opts.dryRun, plan, results: [], summary: null, apiCalls };
  }

  await confirmOrRefuse(ctx, deps, opts.yes, renderUndoPlan(plan), `Undo ${rec.id}`);
  await client.ensureBudget(estimateCalls(plan.actions), `undo of ${rec.id}`);
  apiCalls.discovery = client.calls - start;
  const meta = () => ({ incident: ctx.incident(), actor: ctx.actor(), ts: iso(ctx.now()) });
  journal(store, meta(), 'isolate.undo.planned', {
    isolationId: rec.id,
    stateNow: now.pre,
    plan,
  });
  setState(store, rec.id, 'undoing');
  chatter(ctx, `${rec.id}: undoing ${plan.counts.changes} changes`);
  const applyStart = client.calls;
  const { results, byAction } = await execute(
    client,
    plan.actions,
    new Map(),
    (a, r) =>
      journal(store, meta(), 'isolate.undo.action', {
        isolationId: rec.id,
        key: a.key,
        kind: a.kind,
        target: a.target,
        status: r.status,
        ...(r.reason ? { reason: r.reason } : {}),
      }),
    (line) => chatter(ctx, line),
  );
  const summary = summarise(plan.actions, results);
  apiCalls.apply = client.calls - applyStart;
  apiCalls.byAction = byAction;
  const state: IsolationState = summary.failed === 0 ? 'undone' : 'undo-partial';
  journalFinished(store, meta(), 'isolate.undone', rec.id, state, summary.failed, {
    state,
    ...summary,
    reauthorise: plan.reauthorise,
    irreversible: plan.irreversible,
    apiCalls,
  });
  return { isolationId: rec.id, dryRun: false, plan, results, summary, apiCalls };
}
