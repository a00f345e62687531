// Bulk API 2.0 ingest/query and Bulk 1.0 abort, driven by jsforce 3.10.16 (and plain fetch where jsforce cannot
// page, as lockout and the sf CLI do) over real HTTP against the emulator.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Connection } from 'jsforce';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { emptySeed, type Seed } from '../../src/emulator/seed.js';
import { parseFaultSpec } from '../../src/emulator/faults.js';

const V = '62.0';

function seed(): Seed {
  const s = emptySeed();
  s.sobjects!.Account = [{ '@ref': 'acme', Name: 'Cascade Dental Group' }];
  s.sobjects!.Contact = Array.from({ length: 25 }, (_, i) => ({
    '@ref': `c${i}`,
    AccountId: { '@ref': 'acme' },
    FirstName: `Ann${i}`,
    LastName: i % 2 ? 'Smith; Jr' : 'Doe, "Q"',
    Email: `ann${i}@cascadedental.com`,
    Phone: `(415) 362-48${String(i).padStart(2, '0')}`,
  }));
  s.schema = { Contact: { fields: { Partner_Id__c: 'string' } }, Account: { fields: { Erp_Id__c: 'string' } } };
  s.sobjects!.Account.push({ '@ref': 'globex', Name: 'Keller Logistik GmbH', Erp_Id__c: 'ERP-7' });
  s.sobjects!.Contact[0]!.Partner_Id__c = 'P-1';
  s.sobjects!.Contact[3]!.Partner_Id__c = 'P-DUP';
  s.sobjects!.Contact[4]!.Partner_Id__c = 'p-dup';
  s.historyTracking = { Contact: ['Email', 'Phone', 'Title'] };
  return s;
}

