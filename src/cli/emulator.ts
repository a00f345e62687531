import path from 'node:path';
import { existsSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { Context } from './context.js';
import { status } from './output.js';
import { UsageError } from '../errors.js';
import type { Emulator } from '../emulator/index.js';

export interface EmulatorStartFlags {
  port?: number;
  seed?: string;
  state?: string;
  faults?: string;
  bulkPageSize?: number;
  queryBatchSize?: number;
  timeZone?: string;
}

/** What `lockout emulator start` prints as its first stdout line. */
export interface EmulatorBanner {
  instanceUrl: string;
  accessToken: string;
  loginUrl: string;
}

function parseIntFlag(name: string, min: number, max: number) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`${name} is an integer ${min}-${max}`);
    return n;
  };
}

/** Start the emulator from CLI flags; resolves with the running emulator (relative paths against ctx.cwd). */
export async function startFromFlags(ctx: Context, flags: EmulatorStartFlags): Promise<Emulator> {
  let seed = flags.seed ?? 'empty';
  if (seed !== 'demo' && seed !== 'empty') {
    seed = path.resolve(ctx.cwd, seed);
    if (!existsSync(seed))
      throw new UsageError(`--seed ${flags.seed}: no such file (use demo, empty or a seed .json file)`);
  }
  // Loaded on use: the emulator's SOQL and XML parsers are not needed by other commands.
  const { EmulatorInputError, startEmulator } = await import('../emulator/index.js');
  try {
    return await startEmulator({
      port: flags.port ?? 0,
      seed,
      statePath: flags.state ? path.resolve(ctx.cwd, flags.state) : undefined,
      faults: flags.faults,
      bulkPageSize: flags.bulkPageSize,
      queryBatchSize: flags.queryBatchSize,
      timeZone: flags.timeZone,
    });
  } catch (e) {
    if (e instanceof EmulatorInputError) throw new UsageError(e.message);
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      throw new UsageError(`--port ${flags.port}: cannot listen on 127.0.0.1:${flags.port} (${code})`);
    }
    throw e;
  }
}

/** Serve until `stop` resolves (SIGINT/SIGTERM in the CLI), then close. */
export async function runEmulator(ctx: Context, flags: EmulatorStartFlags, stop: Promise<unknown>): Promise<void> {
  const emu = await startFromFlags(ctx, flags);
  // The first stdout line is the contract (issue 4): a local emulator's own admin token, printed by design.
  const banner: EmulatorBanner = { instanceUrl: emu.instanceUrl, accessToken: emu.accessToken, loginUrl: emu.loginUrl };
  ctx.io.out.write(`${JSON.stringify(banner)}\n`);
  status(ctx, `lockout emulator: org ${emu.state.orgId} serving on ${emu.instanceUrl} (Ctrl-C to stop)`);
  try {
    await stop;
  } finally {
    await emu.close();
    status(ctx, 'lockout emulator: stopped');
  }
}

function signalled(): Promise<string> {
  return new Promise((resolve) => {
    const on = (sig: string) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(sig);
    };
    const onInt = () => on('SIGINT');
    const onTerm = () => on('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  });
}

export function registerEmulator(program: Command, ctxFor: (cmd: Command) => Context): void {
  const emulator = program
    .command('emulator')
    .description('a local Salesforce API emulator for tests, drills and demos (docs/emulator.md)');

  emulator
    .command('start')
    .description(
      'serve the emulated org on 127.0.0.1 until SIGINT/SIGTERM; first stdout line: {"instanceUrl","accessToken","loginUrl"}',
    )
    .addOption(new Option('--port <n>', 'port (default: chosen by the OS)').argParser(parseIntFlag('--port', 0, 65535)))
    .option('--seed <demo|empty|file.json>', 'the org to start with', 'empty')
    .option('--state <file>', 'persist state to this file; an existing file is loaded instead of the seed')
    .option(
      '--faults <spec>',
      'inject failures, e.g. "GET */query* status=503 times=1; PATCH */composite/sobjects error=UNABLE_TO_LOCK_ROW rate=0.3"',
    )
    .addOption(
      new Option('--bulk-page-size <n>', 'Bulk 2.0 query result rows per page (default 10000)').argParser(
        parseIntFlag('--bulk-page-size', 1, 1_000_000),
      ),
    )
    .addOption(
      new Option('--query-batch-size <n>', 'REST query records per page (default 2000)').argParser(
        parseIntFlag('--query-batch-size', 1, 2000),
      ),
    )
    .option('--time-zone <iana>', 'time zone of SOQL date literals such as TODAY (default UTC)')
    .action(async (flags: EmulatorStartFlags, cmd: Command) => {
      const ctx = ctxFor(cmd);
      await runEmulator(ctx, flags, signalled());
    });
}
