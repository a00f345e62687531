import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCli, tempDir } from '../helpers/cli.js';
import { resolveConfig } from '../../src/config/resolve.js';

describe('resolveConfig', () => {
  it('applies flag > env > file > default and records where each value came from', () => {
    const file = {
      path: 'lockout.config.yaml',
      data: { db: 'file.db', actor: 'file-actor', scan: { thresholds: { high: 0.9 } } },
    };
    const r = resolveConfig({
      flags: { db: 'flag.db' },
      env: { LOCKOUT_DB: 'env.db', LOCKOUT_ACTOR: 'env-actor' },
      file,
    });
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.config.db).toBe('flag.db');
    expect(r.config.actor).toBe('env-actor');
    expect(r.config.scan.thresholds.high).toBe(0.9);
    expect(r.config.scan.thresholds.low).toBe(0.35);
    expect(r.origins).toMatchObject({
      db: 'flag',
      actor: 'env',
      'scan.thresholds.high': 'file',
      'scan.thresholds.low': 'default',
    });
  });

  it('returns problems naming the key and the env variable', () => {
    const r = resolveConfig({ flags: {}, env: { LOCKOUT_API_BUDGET: 'lots' }, file: null });
    expect(r).toEqual({
      ok: false,
      problems: [{ path: 'org.apiBudget', message: 'expected a number, got "lots"', where: 'env LOCKOUT_API_BUDGET' }],
    });
  });
});

describe('lockout config', () => {
  it('names the file, line and key path of an invalid value', async () => {
    const cwd = tempDir();
    writeFileSync(path.join(cwd, 'lockout.config.yaml'), 'db: x.db\nscan:\n  thresholds:\n    high: "very"\n');
    const r = await runCli(['config', 'show'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('lockout.config.yaml:4');
    expect(r.stderr).toContain('scan.thresholds.high');
  });

  it('names an unknown key with its line', async () => {
    const cwd = tempDir();
    writeFileSync(path.join(cwd, 'lockout.config.yaml'), 'db: x.db\nprotect:\n  users: [a]\n  acounts: [b]\n');
    const r = await runCli(['config', 'show'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/lockout\.config\.yaml:4: protect\.acounts: unknown key "acounts"/);
  });

  it('reports YAML syntax errors with the line', async () => {
    const cwd = tempDir();
    writeFileSync(path.join(cwd, 'bad.yaml'), 'db: x\nscan: [unclosed\n');
    const r = await runCli(['--config', 'bad.yaml', 'incident', 'list'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:\d+/);
  });

  it('refuses a missing --config file', async () => {
    const r = await runCli(['--config', 'nope.yaml', 'config', 'show']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nope.yaml');
  });

  it('shows the resolved config with origins', async () => {
    const cwd = tempDir();
    writeFileSync(
      path.join(cwd, 'lockout.config.yaml'),
      'actor: from-file\nprotect:\n  users: [breakglass@acme.com]\n',
    );
    const r = await runCli(['config', 'show'], { cwd, env: { LOCKOUT_ACTOR: undefined, LOCKOUT_DB: 'env.db' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^actor: from-file {2}# file$/m);
    expect(r.stdout).toMatch(/^db: env\.db {2}# env$/m);
    expect(r.stdout).toMatch(/^protect\.users: \[ breakglass@acme\.com \] {2}# file$/m);
    expect(r.stdout).toMatch(/^org\.apiVersion: "62\.0" {2}# default$/m);
  });
});
