import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { runCli, tempDir } from '../helpers/cli.js';

const run = promisify(execFile);
const bin = path.resolve('bin/lockout.js');

// Runs the built CLI (npm test builds dist first) as separate processes appending at the same time.
describe('two processes appending at once', () => {
  it('keep one valid chain holding every entry', async () => {
    const cwd = tempDir();
    expect((await runCli(['incident', 'open', '--title', 'Concurrency drill'], { cwd })).code).toBe(0);
    const loop = (tag: string) =>
      run(
        'sh',
        [
          '-c',
          `for i in 1 2 3 4 5 6 7 8; do "$0" "$1" incident note "${tag} $i" || exit 1; done`,
          process.execPath,
          bin,
        ],
        {
          cwd,
          env: { ...process.env, LOCKOUT_ACTOR: tag },
        },
      );
    await Promise.all([loop('a'), loop('b')]);
    const verify = await runCli(['--json', 'audit', 'verify'], { cwd });
    expect(verify.code).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, size: 17 });
    const show = JSON.parse((await runCli(['--json', 'incident', 'show'], { cwd })).stdout) as {
      notes: { text: string }[];
    };
    const texts = show.notes.map((n) => n.text).sort();
    expect(texts).toEqual(
      [...[1, 2, 3, 4, 5, 6, 7, 8].map((i) => `a ${i}`), ...[1, 2, 3, 4, 5, 6, 7, 8].map((i) => `b ${i}`)].sort(),
    );
  });
});
