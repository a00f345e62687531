import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * Compile the CLI into a temporary directory (tsc emits even when someone else's file has a type error), so a
 * test can run lockout as a real child process and kill it with SIGKILL. Returns the launcher path.
 */
export async function buildCli(): Promise<string> {
  const root = path.resolve('.');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lockout-cli-'));
  await promisify(execFile)(
    process.execPath,
    [
      path.join(root, 'node_modules/typescript/bin/tsc'),
      '-p',
      'tsconfig.build.json',
      '--outDir',
      path.join(dir, 'dist'),
    ],
    {
      cwd: root,
    },
  ).catch(() => undefined);
  copyFileSync(path.join(root, 'package.json'), path.join(dir, 'package.json'));
  symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
  const launcher = path.join(dir, 'lockout.mjs');
  writeFileSync(
    launcher,
    "import { main } from './dist/main.js';\nprocess.exitCode = await main(process.argv.slice(2));\n",
  );
  return launcher;
}
