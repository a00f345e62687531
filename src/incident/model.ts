import type { ChainedEntry } from '../store/chain.js';
import type { Store } from '../store/evidence.js';
import { UsageError } from '../errors.js';

/** Evidence kinds that make up an incident's own record. Everything about an incident lives in the log. */
export const INCIDENT_KINDS = [
  'incident.opened',
  'incident.noted',
  'incident.assessed',
  'incident.selected',
  'incident.closed',
] as const;

export interface IncidentNote {
  seq: number;
  ts: string;
  actor: string;
  text: string;
}

export interface Incident {
  id: string;
  title: string;
  severity: number;
  status: 'open' | 'closed';
  openedAt: string;
  openedBy: string;
  awareAt: string;
  summary: string | null;
  closedAt: string | null;
  closedBy: string | null;
  closingSummary: string | null;
  notes: IncidentNote[];
  /** Number of evidence entries attached to the incident (all kinds). */
  entries: number;
  /** seq of the entry that opened it. */
  seq: number;
}

export interface OpenedPayload {
  id: string;
  title: string;
  severity: number;
  awareAt: string;
  summary: string | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Fold evidence entries (in seq order) into incident records. Pure. */
export function foldIncidents(entries: Iterable<ChainedEntry>): Map<string, Incident> {
  const incidents = new Map<string, Incident>();
  for (const e of entries) {
    if (!e.incident) continue;
    const p = (e.payload ?? {}) as Record<string, unknown>;
    if (e.kind === 'incident.opened') {
      incidents.set(e.incident, {
        id: e.incident,
        title: str(p.title) ?? '',
        severity: typeof p.severity === 'number' ? p.severity : 3,
        status: 'open',
        openedAt: e.ts,
        openedBy: e.actor,
        awareAt: str(p.awareAt) ?? e.ts,
        summary: str(p.summary),
        closedAt: null,
        closedBy: null,
        closingSummary: null,
        notes: [],
        entries: 1,
        seq: e.seq,
      });
      continue;
    }
    const inc = incidents.get(e.incident);
    if (!inc) continue;
    inc.entries += 1;
    if (e.kind === 'incident.noted') inc.notes.push({ seq: e.seq, ts: e.ts, actor: e.actor, text: str(p.text) ?? '' });
    if (e.kind === 'incident.closed') {
      inc.status = 'closed';
      inc.closedAt = e.ts;
      inc.closedBy = e.actor;
      inc.closingSummary = str(p.summary);
    }
  }
  return incidents;
}

/** The current incident: the most recently opened or selected one that is still open. Pure over entries. */
export function pickCurrent(entries: Iterable<ChainedEntry>): string | null {
  const closed = new Set<string>();
  let current: string | null = null;
  for (const e of entries) {
    if (!e.incident) continue;
    if (e.kind === 'incident.opened' || e.kind === 'incident.selected') current = e.incident;
    if (e.kind === 'incident.closed') closed.add(e.incident);
  }
  // The newest pick may be closed; fall back to the newest still-open pick.
  if (current && !closed.has(current)) return current;
  return null;
}

export function currentIncidentId(store: Store): string | null {
  return pickCurrent(store.entries({ kinds: ['incident.opened', 'incident.selected', 'incident.closed'] }));
}

export function loadIncidents(store: Store): Map<string, Incident> {
  return foldIncidents(store.entries({ kinds: [...INCIDENT_KINDS] }));
}

/** The next id for an incident opened in `year`: INC-YYYY-NNNN. Call inside the append transaction. */
export function nextIncidentId(store: Store, year: number): string {
  const prefix = `INC-${year}-`;
  const row = store.db
    .prepare("SELECT COUNT(*) AS n FROM evidence WHERE kind = 'incident.opened' AND incident LIKE ? ")
    .get(`${prefix}%`) as { n: number };
  return `${prefix}${String(row.n + 1).padStart(4, '0')}`;
}

/** Resolve an explicit id or the current incident, or fail with exit 2 naming the problem. */
export function requireIncident(store: Store, id: string | null | undefined): Incident {
  const incidents = loadIncidents(store);
  const wanted = id ?? currentIncidentId(store);
  if (!wanted) {
    throw new UsageError('no current incident (the last one was closed, or none was opened)', {
      hint: 'name one with --incident <id> (see lockout incident list), or open one: lockout incident open --title ...',
    });
  }
  const inc = incidents.get(wanted);
  if (!inc) throw new UsageError(`unknown incident ${wanted}`, { hint: 'see lockout incident list' });
  return inc;
}
