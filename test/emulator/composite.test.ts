import jsforce from 'jsforce';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';

let emu: Emulator;
let conn: jsforce.Connection;

interface Sub {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string;
}

const composite = (compositeRequest: unknown[], allOrNone = false) =>
  conn.request<{ compositeResponse: Sub[] }>({
    method: 'POST',
    url: '/composite',
    body: JSON.stringify({ allOrNone, compositeRequest }),
    headers: { 'content-type': 'application/json' },
  });

const V = '/services/data/v62.0';
const q = (soql: string) => `${V}/query?q=${encodeURIComponent(soql)}`;

beforeAll(async () => {
  emu = await startEmulator({ seed: 'empty', queryBatchSize: 200 });
  conn = new jsforce.Connection({ instanceUrl: emu.instanceUrl, accessToken: emu.accessToken, version: '62.0' });
  await conn.sobject('Account').create([{ Name: 'Acme' }, { Name: 'Big Bank' }]);
});
afterAll(() => emu.close());

test('subrequests run in order as the same user; the whole call counts as one API call and one request', async () => {
  const before = emu.state.limits.DailyApiRequests!.Remaining;
  const logged = emu.router.log.length;
  const res = await composite([
    { method: 'GET', url: `${V}/sobjects/Account/describe`, referenceId: 'd' },
    { method: 'GET', url: q('SELECT Id, Name FROM Account ORDER BY Name'), referenceId: 'accounts' },
    { method: 'GET', url: `${V}/sobjects/Account/@{accounts.records[1].Id}`, referenceId: 'second' },
    { method: 'GET', url: `${V}/sobjects/Nope/describe`, referenceId: 'missing' },
  ]);
  expect(emu.state.limits.DailyApiRequests!.Remaining).toBe(before - 1);
  expect(emu.router.log.length).toBe(logged + 1);
  expect(conn.limitInfo.apiUsage?.used).toBe(emu.state.limits.DailyApiRequests!.Max - (before - 1));
  const [d, accounts, second, missing] = res.compositeResponse;
  expect(d).toMatchObject({ referenceId: 'd', httpStatusCode: 200, body: { name: 'Account' } });
  expect(accounts).toMatchObject({ httpStatusCode: 200, body: { totalSize: 2, done: true } });
  expect(second).toMatchObject({ httpStatusCode: 200, body: { Name: 'Big Bank' } });
  // A failed subrequest answers with its own REST error; the others still run (allOrNone false).
  expect(missing).toMatchObject({ httpStatusCode: 404, body: [{ errorCode: 'NOT_FOUND' }] });
  expect(Object.keys(d!.httpHeaders).map((h) => h.toLowerCase())).not.toContain('content-length');
});

test('query-more pages can be chained by reference; Sforce-Query-Options applies per subrequest', async () => {
  const leads = Array.from({ length: 250 }, (_, i) => ({ LastName: `L${i}`, Company: 'X' }));
  await conn.sobject('Lead').create(leads.slice(0, 200));
  await conn.sobject('Lead').create(leads.slice(200));
  const res = await composite([
    {
      method: 'GET',
      url: q('SELECT Id FROM Lead'),
      referenceId: 'p1',
      httpHeaders: { 'Sforce-Query-Options': 'batchSize=200' },
    },
    { method: 'GET', url: '@{p1.nextRecordsUrl}', referenceId: 'p2' },
  ]);
  const [p1, p2] = res.compositeResponse as { body: { records: unknown[]; done: boolean; totalSize: number } }[];
  expect(p1!.body).toMatchObject({ totalSize: 250, done: false });
  expect(p1!.body.records).toHaveLength(200);
  expect(p2!.body.records).toHaveLength(50);
  expect(p2!.body.done).toBe(true);
});

test('a subrequest depending on a failed one is not run; unresolvable references fail', async () => {
  const res = await composite([
    { method: 'GET', url: q('SELECT Id FROM Nope'), referenceId: 'bad' },
    { method: 'GET', url: `${V}/sobjects/Account/@{bad.records[0].Id}`, referenceId: 'dependent' },
    { method: 'GET', url: q('SELECT Id FROM Account WHERE Name = null'), referenceId: 'empty' },
    { method: 'GET', url: `${V}/sobjects/Account/@{empty.records[0].Id}`, referenceId: 'unresolved' },
  ]);
  const byRef = Object.fromEntries(res.compositeResponse.map((r) => [r.referenceId, r]));
  expect(byRef.bad).toMatchObject({ httpStatusCode: 400, body: [{ errorCode: 'INVALID_TYPE' }] });
  expect(byRef.dependent).toMatchObject({ httpStatusCode: 400, body: [{ errorCode: 'PROCESSING_HALTED' }] });
  expect(byRef.unresolved!.httpStatusCode).toBe(400);
});

test('allOrNone: one failure turns every other subrequest into PROCESSING_HALTED', async () => {
  const res = await composite(
    [
      { method: 'GET', url: `${V}/sobjects/Account/describe`, referenceId: 'ok' },
      { method: 'GET', url: `${V}/sobjects/Nope/describe`, referenceId: 'bad' },
    ],
    true,
  );
  expect(res.compositeResponse.map((r) => [r.referenceId, r.httpStatusCode])).toEqual([
    ['ok', 400],
    ['bad', 404],
  ]);
  expect(res.compositeResponse[0]!.body).toEqual([
    expect.objectContaining({ errorCode: 'PROCESSING_HALTED' }) as unknown,
  ]);
});

test('limits: 25 subrequests, 5 queries, unique reference ids, same API version', async () => {
  const get = (i: number) => ({ method: 'GET', url: `${V}/sobjects/Account/describe`, referenceId: `r${i}` });
  await expect(composite(Array.from({ length: 26 }, (_, i) => get(i)))).rejects.toMatchObject({
    errorCode: 'LIMIT_EXCEEDED',
  });
  const query = (i: number) => ({ method: 'GET', url: q('SELECT Id FROM Account'), referenceId: `q${i}` });
  await expect(composite(Array.from({ length: 6 }, (_, i) => query(i)))).rejects.toMatchObject({
    errorCode: 'LIMIT_EXCEEDED',
  });
  const five = await composite(Array.from({ length: 5 }, (_, i) => query(i)));
  expect(five.compositeResponse.every((r) => r.httpStatusCode === 200)).toBe(true);
  await expect(composite([get(1), get(1)])).rejects.toMatchObject({ errorCode: 'INVALID_INPUT' });
  await expect(
    composite([{ method: 'GET', url: '/services/data/v61.0/sobjects/Account/describe', referenceId: 'x' }]),
  ).rejects.toMatchObject({ errorCode: 'INVALID_INPUT' });
});

test('an invalid session fails the whole call (401), not each subrequest', async () => {
  const bad = new jsforce.Connection({ instanceUrl: emu.instanceUrl, accessToken: 'nope', version: '62.0' });
  await expect(
    bad.request({
      method: 'POST',
      url: '/composite',
      body: JSON.stringify({ compositeRequest: [{ method: 'GET', url: `${V}/limits`, referenceId: 'l' }] }),
      headers: { 'content-type': 'application/json' },
    }),
  ).rejects.toMatchObject({ errorCode: 'INVALID_SESSION_ID' });
});
