import { Command } from 'commander';
import type { Context } from './context.js';
import { emit } from './output.js';
import { createManifest } from '../rollback/snapshot.js';

export function registerManifest(program: Command, ctxFor: (cmd: Command) => Context): void {
  program
    .command('manifest')
    .description('write a checksum manifest (sha256 and row count) for a Data Loader file')
    .argument('<file>', 'the CSV file')
    .option('--out <file>', 'where to write it (default: <file>.manifest.json)')
    .action(async (file: string, flags: { out?: string }, cmd: Command) => {
      const ctx = ctxFor(cmd);
      const r = await createManifest(ctx, { file, out: flags.out });
      emit(ctx, r, (m) => `${m.path}\n  sha256 ${m.sha256}\n  rows   ${m.rows}`);
    });
}
