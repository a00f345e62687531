import jsforce from 'jsforce';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { smallSeed } from './fixtures.js';

let emu: Emulator;
let conn: jsforce.Connection;

beforeEach(async () => {
  emu = await startEmulator({ seed: smallSeed() });
  conn = new jsforce.Connection({ instanceUrl: emu.instanceUrl, accessToken: emu.accessToken, version: '62.0' });
});
afterEach(async () => {
  await emu.close();
});

const contactIds = async () =>
  (await conn.query<{ Id: string }>('SELECT Id FROM Contact ORDER BY LastName')).records.map((r) => r.Id);

test('create collection: per-record errors without allOrNone, nothing kept with allOrNone', async () => {
  const res = await conn
    .sobject('Contact')
    .create([{ LastName: 'Ok1' }, { FirstName: 'NoLast' }, { LastName: 'Ok2', Email: 'bad' }]);
  expect(res.map((r) => r.success)).toEqual([true, false, false]);
  expect(res[1]).toMatchObject({
    success: false,
    errors: [
      {
        statusCode: 'REQUIRED_FIELD_MISSING',
        message: 'Required fields are missing: [LastName]',
        fields: ['LastName'],
      },
    ],
  });
  expect((res[2] as { errors: { statusCode: string }[] }).errors[0]!.statusCode).toBe('INVALID_EMAIL_ADDRESS');

  const before = (await contactIds()).length;
  const aon = await conn.sobject('Contact').create([{ LastName: 'A' }, { FirstName: 'B' }], { allOrNone: true });
  expect(aon.map((r) => r.success)).toEqual([false, false]);
  expect((aon[0] as { errors: { statusCode: string }[] }).errors[0]!.statusCode).toBe(
    'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  );
  expect((aon[1] as { errors: { statusCode: string }[] }).errors[0]!.statusCode).toBe('REQUIRED_FIELD_MISSING');
  expect((await contactIds()).length).toBe(before);
});

test('update collection with allOrNone rolls back field values and history rows', async () => {
  const ids = await contactIds();
  const deleted = ids[0]!;
  await conn.sobject('Contact').destroy(deleted);
  const res = await conn.sobject('Contact').update(
    [
      { Id: ids[1]!, Email: 'changed@x.example' },
      { Id: deleted, Email: 'y@x.example' },
    ],
    { allOrNone: true },
  );
  expect(res).toEqual([
    {
      id: ids[1],
      success: false,
      errors: [
        {
          statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
          message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
          fields: [],
        },
      ],
    },
    {
      id: deleted,
      success: false,
      errors: [{ statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] }],
    },
  ]);
  const c = await conn.sobject('Contact').retrieve(ids[1]!);
  expect(c.Email).not.toBe('changed@x.example');
  const hist = await conn.query(`SELECT Id FROM ContactHistory WHERE ContactId = '${ids[1]}' AND Field = 'Email'`);
  expect(hist.totalSize).toBe(0);
});

test('more than 200 records is a 400 EXCEEDED_ID_LIMIT; unknown field fails the whole call', async () => {
  const many = Array.from({ length: 201 }, (_, i) => ({ LastName: `N${i}` }));
  await expect(conn.sobject('Contact').create(many)).rejects.toMatchObject({ errorCode: 'EXCEEDED_ID_LIMIT' });
  await expect(conn.sobject('Contact').create([{ LastName: 'x' }, { LastName: 'y', Foo__c: 1 }])).rejects.toMatchObject(
    {
      errorCode: 'INVALID_FIELD',
    },
  );
  expect((await conn.query("SELECT COUNT() FROM Contact WHERE LastName = 'x'")).totalSize).toBe(0);
});

test('delete collection, recycle bin, queryAll and SOAP undelete', async () => {
  const ids = await contactIds();
  const res = await conn.sobject('Contact').destroy([ids[0]!, ids[1]!, '003000000000000']);
  expect(res.map((r) => r.success)).toEqual([true, true, false]);
  expect(await contactIds()).toHaveLength(ids.length - 2);
  const bin = await conn.query<{ Id: string }>('SELECT Id FROM Contact WHERE IsDeleted = true', { scanAll: true });
  expect(bin.records.map((r) => r.Id).sort()).toEqual([ids[0], ids[1]].sort());
  const und = await conn.soap.undelete([ids[0]!]);
  expect(und[0]).toMatchObject({ id: ids[0], success: true });
  expect(await contactIds()).toContain(ids[0]);
  const again = await conn.soap.undelete([ids[0]!]);
  expect(again[0]).toMatchObject({ success: false, errors: [{ statusCode: 'UNDELETE_FAILED' }] });
  // emptyRecycleBin removes for good: queryAll no longer sees the row.
  await conn.soap.emptyRecycleBin([ids[1]!]);
  const bin2 = await conn.query<{ Id: string }>('SELECT Id FROM Contact WHERE IsDeleted = true', { scanAll: true });
  expect(bin2.totalSize).toBe(0);
});

test('retrieve collection and upsert by external id', async () => {
  const ids = await contactIds();
  const got = await conn.sobject('Contact').retrieve([ids[0]!, ids[1]!], { fields: ['LastName', 'Email'] });
  expect(got.map((r) => r?.LastName)).toEqual(['Muller', 'Orphan']);
  const up = await conn.sobject('Contact').upsert(
    [
      { Email: 'anna@acme.example', LastName: 'Mueller' },
      { Email: 'new@acme.example', LastName: 'New' },
    ],
    'Email',
  );
  expect(up.map((r) => r.success)).toEqual([true, true]);
  const names = (await conn.query<{ LastName: string }>('SELECT LastName FROM Contact ORDER BY LastName')).records.map(
    (r) => r.LastName,
  );
  expect(names).toEqual(['Mueller', 'New', 'Orphan', 'Schmidt']);
});

