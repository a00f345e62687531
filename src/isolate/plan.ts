import type { Integration } from '../config/schema.js';
import type {
  BulkJobState,
  FlowState,
  NamedCredentialState,
  PreState,
  RemoteSiteState,
  Targets,
  TokenState,
  UserState,
} from './model.js';
import { OPEN_JOB_STATES } from './model.js';

/**
 * Read, decide, write: this module is the "decide" step of `lockout isolate`. Pure: values in, values out.
 * The plan lists every action with its target, the state it found and whether it can be undone; the
 * guardrails (protected users, blast radius) are evaluated here, so the CLI and `scan --isolate-on` agree.
 */

export type IsolateKind =
  | 'freeze-user'
  | 'end-sessions'
  | 'revoke-token'
  | 'deactivate-remote-site'
  | 'disable-named-credential'
  | 'abort-bulk-job'
  | 'deactivate-flow';

export type UndoKind = 'unfreeze-user' | 'activate-remote-site' | 'restore-named-credential' | 'activate-flow';

export type ActionKind = IsolateKind | UndoKind;

export interface FreezeRecord {
  userId: string;
  username: string;
  userLoginId: string;
  frozen: boolean | null;
}

export interface SessionsRecord {
  userId: string;
  username: string;
  sessionIds: string[];
}

interface Base<K extends ActionKind, R> {
  /** Unique within a plan: `<kind>:<target id>`; results and undo refer to actions by it. */
  key: string;
  kind: K;
  target: { type: string; id: string | null; name: string };
  /** The state found before acting, in a few words. */
  current: string;
  /** False when the target is already in the wanted state: nothing is sent and nothing is recorded as done. */
  change: boolean;
  undoable: boolean;
  /** How it is undone, or why it cannot be and what recovering needs. */
  undo: string;
  /** For isolate actions: the pre-state of the target. For undo actions: the state to restore. */
  record: R;
}

export type Action =
  | Base<'freeze-user', FreezeRecord>
  | Base<'end-sessions', SessionsRecord>
  | Base<'revoke-token', TokenState>
  | Base<'deactivate-remote-site', RemoteSiteState>
  | Base<'disable-named-credential', NamedCredentialState>
  | Base<'abort-bulk-job', BulkJobState>
  | Base<'deactivate-flow', FlowState>
  | Base<'unfreeze-user', FreezeRecord>
  | Base<'activate-remote-site', RemoteSiteState>
  | Base<'restore-named-credential', NamedCredentialState>
  | Base<'activate-flow', FlowState>;

/** Something the API cannot do: a person does it, following these exact steps. */
export interface ManualStep {
  target: string;
  why: string;
  steps: string[];
}

export interface Guardrails {
  /** A protected target was named: refused, and no approval overrides it. */
  refused: string[];
  /** Thresholds the plan exceeds: allowed only with --approved-by and --reason. */
  exceeds: string[];
  approval: { by: string; reason: string } | null;
}

export interface Plan {
  integrations: string[];
  actions: Action[];
  manual: ManualStep[];
  /** Targets not found, tokens left alone because their user is protected, accounts to treat manually. */
  notes: string[];
  /** `protect.accounts`, recorded so later steps (rollback) treat those records manually. */
  protectedAccounts: string[];
  guardrails: Guardrails;
  counts: { users: number; apps: number; changes: number; unchanged: number; irreversible: number };
}

export interface PlanInput {
  targets: Targets;
  pre: PreState;
  /** Every configured integration: a plan that touches more than one needs approval. */
  integrations: readonly Integration[];
  protect: { users: readonly string[]; accounts: readonly string[] };
  thresholds: { maxUsers: number; maxApps: number };
  approval?: { by?: string; reason?: string };
}

export interface TargetFlags {
  integration?: string[];
  user?: string[];
  app?: string[];
  remoteSite?: string[];
  flow?: string[];
}

