import { Connection } from 'jsforce';
import { emptySeed, type Seed } from '../../../src/emulator/seed.js';
import { startEmulator } from '../../../src/emulator/index.js';

export type Emulator = Awaited<ReturnType<typeof startEmulator>>;

export const INTEGRATION = 'sync@partner.example';
export const PERSON = 'ann.lee@acme.example';

/**
 * An org with an integration user, a person, two accounts (one to protect) and `contacts` real Contacts whose
 * Email, Phone, Title and LastName are history-tracked.
 */
export function rollbackSeed(contacts = 6): Seed {
  const seed = emptySeed();
  seed.org = { ...seed.org, limits: { DailyApiRequests: 100000 } };
  const admin = seed.sobjects!.User![0]!;
  const user = (ref: string, username: string, last: string) => ({
    ...admin,
    '@ref': ref,
    admin: false,
    Username: username,
    Email: username,
    LastName: last,
    FirstName: 'Test',
    Alias: ref.slice(0, 8),
    password: undefined,
  });
  seed.sobjects!.User!.push(user('integ', INTEGRATION, 'Integration'), user('ann', PERSON, 'Lee'));
  seed.sobjects!.Account = [
    { '@ref': 'acme', Name: 'Acme Corp' },
    { '@ref': 'bank', Name: 'Big Bank' },
  ];
  seed.sobjects!.Contact = Array.from({ length: contacts }, (_, i) => ({
    '@ref': `c${i}`,
    FirstName: `First${i}`,
    LastName: `Last${i}`,
    Email: `person${i}@acme-corp.com`,
    Phone: `555-01${String(i).padStart(2, '0')}`,
    AccountId: { '@ref': i === contacts - 1 ? 'bank' : 'acme' },
  }));
  seed.historyTracking = { Contact: ['Email', 'Phone', 'Title', 'LastName'] };
  return seed;
}

export async function admin<T>(emu: Emulator, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${emu.instanceUrl}/__emulator${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A jsforce connection acting as a seeded user (the normal API, as that user's integration would use it). */
export async function connectAs(emu: Emulator, username: string): Promise<{ conn: Connection; userId: string }> {
  const t = await admin<{ accessToken: string; userId: string }>(emu, 'POST', '/tokens', { username });
  return {
    conn: new Connection({ instanceUrl: emu.instanceUrl, accessToken: t.accessToken, version: '62.0' }),
    userId: t.userId,
  };
}

/** Move the emulator clock forward (changes made after it carry later timestamps). */
export const advanceClock = (emu: Emulator, offsetMs: number) => admin(emu, 'POST', '/clock', { offsetMs });

export interface StateDump {
  now: string;
  records: Record<string, Record<string, unknown>[]>;
}
export const dump = (emu: Emulator, types: string) => admin<StateDump>(emu, 'GET', `/state?types=${types}`);

export interface RequestLog {
  counts: Record<string, number>;
  requests: { method: string; path: string; query: string; status: number }[];
}
export const requests = (emu: Emulator) => admin<RequestLog>(emu, 'GET', '/requests');

export function orgArgs(emu: Emulator): string[] {
  return ['--instance-url', emu.instanceUrl, '--access-token', emu.accessToken];
}
