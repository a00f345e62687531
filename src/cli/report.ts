import { Command, Option } from 'commander';
import type { Context } from './context.js';
import { emit, status } from './output.js';
import { version } from '../main.js';
import { AUTHORITIES, type AuthorityName } from '../report/authority.js';
import { FORMATS, generateReport, type Format } from '../report/generate.js';
import { PHASES, type Phase } from '../report/model.js';

interface ReportFlags {
  format: Format;
  out?: string;
  phase?: Phase;
  aggregateOnly?: boolean;
  map?: AuthorityName;
  signKey?: string;
}

/** `lockout report`: the regulator-ready incident report, built only from the evidence log and config. */
export function registerReport(program: Command, ctxFor: (cmd: Command) => Context): void {
  program
    .command('report')
    .description(
      'regulator-ready incident report (GDPR Art. 33, NIS2/DORA clocks, AI provenance) from the evidence log',
    )
    .addOption(new Option('--format <format>', 'md, html or json').choices(FORMATS).default('md'))
    .option('--out <file>', 'write the report to this file (atomically) instead of stdout')
    .addOption(
      new Option('--phase <phase>', 'initial, follow-up or final (default: initial, then follow-up)').choices(PHASES),
    )
    .option(
      '--aggregate-only',
      'leave out anything personal (record ids, user ids, note texts); keep counts and categories',
    )
    .addOption(
      new Option('--map <authority>', "add a field-by-field map for this authority's form").choices(AUTHORITIES),
    )
    .option('--sign-key <pem>', 'sign the checkpoint printed in the report with this Ed25519 private key')
    .action((flags: ReportFlags, cmd: Command) => {
      const ctx = ctxFor(cmd);
      const { result, document } = generateReport(ctx, {
        format: flags.format,
        out: flags.out,
        phase: flags.phase,
        aggregateOnly: !!flags.aggregateOnly,
        map: flags.map,
        signKey: flags.signKey,
        toolVersion: version(),
      });
      if (result.out) {
        emit(
          ctx,
          result,
          (r) =>
            `report written to ${r.out}\n  sha256 ${r.sha256} (body), ${r.fileSha256} (file)\n  recorded as entry #${r.seq}`,
        );
        return;
      }
      // Without --out the report itself is the data on stdout; the receipt goes to stderr.
      ctx.io.out.write(document);
      status(
        ctx,
        `report sha256 ${result.sha256} recorded as entry #${result.seq} (${result.phase}, v${result.version})`,
      );
    });
}
