import { Command } from 'commander';
import type { Context } from './context.js';
import { emit } from './output.js';
import { FindingsFound, IntegrityError, UsageError } from '../errors.js';
import { addOrgFlags, type OrgFlags } from '../org/connect.js';
import {
  verifyManifest,
  verifySnapshot,
  type SnapshotVerifyResult,
  type ManifestVerifyResult,
} from '../rollback/snapshot.js';

interface VerifyFlags extends OrgFlags {
  snapshot?: string;
  file?: string;
  manifest?: string;
  bulk?: boolean;
  failOnChange?: boolean;
}

function renderSnapshot(r: SnapshotVerifyResult): string {
  const c = r.counts;
  const lines = [
    `${r.snapshotId} (${r.object}) against ${r.against}: ${r.ok ? 'no differences' : 'differences found'}`,
    `  unchanged ${c.unchanged}, changed ${c.changed}, added ${c.added}, deleted ${c.deleted}`,
  ];
  const fields = Object.entries(r.fieldCounts).sort((a, b) => b[1] - a[1]);
  if (fields.length) lines.push(`  changed fields: ${fields.map(([f, n]) => `${f} (${n})`).join(', ')}`);
  for (const ch of r.changed.slice(0, 20)) lines.push(`  changed ${ch.id}: ${ch.fields.join(', ')}`);
  for (const id of r.added.slice(0, 20)) lines.push(`  added   ${id}`);
  for (const id of r.deleted.slice(0, 20)) lines.push(`  deleted ${id}`);
  if (r.changed.length + r.added.length + r.deleted.length > 60 || r.truncated) lines.push('  (more: use --json)');
  return lines.join('\n');
}

function renderManifest(r: ManifestVerifyResult): string {
  if (r.ok) return `${r.file}: matches ${r.manifest} (sha256 ${r.actual.sha256}, ${r.actual.rows} rows)`;
  return [
    `${r.file}: DOES NOT match ${r.manifest}`,
    ...r.mismatches.map((m) => `  ${m.field}: expected ${m.expected}, found ${m.actual}`),
  ].join('\n');
}

export function registerVerify(program: Command, ctxFor: (cmd: Command) => Context): void {
  addOrgFlags(
    program
      .command('verify')
      .description('compare the org or an export with a snapshot, or check a Data Loader file against its manifest')
      .option('--snapshot <id>', 'snapshot to compare with (the org, or --file)')
      .option('--file <export>', 'an export (CSV or .jsonl) to compare, or the file a --manifest describes')
      .option('--manifest <file>', 'check --file against this manifest (sha256 and row count)')
      .option('--bulk', 'read the org through a Bulk API 2.0 query (large objects)')
      .option('--fail-on-change', 'exit 1 when the org or file differs from the snapshot (for CI)'),
  ).action(async (flags: VerifyFlags, cmd: Command) => {
    const ctx = ctxFor(cmd);
    if (flags.manifest) {
      if (!flags.file) throw new UsageError('--manifest needs --file <the file it describes>');
      if (flags.snapshot) throw new UsageError('--manifest and --snapshot are separate checks; run them one at a time');
      const r = await verifyManifest(ctx, { file: flags.file, manifest: flags.manifest });
      emit(ctx, r, renderManifest);
      if (!r.ok) throw new IntegrityError(`${flags.file} does not match its manifest ${flags.manifest}`);
      return;
    }
    if (!flags.snapshot)
      throw new UsageError('verify: give --snapshot <id> (with or without --file), or --file with --manifest');
    const r = await verifySnapshot(ctx, { snapshot: flags.snapshot, file: flags.file, org: flags, bulk: flags.bulk });
    emit(ctx, r, renderSnapshot);
    if (flags.failOnChange && !r.ok) {
      const c = r.counts;
      throw new FindingsFound(
        `${r.against} differs from ${r.snapshotId}: ${c.changed} changed, ${c.added} added, ${c.deleted} deleted`,
      );
    }
  });
}
