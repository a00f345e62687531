import type { Context } from '../cli/context.js';
import { Refused, UsageError } from '../errors.js';
import { iso } from '../util/time.js';
import { loadIncidents, nextIncidentId, requireIncident, type Incident } from './model.js';

export interface OpenOptions {
  title: string;
  severity: number;
  awareAt?: Date;
  summary?: string;
}

/** Open an incident; it becomes the current one. */
export function openIncident(ctx: Context, opts: OpenOptions): Incident {
  const store = ctx.store();
  const now = ctx.now();
  const actor = ctx.actor();
  if (opts.awareAt && opts.awareAt.getTime() > now.getTime() + 5 * 60_000) {
    throw new UsageError(`--aware-at ${iso(opts.awareAt)} is in the future`);
  }
  const entry = store.appendWith((s) => {
    const id = nextIncidentId(s, now.getUTCFullYear());
    return {
      kind: 'incident.opened',
      incident: id,
      actor,
      ts: iso(now),
      payload: {
        id,
        title: opts.title,
        severity: opts.severity,
        awareAt: iso(opts.awareAt ?? now),
        awareBasis: opts.awareAt ? 'stated by the person who opened the incident' : 'time the incident was opened',
        summary: opts.summary ?? null,
      },
    };
  });
  return requireIncident(store, entry.incident);
}

export function listIncidents(ctx: Context): Incident[] {
  return [...loadIncidents(ctx.store({ create: false })).values()];
}

export function showIncident(ctx: Context, id: string | undefined): Incident {
  return requireIncident(ctx.store({ create: false }), id ?? ctx.flags.incident ?? ctx.env.LOCKOUT_INCIDENT);
}

export function noteIncident(ctx: Context, id: string | undefined, text: string): Incident {
  if (!text.trim()) throw new UsageError('the note is empty');
  const store = ctx.store({ create: false });
  const inc = requireIncident(store, id ?? ctx.flags.incident ?? ctx.env.LOCKOUT_INCIDENT);
  store.append({ kind: 'incident.noted', incident: inc.id, actor: ctx.actor(), ts: iso(ctx.now()), payload: { text } });
  return requireIncident(store, inc.id);
}

export function closeIncident(ctx: Context, id: string | undefined, summary: string): Incident {
  const store = ctx.store({ create: false });
  const inc = requireIncident(store, id ?? ctx.flags.incident ?? ctx.env.LOCKOUT_INCIDENT);
  if (inc.status === 'closed') throw new Refused(`incident ${inc.id} is already closed (${inc.closedAt})`);
  store.append({
    kind: 'incident.closed',
    incident: inc.id,
    actor: ctx.actor(),
    ts: iso(ctx.now()),
    payload: { summary },
  });
  return requireIncident(store, inc.id);
}

/** Make an open incident the current one. */
export function useIncident(ctx: Context, id: string): Incident {
  const store = ctx.store({ create: false });
  const inc = requireIncident(store, id);
  if (inc.status === 'closed') throw new UsageError(`incident ${inc.id} is closed; it cannot be made current`);
  store.append({ kind: 'incident.selected', incident: inc.id, actor: ctx.actor(), ts: iso(ctx.now()), payload: {} });
  return inc;
}
