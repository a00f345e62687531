import { Readable } from 'node:stream';
import { Command } from 'commander';
import type { Context } from './context.js';
import { emit } from './output.js';
import type { RunCommand } from '../demo/run.js';

export function registerDemo(program: Command, ctxFor: (cmd: Command) => Context): void {
  program
    .command('demo')
    .description('run a whole incident against the built-in Salesforce emulator (no org, no network, no config)')
    .option('--dir <dir>', 'work in this directory (default: a new temporary directory)')
    .option('--keep-emulator', 'leave the emulator running afterwards so you can try the commands by hand')
    .action(async (flags: { dir?: string; keepEmulator?: boolean }, cmd: Command) => {
      const ctx = ctxFor(cmd);
      // main() is loaded here, not at the top, because main.ts registers this command.
      const { main } = await import('../main.js');
      const run: RunCommand = (argv, deps) =>
        main(['--no-color', ...argv], {
          io: {
            in: Readable.from([]),
            out: deps.out as never,
            err: deps.out as never,
            isTTY: { in: false, out: false, err: false },
            color: false,
          },
          env: deps.env,
          cwd: deps.cwd,
        });
      // Loaded on use: the demo brings the emulator (SOQL and XML parsers) that other commands do not need.
      const { runDemo } = await import('../demo/run.js');
      const result = await runDemo(ctx, { dir: flags.dir, keepEmulator: !!flags.keepEmulator, run });
      const { emulator, ...printable } = result;
      emit(ctx, printable, () => '');
      if (emulator) {
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await emulator.close();
      }
      if (!result.ok) {
        const failed = result.steps.find((s) => !s.ok);
        // The demo runs lockout on its own built-in data: a failing step is a bug in lockout.
        throw new Error(`demo step "${failed?.title}" failed with exit ${failed?.code}: ${failed?.command}`);
      }
    });
}
