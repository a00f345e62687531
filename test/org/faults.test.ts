import { runCli } from '../helpers/cli.js';
import { OrgError } from '../../src/errors.js';
import { connectOrg } from '../../src/org/connect.js';
import { adminClient, collect, FAST, smallSeed, startEmulator, testContext, type Emulator } from './emu.js';

const PASSWORD_ENV = (emu: Emulator) => ({
  SF_USERNAME: 'admin@emulator.example',
  SF_PASSWORD: 'emulator-password',
  SF_CLIENT_ID: 'lockout-test-client',
  SF_CLIENT_SECRET: 'lockout-test-secret',
  SF_LOGIN_URL: emu.loginUrl,
});

async function withEmulator(
  opts: { faults?: string; contacts?: number; limits?: Record<string, number | { Max: number; Remaining: number }> },
  fn: (emu: Emulator) => Promise<void>,
) {
  const emu = await startEmulator({
    port: 0,
    seed: smallSeed({ contacts: opts.contacts ?? 3, limits: opts.limits }),
    faults: opts.faults,
  });
  try {
    await fn(emu);
  } finally {
    await emu.close();
  }
}

const tokenFlags = (emu: Emulator) => ['--instance-url', emu.instanceUrl, '--access-token', emu.accessToken];

describe('faults: every command completes or stops with exit 3/4 and a clear message', () => {
  it('503 on reads: retried, then the query succeeds; each attempt is counted', async () => {
    await withEmulator({ faults: 'GET */query* status=503 times=2' }, async (emu) => {
      const client = await adminClient(emu, FAST);
      const rows = await collect(client.query('SELECT Id FROM Contact'));
      expect(rows).toHaveLength(3);
      expect(client.calls).toBe(3);
    });
  });

  it('503 that does not stop: exit 3 naming the error, after the retries', async () => {
    await withEmulator({ faults: 'GET */query* status=503' }, async (emu) => {
      const r = await runCli(['org', 'whoami', ...tokenFlags(emu)]);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/SERVER_UNAVAILABLE/);
      expect(r.stderr).not.toContain(emu.accessToken);
    });
  }, 20000);

  it('Bulk results pages (fetched by lockout): 503 retried; 401 renews a password session; plain token exit 3', async () => {
    await withEmulator({ faults: 'GET */jobs/query/*/results status=503 times=1', contacts: 30 }, async (emu) => {
      const client = await adminClient(emu, FAST);
      const rows = await collect(client.bulkQuery('SELECT Id FROM Contact', { pageSize: 10, pollIntervalMs: 10 }));
      expect(new Set(rows.map((r) => r.Id)).size).toBe(30);
    });
    await withEmulator({ faults: 'GET */jobs/query/*/results status=401 times=1', contacts: 30 }, async (emu) => {
      const client = await connectOrg(testContext(PASSWORD_ENV(emu)), undefined, FAST);
      const rows = await collect(client.bulkQuery('SELECT Id FROM Contact', { pageSize: 10, pollIntervalMs: 10 }));
      expect(rows).toHaveLength(30);
      const plain = await adminClient(emu, FAST);
      const added = await fetch(`${emu.instanceUrl}/__emulator/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ spec: 'GET */jobs/query/*/results status=401' }),
      });
      expect(added.status).toBe(200);
      const err = await collect(plain.bulkQuery('SELECT Id FROM Contact', { pollIntervalMs: 10 })).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(OrgError);
      expect((err as Error).message).toMatch(/reading Bulk API 2.0 results of job 750\w+: the session is expired/);
    });
  });

  it('503 on a Metadata read (a SOAP POST): retried by lockout, then it succeeds; an update is not retried', async () => {
    await withEmulator({ faults: 'POST /services/Soap/m/* status=503 times=1' }, async (emu) => {
      const client = await adminClient(emu, FAST);
      const before = client.calls;
      const [missing] = await client.metadataRead('RemoteSiteSetting', ['No_Such_Site']);
      expect(missing!.fullName).toBeUndefined();
      expect(client.calls - before).toBe(2);
    });
    await withEmulator({ faults: 'POST /services/Soap/m/* status=503 times=1' }, async (emu) => {
      const client = await adminClient(emu, FAST);
      await expect(
        client.metadataUpdate('RemoteSiteSetting', [
          { fullName: 'X', url: 'https://x.example.com', isActive: false, disableProtocolSecurity: false },
        ]),
      ).rejects.toThrow(/updating RemoteSiteSetting metadata: .*SERVER_UNAVAILABLE/);
    });
  });

  it('UNABLE_TO_LOCK_ROW on some records: only those are sent again, and all end saved', async () => {
    await withEmulator(
      { faults: 'PATCH */composite/sobjects error=UNABLE_TO_LOCK_ROW times=3', contacts: 10 },
      async (emu) => {
        const client = await adminClient(emu, FAST);
        const rows = await collect(client.query<{ Id: string }>('SELECT Id FROM Contact'));
        const res = await client.update(
          'Contact',
          rows.map((r) => ({ Id: r.Id as string, Title: 'Locked once' })),
        );
        expect(res.every((r) => r.success)).toBe(true);
        expect(res.filter((r) => r.attempts > 1).length).toBeGreaterThanOrEqual(1);
        const after = await collect(
          client.query<{ Title: string }>("SELECT Id FROM Contact WHERE Title = 'Locked once'"),
        );
        expect(after).toHaveLength(10);
      },
    );
  });

  it('expired session with a plain token: exit 3, says so, no token in the output', async () => {
    await withEmulator({ faults: '* /services/data/* status=401' }, async (emu) => {
      const r = await runCli(['org', 'whoami', '--json', ...tokenFlags(emu)]);
      expect(r.code).toBe(3);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/session is expired or invalid/);
      expect(r.stderr).toMatch(/cannot refresh/);
      expect(r.stderr).not.toContain(emu.accessToken);
    });
  });

  it('expired session with an OAuth2 password login: logs in again once and carries on', async () => {
    await withEmulator({ faults: 'GET */limits status=401 times=1' }, async (emu) => {
      const r = await runCli(['org', 'whoami', '--json'], { env: PASSWORD_ENV(emu) });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout) as { loginMode: string; username: string };
      expect(out).toMatchObject({ loginMode: 'oauth-password', username: 'admin@emulator.example' });
    });
  });

  it('a session that stays refused after a new login: exit 3, no endless re-login', async () => {
    await withEmulator({ faults: 'GET */limits status=401' }, async (emu) => {
      const r = await runCli(['org', 'whoami'], { env: PASSWORD_ENV(emu) });
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/session is expired or invalid/);
      expect(r.stderr).not.toMatch(/emulator-password|lockout-test-secret/);
    });
  });

  it('sessions expired by the org: a password login logs in again; once the user is frozen it is exit 3', async () => {
    await withEmulator({ contacts: 2 }, async (emu) => {
      const ctx = testContext(PASSWORD_ENV(emu));
      const client = await connectOrg(ctx, undefined, FAST);
      expect(await collect(client.query('SELECT Id FROM Contact'))).toHaveLength(2);
      const expire = () =>
        fetch(`${emu.instanceUrl}/__emulator/expire`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'admin@emulator.example' }),
        });
      expect(((await (await expire()).json()) as { expired: number }).expired).toBeGreaterThanOrEqual(1);
      expect(await collect(client.query('SELECT Id FROM Contact'))).toHaveLength(2);

      // Freeze the running user (with a fresh session from the emulator): its next new login is refused.
      const fresh = await fetch(`${emu.instanceUrl}/__emulator/tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin@emulator.example' }),
      });
      const { accessToken } = (await fresh.json()) as { accessToken: string };
      const admin = await connectOrg(testContext(), { instanceUrl: emu.instanceUrl, accessToken }, FAST);
      const me = (await client.identity()).userId;
      const [login] = await collect(client.query<{ Id: string }>(`SELECT Id FROM UserLogin WHERE UserId = '${me}'`));
      expect((await admin.update('UserLogin', [{ Id: login!.Id as string, IsFrozen: true }]))[0]!.success).toBe(true);
      const err = await collect(client.query('SELECT Id FROM Contact')).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OrgError);
      expect((err as Error).message).toMatch(/session is expired or invalid.*authentication failure/);
    });
  });

  it('wrong password: exit 3, login refused', async () => {
    await withEmulator({}, async (emu) => {
      const r = await runCli(['org', 'whoami'], { env: { ...PASSWORD_ENV(emu), SF_PASSWORD: 'not-the-password' } });
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/login refused/);
      expect(r.stderr).not.toContain('not-the-password');
    });
  });

  it('exhausted daily API limit: exit 3 with REQUEST_LIMIT_EXCEEDED explained', async () => {
    await withEmulator({ limits: { DailyApiRequests: { Max: 15000, Remaining: 0 } } }, async (emu) => {
      const r = await runCli(['org', 'whoami', ...tokenFlags(emu)]);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/API limit is exhausted \(REQUEST_LIMIT_EXCEEDED/);
    });
  });

  it('nearly exhausted daily limit: the budget guard refuses with exit 4 before reading records', async () => {
    await withEmulator({ contacts: 30, limits: { DailyApiRequests: { Max: 15000, Remaining: 8 } } }, async (emu) => {
      const client = await connectOrg(
        testContext(),
        { instanceUrl: emu.instanceUrl, accessToken: emu.accessToken },
        FAST,
      );
      await expect(client.ensureBudget(3, 'a rollback of 500 records')).rejects.toThrow(
        /a rollback of 500 records needs about 3 API calls, but the API budget allows 0: 10% of the \d daily API calls remaining/,
      );
    });
  });

  it('unreachable org: exit 3, cannot reach', async () => {
    const r = await runCli(['org', 'whoami', '--instance-url', 'http://127.0.0.1:9', '--access-token', 'abcdefgh1234']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/cannot reach the org/);
    expect(r.stderr).not.toContain('abcdefgh1234');
  }, 20000);
});
