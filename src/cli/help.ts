import { Command } from 'commander';
import type { Context } from './context.js';
import { table } from './output.js';
import { settings } from '../config/schema.js';
import { UsageError } from '../errors.js';

interface ExitCodeRow {
  readonly code: number;
  readonly name: string;
  readonly meaning: string;
}

export function exitCodesText(rows: readonly ExitCodeRow[]): string {
  return `Exit codes\n\n${table(
    ['CODE', 'MEANING'],
    rows.map((r) => [r.code, r.meaning]),
  )}\n`;
}

export function environmentText(): string {
  const rows = settings.filter((s) => s.env).map((s) => [s.env!, s.flag ?? '', s.path ? `${s.path}` : '', s.help]);
  return [
    'Environment variables',
    '',
    'Precedence, for every setting that has several sources: flags > environment > config file > defaults.',
    'The config file is --config, else LOCKOUT_CONFIG, else ./lockout.config.yaml when it exists.',
    '',
    table(['VARIABLE', 'FLAG', 'CONFIG KEY', 'MEANING'], rows),
    '',
  ].join('\n');
}

/** `lockout help [command...]`, plus the topics `exit-codes` and `environment`. */
export function registerHelp(
  program: Command,
  _ctxFor: (cmd: Command) => Context,
  exitCodes: readonly ExitCodeRow[],
): void {
  program.helpCommand(false);
  program
    .command('help')
    .description('help for a command, or a topic: exit-codes, environment')
    .argument('[topic...]', 'a command (e.g. "incident open") or a topic')
    .action((topic: string[]) => {
      const write = (s: string) => program.configureOutput().writeOut!(s);
      if (topic.length === 0) return write(program.helpInformation());
      const [first] = topic;
      if (first === 'exit-codes') return write(exitCodesText(exitCodes));
      if (first === 'environment') return write(environmentText());
      let cmd: Command | undefined = program;
      for (const name of topic) {
        cmd = cmd.commands.find((c) => c.name() === name || c.aliases().includes(name));
        if (!cmd)
          throw new UsageError(`no help for "${topic.join(' ')}": unknown command`, { hint: 'see lockout help' });
      }
      write(cmd.helpInformation());
    });
  program.addHelpText(
    'after',
    '\nTopics: lockout help exit-codes, lockout help environment. Evidence lives in .lockout/lockout.db (--db).',
  );
}
