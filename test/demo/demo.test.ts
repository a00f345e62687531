import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCli, tempDir } from '../helpers/cli.js';
import { lockoutCommand } from '../../src/demo/run.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('lockout demo', () => {
  it('runs the whole incident on the emulator and leaves a report whose evidence verifies', async () => {
    const dir = path.join(tempDir(), 'demo');
    const r = await runCli(['--json', 'demo', '--dir', dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as {
      ok: boolean;
      incident: string;
      reportHtml: string;
      steps: { title: string; ok: boolean }[];
    };
    expect(result.ok).toBe(true);
    expect(result.steps.length).toBeGreaterThanOrEqual(12);
    expect(result.steps.every((s) => s.ok)).toBe(true);
    expect(existsSync(path.join(dir, 'report.html'))).toBe(true);
    expect(existsSync(path.join(dir, 'report.md'))).toBe(true);

    // The head hash printed in the report is the chain's head when the report was generated, and the chain verifies.
    const verify = await runCli(['--json', 'audit', 'verify'], { cwd: dir });
    expect(verify.code).toBe(0);
    const v = JSON.parse(verify.stdout) as { size: number; head: string };
    const md = readFileSync(path.join(dir, 'report.md'), 'utf8');
    expect(md).toContain(result.incident);

    // The evidence holds every stage of the story.
    const log = JSON.parse((await runCli(['--json', 'audit', 'log'], { cwd: dir })).stdout) as { kind: string }[];
    const kinds = new Set(log.map((e) => e.kind));
    for (const prefix of [
      'incident.opened',
      'isolate.',
      'scan.completed',
      'snapshot.created',
      'rollback.',
      'verify.',
      'report.generated',
    ]) {
      expect([prefix, [...kinds].some((k) => k.startsWith(prefix))]).toEqual([prefix, true]);
    }
    expect(v.size).toBe(log.length);

    // The controller section is filled from the demo's config, not left as "not configured".
    expect(md).toMatch(/\| Controller \| Alder Ridge Supply Co\. \(fictional demo company\) \| config \|/);
  });

  it('prints a re-verify command that names this installation, since a bare npx lockout fails in the demo directory', () => {
    const bin = /^node (\S+)$/.exec(lockoutCommand())?.[1];
    expect(bin).toBeDefined();
    expect(existsSync(bin!)).toBe(true);
    const pkg = JSON.parse(readFileSync(path.join(path.dirname(bin!), '..', 'package.json'), 'utf8')) as Json;
    expect(path.join(path.dirname(bin!), '..', pkg.bin.lockout)).toBe(bin);
  });

  it('refuses a directory that already holds a lockout project, and changes nothing in it', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'lockout.config.yaml'), 'actor: someone\n');
    const r = await runCli(['demo', '--dir', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('already holds lockout.config.yaml');
    expect(readFileSync(path.join(dir, 'lockout.config.yaml'), 'utf8')).toBe('actor: someone\n');
    expect(existsSync(path.join(dir, '.lockout'))).toBe(false);

    const blocked = path.join(dir, 'lockout.config.yaml', 'sub');
    const bad = await runCli(['demo', '--dir', blocked]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`--dir: cannot create ${blocked}`);

    // Where a directory can never be made (Node's recursive mkdir would retry forever under /proc): exit 2 at once.
    if (existsSync('/proc/self')) {
      const proc = await runCli(['demo', '--dir', '/proc/lockout-demo/sub']);
      expect(proc.code).toBe(2);
      expect(proc.stderr).toContain('--dir: cannot create /proc/lockout-demo/sub');
    }
  });
});