const lower = (s: string) => s.toLowerCase();
const uniq = (xs: Iterable<string>) => [...new Set(xs)];
const uniqCI = (xs: Iterable<string>) => {
  const seen = new Map<string, string>();
  for (const x of xs) if (!seen.has(lower(x))) seen.set(lower(x), x);
  return [...seen.values()];
};

/**
 * Expand `--integration` and the ad hoc target flags into one target list.
 * Returns `{ error }` naming the flag when an integration is not in the config.
 */
/**
 * Targets named on the command line that the org does not have: a misspelt --user must not read as "already
 * isolated". Apps are left out: an app without OAuth tokens has nothing to revoke, which is not an error.
 */
export function unknownFlagTargets(flags: TargetFlags, notFound: PreState['notFound']): string[] {
  const flagOf = {
    user: ['--user', flags.user],
    remoteSite: ['--remote-site', flags.remoteSite],
    flow: ['--flow', flags.flow],
  } as const;
  const out: string[] = [];
  for (const nf of notFound) {
    if (!(nf.kind in flagOf)) continue;
    const [flag, given] = flagOf[nf.kind as keyof typeof flagOf];
    if ((given ?? []).some((g) => lower(g) === lower(nf.name))) out.push(`${flag} ${nf.name}: not found in the org`);
  }
  return out;
}

export function resolveTargets(
  configured: readonly Integration[],
  flags: TargetFlags,
): { targets: Targets } | { error: string } {
  const t: Targets = {
    integrations: [],
    users: [],
    apps: [],
    remoteSites: [],
    namedCredentials: [],
    flows: [],
    objects: [],
  };
  for (const name of flags.integration ?? []) {
    const integ = configured.find((i) => lower(i.name) === lower(name));
    if (!integ) {
      const known = configured.map((i) => i.name);
      return {
        error: `--integration ${name}: no such integration in the config${known.length ? ` (known: ${known.join(', ')})` : ''}`,
      };
    }
    t.integrations.push(integ.name);
    t.users.push(...integ.users);
    t.apps.push(...integ.connectedApps);
    t.remoteSites.push(...integ.remoteSites);
    t.namedCredentials.push(...integ.namedCredentials);
    t.flows.push(...integ.flows);
    t.objects.push(...integ.objects);
  }
  t.users.push(...(flags.user ?? []));
  t.apps.push(...(flags.app ?? []));
  t.remoteSites.push(...(flags.remoteSite ?? []));
  t.flows.push(...(flags.flow ?? []));
  const targets: Targets = {
    integrations: uniq(t.integrations),
    users: uniqCI(t.users),
    apps: uniqCI(t.apps),
    remoteSites: uniqCI(t.remoteSites),
    namedCredentials: uniqCI(t.namedCredentials),
    flows: uniqCI(t.flows),
    objects: uniqCI(t.objects),
  };
  const empty = !targets.users.length && !targets.apps.length && !targets.remoteSites.length && !targets.flows.length;
  if (empty && !targets.namedCredentials.length && !targets.objects.length) {
    return { error: 'nothing to isolate: name --integration <name>, or --user/--app/--remote-site/--flow' };
  }
  return { targets };
}

/** Configured integrations that share at least one target with the plan (by name, case-insensitively). */
export function touchedIntegrations(targets: Targets, configured: readonly Integration[]): string[] {
  const has = (list: readonly string[], x: string) => list.some((y) => lower(y) === lower(x));
  const touched = configured.filter(
    (i) =>
      targets.integrations.includes(i.name) ||
      i.users.some((u) => has(targets.users, u)) ||
      i.connectedApps.some((a) => has(targets.apps, a)) ||
      i.remoteSites.some((r) => has(targets.remoteSites, r)) ||
      i.namedCredentials.some((n) => has(targets.namedCredentials, n)) ||
      i.flows.some((f) => has(targets.flows, f)),
  );
  return uniq(touched.map((i) => i.name));
}