let emu: Emulator;
let conn: Connection;
let adminId: string;

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${emu.instanceUrl}/services/data/v${V}${path}`, {
    ...init,
    headers: { Authorization: `Bearer ${emu.accessToken}`, ...(init.headers ?? {}) },
  });

beforeAll(async () => {
  emu = await startEmulator({ seed: seed() as Seed, bulkPageSize: 7 });
  conn = new Connection({ instanceUrl: emu.instanceUrl, accessToken: emu.accessToken, version: V });
  conn.bulk2.pollInterval = 20;
  conn.bulk2.pollTimeout = 5000;
  adminId = String(emu.state.ext.adminUserId);
});
afterAll(async () => {
  await emu?.close();
});

const ids = () => emu.state.records('Contact').map((r) => r.Id as string);

describe('Bulk 2.0 ingest', () => {
  it('inserts through jsforce, stamps the creator and reports sf__Created', async () => {
    const res = await conn.bulk2.loadAndWaitForResults({
      object: 'Contact',
      operation: 'insert',
      input: [
        { LastName: 'Okafor', Email: 'chidi.okafor@lakeshorecu.com' },
        { LastName: 'Brandt', Email: 'not-an-email' },
      ],
    });
    expect(res.successfulResults).toHaveLength(1);
    expect(res.successfulResults[0]).toMatchObject({ sf__Created: 'true', LastName: 'Okafor' });
    const id = String(res.successfulResults[0]!.sf__Id);
    const rec = emu.state.get('Contact', id)!;
    expect(rec.CreatedById).toBe(adminId);
    expect(rec.Email).toBe('chidi.okafor@lakeshorecu.com');
    expect(res.failedResults).toHaveLength(1);
    expect(String(res.failedResults[0]!.sf__Error)).toMatch(/^INVALID_EMAIL_ADDRESS:.*:Email --$/);
    expect(res.failedResults[0]!.sf__Id).toBe('');
    expect(res.unprocessedRecords).toEqual([]);
  });

  it('updates: #N/A sets null, an empty cell leaves the value, History is written, failures are per row', async () => {
    const [a, b, gone] = ids();
    emu.state.remove('Contact', gone!, { userId: adminId });
    const job = conn.bulk2.createJob({ object: 'Contact', operation: 'update' });
    await job.open();
    await job.uploadData(
      `Id,Email,Phone,Title\n${a},#N/A,,Owner\n${b},b.new@cascadedental.com,#N/A,\n${gone},x@y.com,,\n`,
    );
    await job.close();
    await job.poll(20, 5000);
    const info = await job.check();
    expect(info).toMatchObject({
      state: 'JobComplete',
      jobType: 'V2Ingest',
      numberRecordsProcessed: 3,
      numberRecordsFailed: 1,
    });

    const ra = emu.state.get('Contact', a!)!;
    expect(ra.Email).toBeNull();
    expect(ra.Phone).toBe('(415) 362-4800');
    expect(ra.Title).toBe('Owner');
    expect(emu.state.get('Contact', b!)!.Phone).toBeNull();
    const hist = emu.state.records('ContactHistory').filter((h) => h.ContactId === a);
    expect(hist.map((h) => [h.Field, h.OldValue, h.NewValue, h.CreatedById])).toEqual(
      expect.arrayContaining([
        ['Email', 'ann0@cascadedental.com', null, adminId],
        ['Title', null, 'Owner', adminId],
      ]),
    );

    // The raw CSVs: every value quoted, the exact sf__ columns, the original header after them.
    const ok = await (await api(`/jobs/ingest/${job.id}/successfulResults`)).text();
    expect(ok.split('\n')[0]).toBe('"sf__Id","sf__Created","Id","Email","Phone","Title"');
    expect(ok).toContain(`"${a}","false","${a}","#N/A","","Owner"`);
    const bad = await api(`/jobs/ingest/${job.id}/failedResults`);
    expect(bad.headers.get('content-type')).toMatch(/^text\/csv/);
    const badText = await bad.text();
    expect(badText.split('\n')[0]).toBe('"sf__Id","sf__Error","Id","Email","Phone","Title"');
    expect(badText).toContain(`"${gone}","ENTITY_IS_DELETED:entity is deleted:--","${gone}","x@y.com","",""`);
    expect(await (await api(`/jobs/ingest/${job.id}/unprocessedrecords`)).text()).toBe(
      '"Id","Email","Phone","Title"\n',
    );
  });

  it('upserts on an external id: update, insert, and DUPLICATE_EXTERNAL_ID for an ambiguous key', async () => {
    const res = await conn.bulk2.loadAndWaitForResults({
      object: 'Contact',
      operation: 'upsert',
      externalIdFieldName: 'Partner_Id__c',
      input: 'Partner_Id__c,LastName\np-1,Updated\nP-NEW,Created\nP-DUP,Nobody\n',
    });
    const byKey = Object.fromEntries(
      res.successfulResults.map((r) => [String((r as Record<string, unknown>).Partner_Id__c), r]),
    );
    expect(byKey['p-1']).toMatchObject({ sf__Created: 'false', sf__Id: ids()[0] });
    expect(byKey['P-NEW']).toMatchObject({ sf__Created: 'true' });
    expect(emu.state.get('Contact', ids()[0]!)!.LastName).toBe('Updated');
    expect(res.failedResults).toHaveLength(1);
    expect(String(res.failedResults[0]!.sf__Error)).toMatch(/^DUPLICATE_EXTERNAL_ID:/);
  });

  it('sets a lookup from a relationship column (Account.Erp_Id__c)', async () => {
    const res = await conn.bulk2.loadAndWaitForResults({
      object: 'Contact',
      operation: 'insert',
      input: 'LastName,Account.Erp_Id__c\nKeller,erp-7\nNobody,ERP-404\n',
    });
    expect(res.successfulResults).toHaveLength(1);
    const rec = emu.state.get('Contact', String(res.successfulResults[0]!.sf__Id))!;
    expect(emu.state.get('Account', rec.AccountId as string)!.Name).toBe('Keller Logistik GmbH');
    expect(String(res.failedResults[0]!.sf__Error)).toMatch(
      /^INVALID_FIELD:Foreign key external ID: ERP-404 not found/,
    );
  });

  it('fails the job for an unknown column, as jsforce reports it', async () => {
    await expect(
      conn.bulk2.loadAndWaitForResults({ object: 'Contact', operation: 'insert', input: 'LastName,Foo__c\nX,1\n' }),
    ).rejects.toThrow('Ingest job failed to complete due to: InvalidBatch : Field name not found : Foo__c');
  });

  it('refuses an unknown object at creation and a second upload', async () => {
    const r = await api('/jobs/ingest', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ object: 'Nope__c', operation: 'insert' }),
    });
    expect(r.status).toBe(400);
    expect(await r.json()).toEqual([{ errorCode: 'INVALIDENTITY', message: 'Entity type: Nope__c is not supported' }]);
    const history = await api('/jobs/ingest', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ object: 'ContactHistory', operation: 'delete' }),
    });
    expect(history.status).toBe(400);
    const job = conn.bulk2.createJob({ object: 'Contact', operation: 'insert' });
    await job.open();
    const put = () =>
      api(`/jobs/ingest/${job.id}/batches`, {
        method: 'PUT',
        headers: { 'content-type': 'text/csv' },
        body: 'LastName\nA\n',
      });
    expect((await put()).status).toBe(201);
    const again = await put();
    expect(again.status).toBe(400);
    expect(((await again.json()) as { errorCode: string }[])[0]!.errorCode).toBe('INVALIDJOBSTATE');
    await job.abort();
    expect((await job.check()).state).toBe('Aborted');
    // The rows that were uploaded but never processed.
    expect(await (await api(`/jobs/ingest/${job.id}/unprocessedrecords`)).text()).toBe('"LastName"\n"A"\n');
    const abortAgain = await api(`/jobs/ingest/${job.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ state: 'Aborted' }),
    });
    expect(abortAgain.status).toBe(400);
  });

  it('applies per-record faults (UNABLE_TO_LOCK_ROW) to ingest rows', async () => {
    emu.state.faults.add(parseFaultSpec('PUT */jobs/ingest/*/batches error=UNABLE_TO_LOCK_ROW times=1'));
    const [a, b] = ids();
    const res = await conn.bulk2.loadAndWaitForResults({
      object: 'Contact',
      operation: 'update',
      input: `Id,Title\n${a},Buyer\n${b},Buyer\n`,
    });
    expect(res.failedResults).toHaveLength(1);
    expect(String(res.failedResults[0]!.sf__Error)).toMatch(/^UNABLE_TO_LOCK_ROW:unable to obtain exclusive access/);
    expect(res.successfulResults).toHaveLength(1);
  });

  it('answers 412 for results while the job is still in progress', async () => {
    await fetch(`${emu.instanceUrl}/__emulator/bulk/config`, {
      method: 'POST',
      body: JSON.stringify({ pollsInProgress: 2 }),
    });
    try {
      const job = conn.bulk2.createJob({ object: 'Contact', operation: 'insert' });
      await job.open();
      await job.uploadData('LastName\nLater\n');
      await job.close();
      const early = await api(`/jobs/ingest/${job.id}/successfulResults`);
      expect(early.status).toBe(412);
      expect(((await early.json()) as { errorCode: string }[])[0]!.errorCode).toBe('JOB_NOT_COMPLETE');
      expect((await job.check()).state).toBe('InProgress');
      await job.poll(10, 5000);
      expect((await job.check()).state).toBe('JobComplete');
    } finally {
      await fetch(`${emu.instanceUrl}/__emulator/bulk/config`, {
        method: 'POST',
        body: JSON.stringify({ pollsInProgress: 0 }),
      });
    }
  });
});

describe('Bulk 2.0 query', () => {
  async function runQueryJob(query: string, operation = 'query'): Promise<string> {
    const created = (await conn.request({
      method: 'POST',
      url: '/jobs/query',
      body: JSON.stringify({ query, operation }),
      headers: { 'content-type': 'application/json' },
    })) as { id: string; state: string };
    expect(created.state).toBe('UploadComplete');
    for (;;) {
      const info = (await conn.request(`/jobs/query/${created.id}`)) as { state: string; jobType: string };
      expect(info.jobType).toBe('V2Query');
      if (info.state === 'JobComplete') return created.id;
      expect(['UploadComplete', 'InProgress']).toContain(info.state);
    }
  }

  it('pages results with Sforce-Locator until the literal "null"', async () => {
    const id = await runQueryJob('SELECT Id, LastName, Account.Name, CreatedDate FROM Contact ORDER BY Id');
    const expected = emu.state.records('Contact').length;
    let locator: string | null = '';
    const rows: string[] = [];
    let pages = 0;
    let header = '';
    while (locator !== 'null') {
      const res = await api(`/jobs/query/${id}/results${locator ? `?locator=${locator}` : ''}`, {
        headers: { Accept: 'text/csv' },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
      locator = res.headers.get('sforce-locator');
      expect(locator).not.toBeNull();
      const lines = (await res.text()).trimEnd().split('\n');
      header = lines[0]!;
      expect(Number(res.headers.get('sforce-numberofrecords'))).toBe(lines.length - 1);
      rows.push(...lines.slice(1));
      pages++;
    }
    expect(header).toBe('"Id","LastName","Account.Name","CreatedDate"');
    expect(rows).toHaveLength(expected);
    expect(pages).toBe(Math.ceil(expected / 7));
    expect(rows[0]).toMatch(
      /^"003\w{15}","(?:[^"]|"")*","Cascade Dental Group","\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"$/,
    );
    // Values with the jsforce-splitting delimiters stay whole because every value is quoted.
    expect(rows.some((r) => r.includes('"Smith; Jr"'))).toBe(true);
    expect(rows.some((r) => r.includes('"Doe, ""Q"""'))).toBe(true);
    // maxRecords overrides the page size; a page can be fetched again with the same locator.
    const first = await api(`/jobs/query/${id}/results?maxRecords=3`);
    const loc = first.headers.get('sforce-locator')!;
    expect(first.headers.get('sforce-numberofrecords')).toBe('3');
    const again1 = await (await api(`/jobs/query/${id}/results?locator=${loc}&maxRecords=3`)).text();
    const again2 = await (await api(`/jobs/query/${id}/results?locator=${loc}&maxRecords=3`)).text();
    expect(again1).toBe(again2);
  });

  it('queryAll includes deleted rows; aggregates are refused at creation', async () => {
    const id = await runQueryJob('SELECT Id FROM Contact WHERE IsDeleted = true', 'queryAll');
    const body = await (await api(`/jobs/query/${id}/results?maxRecords=1000`)).text();
    expect(body.trimEnd().split('\n').length - 1).toBe(
      emu.state.records('Contact', { includeDeleted: true }).filter((r) => r.IsDeleted).length,
    );
    const bad = await api('/jobs/query', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'SELECT COUNT() FROM Contact', operation: 'query' }),
    });
    expect(bad.status).toBe(400);
    const syntax = await api('/jobs/query', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'SELECT Nope FROM Contact', operation: 'query' }),
    });
    expect(syntax.status).toBe(400);
    expect(((await syntax.json()) as { errorCode: string }[])[0]!.errorCode).toBe('INVALID_FIELD');
  });
});

describe('listing and aborting jobs', () => {
  it('lists V2 and Bulk 1.0 jobs with their creator, and aborts a Bulk 1.0 job through jsforce', async () => {
    // A Bulk 1.0 job created through jsforce (X-SFDC-Session), still Open.
    const v1 = conn.bulk.createJob('Contact', 'insert');
    const v1Info = await v1.open();
    const v1Id = String(v1Info.id);
    const open = conn.bulk2.createJob({ object: 'Contact', operation: 'upsert', externalIdFieldName: 'Id' });
    await open.open();

    const list = (await conn.request('/jobs/ingest')) as {
      done: boolean;
      records: Record<string, unknown>[];
      nextRecordsUrl: null;
    };
    expect(list.done).toBe(true);
    expect(list.nextRecordsUrl).toBeNull();
    const mine = list.records.find((j) => j.id === open.id)!;
    expect(mine).toMatchObject({
      state: 'Open',
      createdById: adminId,
      object: 'Contact',
      operation: 'upsert',
      jobType: 'V2Ingest',
    });
    expect(list.records.find((j) => j.id === v1Id)).toMatchObject({
      jobType: 'Classic',
      state: 'Open',
      createdById: adminId,
    });
    const classic = (await conn.request('/jobs/ingest?jobType=Classic')) as { records: { id: string }[] };
    expect(classic.records.map((j) => j.id)).toEqual([v1Id]);
    const queries = (await conn.request('/jobs/query')) as { records: { id: string }[] };
    expect(queries.records.map((j) => j.id)).toContain(v1Id);

    const aborted = await conn.bulk.job(v1Id).abort();
    expect(aborted).toMatchObject({ id: v1Id, state: 'Aborted' });
    await open.abort();
    const after = (await conn.request('/jobs/ingest')) as { records: Record<string, unknown>[] };
    expect(after.records.find((j) => j.id === open.id)!.state).toBe('Aborted');
    expect(after.records.find((j) => j.id === v1Id)!.state).toBe('Aborted');
  });

  it('answers Bulk 1.0 session errors as jsforce expects (400 InvalidSessionId)', async () => {
    const res = await fetch(`${emu.instanceUrl}/services/async/${V}/job/750000000000001AAA`, {
      method: 'POST',
      headers: { 'X-SFDC-Session': 'bogus', 'content-type': 'application/xml' },
      body: '<jobInfo xmlns="http://www.force.com/2009/06/asyncapi/dataload"><state>Aborted</state></jobInfo>',
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('<exceptionCode>InvalidSessionId</exceptionCode>');
  });
});
