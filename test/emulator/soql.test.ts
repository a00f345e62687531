import jsforce from 'jsforce';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { runSoql } from '../../src/emulator/soql.js';
import { smallSeed } from './fixtures.js';

let emu: Emulator;
let conn: jsforce.Connection;
type R = Record<string, unknown>;

beforeAll(async () => {
  const seed = smallSeed();
  const day = 86400000;
  const ago = (d: number) => new Date(Date.now() - d * day).toISOString();
  seed.sobjects!.Lead = [
    { LastName: 'Today', Company: 'A', Email: 'x@evil.example', CreatedDate: ago(0), NumberOfEmployees: 5 },
    { LastName: 'Yesterday', Company: 'B', Email: 'y@evil.example', CreatedDate: ago(1), NumberOfEmployees: 50 },
    { LastName: 'LastWeekish', Company: 'B', Email: null, CreatedDate: ago(5), NumberOfEmployees: null },
    { LastName: "O'Brien", Company: 'C', Email: 'ob@good.example', CreatedDate: ago(40), NumberOfEmployees: 500 },
  ];
  emu = await startEmulator({ seed });
  conn = new jsforce.Connection({ instanceUrl: emu.instanceUrl, accessToken: emu.accessToken, version: '62.0' });
});
afterAll(async () => {
  await emu.close();
});

const names = async (soql: string, opts: { scanAll?: boolean } = {}) =>
  (await conn.query<R>(soql, opts)).records.map((r) => r.LastName);

test('date literals: LAST_N_DAYS includes today, TODAY, comparison with ranges', async () => {
  expect(await names('SELECT LastName FROM Lead WHERE CreatedDate = TODAY')).toEqual(['Today']);
  expect(await names('SELECT LastName FROM Lead WHERE CreatedDate = LAST_N_DAYS:1')).toEqual(['Today', 'Yesterday']);
  expect(await names('SELECT LastName FROM Lead WHERE CreatedDate = LAST_N_DAYS:7 ORDER BY CreatedDate')).toEqual([
    'LastWeekish',
    'Yesterday',
    'Today',
  ]);
  expect(await names('SELECT LastName FROM Lead WHERE CreatedDate < LAST_N_DAYS:30')).toEqual(["O'Brien"]);
  expect(await names('SELECT LastName FROM Lead WHERE CreatedDate >= YESTERDAY ORDER BY LastName')).toEqual([
    'Today',
    'Yesterday',
  ]);
});

test('datetime literals, and a date literal on a datetime field is a 400', async () => {
  const since = new Date(Date.now() - 2 * 86400000).toISOString().replace(/\.\d+Z$/, 'Z');
  expect(await names(`SELECT LastName FROM Lead WHERE CreatedDate >= ${since} ORDER BY LastName`)).toEqual([
    'Today',
    'Yesterday',
  ]);
  await expect(conn.query('SELECT Id FROM Lead WHERE CreatedDate > 2024-01-01')).rejects.toMatchObject({
    errorCode: 'INVALID_FIELD',
  });
  await expect(conn.query("SELECT Id FROM Lead WHERE CreatedDate > '2024-01-01T00:00:00Z'")).rejects.toMatchObject({
    errorCode: 'INVALID_FIELD',
  });
});

test('LIKE (case-insensitive), escapes, NOT, IN, NOT IN, != matches null', async () => {
  expect(await names("SELECT LastName FROM Lead WHERE Email LIKE '%@EVIL.example' ORDER BY LastName")).toEqual([
    'Today',
    'Yesterday',
  ]);
  expect(await names("SELECT LastName FROM Lead WHERE LastName = 'O\\'Brien'")).toEqual(["O'Brien"]);
  expect(await names("SELECT LastName FROM Lead WHERE LastName = 'today'")).toEqual(['Today']);
  expect(await names("SELECT LastName FROM Lead WHERE NOT (Company = 'B' OR Company = 'C')")).toEqual(['Today']);
  expect(
    await names("SELECT LastName FROM Lead WHERE Company IN ('B', 'C') AND NOT Email LIKE 'y%' ORDER BY LastName"),
  ).toEqual(['LastWeekish', "O'Brien"]);
  expect(await names("SELECT LastName FROM Lead WHERE Company NOT IN ('A','B')")).toEqual(["O'Brien"]);
  expect(await names("SELECT LastName FROM Lead WHERE Email != 'x@evil.example' ORDER BY LastName")).toEqual([
    'LastWeekish',
    "O'Brien",
    'Yesterday',
  ]);
  expect(await names('SELECT LastName FROM Lead WHERE Email = null')).toEqual(['LastWeekish']);
  expect(
    await names("SELECT LastName FROM Lead WHERE (Company = 'A' OR Company = 'C') AND NumberOfEmployees > 10"),
  ).toEqual(["O'Brien"]);
});

test('ORDER BY with nulls, LIMIT, OFFSET, COUNT and GROUP BY', async () => {
  expect(await names('SELECT LastName FROM Lead ORDER BY NumberOfEmployees')).toEqual([
    'LastWeekish',
    'Today',
    'Yesterday',
    "O'Brien",
  ]);
  expect(await names('SELECT LastName FROM Lead ORDER BY NumberOfEmployees DESC')).toEqual([
    "O'Brien",
    'Yesterday',
    'Today',
    'LastWeekish',
  ]);
  expect(await names('SELECT LastName FROM Lead ORDER BY NumberOfEmployees DESC NULLS FIRST LIMIT 2')).toEqual([
    'LastWeekish',
    "O'Brien",
  ]);
  expect(await names('SELECT LastName FROM Lead ORDER BY LastName LIMIT 2 OFFSET 1')).toEqual(["O'Brien", 'Today']);
  expect((await conn.query("SELECT COUNT() FROM Lead WHERE Company = 'B'")).totalSize).toBe(2);
  const g = await conn.query<R>('SELECT Company, COUNT(Id) n FROM Lead GROUP BY Company ORDER BY Company');
  expect(g.records.map((r) => [r.Company, r.n])).toEqual([
    ['A', 1],
    ['B', 2],
    ['C', 1],
  ]);
  const c = await conn.query<R>('SELECT COUNT(Id) FROM Lead');
  expect(c.records[0]!.expr0).toBe(4);
  await expect(conn.query('SELECT Id FROM Lead OFFSET 2001')).rejects.toMatchObject({
    errorCode: 'NUMBER_OUTSIDE_VALID_RANGE',
  });
});