const freezeAction = (u: UserState): Action | null => {
  if (!u.userLoginId) return null;
  const record: FreezeRecord = { userId: u.id, username: u.username, userLoginId: u.userLoginId, frozen: u.frozen };
  return {
    key: `freeze-user:${u.id}`,
    kind: 'freeze-user',
    target: { type: 'User', id: u.id, name: u.username },
    current: u.frozen ? 'frozen' : u.isActive ? 'active' : 'inactive',
    change: u.frozen !== true,
    undoable: true,
    undo: u.frozen ? 'was frozen before: stays frozen' : 'unfreeze',
    record,
  };
};

const sessionsAction = (u: UserState): Action => ({
  key: `end-sessions:${u.id}`,
  kind: 'end-sessions',
  target: { type: 'AuthSession', id: u.id, name: u.username },
  current: `${u.sessions.length} live session${u.sessions.length === 1 ? '' : 's'}`,
  change: u.sessions.length > 0,
  undoable: false,
  undo: 'cannot be undone: the user signs in again once unfrozen',
  record: { userId: u.id, username: u.username, sessionIds: u.sessions.map((s) => s.id) },
});

const tokenAction = (t: TokenState): Action => ({
  key: `revoke-token:${t.ref}`,
  kind: 'revoke-token',
  target: { type: 'OauthToken', id: null, name: `${t.appName} / ${t.username ?? t.userId}` },
  current: `granted${t.lastUsedDate ? `, last used ${t.lastUsedDate.slice(0, 16)}` : ''}`,
  change: true,
  undoable: false,
  undo: `cannot be undone: ${t.username ?? t.userId} must re-authorise ${t.appName} (run the app's OAuth connect flow again)`,
  record: t,
});

const remoteSiteAction = (r: RemoteSiteState): Action => ({
  key: `deactivate-remote-site:${r.name}`,
  kind: 'deactivate-remote-site',
  target: { type: 'RemoteSiteSetting', id: r.id, name: r.name },
  current: `${r.isActive ? 'active' : 'inactive'} ${r.url}`,
  change: r.isActive,
  undoable: true,
  undo: r.isActive ? 'reactivate' : 'was inactive before: stays inactive',
  record: r,
});

const namedCredentialAction = (n: NamedCredentialState): Action => ({
  key: `disable-named-credential:${n.name}`,
  kind: 'disable-named-credential',
  target: { type: 'NamedCredential', id: n.id, name: n.name },
  current: `${n.enabled ? 'enabled' : 'disabled'}${n.endpoint ? ` ${n.endpoint}` : ''}`,
  change: n.enabled,
  undoable: true,
  undo: n.enabled ? 'restore the recorded definition' : 'was disabled before: stays disabled',
  record: n,
});

const jobAction = (j: BulkJobState): Action => ({
  key: `abort-bulk-job:${j.id}`,
  kind: 'abort-bulk-job',
  target: {
    type: j.api === 'v1' ? 'Bulk 1.0 job' : 'Bulk 2.0 job',
    id: j.id,
    name: `${j.id} ${j.operation ?? ''} ${j.object ?? ''}`.trim(),
  },
  current: j.state,
  change: true,
  undoable: false,
  undo: 'cannot be undone: the integration must submit the data again',
  record: j,
});

const flowAction = (f: FlowState): Action => ({
  key: `deactivate-flow:${f.id}`,
  kind: 'deactivate-flow',
  target: { type: 'Flow', id: f.id, name: f.apiName },
  current: f.activeVersionId
    ? `active v${f.activeVersionNumber ?? '?'}${f.object ? ` on ${f.object}` : ''}`
    : 'inactive',
  change: f.activeVersionId !== null,
  undoable: true,
  undo: f.activeVersionId
    ? `reactivate version ${f.activeVersionNumber ?? '?'}`
    : 'was inactive before: stays inactive',
  record: f,
});

