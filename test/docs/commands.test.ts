import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, Option } from 'commander';
import { commandsDoc, GENERATED_NOTE, renderCommandsDoc } from '../../src/cli/commands-doc.js';

const DOC = fileURLToPath(new URL('../../docs/commands.md', import.meta.url));

describe('docs/commands.md', () => {
  it('is what the CLI renders now (else: npm run docs:commands)', () => {
    let onDisk: string;
    try {
      onDisk = readFileSync(DOC, 'utf8');
    } catch {
      throw new Error('docs/commands.md is missing: run npm run docs:commands');
    }
    const fresh = commandsDoc();
    if (onDisk !== fresh) {
      const a = onDisk.split('\n');
      const b = fresh.split('\n');
      const i = a.findIndex((line, n) => line !== b[n]);
      const at = i < 0 ? Math.min(a.length, b.length) : i;
      throw new Error(
        `docs/commands.md is out of date: run npm run docs:commands\n` +
          `first difference at line ${at + 1}:\n  in the file: ${a[at] ?? '(end of file)'}\n  the CLI now: ${b[at] ?? '(end of file)'}`,
      );
    }
  });
});

describe('renderCommandsDoc', () => {
  const program = new Command('lockout').description('the tool').option('--db <path>', 'database');
  const scan = program.command('scan').description('scan <files> | stdin').argument('<file...>', 'inputs');
  scan.addOption(new Option('--format <f>', 'output | format').choices(['json', 'csv']).default('json'));
  const group = program.command('audit').description('audit things');
  group.command('verify').description('verify the chain').option('--checkpoint <file>', 'a checkpoint');
  group.command('internal-only', { hidden: true }).description('hidden');
  const md = renderCommandsDoc(program, [{ code: 0, name: 'ok', meaning: 'success' }]);

  it('lists every visible command and subcommand with its options, arguments, choices and defaults', () => {
    expect(md.startsWith(GENERATED_NOTE)).toBe(true);
    expect(md).toContain('## lockout scan\n');
    expect(md).toContain('## lockout audit\n');
    expect(md).toContain('### lockout audit verify\n');
    expect(md).toContain('```\nlockout audit verify [options]\n```');
    expect(md).toContain('| `--checkpoint <file>` | a checkpoint |');
    expect(md).toContain('| `<file...>` | inputs |');
    expect(md).toContain('| `--format <f>` | output \\| format (choices: "json", "csv", default: "json") |');
    expect(md).toContain('| `--db <path>` | database |');
    expect(md).toContain('Subcommands: [verify](#lockout-audit-verify).');
    expect(md).not.toContain('internal-only');
  });

  it('escapes text that Markdown would read as HTML', () => {
    expect(md).toContain('scan &lt;files&gt; | stdin');
    expect(md).not.toMatch(/[^`]<files>/);
  });

  it('ends with the exit codes and environment topics', () => {
    expect(md).toContain('### lockout help exit-codes\n\n```\nExit codes');
    expect(md).toMatch(/0 +success/);
    expect(md).toContain('### lockout help environment');
  });
});
