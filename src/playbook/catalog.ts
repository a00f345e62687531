import type { Command } from 'commander';

/**
 * What the CLI accepts, as plain data: each command's options and subcommands. Built from the real commander
 * program, so a playbook is checked against the commands this lockout actually has, not a copy of them.
 */
export interface OptionSpec {
  flags: string[];
  /** Takes a value: `<x>` (required) or `[x]` (optional). */
  value: 'none' | 'required' | 'optional';
}

export interface CommandSpec {
  name: string;
  aliases: string[];
  options: OptionSpec[];
  arguments: number;
  subcommands: CommandSpec[];
}

/** The catalog of a commander program (the root and every subcommand). */
export function catalogFromProgram(cmd: Command): CommandSpec {
  return {
    name: cmd.name(),
    aliases: cmd.aliases(),
    options: [
      ...cmd.options.map((o) => ({
        flags: [o.long, o.short].filter((f): f is string => !!f),
        value: o.required ? ('required' as const) : o.optional ? ('optional' as const) : ('none' as const),
      })),
      { flags: ['--help', '-h'], value: 'none' as const },
    ],
    arguments: cmd.registeredArguments.length,
    subcommands: cmd.commands.map(catalogFromProgram),
  };
}

/**
 * Check argv (without `lockout`) against the catalog. Returns null when every word is a known command,
 * subcommand or option of it (or a global option), else a one-line reason.
 */
export function checkArgv(argv: readonly string[], root: CommandSpec): string | null {
  const chain: CommandSpec[] = [root];
  let current = root;
  let positional = 0;
  const path = () => (chain.length > 1 ? `${chain.map((c) => c.name).join(' ')}: ` : '');
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '--') break;
    if (word.startsWith('-') && word.length > 1 && !/^-\d/.test(word)) {
      const name = word.includes('=') ? word.slice(0, word.indexOf('=')) : word;
      const spec = chain
        .slice()
        .reverse()
        .flatMap((c) => c.options)
        .find((o) => o.flags.includes(name));
      if (!spec) return `${path()}unknown option ${name}`;
      const inline = word.includes('=');
      if (spec.value === 'required' && !inline) i++;
      if (spec.value === 'optional' && !inline && argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('-')) i++;
      continue;
    }
    const sub =
      positional === 0 ? current.subcommands.find((c) => c.name === word || c.aliases.includes(word)) : undefined;
    if (sub) {
      chain.push(sub);
      current = sub;
      continue;
    }
    if (current.subcommands.length && current.arguments === 0) {
      return `${path()}unknown command "${word}" (known: ${current.subcommands.map((c) => c.name).join(', ')})`;
    }
    if (current.arguments === 0) return `${path()}takes no argument, got "${word}"`;
    positional++;
  }
  if (current === root) return 'no command given';
  return null;
}
