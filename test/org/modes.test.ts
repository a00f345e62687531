import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { runCli, tempDir } from '../helpers/cli.js';
import { adminClient, collect, FAST, smallSeed, startEmulator, type Emulator } from './emu.js';

describe('login modes against the emulator', () => {
  let emu: Emulator;
  let keyFile: string;
  beforeAll(async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const seed = smallSeed({ contacts: 2 });
    seed.oauthClients!.push({
      clientId: 'lockout-jwt-client',
      appName: 'Lockout JWT',
      certificate: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    });
    emu = await startEmulator({ port: 0, seed });
    keyFile = path.join(tempDir(), 'server.key');
    writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  });
  afterAll(async () => {
    await emu.close();
  });

  it('JWT bearer: SF_CLIENT_ID + SF_USERNAME + SF_JWT_KEY_FILE with --login-url', async () => {
    const r = await runCli(['org', 'whoami', '--json', '--login-url', emu.loginUrl], {
      env: { SF_CLIENT_ID: 'lockout-jwt-client', SF_USERNAME: 'admin@emulator.example', SF_JWT_KEY_FILE: keyFile },
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ loginMode: 'jwt-bearer', username: 'admin@emulator.example' });
  });

  it('JWT bearer with a key the connected app does not trust: exit 3, login refused', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const bad = path.join(tempDir(), 'other.key');
    writeFileSync(bad, other.export({ type: 'pkcs8', format: 'pem' }));
    const r = await runCli(['org', 'whoami', '--login-url', emu.loginUrl], {
      env: { SF_CLIENT_ID: 'lockout-jwt-client', SF_USERNAME: 'admin@emulator.example', SF_JWT_KEY_FILE: bad },
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/login refused \(invalid_grant/);
  });

  it('an unreadable key file is exit 2 naming it', async () => {
    const r = await runCli(['org', 'whoami', '--login-url', emu.loginUrl], {
      env: {
        SF_CLIENT_ID: 'lockout-jwt-client',
        SF_USERNAME: 'admin@emulator.example',
        SF_JWT_KEY_FILE: '/nonexistent/key.pem',
      },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read SF_JWT_KEY_FILE \/nonexistent\/key\.pem/);
  });

  it('a key file that is not a PEM private key is exit 2 naming it', async () => {
    const junk = path.join(tempDir(), 'junk.pem');
    writeFileSync(junk, 'not a key\n');
    const r = await runCli(['org', 'whoami', '--login-url', emu.loginUrl], {
      env: { SF_CLIENT_ID: 'lockout-jwt-client', SF_USERNAME: 'admin@emulator.example', SF_JWT_KEY_FILE: junk },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/SF_JWT_KEY_FILE \S*junk\.pem does not hold a usable private key/);
  });

  it('revokeToken ends that session at once (the next call is exit 3)', async () => {
    const login = await runCli(['org', 'whoami', '--json'], {
      env: {
        SF_USERNAME: 'admin@emulator.example',
        SF_PASSWORD: 'emulator-password',
        SF_CLIENT_ID: 'lockout-test-client',
        SF_CLIENT_SECRET: 'lockout-test-secret',
        SF_LOGIN_URL: emu.loginUrl,
      },
    });
    expect(login.code).toBe(0);
    // A second session of the admin, issued by the emulator's token endpoint, revoked through the client.
    const res = await fetch(`${emu.loginUrl}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'password',
        username: 'admin@emulator.example',
        password: 'emulator-password',
        client_id: 'lockout-test-client',
        client_secret: 'lockout-test-secret',
      }),
    });
    const token = ((await res.json()) as { access_token: string }).access_token;
    const client = await adminClient(emu, FAST);
    await client.revokeToken(token);
    const r = await runCli(['org', 'whoami', '--instance-url', emu.instanceUrl, '--access-token', token]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/session is expired or invalid/);
    expect(r.stderr).not.toContain(token);
    // The admin's own session is untouched.
    expect(await collect(client.query('SELECT Id FROM Contact'))).toHaveLength(2);
  });
});

/**
 * --target-org with the real Salesforce CLI. Opt-in: runs when `sf` is found (LOCKOUT_TEST_SF_BIN, or on PATH).
 * Install it as docs/org.md says (a scratch folder with an override of @jsforce/jsforce-node to 3.10.16).
 */
function findSf(): string | null {
  const named = process.env.LOCKOUT_TEST_SF_BIN;
  if (named) return existsSync(named) ? named : null;
  try {
    return execFileSync('sh', ['-c', 'command -v sf'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}
const sf = findSf();

(sf ? describe : describe.skip)('--target-org through the Salesforce CLI (opt-in)', () => {
  let emu: Emulator;
  let home: string;
  const sfEnv = () => ({
    ...process.env,
    HOME: home,
    SF_DISABLE_TELEMETRY: 'true',
    SF_AUTOUPDATE_DISABLE: 'true',
    SF_SKIP_NEW_VERSION_CHECK: 'true',
    SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
  });
  beforeAll(async () => {
    emu = await startEmulator({ port: 0, seed: smallSeed({ contacts: 2 }) });
    home = mkdtempSync(path.join(os.tmpdir(), 'lockout-sf-home-'));
    // Async: the emulator serves from this process, so a blocking exec would deadlock.
    await promisify(execFile)(
      sf!,
      ['org', 'login', 'access-token', '--instance-url', emu.instanceUrl, '--no-prompt', '--alias', 'emu', '--json'],
      { env: { ...sfEnv(), SF_ACCESS_TOKEN: emu.accessToken }, encoding: 'utf8' },
    );
  }, 120000);
  afterAll(async () => {
    await emu.close();
  });

  it('whoami --target-org emu uses the stored login', async () => {
    const env = sfEnv();
    const r = await runCli(['org', 'whoami', '--json', '--target-org', 'emu'], {
      env: { HOME: env.HOME, PATH: process.env.PATH, LOCKOUT_SF_BIN: sf!, SF_USE_GENERIC_UNIX_KEYCHAIN: 'true' },
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ loginMode: 'target-org', username: 'admin@emulator.example' });
    expect(r.stdout).not.toContain(emu.accessToken);
  }, 120000);

  it('an unknown alias is exit 3 with the CLI reason', async () => {
    const env = sfEnv();
    const r = await runCli(['org', 'whoami', '--target-org', 'nope'], {
      env: { HOME: env.HOME, PATH: process.env.PATH, LOCKOUT_SF_BIN: sf!, SF_USE_GENERIC_UNIX_KEYCHAIN: 'true' },
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/sf org display --target-org nope failed/);
  }, 120000);
});