/**
 * Whether a Bulk job can still load data. A Bulk 1.0 job is "Closed" once its batches are queued, and they may
 * still be running: a Closed 1.0 job created in the last 24 hours is treated as open (aborting a finished one is
 * harmless).
 */
export function isOpenJob(j: BulkJobState, readAt: string): boolean {
  if (OPEN_JOB_STATES.includes(j.state)) return true;
  if (j.api !== 'v1' || j.state !== 'Closed' || !j.createdDate) return false;
  const created = Date.parse(j.createdDate.replace(/\+0000$/, 'Z'));
  return Date.parse(readAt) - created < 24 * 3600_000;
}

/** Requests the changes of a plan will send (collections take 200 records, Metadata 10 components). */
export function estimateCalls(actions: readonly Action[]): number {
  const changing = actions.filter((a) => a.change);
  const n = (...kinds: ActionKind[]) => changing.filter((a) => kinds.includes(a.kind)).length;
  const sessions = changing.reduce((t, a) => t + (a.kind === 'end-sessions' ? a.record.sessionIds.length : 0), 0);
  return (
    Math.ceil(n('freeze-user') / 200) +
    Math.ceil(n('unfreeze-user') / 200) +
    Math.ceil(sessions / 200) +
    Math.ceil(n('disable-named-credential', 'restore-named-credential') / 10) +
    n(
      'revoke-token',
      'abort-bulk-job',
      'deactivate-remote-site',
      'activate-remote-site',
      'deactivate-flow',
      'activate-flow',
    )
  );
}

/** Count the plan's actions. Irreversible = changes that an undo cannot take back. */
export function countActions(actions: readonly Action[], users: number, apps: number): Plan['counts'] {
  return {
    users,
    apps,
    changes: actions.filter((a) => a.change).length,
    unchanged: actions.filter((a) => !a.change).length,
    irreversible: actions.filter((a) => a.change && !a.undoable).length,
  };
}

