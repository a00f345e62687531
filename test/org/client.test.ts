import { OrgError, Refused } from '../../src/errors.js';
import type { OrgClient, SObjectRecord } from '../../src/org/client.js';
import { OrgApiError } from '../../src/org/errors.js';
import { adminClient, collect, smallSeed, startEmulator, type Emulator } from './emu.js';

type Contact = SObjectRecord & { Id: string; LastName: string; Email: string | null };

describe('OrgClient against the emulator (450 contacts)', () => {
  let emu: Emulator;
  let client: OrgClient;

  beforeAll(async () => {
    emu = await startEmulator({ port: 0, seed: smallSeed({ contacts: 450 }), bulkPageSize: 100 });
    client = await adminClient(emu);
  });
  afterAll(async () => {
    await emu.close();
  });

  it('identity: org, user and instance of the token', async () => {
    const id = await client.identity();
    expect(id.orgId).toMatch(/^00D[A-Za-z0-9]{15}$/);
    expect(id.userId).toMatch(/^005[A-Za-z0-9]{15}$/);
    expect(id.username).toBe('admin@emulator.example');
    expect(id.isSandbox).toBe(false);
    expect(id.instanceUrl).toBe(emu.instanceUrl.replace(/\/$/, ''));
    expect(id.loginMode).toBe('access-token');
  });

  it('query streams every page (queryMore) and counts one call per page', async () => {
    const before = client.calls;
    const rows = await collect(client.query<Contact>('SELECT Id, LastName, Email FROM Contact', { batchSize: 200 }));
    expect(rows).toHaveLength(450);
    expect(new Set(rows.map((r) => r.Id)).size).toBe(450);
    expect(client.calls - before).toBe(3);
    expect(await client.count('SELECT COUNT() FROM Contact')).toBe(450);
  });

  it('bulkQuery follows Sforce-Locator over several pages and matches the REST rows', async () => {
    const before = client.calls;
    const bulk = await collect(
      client.bulkQuery('SELECT Id, LastName, Email, Account.Name FROM Contact', { pageSize: 100, pollIntervalMs: 20 }),
    );
    expect(bulk).toHaveLength(450);
    expect(bulk[0]).toEqual({
      Id: expect.stringMatching(/^003/),
      LastName: expect.any(String),
      Email: expect.stringMatching(/@acme-corp\.com$/),
      'Account.Name': 'Acme Corp',
    });
    const rest = await collect(client.query<Contact>('SELECT Id, Email FROM Contact'));
    expect(new Set(bulk.map((r) => `${r.Id}|${r.Email}`))).toEqual(new Set(rest.map((r) => `${r.Id}|${r.Email}`)));
    // create + at least one poll + 5 pages + delete
    expect(client.calls - before).toBeGreaterThanOrEqual(8);
  });

  it('collections: 200 per call, per-record results in input order, partial failures kept', async () => {
    const created = await client.create(
      'Contact',
      Array.from({ length: 250 }, (_, i) => ({ LastName: `New${i}`, Email: `new${i}@example.org` })),
    );
    expect(created).toHaveLength(250);
    expect(created.every((r, i) => r.success && r.index === i && /^003/.test(r.id!))).toBe(true);
    const ids = created.map((r) => r.id!);

    const deleted = await client.delete('Contact', ids.slice(0, 2));
    expect(deleted.map((r) => r.success)).toEqual([true, true]);

    const before = client.calls;
    const updated = await client.update(
      'Contact',
      ids.map((Id) => ({ Id, Title: 'Updated' })),
    );
    expect(client.calls - before).toBe(2);
    expect(updated.slice(0, 2).map((r) => [r.success, r.errors[0]?.statusCode])).toEqual([
      [false, 'ENTITY_IS_DELETED'],
      [false, 'ENTITY_IS_DELETED'],
    ]);
    expect(updated.slice(2).every((r) => r.success)).toBe(true);

    const removed = await client.delete('Contact', ids.slice(2));
    expect(removed.every((r) => r.success)).toBe(true);
    const all = await collect(client.queryAll<Contact>(`SELECT Id, IsDeleted FROM Contact WHERE Id = '${ids[2]}'`));
    expect(all).toEqual([expect.objectContaining({ Id: ids[2], IsDeleted: true })]);
    expect(await collect(client.query(`SELECT Id FROM Contact WHERE Id = '${ids[2]}'`))).toEqual([]);
  });

  it('undelete restores records from the recycle bin (SOAP undelete), per-record results', async () => {
    const created = await client.create('Contact', [{ LastName: 'Bin1' }, { LastName: 'Bin2' }]);
    const ids = created.map((r) => r.id!);
    expect((await client.delete('Contact', ids)).every((r) => r.success)).toBe(true);
    const undeleted = await client.undelete('Contact', ids);
    expect(undeleted.map((r) => r.success)).toEqual([true, true]);
    const back = await collect(client.query<Contact>(`SELECT Id FROM Contact WHERE Id IN ('${ids[0]}', '${ids[1]}')`));
    expect(back).toHaveLength(2);

    const again = await client.undelete('Contact', ['003000000000000AAA']);
    expect(again[0]).toMatchObject({ success: false, index: 0 });
  });

  it('bulkIngest: #N/A sets a field to null, an empty cell leaves it; results are per record', async () => {
    const rows = await collect(client.query<Contact>('SELECT Id, Email, LastName FROM Contact ORDER BY Id LIMIT 3'));
    const res = await client.bulkIngest(
      'update',
      'Contact',
      [
        { Id: rows[0]!.Id, Email: null, LastName: undefined },
        { Id: rows[1]!.Id, LastName: 'Renamed' },
        { Id: '003000000000000AAA', LastName: 'Nobody' },
      ],
      { pollIntervalMs: 20 },
    );
    expect(res.successful.map((s) => s.id.slice(0, 15)).sort()).toEqual(
      [rows[0]!.Id.slice(0, 15), rows[1]!.Id.slice(0, 15)].sort(),
    );
    expect(res.failed).toHaveLength(1);
    expect(res.failed[0]!.error).toMatch(/^[A-Z_]+:/);
    const after = await collect(
      client.query<Contact>(
        `SELECT Id, Email, LastName FROM Contact WHERE Id IN ('${rows[0]!.Id}', '${rows[1]!.Id}') ORDER BY Id`,
      ),
    );
    expect(after.map((r) => [r.Email, r.LastName])).toEqual([
      [null, rows[0]!.LastName],
      [rows[1]!.Email, 'Renamed'],
    ]);
  });

  it('a bad query is an OrgApiError (exit 3) that keeps the Salesforce code', async () => {
    const err = await collect(client.query('SELECT Nope__c FROM Contact')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OrgError);
    expect((err as OrgApiError).code).toBe('INVALID_FIELD');
  });

  it('request() reaches any REST resource; limits() reads /limits', async () => {
    const jobs = await client.request<{ records: unknown[] }>('GET', '/jobs/ingest');
    expect(Array.isArray(jobs.records)).toBe(true);
    const limits = await client.limits();
    expect(limits.DailyApiRequests!.Max).toBe(15000);
    expect(limits.DailyApiRequests!.Remaining).toBeLessThan(15000);
  });
});

describe('API budget', () => {
  it('refuses with exit 4 and the number of calls needed; then caps the calls it allowed', async () => {
    const emu = await startEmulator({
      port: 0,
      seed: smallSeed({ contacts: 5, limits: { DailyApiRequests: { Max: 15000, Remaining: 100 } } }),
    });
    try {
      const client = await adminClient(emu, undefined, { apiBudget: '5' });
      const err = await client.ensureBudget(50, 'restoring 9000 records').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Refused);
      expect((err as Error).message).toMatch(
        /restoring 9000 records needs about 50 API calls, but the API budget allows 4: 5% of the \d+ daily/,
      );
      const ok = await client.ensureBudget(2);
      expect(ok.allowed).toBe(4);
      await client.count('SELECT COUNT() FROM Contact');
      await client.count('SELECT COUNT() FROM Contact');
      await client.count('SELECT COUNT() FROM Contact');
      await client.count('SELECT COUNT() FROM Contact');
      await expect(client.count('SELECT COUNT() FROM Contact')).rejects.toThrow(/used its whole API budget \(4 calls/);
    } finally {
      await emu.close();
    }
  });
});
