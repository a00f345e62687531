import { emptySeed, type Seed } from '../../src/emulator/seed.js';
import { startEmulator } from '../../src/emulator/index.js';
import { connectOrg, type ConnectOptions, type OrgFlags } from '../../src/org/connect.js';
import { createContext, type Context } from '../../src/cli/context.js';
import { PassThrough, Readable } from 'node:stream';
import { tempDir } from '../helpers/cli.js';

export type Emulator = Awaited<ReturnType<typeof startEmulator>>;

/** Fast retries for tests that go through the library (the CLI uses the real policy). */
export const FAST: ConnectOptions = { retry: { maxRetries: 2, baseMs: 20 } };

/** A small org: the empty seed plus `contacts` Contacts, an OAuth client, and daily limits. */
export function smallSeed(
  opts: { contacts?: number; limits?: Record<string, number | { Max: number; Remaining: number }> } = {},
): Seed {
  const seed = emptySeed();
  seed.org = { ...seed.org, limits: opts.limits ?? { DailyApiRequests: 15000 } };
  seed.oauthClients = [
    { clientId: 'lockout-test-client', clientSecret: 'lockout-test-secret', appName: 'Lockout Test' },
  ];
  seed.sobjects!.Account = [{ '@ref': 'acme', Name: 'Acme Corp' }];
  seed.sobjects!.Contact = Array.from({ length: opts.contacts ?? 0 }, (_, i) => ({
    FirstName: `First${i}`,
    LastName: `Last${i}`,
    Email: `person${i}@acme-corp.com`,
    AccountId: { '@ref': 'acme' },
  }));
  return seed;
}

/** A Context as the CLI builds it, over a fresh directory. */
export function testContext(env: Record<string, string | undefined> = {}, flags: OrgFlags = {}): Context {
  const sink = new PassThrough();
  sink.resume();
  return createContext(
    {
      io: {
        in: Readable.from([]),
        out: sink,
        err: sink,
        isTTY: { in: false, out: false, err: false },
        color: false,
      },
      env: { LOCKOUT_ACTOR: 'tester', ...env },
      cwd: tempDir('lockout-org-'),
    },
    flags as never,
  );
}

/** Connect with the emulator's admin token (mode 1). */
export function adminClient(emu: Emulator, opts: ConnectOptions = FAST, flags: OrgFlags = {}) {
  return connectOrg(testContext(), { instanceUrl: emu.instanceUrl, accessToken: emu.accessToken, ...flags }, opts);
}

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

export { startEmulator };
