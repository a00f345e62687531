import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

/** Newest modification time of any .ts file under `dir`. */
function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p));
    else if (e.name.endsWith('.ts')) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

/**
 * A launcher for the CLI as a real child process (to kill it with SIGKILL). Uses dist/ when it is newer than every
 * source file (npm test builds it first); otherwise compiles into a temporary directory (tsc emits even when someone
 * else's file has a type error).
 */
export async function buildCli(): Promise<string> {
  const root = path.resolve('.');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lockout-cli-'));
  const launcher = path.join(dir, 'lockout.mjs');
  const distMain = path.join(root, 'dist/main.js');
  let mainUrl: string;
  if (existsSync(distMain) && statSync(distMain).mtimeMs > newest(path.join(root, 'src'))) {
    mainUrl = pathToFileURL(distMain).href;
  } else {
    await promisify(execFile)(
      process.execPath,
      [
        path.join(root, 'node_modules/typescript/bin/tsc'),
        '-p',
        'tsconfig.build.json',
        '--outDir',
        path.join(dir, 'dist'),
      ],
      { cwd: root },
    ).catch(() => undefined);
    copyFileSync(path.join(root, 'package.json'), path.join(dir, 'package.json'));
    // What the build reads at run time besides its modules (reference data, shipped playbooks).
    for (const d of ['node_modules', 'data', 'playbooks']) {
      if (existsSync(path.join(root, d))) symlinkSync(path.join(root, d), path.join(dir, d));
    }
    mainUrl = './dist/main.js';
  }
  writeFileSync(
    launcher,
    `import { main } from '${mainUrl}';\nprocess.exitCode = await main(process.argv.slice(2));\n`,
  );
  return launcher;
}
