import { Command, InvalidArgumentError, Option } from 'commander';
import type { Context } from './context.js';
import type { ScanCommandOptions } from '../scan/command.js';
import { FORMATS, type Format } from '../scan/formats.js';
import type { Level } from '../scan/types.js';
import { scanIsolateHooks } from '../isolate/auto.js';
import { addOrgFlags, connectOrg } from '../org/connect.js';

const LEVELS = ['low', 'medium', 'high'];

function parseScore(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError('a score between 0 and 1');
  return n;
}

function parseJobs(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError('a whole number from 1 to 64');
  return n;
}

/** Flags as commander parses them. */
export interface ScanFlags {
  object?: string;
  format?: Format;
  out?: string;
  minScore?: number;
  failOn?: Level;
  allowlist?: string;
  baseline?: string;
  updateBaseline?: boolean;
  skipBadRows?: boolean;
  jobs?: number;
  org?: boolean;
  where?: string;
  fields?: string;
  sinceLast?: boolean;
  isolateOn?: string;
  integration?: string;
}

/** Turn flags into the options object of `scanCommand` (tests capture it through `run`). */
export function scanOptions(files: string[], flags: ScanFlags, defaults: { failOn?: Level } = {}): ScanCommandOptions {
  return {
    files,
    org: flags.org
      ? {
          where: flags.where,
          fields: flags.fields
            ?.split(',')
            .map((f) => f.trim())
            .filter(Boolean),
          sinceLast: !!flags.sinceLast,
        }
      : undefined,
    object: flags.object,
    format: flags.format,
    out: flags.out,
    minScore: flags.minScore,
    failOn: flags.failOn ?? defaults.failOn,
    allowlist: flags.allowlist,
    baseline: flags.baseline,
    updateBaseline: !!flags.updateBaseline,
    skipBadRows: !!flags.skipBadRows,
    jobs: flags.jobs,
    after: [...scanIsolateHooks(flags, (ctx) => () => connectOrg(ctx))],
  };
}

/** Build the `scan` command. `run` is the core (a parameter so tests and later flags can wrap it). */
export function buildScanCommand(
  ctxFor: (cmd: Command) => Context,
  // The engine, rules and reference data load only when a scan runs (not for every other command).
  run: (ctx: Context, opts: ScanCommandOptions, flags: ScanFlags) => Promise<unknown> = async (ctx, opts) =>
    (await import('../scan/command.js')).scanCommand(ctx, opts),
): Command {
  const cmd = new Command('scan')
    .description('score exported records (CSV/JSONL, .gz, - for stdin) or live org records for signs of synthetic data')
    .argument('[files...]', 'CSV or JSON Lines files (.gz too); - reads CSV from stdin')
    .option('--object <Type>', 'sObject type (default: from the Id key prefix, else the file name)')
    .addOption(
      new Option('--format <format>', 'output format (default: table on a TTY, else json)').choices([...FORMATS]),
    )
    .option('--out <file>', 'write the output to this file (atomically) instead of stdout')
    .addOption(
      new Option('--min-score <score>', 'list records at or above this score (default: the low threshold)').argParser(
        parseScore,
      ),
    )
    .addOption(
      new Option('--fail-on <level>', 'exit 1 when a finding reaches this level (config scan.failOn)').choices(LEVELS),
    )
    .option('--allowlist <file>', 'accepted record Ids and Field=value lines; never flagged')
    .option('--baseline <file>', 'report only findings that are new or worse than in this baseline')
    .option('--update-baseline', 'write the current findings to the --baseline file')
    .option('--skip-bad-rows', 'skip malformed rows (counted in the summary) instead of exit 2')
    .addOption(
      new Option(
        '--jobs <n>',
        'worker threads that split the file between them (default 1: each holds its own reference data, about twice the memory for 2; docs/benchmarks.md; config scan.jobs)',
      ).argParser(parseJobs),
    )
    .option('--org', 'scan live org records instead of files (needs --object)')
    .option('--where <cond>', 'with --org: a SOQL WHERE condition')
    .option('--fields <list>', 'with --org: comma-separated fields to read (default: the standard ones)')
    .option('--since-last', 'with --org: only records created or changed since the last successful scan')
    .option(
      '--isolate-on <level>',
      'isolate --integration when findings reach low|medium|high (within config thresholds)',
    )
    .option('--integration <name>', 'with --isolate-on: the integration (from the config) to isolate');
  // The org connection flags of every org command (with --org, and for --isolate-on).
  return addOrgFlags(cmd).action(async (files: string[], flags: ScanFlags, cmd: Command) => {
    const ctx = ctxFor(cmd);
    await run(ctx, scanOptions(files, flags, { failOn: ctx.config().scan.failOn }), flags);
  });
}

/** Register `lockout scan` on the program. */
export function registerScan(program: Command, ctxFor: (cmd: Command) => Context): void {
  program.addCommand(buildScanCommand(ctxFor));
}
