import path from 'node:path';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { Command, InvalidArgumentError } from 'commander';
import type { Context } from './context.js';
import { emit, status, table } from './output.js';
import { FindingsFound, IntegrityError, LockoutError, OrgError, Refused, UsageError } from '../errors.js';
import { requireIncident } from '../incident/model.js';
import { iso } from '../util/time.js';
import { catalogFromProgram } from '../playbook/catalog.js';
import { findPlaybook, listPlaybookFiles, loadPlaybookFile, type PlaybookFile } from '../playbook/load.js';
import { formatProblem, parseAnswers, stepOrder, type Problem } from '../playbook/parse.js';
import { runPlaybook, type Mode, type Prompter, type RunResult } from '../playbook/run.js';
import { CLOCK_TITLES, ROLE_TITLES, type Playbook } from '../playbook/schema.js';
import { foldRuns, PLAYBOOK_KINDS, runId, runToResume } from '../playbook/state.js';

const rootOf = (cmd: Command): Command => (cmd.parent ? rootOf(cmd.parent) : cmd);

function teamDir(ctx: Context): string | null {
  const dir = ctx.config().playbooks.dir;
  return dir ? path.resolve(ctx.cwd, dir) : null;
}

function collectVar(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const m = /^([A-Za-z][A-Za-z0-9_]*)=(.*)$/s.exec(value);
  if (!m) throw new InvalidArgumentError('expected name=value, e.g. --var integration=partner-sync');
  return { ...previous, [m[1]!]: m[2]! };
}

interface ValidateResult {
  file: string;
  name: string;
  ok: boolean;
  errors: Problem[];
  warnings: Problem[];
}

/** Validate playbook files against the schema, the cross-step rules and this CLI's own commands. */
export function validatePlaybooks(ctx: Context, files: PlaybookFile[], program: Command): ValidateResult[] {
  const catalog = catalogFromProgram(program);
  // `related` may name any playbook lockout can run, not only the files being checked.
  const known = [...new Set([...listPlaybookFiles(teamDir(ctx)).map((f) => f.name), ...files.map((f) => f.name)])];
  return files.map((f) => {
    const { result } = loadPlaybookFile(f.file, { catalog, known });
    return {
      file: f.file,
      name: f.name,
      ok: result.errors.length === 0,
      errors: result.errors,
      warnings: result.warnings,
    };
  });
}

/** Load a playbook that must be valid; `program` (for run) also checks its commands against this CLI. */
function loadValid(ctx: Context, name: string, program?: Command) {
  const files = listPlaybookFiles(teamDir(ctx));
  const found = findPlaybook(name, files, ctx.cwd);
  const loaded = loadPlaybookFile(found.file, {
    ...(program ? { catalog: catalogFromProgram(program) } : {}),
    known: files.map((f) => f.name),
  });
  const { playbook, errors } = loaded.result;
  if (!playbook) {
    const [first, ...rest] = errors;
    throw new UsageError(formatProblem(found.file, first!), {
      hint: rest.length ? rest.map((p) => formatProblem(found.file, p)).join('\n') : undefined,
    });
  }
  return { found, loaded, playbook };
}

function renderPlaybook(pb: Playbook, file: string): string {
  const lines = [`${pb.name}: ${pb.title} (v${pb.version})`, `file: ${file}`, '', pb.summary.trim(), ''];
  if (Object.keys(pb.vars).length) {
    lines.push('Variables (--var name=value):');
    for (const [k, v] of Object.entries(pb.vars)) {
      const extra = [
        v.example ? `e.g. ${v.example}` : '',
        v.default ? `default ${v.default}` : '',
        v.from ? `asked at ${v.from}` : '',
      ]
        .filter(Boolean)
        .join('; ');
      lines.push(`  ${k}: ${v.description}${extra ? ` (${extra})` : ''}`);
    }
    lines.push('');
  }
  lines.push('Steps:');
  stepOrder(pb).forEach((s, i) => {
    lines.push(`${String(i + 1).padStart(3)}. ${s.id}: ${s.title}`);
    lines.push(
      `     ${s.kind}, ${ROLE_TITLES[s.owner]}, ${s.timebox}${s.needs.length ? `, after ${s.needs.join(', ')}` : ''}`,
    );
    if (s.when) lines.push(`     only when ${s.when.step} is ${s.when.in.join(' or ')}`);
    if (s.clock) lines.push(`     clock: ${CLOCK_TITLES[s.clock]}`);
    if (s.kind === 'command') lines.push(`     $ ${s.command}`);
    if (s.kind === 'decision') {
      lines.push(`     ${s.question.trim()}`);
      lines.push(
        `     options: ${s.options.map((o) => o.id).join(' | ')}; decided by ${s.decidedBy.map((r) => ROLE_TITLES[r]).join(' or ')}`,
      );
    }
  });
  if (pb.related.length) lines.push('', `Related: ${pb.related.join(', ')}`);
  return lines.join('\n');
}