/** Build the isolation plan from what was read. Pure. */
export function buildPlan(input: PlanInput): Plan {
  const { targets, pre } = input;
  const notes: string[] = [];
  const manual: ManualStep[] = [];

  // Guardrail 1: protected users are never frozen. The running user is always protected.
  const protectedNames = new Set(input.protect.users.map(lower));
  const isProtected = (username: string | null, id: string | null) =>
    (username !== null && protectedNames.has(lower(username))) ||
    (username !== null && lower(username) === lower(pre.runningUser.username)) ||
    (id !== null && id === pre.runningUser.id);
  const refused: string[] = [];
  for (const name of targets.users) {
    const found = pre.users.find((u) => lower(u.username) === lower(name));
    if (lower(name) === lower(pre.runningUser.username) || found?.id === pre.runningUser.id) {
      refused.push(`user ${name} is the user lockout runs as; it is always protected and never frozen`);
    } else if (protectedNames.has(lower(name))) {
      refused.push(`user ${name} is protected (protect.users: break-glass admins are never frozen)`);
    }
  }

  const users = pre.users.filter(
    (u) => targets.users.some((n) => lower(n) === lower(u.username)) && !isProtected(u.username, u.id),
  );
  const userIds = new Set(users.map((u) => u.id));

  const actions: Action[] = [];
  for (const u of users) {
    const freeze = freezeAction(u);
    if (freeze) actions.push(freeze);
    else
      manual.push({
        target: `user ${u.username}`,
        why: 'the org returned no UserLogin row for this user, so it cannot be frozen through the API',
        steps: [
          `Setup > Users > ${u.username} > Freeze`,
          'or deactivate the user: Setup > Users > Edit > clear Active (undo: set Active again)',
        ],
      });
    actions.push(sessionsAction(u));
  }

  // Tokens: of the named apps, and any token the integration users hold. Never a protected user's.
  const appNames = new Set(targets.apps.map(lower));
  const tokens = pre.tokens.filter((t) => appNames.has(lower(t.appName)) || userIds.has(t.userId));
  for (const t of tokens) {
    if (isProtected(t.username, t.userId)) {
      notes.push(
        `left alone: ${t.appName} token of protected user ${t.username ?? t.userId} (revoke it by hand if it is compromised)`,
      );
      continue;
    }
    actions.push(tokenAction(t));
  }
  const revokedApps = uniqCI(tokens.filter((t) => !isProtected(t.username, t.userId)).map((t) => t.appName));
  for (const app of revokedApps) {
    manual.push({
      target: `connected app ${app}`,
      why: 'revoking tokens does not stop the app being authorised again; the API cannot change the app policy',
      steps: [
        `Setup > App Manager > ${app} > Manage > Edit Policies: note the current "Permitted Users" value`,
        'set "Permitted Users" to "Admin approved users are pre-authorized" and save',
        'undo: set "Permitted Users" back to the value noted above',
      ],
    });
  }

  const siteNames = new Set(targets.remoteSites.map(lower));
  for (const r of pre.remoteSites) if (siteNames.has(lower(r.name))) actions.push(remoteSiteAction(r));
  const ncNames = new Set(targets.namedCredentials.map(lower));
  for (const n of pre.namedCredentials) if (ncNames.has(lower(n.name))) actions.push(namedCredentialAction(n));

  for (const j of pre.bulkJobs) {
    if (userIds.has(j.createdById) && isOpenJob(j, pre.readAt)) actions.push(jobAction(j));
  }

  const flowNames = new Set(targets.flows.map(lower));
  const objects = new Set(targets.objects.map(lower));
  const recordTriggered = (f: FlowState) => (f.triggerType ?? '').startsWith('Record');
  // A flow another configured integration names is that integration's: left alone unless named here.
  const ownerOf = (f: FlowState) =>
    input.integrations.find(
      (i) => !targets.integrations.includes(i.name) && i.flows.some((x) => lower(x) === lower(f.apiName)),
    );
  for (const f of pre.flows) {
    const named = flowNames.has(lower(f.apiName));
    const onObject = f.object !== null && objects.has(lower(f.object)) && recordTriggered(f);
    if (named) actions.push(flowAction(f));
    else if (onObject) {
      const owner = ownerOf(f);
      if (owner) notes.push(`left alone: flow ${f.apiName} on ${f.object} belongs to integration ${owner.name}`);
      else actions.push(flowAction(f));
    }
  }

  for (const t of pre.apexTriggers) {
    if (!objects.has(lower(t.object)) || t.status !== 'Active') continue;
    manual.push({
      target: `Apex trigger ${t.name} on ${t.object}`,
      why: 'production orgs do not allow changing Apex triggers through the API; they are deployed inactive',
      steps: [
        `in a sandbox or source project set <status>Inactive</status> in triggers/${t.name}.trigger-meta.xml`,
        `sf project deploy start --metadata ApexTrigger:${t.name} --test-level RunLocalTests --target-org <production alias>`,
        'undo: deploy it again with <status>Active</status>',
      ],
    });
  }

  if (actions.some((a) => a.kind === 'disable-named-credential' && a.change)) {
    notes.push(
      'named credentials are disabled through the Metadata API (calloutStatus Disabled, "Enabled for Callouts" in ' +
        'Setup, API 59+): check Setup > Named Credentials afterwards; on older orgs this field is ignored',
    );
  }
  const list = (xs: readonly string[]) => xs.join(', ') || '(none named)';
  const byHand: Record<string, { target: string; steps: string[] }> = {
    tokens: {
      target: `OAuth tokens of ${list(targets.apps)}`,
      steps: [
        `Setup > Connected Apps OAuth Usage > ${list(targets.apps)} > Revoke, for ${list(users.map((u) => u.username))}`,
      ],
    },
    remoteSites: {
      target: `remote sites ${list(targets.remoteSites)}`,
      steps: ['Setup > Remote Site Settings > Edit: clear "Active" (undo: set it again)'],
    },
    namedCredentials: {
      target: `named credentials ${list(targets.namedCredentials)}`,
      steps: ['Setup > Named Credentials > Edit: clear "Enabled for Callouts" (undo: set it again)'],
    },
    bulkJobs: {
      target: `Bulk jobs of ${list(users.map((u) => u.username))}`,
      steps: ['Setup > Bulk Data Load Jobs: open each job of these users that is not finished and click "Abort Job"'],
    },
    flows: {
      target: `flows ${list(targets.flows)} and record-triggered flows on ${list(targets.objects)}`,
      steps: ['Setup > Flows: open each one and click "Deactivate" (undo: activate the same version)'],
    },
    apexTriggers: {
      target: `Apex triggers on ${list(targets.objects)}`,
      steps: ['Setup > Apex Triggers: check for active triggers on these objects; deploy them inactive from a sandbox'],
    },
  };
  for (const u of pre.unreadable ?? []) {
    manual.push({
      target: byHand[u.surface]!.target,
      why: `lockout could not read them: ${u.reason}`,
      steps: byHand[u.surface]!.steps,
    });
  }
  for (const nf of pre.notFound) notes.push(`not found in the org: ${nf.kind} ${nf.name}`);
  if (input.protect.accounts.length) {
    notes.push(
      `protected accounts (${input.protect.accounts.join(', ')}): records under them are left to manual review in later steps`,
    );
  }

  // Guardrail 2: blast radius.
  const integrations = uniq([...targets.integrations, ...touchedIntegrations(targets, input.integrations)]);
  const appCount = uniqCI([...targets.apps, ...revokedApps]).length;
  const exceeds: string[] = [];
  if (users.length > input.thresholds.maxUsers) {
    exceeds.push(`${users.length} users is more than thresholds.isolate.maxUsers (${input.thresholds.maxUsers})`);
  }
  if (appCount > input.thresholds.maxApps) {
    exceeds.push(`${appCount} connected apps is more than thresholds.isolate.maxApps (${input.thresholds.maxApps})`);
  }
  if (integrations.length > 1) {
    exceeds.push(`the plan touches ${integrations.length} integrations (${integrations.join(', ')})`);
  }
  const by = input.approval?.by?.trim();
  const reason = input.approval?.reason?.trim();
  const approval = by && reason ? { by, reason } : null;

  return {
    integrations,
    actions,
    manual,
    notes,
    protectedAccounts: [...input.protect.accounts],
    guardrails: { refused, exceeds, approval },
    counts: countActions(actions, users.length, appCount),
  };
}

