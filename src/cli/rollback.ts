import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { Context } from './context.js';
import { emit, table } from './output.js';
import { OrgError, UsageError } from '../errors.js';
import { addOrgFlags, type OrgFlags } from '../org/connect.js';
import { parseTime } from '../util/time.js';
import {
  renderPlanSummary,
  resumeRollback,
  abandonRollback,
  runRollback,
  undoRollback,
  type ApplyCounts,
  type RollbackResult,
  type ResumeResult,
  type UndoResult,
  type VerifyOutcome,
} from '../rollback/apply.js';
import { parseFindings, resolveScope } from '../rollback/scope.js';
import { journalRows, listRuns, requireRun } from '../rollback/journal.js';

interface RollbackFlags extends OrgFlags {
  object?: string[];
  user?: string[];
  since?: string;
  until?: string;
  integration?: string;
  fromScan?: string;
  scanLevel?: string;
  strategy: 'delete' | 'quarantine';
  onConflict: 'skip' | 'take-before';
  dryRun?: boolean;
  planOut?: string;
  yes?: boolean;
  approvedBy?: string;
  bulkThreshold?: number;
  resume?: string;
  undo?: string;
  abandon?: string;
  reason?: string;
  status?: string | boolean;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];
const positiveInt = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a whole number of at least 1');
  return n;
};

const nonBlank = (v: string) => {
  if (!v.trim()) throw new InvalidArgumentError('a name, not blank');
  return v.trim();
};

const cell = (v: unknown): string => (v === null || v === undefined ? '(null)' : String(v)).slice(0, 40);

function renderApplied(a: ApplyCounts | null, v: VerifyOutcome | null): string[] {
  const lines: string[] = [];
  if (a) {
    lines.push(`applied: ${a.done} done, ${a.failed} failed`);
    for (const [object, actions] of Object.entries(a.byObject)) {
      for (const [action, c] of Object.entries(actions))
        lines.push(`  ${object} ${action}: ${c.done} done, ${c.failed} failed`);
    }
    for (const f of a.failures.slice(0, 20)) lines.push(`  FAILED ${f.object} ${f.id} ${f.action}: ${f.error}`);
  }
  if (v) lines.push(`verified: ${v.ok ? 'ok' : `${v.mismatches.length} mismatch(es)`} (${v.checked} records re-read)`);
  return lines;
}

function renderRollback(r: RollbackResult): string {
  const lines = [renderPlanSummary(r)];
  if (r.conflicts.length) {
    lines.push('', 'conflicts (changed by someone else after the integration):');
    lines.push(
      table(
        ['OBJECT', 'ID', 'FIELD', 'BEFORE', 'INTEGRATION', 'CURRENT', 'RESOLUTION'],
        r.conflicts.map((c) => [
          c.object,
          c.id,
          c.field,
          cell(c.before),
          cell(c.integration),
          cell(c.current),
          c.resolution,
        ]),
      ),
    );
  }
  if (r.unrecoverable.length) {
    lines.push('', 'unrecoverable fields:');
    for (const u of r.unrecoverable) lines.push(`  ${u.object} ${u.id} ${u.field}: ${u.reason}`);
  }
  if (r.manualReview.length) {
    lines.push('', 'manual review (never changed by lockout):');
    for (const m of r.manualReview) lines.push(`  ${m.object} ${m.id}: ${m.reason}`);
  }
  if (r.planFiles) lines.push('', `plan written to ${r.planFiles.csv} and ${r.planFiles.json}`);
  if (r.dryRun) lines.push('', 'dry run: nothing was changed');
  else if (r.runId) {
    lines.push('', `run ${r.runId}`, ...renderApplied(r.applied, r.verification));
    lines.push(`API calls: ${r.apiCalls.plan} to plan, ${r.apiCalls.apply} to write, ${r.apiCalls.verify} to verify`);
    lines.push(`undo with: lockout rollback --undo ${r.runId}`);
  }
  return lines.join('\n');
}

