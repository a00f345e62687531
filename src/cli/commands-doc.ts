import { PassThrough, Readable } from 'node:stream';
import type { Argument, Command } from 'commander';
import { buildProgram, EXIT_CODES } from '../main.js';
import { environmentText, exitCodesText } from './help.js';

/**
 * The command reference (docs/commands.md), rendered from the commander program itself: every command and
 * subcommand with its usage, arguments and options, as `--help` shows them. Pure: program in, Markdown out.
 * `npm run docs:commands` writes it; test/docs/commands.test.ts fails when the file is out of date.
 */

export const GENERATED_NOTE =
  "<!-- Generated from the CLI's own help by `npm run docs:commands` (scripts/gen-commands.mjs). Do not edit by hand. -->";

interface ExitCodeRow {
  readonly code: number;
  readonly name: string;
  readonly meaning: string;
}

/** Escape text for a Markdown table cell (pipes, angle brackets, newlines). */
const cell = (s: string): string =>
  s
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\s*\n\s*/g, ' ');
/** Escape running text (angle brackets would be read as HTML). */
const text = (s: string): string => s.replace(/</g, '&lt;').replace(/>/g, '&gt;');
const code = (s: string): string => `\`${s.replace(/`/g, "'")}\``;

/** Full command path, e.g. `lockout incident open`. */
const fullName = (cmd: Command): string => (cmd.parent ? `${fullName(cmd.parent)} ${cmd.name()}` : cmd.name());

/** GitHub's heading anchor for a heading text. */
const anchor = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, '')
    .replace(/ /g, '-');

function walk(cmd: Command, out: Command[] = []): Command[] {
  const help = cmd.createHelp();
  for (const sub of help.visibleCommands(cmd)) {
    if (sub.name() === 'help' && !sub.parent?.parent) continue; // the help topics are rendered on their own
    out.push(sub);
    walk(sub, out);
  }
  return out;
}

/** Text added with addHelpText('before'|'after'), exactly as --help prints it. */
function extraHelp(cmd: Command, position: 'before' | 'after'): string {
  let out = '';
  (cmd as unknown as NodeJS.EventEmitter).emit(`${position}Help`, {
    error: false,
    command: cmd,
    write: (s: string) => (out += s),
  });
  return out.trim();
}

/** `<name>`, `[name]`, `<name...>`: as the usage line writes it. */
const argTerm = (a: Argument): string =>
  `${a.required ? '<' : '['}${a.name()}${a.variadic ? '...' : ''}${a.required ? '>' : ']'}`;

function optionRows(cmd: Command): string[] {
  const help = cmd.createHelp();
  return help
    .visibleOptions(cmd)
    .filter((o) => o.long !== '--help')
    .map((o) => `| ${code(help.optionTerm(o))} | ${cell(help.optionDescription(o))} |`);
}

function renderCommand(cmd: Command): string[] {
  const help = cmd.createHelp();
  const name = fullName(cmd);
  // lockout x -> ##, lockout x y -> ###, deeper -> ####
  const lines = [`${'#'.repeat(Math.min(name.split(' ').length, 4))} ${name}`, ''];
  const description = help.commandDescription(cmd);
  if (description) lines.push(text(description), '');
  lines.push('```', help.commandUsage(cmd), '```', '');
  const args = help.visibleArguments(cmd);
  if (args.length) {
    lines.push('| argument | description |', '|---|---|');
    for (const a of args) lines.push(`| ${code(argTerm(a))} | ${cell(help.argumentDescription(a))} |`);
    lines.push('');
  }
  const before = extraHelp(cmd, 'before');
  if (before) lines.push('```', before, '```', '');
  const opts = optionRows(cmd);
  if (opts.length) lines.push('| option | description |', '|---|---|', ...opts, '');
  const after = extraHelp(cmd, 'after');
  if (after) lines.push('```', after, '```', '');
  const subs = help.visibleCommands(cmd).filter((c) => c.name() !== 'help');
  if (subs.length) {
    lines.push(`Subcommands: ${subs.map((c) => `[${c.name()}](#${anchor(fullName(c))})`).join(', ')}.`, '');
  }
  return lines;
}

/** Render the whole reference. `exitCodes` is main.ts's table, so the doc and `help exit-codes` agree. */
export function renderCommandsDoc(program: Command, exitCodes: readonly ExitCodeRow[]): string {
  const help = program.createHelp();
  const commands = walk(program);
  const top = commands.filter((c) => c.parent === program);
  const lines = [
    GENERATED_NOTE,
    '',
    '# Command reference',
    '',
    text(help.commandDescription(program)),
    '',
    '```',
    help.commandUsage(program),
    '```',
    '',
    '## Global options',
    '',
    'Every command accepts these, before or after the command name.',
    '',
    '| option | description |',
    '|---|---|',
    ...optionRows(program),
    '',
    ...(extraHelp(program, 'after') ? ['```', extraHelp(program, 'after'), '```', ''] : []),
    '## Commands',
    '',
    ...top.map((c) => `- [${fullName(c)}](#${anchor(fullName(c))}): ${text(help.commandDescription(c))}`),
    '- [lockout help](#lockout-help): help for a command, or a topic: exit-codes, environment',
    '',
  ];
  for (const c of commands) lines.push(...renderCommand(c));
  lines.push(
    '## lockout help',
    '',
    '`lockout help <command...>` prints the help of any command above; `lockout <command> --help` does the same.',
    'Two topics:',
    '',
    '### lockout help exit-codes',
    '',
    '```',
    exitCodesText(exitCodes).trimEnd(),
    '```',
    '',
    '### lockout help environment',
    '',
    '```',
    environmentText().trimEnd(),
    '```',
    '',
  );
  return lines.join('\n');
}

/** docs/commands.md as this build of lockout renders it: the real program, with an empty environment. */
export function commandsDoc(): string {
  const program = buildProgram({
    io: {
      in: Readable.from([]),
      out: new PassThrough(),
      err: new PassThrough(),
      isTTY: { in: false, out: false, err: false },
      color: false,
    },
    env: {},
    cwd: '/',
  });
  return renderCommandsDoc(program, EXIT_CODES);
}