export type Verdict = { ok: true } | { ok: false; reason: string; needs: 'nothing' | 'approval' };

/** Whether the guardrails let the plan run. A protected target always refuses; thresholds need an approver. */
export function verdict(plan: Plan): Verdict {
  const g = plan.guardrails;
  if (g.refused.length) return { ok: false, reason: `refused: ${g.refused.join('; ')}`, needs: 'nothing' };
  if (g.exceeds.length && !g.approval) {
    return {
      ok: false,
      reason: `needs approval: ${g.exceeds.join('; ')}`,
      needs: 'approval',
    };
  }
  return { ok: true };
}

const quote = (s: string) => (/^[\w@.:/+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** The exact command a person runs to approve a plan that exceeds the thresholds. */
export function approvalCommand(flags: TargetFlags): string {
  const parts = ['lockout', 'isolate'];
  for (const i of flags.integration ?? []) parts.push('--integration', quote(i));
  for (const u of flags.user ?? []) parts.push('--user', quote(u));
  for (const a of flags.app ?? []) parts.push('--app', quote(a));
  for (const r of flags.remoteSite ?? []) parts.push('--remote-site', quote(r));
  for (const f of flags.flow ?? []) parts.push('--flow', quote(f));
  parts.push('--approved-by', '<your name>', '--reason', "'<why this is needed>'");
  return parts.join(' ');
}