test('relationship paths in SELECT and WHERE, child subqueries, semi-joins', async () => {
  const r = await conn.query<R>(
    'SELECT Id, Username, Profile.Name, Profile.PermissionsApiUserOnly FROM User WHERE IsActive = true AND Profile.PermissionsApiUserOnly = true ORDER BY Username',
  );
  expect(r.records.map((x) => x.Username)).toEqual(['frozen@test.example', 'sync@test.example']);
  expect(r.records[0]!.Profile).toMatchObject({
    attributes: { type: 'Profile' },
    Name: 'Integration',
    PermissionsApiUserOnly: true,
  });
  const c = await conn.query<R>('SELECT LastName, Account.Name, Account.Owner.Username FROM Contact ORDER BY LastName');
  expect(c.records.map((x) => (x.Account as R | null)?.Name ?? null)).toEqual(['Acme', null, 'Acme']);
  expect(((c.records[0]!.Account as R).Owner as R).Username).toBe('admin@test.example');
  const a = await conn.query<R>('SELECT Name, (SELECT LastName FROM Contacts ORDER BY LastName) FROM Account');
  expect((a.records[0]!.Contacts as { records: R[] }).records.map((x) => x.LastName)).toEqual(['Muller', 'Schmidt']);
  const semi = await conn.query<R>(
    "SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Contact WHERE LastName = 'Muller')",
  );
  expect(semi.totalSize).toBe(1);
  const oauth = await conn.query<R>(
    "SELECT AppName, UserId, User.Username, UseCount, LastUsedDate, DeleteToken FROM OauthToken WHERE AppName = 'Partner Sync'",
  );
  expect((oauth.records[0]!.User as R).Username).toBe('sync@test.example');
});

test('errors: unknown object, malformed query, Id comparison with 15 chars', async () => {
  await expect(conn.query('SELECT Id FROM ScratchOrgInfo limit 1')).rejects.toMatchObject({
    errorCode: 'INVALID_TYPE',
  });
  await expect(conn.query('SELECT Id FROM')).rejects.toMatchObject({ errorCode: 'MALFORMED_QUERY' });
  const admin = emu.state.userByUsername('admin@test.example')!;
  const r = await conn.query(`SELECT Id FROM User WHERE Id = '${String(admin.Id).slice(0, 15)}'`);
  expect(r.totalSize).toBe(1);
});

test('runSoql is usable directly and gives flat columns for CSV', () => {
  const res = runSoql(emu.state, 'SELECT Id, LastName, Account.Name FROM Contact ORDER BY LastName');
  expect(res.columns).toEqual(['Id', 'LastName', 'Account.Name']);
  expect(res.flatRows().map((r) => r.slice(1))).toEqual([
    ['Muller', 'Acme'],
    ['Orphan', null],
    ['Schmidt', 'Acme'],
  ]);
});

test('sf data query column metadata (columns=true)', async () => {
  const res = await fetch(
    `${emu.instanceUrl}/services/data/v62.0/query?q=${encodeURIComponent('SELECT Id, Account.Name FROM Contact')}&columns=true`,
    { headers: { Authorization: `Bearer ${emu.accessToken}` } },
  );
  const body = (await res.json()) as { columnMetadata: R[]; entityName: string; keyPrefix: string };
  expect(body.entityName).toBe('Contact');
  expect(body.columnMetadata.map((c) => c.columnName)).toEqual(['Id', 'Account']);
  expect((body.columnMetadata[1]!.joinColumns as R[])[0]!.columnName).toBe('Name');
});

test('date literals follow the emulator clock and time zone', async () => {
  const at = (now: string, timeZone: string) =>
    fetch(`${emu.instanceUrl}/__emulator/clock`, { method: 'POST', body: JSON.stringify({ now, timeZone }) });
  const c = await conn.sobject('Contact').create({ LastName: 'Clocked' });
  emu.state.update('Contact', c.id!, { CreatedDate: '2024-05-01T21:00:00Z' }, { userId: '', system: true });
  try {
    await at('2024-05-01T23:30:00Z', 'UTC');
    expect(await names("SELECT LastName FROM Contact WHERE CreatedDate = TODAY AND LastName = 'Clocked'")).toEqual([
      'Clocked',
    ]);
    await at('2024-05-01T23:30:00Z', 'Europe/Berlin');
    expect(await names("SELECT LastName FROM Contact WHERE CreatedDate = TODAY AND LastName = 'Clocked'")).toEqual([]);
    expect(await names("SELECT LastName FROM Contact WHERE CreatedDate = YESTERDAY AND LastName = 'Clocked'")).toEqual([
      'Clocked',
    ]);
  } finally {
    await fetch(`${emu.instanceUrl}/__emulator/clock`, {
      method: 'POST',
      body: JSON.stringify({ offsetMs: 0, timeZone: 'UTC' }),
    });
  }
});
