import { runCli } from '../helpers/cli.js';
import { smallSeed, startEmulator, type Emulator } from './emu.js';

describe('lockout org whoami', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({
      port: 0,
      seed: smallSeed({ limits: { DailyApiRequests: { Max: 15000, Remaining: 14000 } } }),
    });
  });
  afterAll(async () => {
    await emu.close();
  });

  it('--json: org id, user, instance, sandbox or not, remaining daily calls; never the token', async () => {
    const r = await runCli([
      'org',
      'whoami',
      '--json',
      '--instance-url',
      emu.instanceUrl,
      '--access-token',
      emu.accessToken,
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({
      orgId: expect.stringMatching(/^00D/),
      organizationName: 'Emulated Org',
      isSandbox: false,
      userId: expect.stringMatching(/^005/),
      username: 'admin@emulator.example',
      instanceUrl: emu.instanceUrl.replace(/\/$/, ''),
      apiVersion: '62.0',
      loginMode: 'access-token',
      apiCalls: 3,
    });
    const daily = out.dailyApiRequests as { max: number; remaining: number };
    expect(daily.max).toBe(15000);
    expect(daily.remaining).toBeLessThan(14000);
    expect(daily.remaining).toBeGreaterThan(13990);
    expect(r.stdout).not.toContain(emu.accessToken);
  });

  it('text output from SF_INSTANCE_URL + SF_ACCESS_TOKEN, with --api-version', async () => {
    const r = await runCli(['org', 'whoami', '--api-version', '60.0'], {
      env: { SF_INSTANCE_URL: emu.instanceUrl, SF_ACCESS_TOKEN: emu.accessToken },
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^org\s+00D\w+\s+Emulated Org/m);
    expect(r.stdout).toMatch(/^user\s+admin@emulator\.example/m);
    expect(r.stdout).toMatch(/^sandbox\s+no \(production\)/m);
    expect(r.stdout).toMatch(/API v60\.0/);
    expect(r.stdout).toMatch(/^API calls\s+\d+ of 15000 daily calls remaining/m);
    expect(r.stdout).toMatch(/^login\s+env-access-token/m);
  });

  it('no connection: exit 2 listing the modes in precedence order', async () => {
    const r = await runCli(['org', 'whoami']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no org to connect to/);
    expect(r.stderr).toMatch(/1\. --instance-url \+ --access-token/);
  });

  it('a bad --api-version is exit 2 naming the flag', async () => {
    const r = await runCli([
      'org',
      'whoami',
      '--api-version',
      'v62',
      '--instance-url',
      emu.instanceUrl,
      '--access-token',
      emu.accessToken,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--api-version/);
  });
});
