import { table } from '../cli/output.js';
import type { Action, ActionKind, Plan } from './plan.js';
import type { UndoPlan } from './undo.js';

/** Text renderings for the on-call engineer: a short table first, details after. Pure. */

const VERB: Record<ActionKind, string> = {
  'freeze-user': 'freeze user',
  'end-sessions': 'end sessions',
  'revoke-token': 'revoke token',
  'deactivate-remote-site': 'deactivate remote site',
  'disable-named-credential': 'disable named credential',
  'abort-bulk-job': 'abort Bulk job',
  'deactivate-flow': 'deactivate flow',
  'unfreeze-user': 'unfreeze user',
  'activate-remote-site': 'reactivate remote site',
  'restore-named-credential': 'restore named credential',
  'activate-flow': 'reactivate flow',
};

export const verb = (k: ActionKind): string => VERB[k];

const short = (s: string, n = 48) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** Up to `max` rows: one per action when few, else one per kind (first names, then "+N more"). */
function rows(actions: readonly Action[], max = 12): string[][] {
  const undoCell = (a: Action) => (a.undoable ? 'yes' : 'NO');
  if (actions.length <= max) {
    return actions.map((a) => [verb(a.kind), short(a.target.name), short(a.current, 36), undoCell(a)]);
  }
  const groups = new Map<string, Action[]>();
  for (const a of actions) groups.set(a.kind, [...(groups.get(a.kind) ?? []), a]);
  return [...groups.values()].map((g) => {
    const first = g[0]!;
    const target =
      g.length > 2
        ? `${g.length}: ${short(first.target.name, 32)} +${g.length - 1} more`
        : g.map((a) => short(a.target.name, 24)).join(', ');
    const states = [...new Set(g.map((a) => a.current.replace(/, last used .*$/, '')))];
    return [
      verb(first.kind),
      target,
      short(states.length === 1 ? states[0]! : `${states.length} states`, 36),
      undoCell(first),
    ];
  });
}

function footer(plan: Plan): string[] {
  const lines: string[] = [];
  const unchanged = plan.actions.filter((a) => !a.change);
  if (unchanged.length) {
    const list = unchanged.slice(0, 5).map((a) => `${verb(a.kind)} ${a.target.name} (${a.current})`);
    lines.push(
      '',
      `Already in place, nothing sent (${unchanged.length}): ${list.join('; ')}${unchanged.length > 5 ? '; …' : ''}`,
    );
  }
  if (plan.manual.length) {
    lines.push('', 'Manual steps (the API cannot do these):');
    plan.manual.forEach((m, i) => {
      lines.push(`  ${i + 1}. ${m.target}: ${m.why}`);
      for (const s of m.steps) lines.push(`     - ${s}`);
    });
  }
  if (plan.notes.length) {
    lines.push('', 'Notes:');
    for (const n of plan.notes) lines.push(`  - ${n}`);
  }
  return lines;
}

/** The isolation plan: headline, table of changes, what is already in place, manual steps, guardrails. */
export function renderPlan(plan: Plan): string {
  const changes = plan.actions.filter((a) => a.change);
  const who = plan.integrations.length ? plan.integrations.join(', ') : 'ad hoc targets';
  const lines = [
    `Isolation plan for ${who}: ${plan.counts.changes} change${plan.counts.changes === 1 ? '' : 's'}` +
      `${plan.counts.irreversible ? `, ${plan.counts.irreversible} cannot be undone` : ''}` +
      ` (${plan.counts.users} user${plan.counts.users === 1 ? '' : 's'}, ${plan.counts.apps} app${plan.counts.apps === 1 ? '' : 's'})`,
  ];
  if (changes.length) lines.push('', table(['ACTION', 'TARGET', 'NOW', 'UNDO'], rows(changes)));
  else lines.push('', 'Nothing to change: every target is already isolated.');
  lines.push(...footer(plan));
  const g = plan.guardrails;
  if (g.refused.length || g.exceeds.length) {
    lines.push('', 'Guardrails:');
    for (const r of g.refused) lines.push(`  REFUSED  ${r}`);
    for (const e of g.exceeds) lines.push(`  ${g.approval ? 'approved' : 'APPROVAL'} ${e}`);
    if (g.approval) lines.push(`  approved by ${g.approval.by}: ${g.approval.reason}`);
  }
  return lines.join('\n');
}

/** The undo plan: what will be restored, and what cannot be. */
export function renderUndoPlan(plan: UndoPlan): string {
  const changes = plan.actions.filter((a) => a.change);
  const lines = [`Undo plan for ${plan.isolationId}: ${changes.length} change${changes.length === 1 ? '' : 's'}`];
  if (changes.length) lines.push('', table(['ACTION', 'TARGET', 'NOW', 'UNDO'], rows(changes)));
  else lines.push('', 'Nothing to restore: every target the isolation changed is back in its pre-isolation state.');
  lines.push(...footer(plan));
  if (plan.irreversible.length) {
    lines.push('', 'Cannot be undone (done by the isolation):');
    for (const i of plan.irreversible.slice(0, 10)) lines.push(`  - ${i}`);
    if (plan.irreversible.length > 10) lines.push(`  - … and ${plan.irreversible.length - 10} more`);
  }
  return lines.join('\n');
}
