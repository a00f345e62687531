import { request } from 'node:http';
import jsforce from 'jsforce';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';

let emu: Emulator;
let conn: jsforce.Connection;

beforeAll(async () => {
  emu = await startEmulator({ seed: 'empty', queryBatchSize: 200 });
  conn = new jsforce.Connection({ instanceUrl: emu.instanceUrl, accessToken: emu.accessToken, version: '62.0' });
});
afterAll(async () => {
  await emu.close();
});

test('identity, versions, limits', async () => {
  const id = await conn.identity();
  expect(id.username).toBe('admin@emulator.example');
  expect(id.organization_id).toBe(emu.state.orgId);
  const versions = (await conn.request('/services/data')) as { version: string }[];
  expect(versions.some((v) => v.version === '62.0')).toBe(true);
  const before = (await conn.limits()).DailyApiRequests!.Remaining;
  const after = (await conn.limits()).DailyApiRequests!.Remaining;
  expect(after).toBe(before - 1);
  expect(conn.limitInfo.apiUsage?.used).toBeGreaterThan(0);
});

test('create, retrieve, update, query, delete, queryAll', async () => {
  const acc = await conn.sobject('Account').create({ Name: 'Acme' });
  expect(acc.success).toBe(true);
  expect(acc.id).toMatch(/^001[0-9A-Za-z]{15}$/);
  const c = await conn
    .sobject('Contact')
    .create({ LastName: 'Smith', FirstName: 'Jo', AccountId: acc.id, Email: 'jo@acme.example' });
  const got = await conn.sobject('Contact').retrieve(c.id!);
  expect(got.Name).toBe('Jo Smith');
  expect(got.CreatedById).toBe(emu.state.ext.adminUserId);
  await conn.sobject('Contact').update({ Id: c.id!, Email: 'jo2@acme.example' });
  const q = await conn.query<{ Id: string; Email: string; Account: { Name: string } }>(
    `SELECT Id, Email, Account.Name FROM Contact WHERE Email LIKE 'JO2%' AND CreatedDate = TODAY`,
  );
  expect(q.totalSize).toBe(1);
  expect(q.records[0]!.Account.Name).toBe('Acme');
  await conn.sobject('Contact').destroy(c.id!);
  const gone = await conn.query(`SELECT Id FROM Contact WHERE Id = '${c.id!.slice(0, 15)}'`);
  expect(gone.totalSize).toBe(0);
  const all = await conn.query(`SELECT Id, IsDeleted FROM Contact WHERE IsDeleted = true`, { scanAll: true });
  expect(all.records.map((r) => r.Id)).toContain(c.id);
  await expect(conn.sobject('Contact').retrieve(c.id!)).rejects.toMatchObject({ errorCode: 'ENTITY_IS_DELETED' });
});

test('query paging with queryMore', async () => {
  const recs = Array.from({ length: 450 }, (_, i) => ({ LastName: `P${String(i).padStart(3, '0')}` }));
  for (let i = 0; i < recs.length; i += 200) {
    const res = await conn.sobject('Lead').create(recs.slice(i, i + 200).map((r) => ({ ...r, Company: 'X' })));
    expect(res.every((r) => r.success)).toBe(true);
  }
  const first = await conn.query('SELECT Id, LastName FROM Lead ORDER BY LastName DESC');
  expect(first.done).toBe(false);
  expect(first.totalSize).toBe(450);
  expect(first.records).toHaveLength(200);
  expect(first.nextRecordsUrl).toMatch(/\/query\/01g[0-9A-Za-z]{15}-200$/);
  const all = await conn.query('SELECT Id, LastName FROM Lead ORDER BY LastName DESC', {
    autoFetch: true,
    maxFetch: 1000,
  });
  expect(all.records).toHaveLength(450);
  expect((all.records[0] as { LastName: string }).LastName).toBe('P449');
  const count = await conn.query('SELECT COUNT() FROM Lead');
  expect(count.totalSize).toBe(450);
  expect(count.records).toEqual([]);
});

test('repeated slashes are collapsed (sf sends //services/data) and unknown versions are 404', async () => {
  const get = (p: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: emu.port, path: p, headers: { Authorization: `Bearer ${emu.accessToken}` } },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.end();
    });
  const v = await get('//services/data');
  expect(v.status).toBe(200);
  expect(JSON.parse(v.body)).toContainEqual({ label: "Winter '25", url: '/services/data/v62.0', version: '62.0' });
  const q = await get('//services/data/v62.0//query?q=SELECT+Id+FROM+User');
  expect(JSON.parse(q.body).totalSize).toBe(1);
  const bad = await get('/services/data/v20.0/query?q=SELECT+Id+FROM+User');
  expect(bad.status).toBe(404);
  expect(JSON.parse(bad.body)).toEqual([{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }]);
});
