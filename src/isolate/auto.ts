import type { Context } from '../cli/context.js';
import { OrgError, UsageError } from '../errors.js';
import { runIsolate, type IsolateResult, type RunDeps } from './apply.js';

/**
 * `lockout scan ... --isolate-on <level> --integration <name>`: isolate automatically when the scan's findings
 * reach the level, but only within the thresholds compliance set in the config. Above them nothing is changed:
 * runIsolate records `isolate.refused` and throws Refused (exit 4) whose hint is the exact command a person must
 * approve. The config's `thresholds.isolate.autoIsolateLevel` is a floor: `--isolate-on` can be stricter, never
 * looser.
 */

export type Level = 'low' | 'medium' | 'high';
const RANK: Record<Level, number> = { low: 1, medium: 2, high: 3 };

export interface AutoIsolateInput {
  integration: string;
  /** `--isolate-on`. */
  isolateOn: Level;
  /** The highest level any finding reached, or null when nothing was found. */
  reached: Level | null;
  /** Findings per level, recorded with the reason. */
  counts?: Partial<Record<Level, number>>;
}

export interface AutoIsolateResult {
  triggered: boolean;
  /** The level that applied: the stricter of --isolate-on and thresholds.isolate.autoIsolateLevel. */
  level: Level;
  why: string;
  isolation: IsolateResult | null;
}

/** Parse `--isolate-on`; throws UsageError naming the flag. */
export function parseLevel(value: string): Level {
  if (value === 'low' || value === 'medium' || value === 'high') return value;
  throw new UsageError(`--isolate-on: "${value}" is not a level (low, medium, high)`);
}

/** Decide and, when the findings reach the level, isolate. */
export async function autoIsolate(ctx: Context, input: AutoIsolateInput, deps: RunDeps): Promise<AutoIsolateResult> {
  const floor = ctx.config().thresholds.isolate.autoIsolateLevel;
  const level = RANK[floor] > RANK[input.isolateOn] ? floor : input.isolateOn;
  const counts = Object.entries(input.counts ?? {})
    .filter(([, n]) => n)
    .map(([l, n]) => `${n} ${l}`)
    .join(', ');
  if (!input.reached || RANK[input.reached] < RANK[level]) {
    return {
      triggered: false,
      level,
      why: `findings did not reach ${level}${input.reached ? ` (highest: ${input.reached})` : ''}: no isolation`,
      isolation: null,
    };
  }
  const why =
    `scan findings reached ${input.reached}${counts ? ` (${counts})` : ''}, at or above --isolate-on ${level}` +
    (level !== input.isolateOn ? ` (raised from ${input.isolateOn} by thresholds.isolate.autoIsolateLevel)` : '');
  const isolation = await runIsolate(
    ctx,
    { targets: { integration: [input.integration] }, yes: true, auto: { why } },
    deps,
  );
  return { triggered: true, level, why, isolation };
}

/** The part of a scan result the trigger reads. */
interface ScanCounts {
  summary: { findings: { low: number; medium: number; high: number } };
}

/**
 * The `after` hooks `lockout scan` runs for `--isolate-on <level> --integration <name>` (none without the flags).
 * Runs after the scan's output and evidence: prints to stderr only, so `--json` output stays the scan result.
 */
export function scanIsolateHooks(
  flags: { isolateOn?: string; integration?: string },
  connect: (ctx: Context) => RunDeps['connect'],
): ((ctx: Context, result: ScanCounts) => Promise<void>)[] {
  if (!flags.isolateOn && !flags.integration) return [];
  if (!flags.isolateOn) throw new UsageError('--integration needs --isolate-on <level>');
  if (!flags.integration)
    throw new UsageError('--isolate-on needs --integration <name> (an integration from the config)');
  const isolateOn = parseLevel(flags.isolateOn);
  const integration = flags.integration;
  return [
    async (ctx, result) => {
      const f = result.summary.findings;
      const reached: Level | null = f.high ? 'high' : f.medium ? 'medium' : f.low ? 'low' : null;
      const r = await autoIsolate(
        ctx,
        { integration, isolateOn, reached, counts: { high: f.high, medium: f.medium, low: f.low } },
        { connect: connect(ctx), confirm: async () => false },
      );
      const say = (line: string) => {
        if (!ctx.flags.quiet) ctx.io.err.write(`${line}\n`);
      };
      if (!r.triggered) return say(`isolate: ${r.why}`);
      const s = r.isolation?.summary;
      if (!s) return say(`isolate: ${integration} is already isolated (${r.why})`);
      say(
        `isolate: ${r.isolation!.isolationId} isolated ${integration}: ${s.done} done, ${s.failed} failed (${r.why})`,
      );
      if (s.failed) {
        throw new OrgError(`${r.isolation!.isolationId}: ${s.failed} isolation action(s) failed`, {
          hint: `lockout isolate --integration ${integration} --yes retries what failed`,
        });
      }
    },
  ];
}
