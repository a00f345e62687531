import type { PreState } from './model.js';
import { countActions, type Action, type ManualStep, type Plan } from './plan.js';

/**
 * The exact inverse of an applied isolation. Pure: built from what the evidence log recorded (each action with
 * the pre-state of its target, and its result), plus the state read now (to skip what is already restored).
 * Only what the isolation itself changed is undone: a user frozen before stays frozen, a remote site inactive
 * before stays inactive, and what cannot be undone (revoked tokens, ended sessions, aborted jobs) is reported.
 */

export type ResultStatus = 'done' | 'failed' | 'skipped';

export interface ActionResult {
  key: string;
  status: ResultStatus;
  /** Why it failed or was skipped, in one line. */
  reason?: string;
}

export interface UndoPlan extends Plan {
  isolationId: string;
  /** Tokens that were revoked: the app must be re-authorised by (or for) these users. */
  reauthorise: { app: string; user: string }[];
  /** Changes the isolation made that no API call can take back. */
  irreversible: string[];
}

const lower = (s: string) => s.toLowerCase();

/**
 * Build the undo plan for isolation `isolationId` from its recorded actions and results.
 * `now` is the state read at undo time (null when the org was not read): actions whose target is already back in
 * its pre-isolation state are listed with `change: false`.
 */
export function buildUndoPlan(
  isolationId: string,
  actions: readonly Action[],
  results: readonly ActionResult[],
  now: PreState | null,
  manual: readonly ManualStep[] = [],
): UndoPlan {
  const byKey = new Map(results.map((r) => [r.key, r]));
  const undo: Action[] = [];
  const notes: string[] = [];
  const reauthorise: { app: string; user: string }[] = [];
  const irreversible: string[] = [];

  for (const a of actions) {
    const r = byKey.get(a.key);
    // No result recorded: the run was interrupted after asking the org but before journaling the answer. The
    // change may have happened, so it is undone when the target is not in its pre-state (the state read now).
    const interrupted = !r && a.change && a.undoable && now !== null;
    if (interrupted)
      notes.push(`result not recorded (interrupted run): ${a.kind} ${a.target.name} is checked against its pre-state`);
    else if (!r || r.status !== 'done') {
      if (r?.status === 'failed') notes.push(`not changed by the isolation (it failed): ${a.kind} ${a.target.name}`);
      else if (a.undoable && !a.change)
        notes.push(`${a.target.name} was already ${a.current} before the isolation: left as it is`);
      continue;
    }
    switch (a.kind) {
      case 'freeze-user': {
        if (a.record.frozen === true) {
          notes.push(`${a.record.username} was frozen before the isolation: stays frozen`);
          break;
        }
        const u = now?.users.find((x) => x.id === a.record.userId);
        undo.push({
          key: `unfreeze-user:${a.record.userId}`,
          kind: 'unfreeze-user',
          target: a.target,
          current: u ? (u.frozen ? 'frozen' : 'not frozen') : now ? 'not found' : 'unknown',
          change: u ? u.frozen === true : true,
          undoable: true,
          undo: 'freeze again (lockout isolate)',
          record: a.record,
        });
        break;
      }
      case 'deactivate-remote-site': {
        if (!a.record.isActive) {
          notes.push(`remote site ${a.record.name} was inactive before the isolation: stays inactive`);
          break;
        }
        const s = now?.remoteSites.find((x) => lower(x.name) === lower(a.record.name));
        undo.push({
          key: `activate-remote-site:${a.record.name}`,
          kind: 'activate-remote-site',
          target: a.target,
          current: s ? `${s.isActive ? 'active' : 'inactive'} ${s.url}` : now ? 'not found' : 'unknown',
          change: s
            ? !(s.isActive && s.url === a.record.url && s.disableProtocolSecurity === a.record.disableProtocolSecurity)
            : true,
          undoable: true,
          undo: 'deactivate again (lockout isolate)',
          record: a.record,
        });
        break;
      }
      case 'disable-named-credential': {
        if (!a.record.enabled) {
          notes.push(`named credential ${a.record.name} was disabled before the isolation: stays disabled`);
          break;
        }
        const n = now?.namedCredentials.find((x) => lower(x.name) === lower(a.record.name));
        undo.push({
          key: `restore-named-credential:${a.record.name}`,
          kind: 'restore-named-credential',
          target: a.target,
          current: n ? (n.enabled ? 'enabled' : 'disabled') : now ? 'not found' : 'unknown',
          change: n ? !n.enabled || n.endpoint !== a.record.endpoint : true,
          undoable: true,
          undo: 'disable again (lockout isolate)',
          record: a.record,
        });
        break;
      }
      case 'deactivate-flow': {
        if (a.record.activeVersionId === null) {
          notes.push(`flow ${a.record.apiName} was inactive before the isolation: stays inactive`);
          break;
        }
        const f = now?.flows.find((x) => x.id === a.record.id);
        undo.push({
          key: `activate-flow:${a.record.id}`,
          kind: 'activate-flow',
          target: a.target,
          current: f
            ? f.activeVersionId
              ? `active v${f.activeVersionNumber ?? '?'}`
              : 'inactive'
            : now
              ? 'not found'
              : 'unknown',
          change: f ? f.activeVersionId !== a.record.activeVersionId : true,
          undoable: true,
          undo: 'deactivate again (lockout isolate)',
          record: a.record,
        });
        break;
      }
      case 'revoke-token':
        reauthorise.push({ app: a.record.appName, user: a.record.username ?? a.record.userId });
        irreversible.push(
          `token of ${a.record.username ?? a.record.userId} for ${a.record.appName} was revoked: re-authorise the app`,
        );
        break;
      case 'end-sessions':
        irreversible.push(
          `${a.record.sessionIds.length} session(s) of ${a.record.username} ended: the user signs in again`,
        );
        break;
      case 'abort-bulk-job':
        irreversible.push(
          `Bulk job ${a.record.id} (${a.record.operation ?? '?'} ${a.record.object ?? '?'}) was aborted: the integration must submit it again`,
        );
        break;
      default:
        // Undo actions are never undone by this function; an undo of an undo is a new isolation.
        break;
    }
  }

  // What a person did by hand for the isolation, a person undoes by hand: keep only the undo instructions.
  const undoManual: ManualStep[] = manual.flatMap((m) => {
    const steps = m.steps.filter((s) => s.startsWith('undo: ')).map((s) => s.slice('undo: '.length));
    return steps.length ? [{ target: m.target, why: 'only if it was done by hand during the isolation', steps }] : [];
  });

  return {
    isolationId,
    integrations: [],
    actions: undo,
    manual: undoManual,
    notes,
    protectedAccounts: [],
    guardrails: { refused: [], exceeds: [], approval: null },
    counts: countActions(undo, undo.filter((a) => a.kind === 'unfreeze-user').length, 0),
    reauthorise,
    irreversible,
  };
}
