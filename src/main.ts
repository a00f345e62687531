import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { createContext, type Context, type ContextDeps, type GlobalFlags } from './cli/context.js';
import { processIO } from './cli/io.js';
import { FindingsFound, IntegrityError, LockoutError, OrgError, Refused, UsageError } from './errors.js';
import { redact } from './redact.js';
import { registerIncident } from './cli/incident.js';
import { registerAudit } from './cli/audit.js';
import { registerConfig } from './cli/config.js';
import { registerHelp } from './cli/help.js';
import { registerDemo } from './cli/demo.js';
import { registerScan } from './cli/scan.js';
import { registerReport } from './cli/report.js';
import { registerPlaybook } from './cli/playbook.js';
import { registerDrill } from './cli/drill.js';
import { registerOrg } from './cli/org.js';
import { registerIsolate } from './cli/isolate.js';
import { registerSnapshot } from './cli/snapshot.js';
import { registerVerify } from './cli/verify.js';
import { registerManifest } from './cli/manifest.js';
import { registerRollback } from './cli/rollback.js';
import { registerEmulator } from './cli/emulator.js';

/** The exit-code table: the one place errors become exit codes (architecture.md). */
export const EXIT_CODES = [
  { code: 0, name: 'ok', meaning: 'success (also: a scan that found nothing at or above --fail-on)' },
  {
    code: 1,
    name: 'findings',
    meaning:
      'scan findings at or above --fail-on (also: a drill missed a canary; verify --fail-on-change found differences)',
  },
  {
    code: 2,
    name: 'usage',
    meaning: 'usage error or bad input (unknown flag, malformed CSV, invalid config, unreadable file)',
  },
  { code: 3, name: 'org', meaning: 'org, auth or API error (login failed, API limit reached, network)' },
  {
    code: 4,
    name: 'refused',
    meaning: 'refused: a guardrail needs approval, the user declined, or a protected target was named',
  },
  {
    code: 5,
    name: 'integrity',
    meaning: 'evidence integrity failure (audit verify found a break, truncation or a bad signature)',
  },
  { code: 70, name: 'internal', meaning: 'internal error (a bug): message plus where to report it' },
] as const;

const errorClasses: readonly [abstract new (...args: never[]) => Error, number][] = [
  [FindingsFound, 1],
  [UsageError, 2],
  [OrgError, 3],
  [Refused, 4],
  [IntegrityError, 5],
];

export const exitCodeFor = (e: unknown): number => errorClasses.find(([T]) => e instanceof T)?.[1] ?? 70;

export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Build the program. `ctxFor` turns a command's parsed global flags into a lazily-built Context. */
export function buildProgram(deps: ContextDeps, contexts: Context[] = []): Command {
  const program = new Command('lockout');
  const ctxFor = (cmd: Command): Context => {
    const flags = cmd.optsWithGlobals<GlobalFlags>();
    const noColor = flags.color === false || (deps.env.NO_COLOR ?? '') !== '';
    const io = { ...deps.io, color: deps.io.isTTY.err && !noColor };
    const ctx = createContext({ ...deps, io }, flags);
    contexts.push(ctx);
    return ctx;
  };

  program
    .description(
      'Contain, find, repair and explain synthetic data that entered a Salesforce org through an integration.',
    )
    .version(version(), '-V, --version', 'print the version')
    .addOption(new Option('--db <path>', 'evidence database (env LOCKOUT_DB; default .lockout/lockout.db)'))
    .addOption(new Option('--config <file>', 'config file (env LOCKOUT_CONFIG; default ./lockout.config.yaml)'))
    .option('--json', 'machine-readable result on stdout, nothing else on stdout')
    .option('--no-color', 'no colour (also NO_COLOR)')
    .option('-q, --quiet', 'print only results and errors')
    .addOption(
      new Option('--actor <name>', 'who is acting, recorded in evidence (env LOCKOUT_ACTOR; default: OS user)'),
    )
    .addOption(
      new Option('--incident <id>', 'attach evidence to this incident (env LOCKOUT_INCIDENT; default: current)'),
    )
    .showSuggestionAfterError(true)
    .enablePositionalOptions(false)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => deps.io.out.write(s),
      writeErr: (s) => deps.io.err.write(s),
      outputError: () => {
        /* printed by main() as one line */
      },
    });

  registerIncident(program, ctxFor);
  registerAudit(program, ctxFor);
  registerConfig(program, ctxFor);
  registerScan(program, ctxFor);
  registerReport(program, ctxFor);
  registerPlaybook(program, ctxFor);
  registerDrill(program, ctxFor);
  registerOrg(program, ctxFor);
  registerIsolate(program, ctxFor);
  registerSnapshot(program, ctxFor);
  registerVerify(program, ctxFor);
  registerManifest(program, ctxFor);
  registerRollback(program, ctxFor);
  registerEmulator(program, ctxFor);
  registerDemo(program, ctxFor);
  registerHelp(program, ctxFor, EXIT_CODES);

  // Every subcommand: same error handling and output routing as the root.
  const configure = (cmd: Command) => {
    for (const sub of cmd.commands) {
      sub.exitOverride().showSuggestionAfterError(true).configureOutput(program.configureOutput());
      configure(sub);
    }
  };
  configure(program);
  return program;
}

function report(deps: ContextDeps, e: unknown, code: number): void {
  const debug = deps.env.LOCKOUT_DEBUG === '1';
  const err = deps.io.err;
  if (code === 70) {
    const message = e instanceof Error ? e.message : String(e);
    err.write(redact(`lockout: internal error: ${message}\n`));
    err.write(
      `  this is a bug in lockout ${version()}: please report it to the lockout maintainers (CONTRIBUTING.md)\n`,
    );
    err.write('  with the command and the output of the same command run with LOCKOUT_DEBUG=1\n');
  } else {
    const le = e as LockoutError;
    err.write(redact(`lockout: ${le.message}\n`));
    if (le.hint) err.write(redact(le.hint.replace(/^/gm, '  hint: ')) + '\n');
  }
  if (debug && e instanceof Error && e.stack) err.write(redact(`${e.stack}\n`));
}

/** Run lockout with `argv` (without node and script). Returns the exit code; never calls process.exit. */
export async function main(argv: string[], deps: ContextDeps = defaultDeps()): Promise<number> {
  const contexts: Context[] = [];
  try {
    const program = buildProgram(deps, contexts);
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') {
        return 0;
      }
      const message = e.message.replace(/^error: /, '');
      const hint = e.code === 'commander.unknownCommand' ? undefined : 'see lockout help';
      report(deps, new UsageError(message, { hint }), 2);
      return 2;
    }
    const code = exitCodeFor(e);
    // A finding is not a failure of the tool: the result is already printed; say why the exit code is 1.
    report(deps, e, code);
    return code;
  } finally {
    for (const ctx of contexts) ctx.close();
  }
}

function defaultDeps(): ContextDeps {
  return { io: processIO(), env: process.env, cwd: process.cwd() };
}
