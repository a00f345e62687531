import type { Context } from '../cli/context.js';
import { OrgError, Refused, UsageError } from '../errors.js';
import type { OrgClient, OrgIdentity } from '../org/client.js';
import { connectOrg, type OrgFlags } from '../org/connect.js';
import { openOrgScanSource } from '../org/scan-source.js';
import { runScan } from '../scan/engine.js';
import { iso } from '../util/time.js';
import { CANARIES, canaryRecords, judge, type Canary, type CanaryResult } from './canaries.js';

/**
 * `lockout drill`: prove the detection path end to end. Insert canary records through the integration's user,
 * scan them from the org with the scanner and the configured thresholds, check each is found at its level,
 * delete them, and record the result. The journal comes first: the canaries' ids are in the evidence log before
 * the scan, so a crash leaves records a person can find (Description names the drill) and delete.
 */
export interface DrillOptions {
  integration?: string;
  object?: string;
  allowProduction?: boolean;
  approvedBy?: string;
  reason?: string;
}

export interface DrillResult {
  drill: string;
  org: { id: string; name: string | null; isSandbox: boolean | null };
  user: string;
  integration: string | null;
  object: string;
  canaries: CanaryResult[];
  detected: number;
  missed: number;
  /** From the end of the insert to the end of the scan. */
  timeToDetectMs: number;
  cleanup: { deleted: number; failed: { id: string; error: string }[]; remaining: number };
  production: { approvedBy: string; reason: string | null } | null;
}

/** Whether the guard lets a drill run in this org (pure). Unknown counts as production. */
export function productionGuard(
  identity: Pick<OrgIdentity, 'isSandbox' | 'organizationName' | 'orgId'>,
  opts: Pick<DrillOptions, 'allowProduction' | 'approvedBy'>,
): { ok: true; production: boolean } | { ok: false; reason: string } {
  if (identity.isSandbox === true) return { ok: true, production: false };
  const what = `${identity.organizationName ?? identity.orgId} is ${identity.isSandbox === false ? 'a production org (Organization.IsSandbox = false)' : 'not known to be a sandbox'}`;
  if (!opts.allowProduction) return { ok: false, reason: `${what}; a drill inserts records, so it runs in sandboxes` };
  if (!opts.approvedBy?.trim()) return { ok: false, reason: `${what}; --allow-production needs --approved-by <name>` };
  return { ok: true, production: true };
}

const ID = /^[a-zA-Z0-9]{15,18}$/;