function renderResume(r: ResumeResult): string {
  return [
    `run ${r.runId} resumed: ${r.reconciled.done} in-flight records were already written, ${r.reconciled.resent} sent now, ${r.reconciled.failed} failed`,
    ...(r.rechecked.failed
      ? [`  ${r.rechecked.failed} unsent record(s) were changed by someone while the run was interrupted: left alone`]
      : []),
    ...renderApplied(r.applied, r.verification),
    `API calls: ${r.apiCalls.total}`,
  ].join('\n');
}

function renderUndo(r: UndoResult): string {
  const lines = [`undo of ${r.undoOf}${r.runId ? ` (run ${r.runId})` : ''}: ${r.items} records to put back`];
  if (r.conflicts.length) {
    lines.push('conflicts (changed since the rollback):');
    lines.push(
      table(
        ['OBJECT', 'ID', 'FIELD', 'BEFORE', 'ROLLBACK', 'CURRENT', 'RESOLUTION'],
        r.conflicts.map((c) => [
          c.object,
          c.id,
          c.field,
          cell(c.before),
          cell(c.rollback),
          cell(c.current),
          c.resolution,
        ]),
      ),
    );
  }
  if (r.missing.length) lines.push(`records gone since the rollback: ${r.missing.join(', ')}`);
  lines.push(...renderApplied(r.applied, r.verification));
  if (r.dryRun) lines.push('', 'dry run: nothing was changed');
  return lines.join('\n');
}

function failIfIncomplete(runId: string | null, a: ApplyCounts | null, v: VerifyOutcome | null): void {
  if (!runId) return;
  if (a?.failed) {
    throw new OrgError(`run ${runId}: ${a.failed} record(s) failed`, {
      hint: 'see the failures above; lockout audit log --kind rollback.batch',
    });
  }
  if (v && !v.ok)
    throw new OrgError(`run ${runId}: verification found ${v.mismatches.length} mismatch(es) after writing`);
}