/** Reads answers line by line from the input stream; prompts go to stderr. */
function linePrompter(ctx: Context): { ask: Prompter; close(): void } {
  const rl = createInterface({ input: ctx.io.in, terminal: false });
  const it = rl[Symbol.asyncIterator]();
  return {
    ask: async (q) => {
      ctx.io.err.write(q);
      const r = await it.next();
      return r.done ? null : (r.value as string);
    },
    close: () => rl.close(),
  };
}

/** Run `lockout <argv>` in-process: same main(), same database, actor, incident and config as the run. */
function makeExec(ctx: Context, incident: string) {
  return async (argv: string[]) => {
    const { main } = await import('../main.js');
    const globals = ['--db', ctx.dbPath(), '--actor', ctx.actor(), '--incident', incident];
    if (ctx.flags.config) globals.push('--config', ctx.flags.config);
    if (ctx.flags.quiet) globals.push('--quiet');
    if (!ctx.io.color) globals.push('--no-color');
    let errText = '';
    const err = new Writable({
      write(chunk: Buffer, _enc, cb) {
        errText = (errText + chunk.toString()).slice(-4000);
        ctx.io.err.write(chunk, cb);
      },
    });
    // With --json only the run's own result may reach stdout, so the commands' output goes to stderr.
    const out = ctx.flags.json ? ctx.io.err : ctx.io.out;
    const { Readable } = await import('node:stream');
    const code = await main([...globals, ...argv], {
      io: {
        in: Readable.from([]),
        out,
        err,
        isTTY: { in: false, out: ctx.flags.json ? ctx.io.isTTY.err : ctx.io.isTTY.out, err: ctx.io.isTTY.err },
        color: ctx.io.color,
      },
      env: ctx.env,
      cwd: ctx.cwd,
      now: () => ctx.now(),
    });
    const error = errText
      .split('\n')
      .find((l) => l.startsWith('lockout: '))
      ?.slice('lockout: '.length);
    return { code, ...(error ? { error } : {}) };
  };
}

const errorFor = (code: number, message: string, hint?: string): Error => {
  const classes: Record<number, new (m: string, o?: { hint?: string }) => LockoutError> = {
    1: FindingsFound,
    2: UsageError,
    3: OrgError,
    4: Refused,
    5: IntegrityError,
  };
  const T = classes[code];
  return T ? new T(message, { hint }) : new Error(message);
};

function renderRun(r: RunResult): string {
  const rows = r.steps.map((s) => [
    s.step,
    s.kind,
    `${s.outcome}${s.earlier ? ' (earlier)' : ''}`,
    s.decision
      ? `${s.decision} by ${s.decidedBy} (${s.role})`
      : s.exitCode !== undefined
        ? `exit ${s.exitCode}`
        : (s.reason ?? ''),
  ]);
  return [
    `${r.run} ${r.playbook} for ${r.incident}: ${r.status}`,
    table(['STEP', 'KIND', 'OUTCOME', 'DETAIL'], rows),
  ].join('\n');
}

interface RunFlags {
  var?: Record<string, string>;
  resume?: boolean;
  nonInteractive?: boolean;
  answers?: string;
}

