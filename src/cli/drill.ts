import { Command } from 'commander';
import type { Context } from './context.js';
import { emit, table } from './output.js';
import { FindingsFound } from '../errors.js';
import { addOrgFlags, type OrgFlags } from '../org/connect.js';
import type { DrillOptions, DrillResult } from '../drill/run.js';

const render = (r: DrillResult): string =>
  [
    `${r.drill}: ${r.detected} of ${r.canaries.length} canaries detected in ${r.timeToDetectMs} ms` +
      ` (${r.object} in ${r.org.name ?? r.org.id}${r.org.isSandbox ? ', sandbox' : ', PRODUCTION'}, as ${r.user})`,
    table(
      ['CANARY', 'EXPECTED', 'FOUND', 'SCORE', 'RULES'],
      r.canaries.map((c) => [
        c.key,
        `>= ${c.expected}`,
        c.detected ? (c.level ?? '') : `MISSED (${c.level ?? 'not flagged'})`,
        c.score ?? '-',
        c.rules.join(',') || '-',
      ]),
    ),
    `cleanup: ${r.cleanup.deleted} deleted, ${r.cleanup.remaining} remaining`,
  ].join('\n');

export function registerDrill(program: Command, ctxFor: (cmd: Command) => Context): void {
  addOrgFlags(
    program
      .command('drill')
      .description('prove detection end to end: insert canary records in a sandbox, scan, check, remove them')
      .option('--integration <name>', "insert through this integration's user (config integrations[].name)")
      .option('--object <type>', "Contact or Lead (default: the integration's first, else Contact)")
      .option('--allow-production', 'run in an org that is not a sandbox (needs --approved-by)')
      .option('--approved-by <name>', 'who approved a drill in production (recorded)')
      .option('--reason <text>', 'why a production drill is needed (recorded)')
      .addHelpText(
        'after',
        "\nConnect as the integration's user (its access token or --target-org). Exit 0 when every canary is\n" +
          'detected at its level, 1 when one is missed, 4 when the org is production without approval.',
      ),
  ).action(async (flags: DrillOptions & OrgFlags, cmd: Command) => {
    const ctx = ctxFor(cmd);
    // Loaded on use: the drill brings the scanner's rules and reference data.
    const { runDrill } = await import('../drill/run.js');
    const result = await runDrill(ctx, flags, {
      integration: flags.integration,
      object: flags.object,
      allowProduction: flags.allowProduction,
      approvedBy: flags.approvedBy,
      reason: flags.reason,
    });
    emit(ctx, result, render);
    if (result.missed) {
      throw new FindingsFound(
        `drill ${result.drill} missed ${result.missed} canar${result.missed > 1 ? 'ies' : 'y'}: ${result.canaries
          .filter((c) => !c.detected)
          .map((c) => c.key)
          .join(', ')}`,
        { hint: 'the scanner or its thresholds no longer catch these signals; see the table above' },
      );
    }
  });
}
