import { existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import jsforce from 'jsforce';
import { runEmulator } from '../../src/cli/emulator.js';
import { createContext } from '../../src/cli/context.js';
import { startEmulator } from '../../src/emulator/index.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { smallSeed } from './fixtures.js';

test('emulator start prints the connection line first, serves, and stops when told', async () => {
  const dir = tempDir();
  const seedFile = path.join(dir, 'seed.json');
  writeFileSync(seedFile, JSON.stringify(smallSeed()));
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  out.on('data', (c: Buffer) => (stdout += c.toString()));
  const ctx = createContext(
    {
      io: { in: Readable.from([]), out, err, isTTY: { in: false, out: false, err: false }, color: false },
      env: {},
      cwd: dir,
    },
    {},
  );
  let stop!: () => void;
  const stopped = new Promise<void>((r) => (stop = r));
  const running = runEmulator(ctx, { seed: 'seed.json' }, stopped);
  while (!stdout.includes('\n')) await new Promise((r) => setTimeout(r, 10));
  const banner = JSON.parse(stdout.split('\n')[0]!) as { instanceUrl: string; accessToken: string; loginUrl: string };
  expect(Object.keys(banner)).toEqual(['instanceUrl', 'accessToken', 'loginUrl']);
  expect(banner.accessToken).toBe('ADMIN-TOKEN');
  const conn = new jsforce.Connection({
    instanceUrl: banner.instanceUrl,
    accessToken: banner.accessToken,
    version: '62.0',
  });
  expect((await conn.identity()).username).toBe('admin@test.example');
  stop();
  await running;
  await expect(fetch(`${banner.instanceUrl}/services/data`)).rejects.toThrow();
});

test('bad input: missing seed file, bad fault spec, bad port are usage errors (exit 2)', async () => {
  const r1 = await runCli(['emulator', 'start', '--seed', 'nope.json']);
  expect(r1.code).toBe(2);
  expect(r1.stderr).toContain('--seed nope.json: no such file');
  const r2 = await runCli(['emulator', 'start', '--faults', 'GET */query foo=1']);
  expect(r2.code).toBe(2);
  expect(r2.stderr).toContain('unknown key "foo"');
  const r3 = await runCli(['emulator', 'start', '--port', 'abc']);
  expect(r3.code).toBe(2);
  const dir = tempDir();
  writeFileSync(path.join(dir, 'bad.json'), '{"sobjects": {"User": []}}');
  const r4 = await runCli(['emulator', 'start', '--seed', 'bad.json'], { cwd: dir });
  expect(r4.code).toBe(2);
  expect(r4.stderr).toContain('at least one user');
});

test('a --state file that cannot be written is exit 2 and leaves no server listening (the process can exit)', async () => {
  const free = createServer();
  await new Promise<void>((r) => free.listen(0, '127.0.0.1', () => r()));
  const port = (free.address() as AddressInfo).port;
  await new Promise<void>((r) => free.close(() => r()));
  const r = await runCli(['emulator', 'start', '--port', String(port), '--state', '/nonexistent/dir/state.json']);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('--state: cannot write /nonexistent/dir/state.json');
  // The port is free again: nothing was left listening.
  const again = createServer();
  await new Promise<void>((resolve, reject) => {
    again.once('error', reject);
    again.listen(port, '127.0.0.1', () => resolve());
  });
  await new Promise<void>((r) => again.close(() => r()));
});

test('--state persists records and tokens across restarts', async () => {
  const file = path.join(tempDir(), 'state.json');
  const a = await startEmulator({ seed: smallSeed(), statePath: file });
  const conn = new jsforce.Connection({ instanceUrl: a.instanceUrl, accessToken: a.accessToken, version: '62.0' });
  const created = await conn.sobject('Account').create({ Name: 'Persisted' });
  await conn.sobject('Account').update({ Id: created.id!, Name: 'Persisted 2' });
  await a.close();
  expect(existsSync(file)).toBe(true);
  const b = await startEmulator({ seed: 'empty', statePath: file });
  try {
    expect(b.accessToken).toBe('ADMIN-TOKEN');
    const conn2 = new jsforce.Connection({ instanceUrl: b.instanceUrl, accessToken: b.accessToken, version: '62.0' });
    const acc = await conn2.sobject('Account').retrieve(created.id!);
    expect(acc.Name).toBe('Persisted 2');
    const next = await conn2.sobject('Account').create({ Name: 'After restart' });
    expect(next.id).not.toBe(created.id);
    const sync = new jsforce.Connection({
      instanceUrl: b.instanceUrl,
      accessToken: 'SYNC-ACCESS-TOKEN',
      version: '62.0',
    });
    expect((await sync.identity()).username).toBe('sync@test.example');
  } finally {
    await b.close();
  }
});
