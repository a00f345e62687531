import jsforce from 'jsforce';
import { parseFaultSpec } from '../../src/emulator/faults.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { smallSeed } from './fixtures.js';

let emu: Emulator;
let conn: jsforce.Connection;

afterEach(async () => {
  await emu?.close();
});

async function start(faults?: string) {
  emu = await startEmulator({ seed: smallSeed(), faults });
  conn = new jsforce.Connection({ instanceUrl: emu.instanceUrl, accessToken: emu.accessToken, version: '62.0' });
}

test('spec parsing: methods, globs, keys; bad specs name the problem', () => {
  expect(
    parseFaultSpec('GET */query* status=503 times=1; PATCH composite/sobjects error=UNABLE_TO_LOCK_ROW rate=30%'),
  ).toEqual([
    { method: 'GET', path: '*/query*', status: 503, times: 1 },
    { method: 'PATCH', path: 'composite/sobjects', errorCode: 'UNABLE_TO_LOCK_ROW', rate: 0.3 },
  ]);
  expect(parseFaultSpec('* latency=5')).toEqual([{ path: '*', latencyMs: 5 }]);
  expect(() => parseFaultSpec('GET */query')).toThrow(/no effect/);
  expect(() => parseFaultSpec('GET */query foo=1')).toThrow(/unknown key "foo"/);
  expect(() => parseFaultSpec('GET */query status=503 rate=2')).toThrow(/rate=2 is more than 1/);
  expect(() => parseFaultSpec('GET */query status=503 rate=150%')).toThrow(/rate=150% is more than 1/);
});

test('a POST fault for the next call only, with the doc body (POST is not retried by jsforce)', async () => {
  await start('POST */sobjects/Account status=503 times=1');
  await expect(conn.sobject('Account').create({ Name: 'A' })).rejects.toMatchObject({
    errorCode: 'SERVER_UNAVAILABLE',
  });
  const ok = await conn.sobject('Account').create({ Name: 'A' });
  expect(ok.success).toBe(true);
  const log = (await (await fetch(`${emu.instanceUrl}/__emulator/requests`)).json()) as {
    requests: { method: string; status: number; fault: boolean }[];
    counts: Record<string, number>;
  };
  expect(log.requests.map((r) => [r.method, r.status, r.fault])).toEqual([
    ['POST', 503, true],
    ['POST', 201, false],
  ]);
  expect(log.counts['POST /services/data/:version/sobjects/:type']).toBe(1);
});

test('per-record UNABLE_TO_LOCK_ROW on a collection update', async () => {
  await start();
  const ids = (await conn.query<{ Id: string }>('SELECT Id FROM Contact ORDER BY LastName')).records.map((r) => r.Id);
  const add = await fetch(`${emu.instanceUrl}/__emulator/faults`, {
    method: 'POST',
    body: 'PATCH */composite/sobjects error=UNABLE_TO_LOCK_ROW times=2',
  });
  expect(add.status).toBe(200);
  const res = await conn.sobject('Contact').update(ids.map((Id) => ({ Id, Title: 'T' })));
  expect(res.map((r) => r.success)).toEqual([false, false, true]);
  expect(res[0]).toEqual({
    id: ids[0],
    success: false,
    errors: [
      {
        statusCode: 'UNABLE_TO_LOCK_ROW',
        message: `unable to obtain exclusive access to this record or 1 records: ${ids[0]}`,
        fields: [],
      },
    ],
  });
  // The rule is used up: the same call now succeeds.
  const again = await conn.sobject('Contact').update(ids.map((Id) => ({ Id, Title: 'T2' })));
  expect(again.every((r) => r.success)).toBe(true);
});

test('401 fault on a token-only connection surfaces INVALID_SESSION_ID; admin expire and reset', async () => {
  await start('GET */limits status=401 times=1');
  await expect(conn.limits()).rejects.toMatchObject({ errorCode: 'INVALID_SESSION_ID' });
  await conn.limits();
  await fetch(`${emu.instanceUrl}/__emulator/expire`, {
    method: 'POST',
    body: JSON.stringify({ token: emu.accessToken }),
  });
  await expect(conn.limits()).rejects.toMatchObject({ errorCode: 'INVALID_SESSION_ID' });
  await fetch(`${emu.instanceUrl}/__emulator/reset`, { method: 'POST' });
  const l = await conn.limits();
  expect(l.DailyApiRequests!.Remaining).toBe(4999);
});

test('admin state snapshot lists records', async () => {
  await start();
  const snap = (await (await fetch(`${emu.instanceUrl}/__emulator/state?types=Contact`)).json()) as {
    counts: Record<string, number>;
    records: Record<string, { LastName: string }[]>;
  };
  expect(snap.counts.Contact).toBe(3);
  expect(Object.keys(snap.records)).toEqual(['Contact']);
});

test('rate-based record faults fail a repeatable share; latency delays matching calls', async () => {
  await start('POST */composite/sobjects error=UNABLE_TO_LOCK_ROW rate=0.5; GET */limits latency=40');
  const res = await conn.sobject('Account').create(Array.from({ length: 40 }, (_, i) => ({ Name: `R${i}` })));
  const failed = res.filter((r) => !r.success).length;
  expect(failed).toBeGreaterThan(5);
  expect(failed).toBeLessThan(35);
  expect((await conn.query('SELECT COUNT() FROM Account')).totalSize).toBe(1 + 40 - failed);
  await conn.limits();
  const log = (await (await fetch(`${emu.instanceUrl}/__emulator/requests`)).json()) as {
    requests: { path: string; ms: number }[];
  };
  expect(log.requests.find((r) => r.path.endsWith('/limits'))!.ms).toBeGreaterThanOrEqual(40);
});