export async function runPlaybookCommand(ctx: Context, name: string, flags: RunFlags, program: Command) {
  const nonInteractive = !!(flags.nonInteractive || flags.answers);
  if (nonInteractive && !flags.answers) {
    throw new UsageError('--non-interactive needs --answers <file>', {
      hint: 'a YAML file mapping step id to {confirm | outcome, evidence | decision, decidedBy, role, reason}',
    });
  }
  // A wrong name or an invalid file is bad input (exit 2) whether or not there is a terminal.
  const { found, loaded, playbook } = loadValid(ctx, name, program);
  if (!nonInteractive && !ctx.io.isTTY.in) {
    throw new Refused('no terminal to ask on: a playbook run needs a person or an answers file', {
      hint: 'run it in a terminal, or pass --non-interactive --answers <file>',
    });
  }

  let mode: Mode;
  let prompter: { ask: Prompter; close(): void } | undefined;
  if (flags.answers) {
    const file = path.resolve(ctx.cwd, flags.answers);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new UsageError(
        `--answers: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      );
    }
    const parsed = parseAnswers(text, playbook);
    if (!parsed.answers) {
      const [first, ...rest] = parsed.errors;
      throw new UsageError(`--answers ${formatProblem(file, first!)}`, {
        hint: rest.length ? rest.map((p) => formatProblem(file, p)).join('\n') : undefined,
      });
    }
    mode = { kind: 'answers', answers: parsed.answers, file };
  } else {
    prompter = linePrompter(ctx);
    mode = { kind: 'interactive', ask: prompter.ask };
  }

  const incidentId = ctx.incident();
  if (!incidentId) {
    throw new UsageError('a playbook run needs an incident', {
      hint: 'open one first: lockout incident open --title "..." --aware-at <when you became aware>, or pass --incident',
    });
  }
  const store = ctx.store({ create: false });
  const incident = requireIncident(store, incidentId);
  if (incident.status === 'closed') throw new UsageError(`incident ${incident.id} is closed`);

  const runs = foldRuns(store.entries({ kinds: PLAYBOOK_KINDS }));
  const open = runToResume(runs, playbook.name, incident.id);
  if (flags.resume && !open) {
    throw new UsageError(`no unfinished run of ${playbook.name} for ${incident.id} to resume`, {
      hint: `start one: lockout playbook run ${playbook.name}`,
    });
  }
  if (!flags.resume && open) {
    status(ctx, `note: ${open.run} of ${playbook.name} is unfinished; --resume continues it. Starting a new run.`);
  }
  const actor = ctx.actor();
  const quietNarration = !!(nonInteractive && (ctx.flags.quiet || ctx.flags.json));
  try {
    const result = await runPlaybook(
      {
        playbook,
        source: { file: found.file, sha256: loaded.sha256, origin: found.origin },
        incident: { id: incident.id, awareAt: incident.awareAt },
        actor,
        vars: flags.var ?? {},
        resume: flags.resume ? open : null,
        mode,
        invokedAs: name,
      },
      {
        exec: makeExec(ctx, incident.id),
        start: (payload) => {
          let id = '';
          store.appendWith((s) => {
            const row = s.db.prepare("SELECT COUNT(*) AS n FROM evidence WHERE kind = 'playbook.started'").get() as {
              n: number;
            };
            id = runId(row.n);
            return { kind: 'playbook.started', incident: incident.id, actor, ts: iso(ctx.now()), payload: payload(id) };
          });
          return id;
        },
        record: (kind, payload) => {
          store.append({ kind, incident: incident.id, actor, ts: iso(ctx.now()), payload });
        },
        now: () => ctx.now(),
        say: (text) => {
          if (!quietNarration) ctx.io.err.write(`${text}\n`);
        },
      },
    );
    emit(ctx, result, renderRun);
    if (result.stopped) {
      const s = result.stopped;
      throw errorFor(
        s.exitCode,
        `playbook ${playbook.name} stopped at ${s.step}: ${s.reason}`,
        `continue with: ${s.resume}`,
      );
    }
    return result;
  } finally {
    prompter?.close();
  }
}

export function registerPlaybook(program: Command, ctxFor: (cmd: Command) => Context): void {
  const pb = program
    .command('playbook')
    .description("guided incident response: list, show, validate and run playbooks (shipped and your team's)");

  pb.command('list')
    .description('list the shipped playbooks and those in playbooks.dir')
    .action((_flags, cmd: Command) => {
      const ctx = ctxFor(cmd);
      const files = listPlaybookFiles(teamDir(ctx));
      const rows = files.map((f) => {
        const { result } = loadPlaybookFile(f.file);
        return {
          name: f.name,
          origin: f.origin,
          ...(f.overrides ? { overrides: true } : {}),
          file: f.file,
          valid: result.errors.length === 0,
          title: result.playbook?.title ?? null,
          steps: result.playbook?.steps.length ?? null,
        };
      });
      emit(ctx, rows, (list) =>
        list.length
          ? table(
              ['NAME', 'STEPS', 'FROM', 'TITLE'],
              list.map((r) => [
                r.name,
                r.steps ?? '-',
                `${r.origin}${r.overrides ? ' (replaces shipped)' : ''}`,
                r.valid ? r.title! : 'INVALID: lockout playbook validate ' + r.file,
              ]),
            )
          : 'no playbooks',
      );
    });

  pb.command('show')
    .description('show a playbook: its variables and steps in the order they run')
    .argument('<name>', 'playbook name (see lockout playbook list) or a YAML file')
    .action((name: string, _flags, cmd: Command) => {
      const ctx = ctxFor(cmd);
      const { found, playbook } = loadValid(ctx, name);
      emit(
        ctx,
        {
          name: found.name,
          file: found.file,
          origin: found.origin,
          order: stepOrder(playbook).map((s) => s.id),
          playbook,
        },
        (r) => renderPlaybook(r.playbook, r.file),
      );
    });

  pb.command('validate')
    .description('check playbook files (default: every shipped and team playbook); errors name the YAML path and line')
    .argument('[files...]', 'playbook YAML files or names')
    .action((files: string[], _flags, cmd: Command) => {
      const ctx = ctxFor(cmd);
      const all = listPlaybookFiles(teamDir(ctx));
      const targets: PlaybookFile[] = files.length ? files.map((f) => findPlaybook(f, all, ctx.cwd)) : all;
      const results = validatePlaybooks(ctx, targets, rootOf(cmd));
      emit(ctx, results, (list) =>
        list
          .flatMap((r) => [
            `${r.ok ? 'ok     ' : 'INVALID'} ${r.file}`,
            ...r.errors.map((p) => `  error: ${formatProblem(r.file, p)}`),
            ...r.warnings.map((p) => `  warning: ${formatProblem(r.file, p)}`),
          ])
          .join('\n'),
      );
      const bad = results.filter((r) => !r.ok);
      if (bad.length) {
        const first = bad[0]!;
        throw new UsageError(
          `${bad.length} invalid playbook${bad.length > 1 ? 's' : ''}: ${formatProblem(first.file, first.errors[0]!)}`,
        );
      }
    });

  pb.command('run')
    .description('walk a playbook step by step, recording each step in the evidence log')
    .argument('<name>', 'playbook name or YAML file')
    .option('--var <name=value>', 'fill a template variable (repeatable)', collectVar)
    .option('--resume', 'continue the unfinished run of this playbook after its last completed step')
    .option('--non-interactive', 'never prompt: take every answer from --answers (for drills and CI)')
    .option('--answers <file>', 'YAML: step id -> confirm | outcome+evidence | decision+decidedBy+role+reason')
    .addHelpText(
      'after',
      '\nNeeds an incident (--incident or the current one). Command steps run in-process with the same --db,\n' +
        '--actor, --incident and --config. Stopping (q) is safe: --resume continues after the last completed step.',
    )
    .action(async (name: string, flags: RunFlags, cmd: Command) => {
      const ctx = ctxFor(cmd);
      await runPlaybookCommand(ctx, name, flags, rootOf(cmd));
    });
}