export function registerRollback(program: Command, ctxFor: (cmd: Command) => Context): void {
  addOrgFlags(
    program
      .command('rollback')
      .description('undo what an integration did: delete or quarantine what it created, restore what it overwrote')
      .option('--object <type>', 'sObject type (repeatable or comma-separated)', collect)
      .option('--user <username>', 'integration username (repeatable or comma-separated)', collect)
      .option('--since <time>', 'start of the window (ISO 8601; required with --user/--integration)')
      .option('--until <time>', 'end of the window (default: now)')
      .option('--integration <name>', 'users and objects of an integration from the config')
      .option('--from-scan <findings.jsonl>', 'records the scanner flagged (lockout scan findings JSONL)')
      .addOption(
        new Option('--scan-level <level>', 'with --from-scan: only findings at or above').choices([
          'low',
          'medium',
          'high',
        ]),
      )
      .addOption(
        new Option('--strategy <how>', 'what happens to created records')
          .choices(['delete', 'quarantine'])
          .default('delete'),
      )
      .addOption(
        new Option('--on-conflict <how>', 'fields someone changed after the integration')
          .choices(['skip', 'take-before'])
          .default('skip'),
      )
      .option('--dry-run', 'print the plan; change nothing')
      .option('--plan-out <file>', 'write the full plan as <file>.csv and <file>.json')
      .option('-y, --yes', 'apply without asking')
      .option(
        '--approved-by <name>',
        'who approved a rollback above thresholds.rollback.maxRecords (recorded)',
        nonBlank,
      )
      .option('--bulk-threshold <n>', 'use Bulk API 2.0 from this many records per object and operation', positiveInt)
      .option('--resume <run-id>', 'finish an interrupted run (nothing is written twice)')
      .option('--undo <run-id>', 'put back what a run changed (conflict-aware)')
      .option(
        '--abandon <run-id>',
        'give up an interrupted run that can never be finished, so new runs may start (needs --reason; writes nothing to the org)',
      )
      .option('--reason <text>', 'why the run is abandoned (recorded in the evidence log)', nonBlank)
      .option('--status [run-id]', "list runs, or show one run's journal"),
  ).action(async (flags: RollbackFlags, cmd: Command) => {
    const ctx = ctxFor(cmd);
    const scoped = flags.object ?? flags.user ?? flags.since ?? flags.integration ?? flags.fromScan;
    if (flags.status !== undefined) {
      const db = ctx.store({ create: false }).db;
      if (typeof flags.status === 'string') {
        const run = requireRun(db, flags.status, '--status');
        const rows = journalRows(db, run.id);
        const states: Record<string, number> = {};
        for (const r of rows) states[r.state] = (states[r.state] ?? 0) + 1;
        const { plan: _plan, ...rest } = run;
        emit(ctx, { ...rest, journal: states }, (r) =>
          [
            `${r.id} (${r.kind}${r.undoOf ? ` of ${r.undoOf}` : ''}): ${r.status}`,
            `  created ${r.createdAt} by ${r.actor}`,
            `  journal ${JSON.stringify(r.journal)}`,
          ].join('\n'),
        );
      } else {
        const runs = listRuns(db);
        emit(ctx, runs, (list) =>
          list.length
            ? table(
                ['RUN', 'KIND', 'STATUS', 'CREATED', 'ACTOR'],
                list.map((r) => [r.id, r.kind + (r.undoOf ? ` of ${r.undoOf}` : ''), r.status, r.createdAt, r.actor]),
              )
            : 'no rollback runs',
        );
      }
      return;
    }
    if (flags.abandon !== undefined) {
      if (scoped || flags.resume || flags.undo || flags.dryRun)
        throw new UsageError('--abandon takes only a run id and --reason');
      if (!flags.reason) throw new UsageError('--abandon needs --reason "<why>" (it is recorded in the evidence log)');
      const r = await abandonRollback(ctx, flags.abandon, { reason: flags.reason, yes: !!flags.yes });
      emit(
        ctx,
        r,
        (x) =>
          `run ${x.runId} abandoned: ${x.journal.done} records were written, ${x.journal.sent} were in flight (outcome unknown: check with lockout verify or a new --dry-run), ${x.journal.pending} never sent`,
      );
      return;
    }
    if (flags.reason) throw new UsageError('--reason goes with --abandon');
    if (flags.resume || flags.undo) {
      if (scoped)
        throw new UsageError(`${flags.resume ? '--resume' : '--undo'} takes only a run id: the scope is in the run`);
      if (flags.resume && flags.undo) throw new UsageError('--resume and --undo cannot be combined');
      if (flags.resume && flags.dryRun)
        throw new UsageError('--resume finishes a run that was already approved; it has no --dry-run');
    }
    if (flags.resume) {
      const r = await resumeRollback(ctx, flags.resume, { org: flags, bulkThreshold: flags.bulkThreshold });
      emit(ctx, r, renderResume);
      failIfIncomplete(r.runId, r.applied, r.verification);
      return;
    }
    if (flags.undo) {
      const r = await undoRollback(ctx, flags.undo, {
        org: flags,
        onConflict: flags.onConflict,
        yes: !!flags.yes,
        dryRun: !!flags.dryRun,
      });
      emit(ctx, r, renderUndo);
      failIfIncomplete(r.runId, r.applied, r.verification);
      return;
    }
    let findings: Record<string, string[]> = {};
    if (flags.fromScan) {
      const file = path.resolve(ctx.cwd, flags.fromScan);
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (e) {
        throw new UsageError(
          `--from-scan: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
        );
      }
      findings = parseFindings(text, flags.fromScan, flags.scanLevel);
    }
    const scope = resolveScope(
      {
        object: flags.object,
        user: flags.user,
        since: flags.since ? parseTime(flags.since, '--since') : undefined,
        until: flags.until ? parseTime(flags.until, '--until') : undefined,
        integration: flags.integration,
      },
      ctx.config(),
      findings,
    );
    if (flags.fromScan) scope.fromScan = flags.fromScan;
    const r = await runRollback(ctx, {
      scope,
      strategy: flags.strategy,
      onConflict: flags.onConflict,
      dryRun: !!flags.dryRun,
      planOut: flags.planOut,
      yes: !!flags.yes,
      approvedBy: flags.approvedBy,
      bulkThreshold: flags.bulkThreshold,
      org: flags,
    });
    emit(ctx, r, renderRollback);
    failIfIncomplete(r.runId, r.applied, r.verification);
  });
}
