// Test-only control plane under /__emulator/ (never part of the Salesforce API): state snapshot, request log
// with counts, faults, reset, token and clock controls. No auth: the emulator listens on 127.0.0.1 only.
import { ApiError } from './errors.js';
import { parseFaultSpec } from './faults.js';
import { json, noContent, type Req, type Router } from './router.js';
import type { OrgState, SerializedState } from './state.js';

export function registerAdmin(router: Router, state: OrgState, initial: () => SerializedState): void {
  const A = '/__emulator';
  const none = { auth: 'none' as const };

  router.add(
    'GET',
    `${A}/state`,
    (req) => {
      const only = req.query.types ? new Set(req.query.types.split(',').map((t) => t.trim().toLowerCase())) : null;
      const counts: Record<string, number> = {};
      const records: Record<string, unknown[]> = {};
      for (const name of state.objectNames()) {
        const rows = state.records(name, { includeDeleted: true });
        if (!rows.length) continue;
        counts[name] = rows.length;
        if (!only || only.has(name.toLowerCase())) records[name] = rows;
      }
      return json(200, {
        orgId: state.orgId,
        instanceUrl: state.options.instanceUrl,
        now: state.now().toISOString(),
        counts,
        limits: state.limits,
        historyTracking: Object.fromEntries([...state.historyTracking].map(([k, v]) => [k, [...v]])),
        tokens: [...state.tokens.values()].map((t) => ({ ...t, token: `${t.token.slice(0, 12)}...` })),
        faults: state.faults.list(),
        ext: state.ext,
        records,
      });
    },
    none,
  );

  router.add(
    'GET',
    `${A}/requests`,
    (req) => {
      const since = Number(req.query.since ?? 0);
      return json(200, {
        total: router.log.length,
        counts: Object.fromEntries(router.counts),
        requests: router.log.filter((e) => e.seq > since),
      });
    },
    none,
  );
  router.add(
    'DELETE',
    `${A}/requests`,
    () => {
      router.log.length = 0;
      router.counts.clear();
      return noContent();
    },
    none,
  );

  const readFaults = (req: Req) => {
    const text = req.text().trim();
    try {
      // A JSON body may be a rule array, {"spec": "..."} or {"rules": [...]}.
      if (text.startsWith('{')) {
        const o = JSON.parse(text) as { spec?: string; rules?: unknown[] };
        return o.spec !== undefined ? parseFaultSpec(o.spec) : parseFaultSpec(JSON.stringify(o.rules ?? []));
      }
      return parseFaultSpec(text);
    } catch (e) {
      throw new ApiError(400, 'INVALID_FAULT', (e as Error).message);
    }
  };
  router.add('GET', `${A}/faults`, () => json(200, state.faults.list()), none);
  router.add(
    'POST',
    `${A}/faults`,
    (req) => {
      try {
        return json(
          200,
          state.faults.add(readFaults(req)).map(({ regex: _r, ...r }) => r),
        );
      } catch (e) {
        if (e instanceof ApiError) throw e;
        throw new ApiError(400, 'INVALID_FAULT', (e as Error).message);
      }
    },
    none,
  );
  router.add(
    'DELETE',
    `${A}/faults`,
    () => {
      state.faults.clear();
      return noContent();
    },
    none,
  );

  router.add(
    'POST',
    `${A}/reset`,
    () => {
      state.restore(initial());
      state.faults.clear();
      router.log.length = 0;
      router.counts.clear();
      return noContent();
    },
    none,
  );

  // Expire tokens: {"token": "..."} or {"username": "..."} (all of that user's access tokens).
  router.add(
    'POST',
    `${A}/expire`,
    (req) => {
      const b = req.json<{ token?: string; username?: string }>();
      let n = 0;
      for (const t of state.tokens.values()) {
        const user = b.username ? state.userByUsername(b.username) : undefined;
        if ((b.token && t.token === b.token) || (user && t.userId === user.Id && t.kind === 'access')) {
          t.revoked = true;
          n++;
        }
      }
      state.changed();
      return json(200, { expired: n });
    },
    none,
  );

  // A fresh session for any seeded user: {"username": "..."} -> {"accessToken": "..."}.
  router.add(
    'POST',
    `${A}/tokens`,
    (req) => {
      const b = req.json<{ username?: string; appName?: string }>();
      const user = state.userByUsername(b.username ?? '');
      if (!user) throw new ApiError(404, 'NOT_FOUND', `no user ${b.username}`);
      const s = state.issueSession(user.Id as string, { appName: b.appName ?? null });
      return json(200, { accessToken: s.accessToken, userId: user.Id, sessionId: s.sessionId, deleteToken: s.grant });
    },
    none,
  );

  // Limits: {"DailyApiRequests": {"Remaining": 0}}.
  router.add(
    'POST',
    `${A}/limits`,
    (req) => {
      const b = req.json<Record<string, { Max?: number; Remaining?: number }>>();
      for (const [k, v] of Object.entries(b)) {
        const cur = state.limits[k] ?? { Max: v.Max ?? 0, Remaining: v.Remaining ?? v.Max ?? 0 };
        state.limits[k] = { Max: v.Max ?? cur.Max, Remaining: v.Remaining ?? cur.Remaining };
      }
      state.changed();
      return json(200, state.limits);
    },
    none,
  );

  // Clock: {"offsetMs": n} or {"now": "2024-05-01T00:00:00Z"}, and/or {"timeZone": "Europe/Berlin"}.
  router.add(
    'POST',
    `${A}/clock`,
    (req) => {
      const b = req.json<{ offsetMs?: number; now?: string; timeZone?: string }>();
      if (b.now) state.clockOffsetMs = Date.parse(b.now) - Date.now();
      else if (b.offsetMs !== undefined) state.clockOffsetMs = Number(b.offsetMs);
      if (b.timeZone) state.options.timeZone = b.timeZone;
      state.changed();
      return json(200, {
        now: state.now().toISOString(),
        offsetMs: state.clockOffsetMs,
        timeZone: state.options.timeZone,
      });
    },
    none,
  );
}
