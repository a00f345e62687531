import { createInterface } from 'node:readline';
import { Command } from 'commander';
import type { Context } from './context.js';
import { emit, table } from './output.js';
import { OrgError, UsageError } from '../errors.js';
import { addOrgFlags, connectOrg, type OrgFlags } from '../org/connect.js';
import { runIsolate, runUndo, type IsolateResult, type RunDeps, type UndoResult } from '../isolate/apply.js';
import { runDiscover, renderDiscovery } from '../isolate/discover.js';
import { listIsolations } from '../isolate/journal.js';
import { renderPlan, renderUndoPlan } from '../isolate/render.js';

interface IsolateFlags extends OrgFlags {
  integration?: string[];
  user?: string[];
  app?: string[];
  remoteSite?: string[];
  flow?: string[];
  dryRun?: boolean;
  yes?: boolean;
  approvedBy?: string;
  reason?: string;
  undo?: string;
  discover?: boolean;
  writeConfig?: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Ask one question on the terminal (stderr); true only for "y" or "yes". */
export function terminalConfirm(ctx: Context) {
  return (question: string): Promise<boolean> =>
    new Promise((resolve) => {
      const rl = createInterface({ input: ctx.io.in, output: ctx.io.err, terminal: false });
      let answered = false;
      rl.question(question, (answer) => {
        answered = true;
        rl.close();
        resolve(/^\s*y(es)?\s*$/i.test(answer));
      });
      rl.on('close', () => {
        if (!answered) resolve(false);
      });
    });
}

/** What the person sees after an apply or undo: the plan that ran and what came of it. */
function renderOutcome(r: IsolateResult | UndoResult, undo: boolean): string {
  const planText = undo ? renderUndoPlan((r as UndoResult).plan) : renderPlan((r as IsolateResult).plan);
  if (r.dryRun) return `${planText}\n\ndry run: nothing was changed`;
  if (!r.summary) return planText;
  const s = r.summary;
  const lines = [
    planText,
    '',
    `${r.isolationId}: ${undo ? 'undo' : 'isolation'} ${s.failed ? 'INCOMPLETE' : 'complete'}: ${s.done} done, ${s.skipped} already in place, ${s.failed} failed`,
  ];
  if (s.notIsolated.length) {
    lines.push(undo ? 'Not restored:' : 'NOT isolated:');
    for (const n of s.notIsolated) lines.push(`  - ${n.target}: ${n.reason}`);
  }
  if (undo) {
    const u = r as UndoResult;
    if (u.plan.reauthorise.length) {
      lines.push('Re-authorise (revoked tokens cannot be restored):');
      for (const x of u.plan.reauthorise) lines.push(`  - ${x.user}: ${x.app}`);
    }
  } else {
    lines.push(`undo with: lockout isolate --undo ${r.isolationId}`);
  }
  const revokes = r.apiCalls.revokes
    ? ` (plus ${r.apiCalls.revokes} OAuth revocation${r.apiCalls.revokes === 1 ? '' : 's'})`
    : '';
  lines.push(`API calls: ${r.apiCalls.discovery} to read, ${r.apiCalls.apply} to change${revokes}`);
  return lines.join('\n');
}

export function registerIsolate(program: Command, ctxFor: (cmd: Command) => Context): void {
  const isolate = addOrgFlags(
    program
      .command('isolate')
      .description(
        'contain an integration in one step: freeze its users, revoke its tokens, stop its jobs, flows and callouts',
      )
      .option('--integration <name>', 'an integration from the config (repeatable)', collect)
      .option('--user <username>', 'a user to freeze (repeatable)', collect)
      .option('--app <connected app>', 'a connected app whose OAuth tokens are revoked (repeatable)', collect)
      .option('--remote-site <name>', 'a remote site setting to deactivate (repeatable)', collect)
      .option('--flow <api name>', 'a flow to deactivate (repeatable)', collect)
      .option('--dry-run', 'show the plan; change nothing')
      .option('-y, --yes', 'apply without asking (required when there is no terminal)')
      .option('--approved-by <name>', 'who approved a plan above the thresholds (recorded)')
      .option('--reason <text>', 'why it is approved (recorded)')
      .option('--undo <isolation-id>', 'restore exactly what that isolation changed')
      .option('--discover', 'list candidate integration surfaces in the org (changes nothing)')
      .option('--write-config', 'with --discover: append what was found to the config file for review'),
  ).action(async (flags: IsolateFlags, cmd: Command) => {
    const ctx = ctxFor(cmd);
    const deps: RunDeps = { connect: () => connectOrg(ctx, flags), confirm: terminalConfirm(ctx) };
    if (flags.writeConfig && !flags.discover) throw new UsageError('--write-config needs --discover');
    if (flags.discover) {
      const result = await runDiscover(ctx, { writeConfig: !!flags.writeConfig }, deps.connect);
      emit(ctx, result, renderDiscovery);
      return;
    }
    if (flags.undo) {
      const targeted = flags.integration ?? flags.user ?? flags.app ?? flags.remoteSite ?? flags.flow;
      if (targeted) throw new UsageError('--undo takes only an isolation id: it restores what that isolation changed');
      const result = await runUndo(ctx, { isolationId: flags.undo, dryRun: flags.dryRun, yes: flags.yes }, deps);
      emit(ctx, result, (r) => renderOutcome(r, true));
      if (result.summary?.failed) {
        throw new OrgError(`undo of ${result.isolationId}: ${result.summary.failed} action(s) failed`, {
          hint: `see lockout audit log --kind isolate.undo.action; run lockout isolate --undo ${result.isolationId} again to retry`,
        });
      }
      return;
    }
    const result = await runIsolate(
      ctx,
      {
        targets: {
          integration: flags.integration,
          user: flags.user,
          app: flags.app,
          remoteSite: flags.remoteSite,
          flow: flags.flow,
        },
        approvedBy: flags.approvedBy,
        reason: flags.reason,
        dryRun: flags.dryRun,
        yes: flags.yes,
      },
      deps,
    );
    emit(ctx, result, (r) => renderOutcome(r, false));
    if (result.summary?.failed) {
      throw new OrgError(
        `${result.isolationId}: ${result.summary.failed} action(s) failed: the integration is not fully isolated`,
        {
          hint: 'run the same command again to retry what failed (what is done is not repeated)',
        },
      );
    }
  });

  isolate
    .command('list')
    .description('list isolations and their state')
    .action((_flags, cmd: Command) => {
      const ctx = ctxFor(cmd);
      const rows = listIsolations(ctx.store({ create: false }));
      emit(ctx, rows, (list) =>
        list.length
          ? table(
              ['ID', 'STATE', 'INCIDENT', 'CREATED', 'BY', 'TRIGGER', 'INTEGRATIONS', 'CHANGES', 'FAILED'],
              list.map((r) => [
                r.id,
                r.state,
                r.incident ?? '-',
                r.createdAt,
                r.actor,
                r.trigger,
                r.integrations.join(', ') || '(ad hoc)',
                r.changes,
                r.failed,
              ]),
            )
          : 'no isolations',
      );
    });
}
