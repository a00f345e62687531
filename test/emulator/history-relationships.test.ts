import jsforce from 'jsforce';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { emptySeed } from '../../src/emulator/seed.js';

let emu: Emulator;
let conn: jsforce.Connection;

beforeAll(async () => {
  const seed = emptySeed();
  seed.sobjects!.Contact = [{ LastName: 'Lee', Email: 'lee@acme.example' }];
  seed.historyTracking = { Contact: ['Email'] };
  emu = await startEmulator({ seed });
  conn = new jsforce.Connection({ instanceUrl: emu.instanceUrl, accessToken: emu.accessToken, version: '62.0' });
  const [c] = (await conn.query<{ Id: string }>('SELECT Id FROM Contact')).records;
  await conn.sobject('Contact').update({ Id: c!.Id, Email: 'new@acme.example' });
});
afterAll(() => emu.close());

const SOQL =
  "SELECT Id, Field, OldValue, NewValue, CreatedBy.Username, Contact.LastName FROM ContactHistory WHERE Field = 'Email'";

test('History rows carry parent relationship fields in REST queries (nested) and Bulk 2.0 CSV (flattened)', async () => {
  const rest = await conn.query<Record<string, unknown>>(SOQL);
  expect(rest.records).toHaveLength(1);
  expect(rest.records[0]).toMatchObject({
    OldValue: 'lee@acme.example',
    NewValue: 'new@acme.example',
    CreatedBy: { Username: 'admin@emulator.example' },
    Contact: { LastName: 'Lee' },
  });

  const job = await conn.request<{ id: string }>({
    method: 'POST',
    url: '/jobs/query',
    body: JSON.stringify({ operation: 'query', query: SOQL }),
    headers: { 'content-type': 'application/json' },
  });
  expect((await conn.request<{ state: string }>(`/jobs/query/${job.id}`)).state).toBe('JobComplete');
  const res = await fetch(`${emu.instanceUrl}/services/data/v62.0/jobs/query/${job.id}/results`, {
    headers: { Authorization: `Bearer ${emu.accessToken}` },
  });
  const [header, row] = (await res.text()).trim().split('\n');
  expect(header).toBe('"Id","Field","OldValue","NewValue","CreatedBy.Username","Contact.LastName"');
  expect(row).toContain('"Email","lee@acme.example","new@acme.example","admin@emulator.example","Lee"');
});