export async function runDrill(ctx: Context, flags: OrgFlags, opts: DrillOptions): Promise<DrillResult> {
  const config = ctx.config();
  const integration = opts.integration ? config.integrations.find((i) => i.name === opts.integration) : undefined;
  if (opts.integration && !integration) {
    throw new UsageError(`--integration ${opts.integration}: no such integration in the config`, {
      hint: `known: ${config.integrations.map((i) => i.name).join(', ') || 'none'} (lockout isolate --discover --write-config)`,
    });
  }
  const object = opts.object ?? integration?.objects.find((o) => o in CANARIES) ?? 'Contact';
  if (!(object in CANARIES)) {
    throw new UsageError(`--object ${object}: drills have canaries for ${Object.keys(CANARIES).join(' and ')} only`);
  }
  const store = ctx.store();
  const actor = ctx.actor();
  const incident = ctx.flags.incident ?? ctx.env.LOCKOUT_INCIDENT ?? null;
  const record = (kind: string, payload: Record<string, unknown>) =>
    store.append({ kind, incident, actor, ts: iso(ctx.now()), payload });

  const client: OrgClient = await connectOrg(ctx, flags);
  const identity = await client.identity();
  const org = { id: identity.orgId, name: identity.organizationName, isSandbox: identity.isSandbox };
  const guard = productionGuard(identity, opts);
  if (!guard.ok) {
    record('drill.refused', {
      org,
      user: identity.username,
      integration: opts.integration ?? null,
      reason: guard.reason,
    });
    throw new Refused(`drill refused: ${guard.reason}`, {
      hint: 'point lockout at a sandbox (--instance-url/--access-token or --target-org), or get approval',
    });
  }
  if (integration && !integration.users.some((u) => u.toLowerCase() === identity.username.toLowerCase())) {
    throw new UsageError(
      `the drill must insert through ${integration.name}'s user, but lockout is connected as ${identity.username}`,
      { hint: `connect as one of: ${integration.users.join(', ') || '(the integration lists no users)'}` },
    );
  }
  // Insert (1-2 calls), scan (describe, count, query), delete, check: well under 10 calls.
  await client.ensureBudget(10, 'a drill');

  const production = guard.production ? { approvedBy: opts.approvedBy!.trim(), reason: opts.reason ?? null } : null;
  let drill = '';
  store.appendWith((s) => {
    const n = (s.db.prepare("SELECT COUNT(*) AS n FROM evidence WHERE kind = 'drill.started'").get() as { n: number })
      .n;
    drill = `DRL-${String(n + 1).padStart(4, '0')}`;
    return {
      kind: 'drill.started',
      incident,
      actor,
      ts: iso(ctx.now()),
      payload: {
        drill,
        org,
        user: identity.username,
        integration: integration?.name ?? null,
        object,
        canaries: (CANARIES[object] ?? []).map((c) => ({ key: c.key, expected: c.expected, imitates: c.imitates })),
        production,
      },
    };
  });

  const planned = canaryRecords(object, drill);
  const inserted: { canary: Canary; id: string }[] = [];
  let result: DrillResult | undefined;
  try {
    const saved = await client.create(
      object,
      planned.map((p) => p.record),
      { allOrNone: false },
    );
    const failures: { key: string; error: string }[] = [];
    saved.forEach((r, i) => {
      if (r.success && r.id) inserted.push({ canary: planned[i]!.canary, id: r.id });
      else
        failures.push({
          key: planned[i]!.canary.key,
          error: r.errors.map((e) => `${e.statusCode}: ${e.message}`).join('; '),
        });
    });
    record('drill.inserted', { drill, ids: inserted.map((c) => ({ key: c.canary.key, id: c.id })), failed: failures });
    if (failures.length) {
      throw new OrgError(
        `drill ${drill}: the org refused ${failures.length} canar${failures.length > 1 ? 'ies' : 'y'}: ${failures[0]!.error}`,
      );
    }
    const insertedAt = performance.now();

    const ids = inserted.map((c) => c.id).filter((id) => ID.test(id));
    const source = await openOrgScanSource(ctx, {
      object,
      where: `Id IN (${ids.map((id) => `'${id}'`).join(', ')})`,
      sinceLast: false,
    });
    const scan = await runScan([source], {
      thresholds: config.scan.thresholds,
      object,
      fields: config.scan.fields,
      disable: config.scan.disable,
    });
    const timeToDetectMs = Math.round(performance.now() - insertedAt);
    const canaries = judge(inserted, scan.findings);
    const detected = canaries.filter((c) => c.detected).length;
    result = {
      drill,
      org,
      user: identity.username,
      integration: integration?.name ?? null,
      object,
      canaries,
      detected,
      missed: canaries.length - detected,
      timeToDetectMs,
      cleanup: { deleted: 0, failed: [], remaining: 0 },
      production,
    };
    record('drill.scanned', {
      drill,
      canaries: canaries.map(({ key, id, expected, level, score, rules, detected: d }) => ({
        key,
        id,
        expected,
        level,
        score,
        rules,
        detected: d,
      })),
      detected,
      missed: result.missed,
      timeToDetectMs,
      rulesVersion: scan.summary.rulesVersion,
      thresholds: scan.summary.thresholds,
    });
  } finally {
    // Whatever happened above, the canaries do not stay in the org.
    const cleanup = await removeCanaries(
      client,
      object,
      inserted.map((c) => c.id),
    );
    record('drill.cleaned', { drill, ...cleanup });
    if (result) result.cleanup = cleanup;
  }
  const r = result!;
  record('drill.completed', {
    drill,
    detected: r.detected,
    missed: r.missed,
    missedCanaries: r.canaries.filter((c) => !c.detected).map((c) => c.key),
    timeToDetectMs: r.timeToDetectMs,
    cleanedUp: r.cleanup.remaining === 0 && r.cleanup.failed.length === 0,
  });
  if (r.cleanup.failed.length || r.cleanup.remaining) {
    throw new OrgError(
      `drill ${drill}: ${r.cleanup.failed.length + r.cleanup.remaining} canaries could not be removed`,
      { hint: `delete them by hand: ${r.cleanup.failed.map((f) => f.id).join(', ')} (Description names ${drill})` },
    );
  }
  return r;
}

async function removeCanaries(client: OrgClient, object: string, ids: string[]) {
  if (!ids.length) return { deleted: 0, failed: [], remaining: 0 };
  const results = await client.delete(object, ids, { allOrNone: false });
  const failed = results.flatMap((r, i) =>
    r.success ? [] : [{ id: ids[i]!, error: r.errors.map((e) => `${e.statusCode}: ${e.message}`).join('; ') }],
  );
  const remaining = await client.count(
    `SELECT COUNT() FROM ${object} WHERE Id IN (${ids.map((id) => `'${id}'`).join(', ')})`,
  );
  return { deleted: results.filter((r) => r.success).length, failed, remaining };
}
