import type { ChainedEntry } from '../store/chain.js';
import type { Store } from '../store/evidence.js';
import type { Action, ManualStep, Plan } from './plan.js';
import type { ActionResult } from './undo.js';

/**
 * The isolate journal: evidence entries (the source of truth) plus the `isolation` table (an index for
 * `isolate list` and id allocation, migration 4). Entries are written before the org is touched, and each
 * action's result after it, so an interrupted run leaves a record of exactly what was attempted.
 */

export const ISOLATE_KINDS = [
  'isolate.planned',
  'isolate.action',
  'isolate.applied',
  'isolate.refused',
  'isolate.undo.planned',
  'isolate.undo.action',
  'isolate.undone',
  'isolate.discovered',
] as const;

export type IsolationState = 'applying' | 'applied' | 'partial' | 'failed' | 'undoing' | 'undone' | 'undo-partial';

export interface IsolationRow {
  id: string;
  incident: string | null;
  createdAt: string;
  actor: string;
  integrations: string[];
  trigger: 'manual' | 'auto';
  state: IsolationState;
  changes: number;
  failed: number;
}

interface Meta {
  incident: string | null;
  actor: string;
  ts: string;
}

/** Next id `ISO-<year>-<nnnn>`; called inside the write transaction so concurrent runs never share one. */
function nextId(store: Store, year: number): string {
  const row = store.db
    .prepare('SELECT id FROM isolation WHERE id LIKE ? ORDER BY CAST(substr(id, 10) AS INTEGER) DESC LIMIT 1')
    .get(`ISO-${year}-%`) as { id: string } | undefined;
  const n = row ? Number(row.id.slice(9)) + 1 : 1;
  return `ISO-${year}-${String(n).padStart(4, '0')}`;
}

/** Record the plan (with the full pre-state of every target) and open the isolation. Returns its id. */
export function journalPlanned(
  store: Store,
  meta: Meta,
  trigger: { kind: 'manual' | 'auto'; why: string | null },
  payload: Record<string, unknown> & { plan: Plan },
): string {
  let id = '';
  const tx = store.db.transaction(() => {
    const entry = store.appendWith((s) => {
      id = nextId(s, new Date(meta.ts).getUTCFullYear());
      return { kind: 'isolate.planned', ...meta, payload: { isolationId: id, trigger, ...payload } };
    });
    store.db
      .prepare(
        'INSERT INTO isolation (id, incident, created_at, actor, integrations, trigger, state, changes, planned_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        id,
        meta.incident,
        meta.ts,
        meta.actor,
        JSON.stringify(payload.plan.integrations),
        trigger.kind,
        'applying',
        payload.plan.counts.changes,
        entry.seq,
      );
  });
  tx.immediate();
  return id;
}

/** Append one evidence entry for an isolation. */
export function journal(store: Store, meta: Meta, kind: (typeof ISOLATE_KINDS)[number], payload: object): ChainedEntry {
  return store.append({ kind, ...meta, payload });
}

/** Close a step of an isolation: its summary entry and the index row, in one transaction. */
export function journalFinished(
  store: Store,
  meta: Meta,
  kind: 'isolate.applied' | 'isolate.undone',
  isolationId: string,
  state: IsolationState,
  failed: number,
  payload: object,
): void {
  const tx = store.db.transaction(() => {
    const entry = store.append({ kind, ...meta, payload: { isolationId, ...payload } });
    const column = kind === 'isolate.applied' ? 'finished_seq' : 'undone_seq';
    store.db
      .prepare(`UPDATE isolation SET state = ?, failed = ?, ${column} = ? WHERE id = ?`)
      .run(state, failed, entry.seq, isolationId);
  });
  tx.immediate();
}

export function setState(store: Store, isolationId: string, state: IsolationState): void {
  store.db.prepare('UPDATE isolation SET state = ? WHERE id = ?').run(state, isolationId);
}

export function listIsolations(store: Store): IsolationRow[] {
  const rows = store.db.prepare('SELECT * FROM isolation ORDER BY planned_seq').all() as Record<
    string,
    string | number | null
  >[];
  return rows.map((r) => ({
    id: String(r.id),
    incident: r.incident === null ? null : String(r.incident),
    createdAt: String(r.created_at),
    actor: String(r.actor),
    integrations: JSON.parse(String(r.integrations)) as string[],
    trigger: r.trigger === 'auto' ? 'auto' : 'manual',
    state: String(r.state) as IsolationState,
    changes: Number(r.changes),
    failed: Number(r.failed),
  }));
}

export interface RecordedIsolation {
  id: string;
  actions: Action[];
  manual: ManualStep[];
  results: ActionResult[];
  integrations: string[];
  targets: { users: string[]; remoteSites: string[]; namedCredentials: string[]; flows: string[] };
  /** The org the isolation was applied to (from its recorded pre-state). */
  org: { id: string | null; instanceUrl: string | null };
  undone: boolean;
}

type PlannedPayload = { plan: Plan; preState?: { org?: RecordedIsolation['org'] } };

/** Rebuild what an isolation did from the evidence log alone (the table is not consulted). */
export function loadIsolation(store: Store, isolationId: string): RecordedIsolation | null {
  let planned: PlannedPayload | null = null;
  const results = new Map<string, ActionResult>();
  let undone = false;
  for (const e of store.entries({ kinds: ['isolate.planned', 'isolate.action', 'isolate.undone'] })) {
    const p = e.payload as Record<string, unknown>;
    if (p.isolationId !== isolationId) continue;
    if (e.kind === 'isolate.planned') planned = p as unknown as PlannedPayload;
    else if (e.kind === 'isolate.action') {
      const r = p as unknown as ActionResult;
      results.set(r.key, { key: r.key, status: r.status, ...(r.reason ? { reason: r.reason } : {}) });
    } else if (e.kind === 'isolate.undone') undone = true;
  }
  if (!planned) return null;
  const actions = planned.plan.actions;
  const pick = (k: Action['kind']) => actions.filter((a) => a.kind === k);
  return {
    id: isolationId,
    actions,
    manual: planned.plan.manual,
    results: [...results.values()],
    integrations: planned.plan.integrations,
    targets: {
      users: pick('freeze-user').map((a) => a.target.name),
      remoteSites: pick('deactivate-remote-site').map((a) => a.target.name),
      namedCredentials: pick('disable-named-credential').map((a) => a.target.name),
      flows: pick('deactivate-flow').map((a) => a.target.name),
    },
    org: { id: planned.preState?.org?.id ?? null, instanceUrl: planned.preState?.org?.instanceUrl ?? null },
    undone,
  };
}