test('history rows are written for tracked fields only, stamped with the acting user', async () => {
  const sync = new jsforce.Connection({
    instanceUrl: emu.instanceUrl,
    accessToken: 'SYNC-ACCESS-TOKEN',
    version: '62.0',
  });
  const [c1] = await contactIds();
  await sync.sobject('Contact').update({ Id: c1!, Email: 'fake@evil.example', Phone: '+1 555 0100' });
  const h = await conn.query<{
    Field: string;
    OldValue: string;
    NewValue: string;
    CreatedById: string;
    CreatedBy: { Username: string };
  }>(
    `SELECT ContactId, Field, OldValue, NewValue, CreatedById, CreatedBy.Username, CreatedDate FROM ContactHistory WHERE ContactId = '${c1}' AND CreatedDate = LAST_N_DAYS:1 ORDER BY CreatedDate DESC, Id`,
  );
  expect(h.records).toHaveLength(1);
  expect(h.records[0]).toMatchObject({ Field: 'Email', OldValue: 'anna@acme.example', NewValue: 'fake@evil.example' });
  expect(h.records[0]!.CreatedBy.Username).toBe('sync@test.example');
  const c = await conn.sobject('Contact').retrieve(c1!);
  expect(c.LastModifiedById).toBe(h.records[0]!.CreatedById);
  await expect(conn.query("SELECT Id FROM ContactHistory WHERE OldValue = 'x'")).rejects.toMatchObject({
    errorCode: 'INVALID_FIELD',
  });
  await expect(conn.sobject('ContactHistory').create({ Field: 'Email' })).rejects.toMatchObject({
    errorCode: 'INVALID_TYPE',
  });
});

test('single-record error bodies', async () => {
  await expect(conn.sobject('Contact').retrieve('nope')).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
  await expect(conn.sobject('Contact').create({ LastName: 'x', Bogus: 1 })).rejects.toMatchObject({
    errorCode: 'INVALID_FIELD',
    message: "No such column 'Bogus' on sobject of type Contact",
  });
  await expect(conn.sobject('Nope__c').create({ Name: 'x' })).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
  const res = await fetch(`${emu.instanceUrl}/services/data/v62.0/sobjects/Contact`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${emu.accessToken}` },
  });
  expect(res.status).toBe(405);
  expect(((await res.json()) as { errorCode: string }[])[0]!.errorCode).toBe('METHOD_NOT_ALLOWED');
  const bad = await fetch(`${emu.instanceUrl}/services/data/v62.0/query?q=SELECT+Foo+FROM+Contact`, {
    headers: { Authorization: `Bearer ${emu.accessToken}` },
  });
  expect(bad.status).toBe(400);
  expect(await bad.json()).toEqual([
    {
      message:
        "\nSELECT Foo FROM Contact\n       ^\nERROR at Row:1:Column:8\nNo such column 'Foo' on entity 'Contact'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
      errorCode: 'INVALID_FIELD',
    },
  ]);
  expect(bad.headers.get('content-type')).toBe('application/json;charset=UTF-8');
});

test('single-record upsert by external id, and ids of another type are 404', async () => {
  const ins = await conn.sobject('Contact').upsert({ Email: 'up@acme.example', LastName: 'Up' }, 'Email');
  expect(ins).toMatchObject({ success: true, created: true });
  const upd = await conn.sobject('Contact').upsert({ Email: 'up@acme.example', LastName: 'Up2' }, 'Email');
  expect(upd).toMatchObject({ success: true, created: false, id: (ins as { id: string }).id });
  const acc = (await conn.query<{ Id: string }>('SELECT Id FROM Account')).records[0]!.Id;
  await expect(conn.sobject('Contact').retrieve(acc)).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
  await expect(conn.sobject('Contact').update({ Id: acc, LastName: 'x' })).rejects.toMatchObject({
    errorCode: 'NOT_FOUND',
  });
});

test('describe: global and per object', async () => {
  const g = await conn.describeGlobal();
  expect(g.sobjects.find((s) => s.name === 'Contact')?.keyPrefix).toBe('003');
  const d = await conn.sobject('Contact').describe();
  const acc = d.fields.find((f) => f.name === 'AccountId')!;
  expect(acc).toMatchObject({ type: 'reference', referenceTo: ['Account'], relationshipName: 'Account' });
  const a = await conn.sobject('Account').describe();
  expect(a.childRelationships.find((r) => r.childSObject === 'Contact')?.relationshipName).toBe('Contacts');
  // retrieve without fields goes through describe first
  const [c1] = await contactIds();
  const got = await conn.sobject('Contact').retrieve([c1!]);
  expect(got[0]?.LastName).toBe('Muller');
});

test('getUpdated and getDeleted list the ids of a time window', async () => {
  const start = new Date(Date.now() - 60000);
  const ids = await contactIds();
  await conn.sobject('Contact').update({ Id: ids[0]!, Title: 'Changed' });
  await conn.sobject('Contact').destroy(ids[1]!);
  const end = new Date(Date.now() + 60000);
  const upd = await conn.sobject('Contact').updated(start.toISOString(), end.toISOString());
  expect(upd.ids).toEqual([ids[0]]);
  const del = await conn.sobject('Contact').deleted(start.toISOString(), end.toISOString());
  expect(del.deletedRecords.map((d) => d.id)).toEqual([ids[1]]);
});
