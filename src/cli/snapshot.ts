import { Command, InvalidArgumentError } from 'commander';
import type { Context } from './context.js';
import { emit, table } from './output.js';
import { UsageError } from '../errors.js';
import { addOrgFlags, type OrgFlags } from '../org/connect.js';
import { parseTime } from '../util/time.js';
import { snapshotList, snapshotPrune, snapshotShow, takeSnapshot } from '../rollback/snapshot.js';

interface TakeFlags extends OrgFlags {
  object: string;
  where?: string;
  fields?: string;
  allFields?: boolean;
  file?: string;
  bulk?: boolean;
}

const nonNegativeInt = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('a whole number');
  return n;
};

export function registerSnapshot(program: Command, ctxFor: (cmd: Command) => Context): void {
  const snapshot = addOrgFlags(
    program
      .command('snapshot')
      .description(
        'store records (canonical JSON + sha256, Merkle root in the evidence log) to verify and restore from',
      )
      .option('--object <type>', 'sObject type to snapshot')
      .option('--where <condition>', 'SOQL condition (without WHERE)')
      .option('--fields <list>', 'comma-separated fields (default: all fields)')
      .option('--all-fields', 'every field the describe lists')
      .option('--file <export>', 'take the records from an export (CSV with a header, or .jsonl) instead of the org')
      .option('--bulk', 'read through a Bulk API 2.0 query (large objects)'),
  ).action(async (flags: TakeFlags, cmd: Command) => {
    const ctx = ctxFor(cmd);
    if (!flags.object) throw new UsageError('snapshot: --object <type> is required');
    const r = await takeSnapshot(ctx, {
      object: flags.object,
      where: flags.where,
      fields: flags.fields
        ?.split(',')
        .map((f) => f.trim())
        .filter(Boolean),
      allFields: flags.allFields,
      file: flags.file,
      bulk: flags.bulk,
      org: flags,
    });
    emit(ctx, r, (s) =>
      [
        `${s.id}: ${s.count} ${s.object} records from ${s.source}`,
        `  merkle root ${s.merkleRoot}`,
        `  evidence #${s.evidenceSeq}; ${s.recordsPerSecond} records/s`,
      ].join('\n'),
    );
  });

  snapshot
    .command('list')
    .description('list snapshots')
    .option('--object <type>', 'only this object')
    .action((flags: { object?: string }, cmd: Command) => {
      const ctx = ctxFor(cmd);
      emit(ctx, snapshotList(ctx, flags.object), (list) =>
        list.length
          ? table(
              ['ID', 'OBJECT', 'RECORDS', 'TAKEN', 'SOURCE', 'ROOT'],
              list.map((s) => [
                s.id,
                s.object,
                s.count,
                s.takenAt ?? 'INCOMPLETE',
                s.source,
                (s.merkleRoot ?? '').slice(0, 16),
              ]),
            )
          : 'no snapshots',
      );
    });

  snapshot
    .command('show')
    .description('show a snapshot and recompute its Merkle root from the stored records')
    .argument('<id>', 'snapshot id')
    .action((id: string, _flags, cmd: Command) => {
      const ctx = ctxFor(cmd);
      emit(ctx, snapshotShow(ctx, id), (s) =>
        [
          `${s.id}: ${s.count} ${s.object} records`,
          `  source      ${s.source}${s.where ? ` WHERE ${s.where}` : ''}`,
          `  taken       ${s.takenAt}`,
          `  fields      ${s.fields.join(', ')}`,
          `  merkle root ${s.merkleRoot}`,
          `  recomputed  ${s.recomputedRoot} (${s.rootMatches ? 'matches' : 'DOES NOT MATCH'})`,
        ].join('\n'),
      );
    });

  snapshot
    .command('prune')
    .description('remove snapshots')
    .argument('[ids...]', 'snapshot ids')
    .option('--older-than <time>', 'taken before this time')
    .option('--keep <n>', 'keep the newest n per object', nonNegativeInt)
    .option('--incomplete', 'interrupted snapshots')
    .action((ids: string[], flags: { olderThan?: string; keep?: number; incomplete?: boolean }, cmd: Command) => {
      const ctx = ctxFor(cmd);
      const r = snapshotPrune(ctx, {
        ids,
        olderThan: flags.olderThan ? parseTime(flags.olderThan, '--older-than') : undefined,
        keep: flags.keep,
        incomplete: flags.incomplete,
      });
      emit(ctx, r, (x) => (x.removed.length ? `removed ${x.removed.join(', ')}` : 'nothing to remove'));
    });
}
