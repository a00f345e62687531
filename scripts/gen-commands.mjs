#!/usr/bin/env node
// Writes docs/commands.md from the CLI's own help (src/cli/commands-doc.ts, built into dist/).
// Usage: npm run docs:commands            (builds, then writes the file)
//        node scripts/gen-commands.mjs --check   (exit 1 when the file is out of date; needs a fresh build)
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const target = fileURLToPath(new URL('../docs/commands.md', import.meta.url));
let commandsDoc, writeFileAtomic;
try {
  ({ commandsDoc } = await import('../dist/cli/commands-doc.js'));
  ({ writeFileAtomic } = await import('../dist/util/fs.js'));
} catch (e) {
  process.stderr.write(`gen-commands: cannot load the built CLI (${e.message}); run npm run build first\n`);
  process.exit(2);
}

const text = commandsDoc();
let current = null;
try {
  current = readFileSync(target, 'utf8');
} catch {
  current = null;
}

if (process.argv.includes('--check')) {
  if (current === text) {
    process.stdout.write(`docs/commands.md is up to date\n`);
  } else {
    process.stderr.write('docs/commands.md is out of date: run npm run docs:commands\n');
    process.exitCode = 1;
  }
} else if (current === text) {
  process.stdout.write('docs/commands.md unchanged\n');
} else {
  writeFileAtomic(target, text);
  process.stdout.write(`wrote docs/commands.md (${text.split('\n').length} lines)\n`);
}
