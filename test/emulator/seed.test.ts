import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import jsforce from 'jsforce';
import { startEmulator } from '../../src/emulator/index.js';
import { normalizeId, to18 } from '../../src/emulator/ids.js';
import { emptySeed, loadSeed, SeedError, type Seed } from '../../src/emulator/seed.js';
import { demoSeed } from '../../src/emulator/seeds/demo.js';
import { smallSeed } from './fixtures.js';

const schema = JSON.parse(
  readFileSync(new URL('../../docs/emulator-seed.schema.json', import.meta.url), 'utf8'),
) as object;
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

/** The seed example in docs/emulator.md. */
function docExample(): Seed {
  const md = readFileSync(new URL('../../docs/emulator.md', import.meta.url), 'utf8');
  const section = md.slice(md.indexOf('## Seed files'));
  const m = /```json\n([\s\S]*?)```/.exec(section);
  return JSON.parse(m![1]!) as Seed;
}

test('the 18-char checksum matches the documented example', () => {
  expect(to18('001D000000IRFma')).toBe('001D000000IRFmaIAH');
  expect(normalizeId('001D000000IRFmaIAH')).toBe('001D000000IRFmaIAH');
  expect(normalizeId('001D000000IRFmaXXX')).toBeNull();
  expect(normalizeId('abc')).toBeNull();
});

test('the schema accepts the shipped seeds and the documented example', () => {
  for (const seed of [emptySeed(), smallSeed(), docExample(), demoSeed({ scale: 0.05 })]) {
    const ok = validate(seed);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  }
  expect(validate({ sobjects: { User: [] } })).toBe(false);
  expect(validate({ sobjects: { User: [{ Username: 'a', LastName: { nested: 1 } }] } })).toBe(false);
});

test('the documented example loads: refs resolve, generated ids carry prefix and checksum', async () => {
  const emu = await startEmulator({ seed: docExample() });
  try {
    expect(emu.accessToken).toBe('ADMIN-TOKEN');
    const conn = new jsforce.Connection({
      instanceUrl: emu.instanceUrl,
      accessToken: emu.accessToken,
      version: '62.0',
    });
    const c = await conn.query<{
      Id: string;
      Account: { Name: string };
      CreatedBy: { Username: string };
      CreatedDate: string;
    }>('SELECT Id, Account.Name, CreatedBy.Username, CreatedDate FROM Contact');
    const rec = c.records[0]!;
    expect(rec.Id.slice(0, 3)).toBe('003');
    expect(normalizeId(rec.Id)).toBe(rec.Id);
    expect(rec.Account.Name).toBe('Acme');
    expect(rec.CreatedBy.Username).toBe('sync@acme.example');
    expect(rec.CreatedDate).toBe('2024-05-01T10:00:00.000+0000');
    const h = await conn.query<{ Contact: { LastName: string } }>('SELECT Contact.LastName, Field FROM ContactHistory');
    expect(h.records[0]!.Contact.LastName).toBe('Muller');
    const sync = new jsforce.Connection({ instanceUrl: emu.instanceUrl, accessToken: 'SYNC-TOKEN', version: '62.0' });
    expect((await sync.identity()).username).toBe('sync@acme.example');
  } finally {
    await emu.close();
  }
});

test('invalid seeds name the place', () => {
  const s = smallSeed();
  (s.sobjects!.Contact![0] as Record<string, unknown>).AccountId = { '@ref': 'nope' };
  expect(() => loadSeed(s, 'seed x.json')).toThrow(
    new SeedError('seed x.json: sobjects.Contact[0].AccountId: unknown "@ref" nope'),
  );
  const t = smallSeed();
  t.sobjects!.Account![0]!.Id = 'bad';
  expect(() => loadSeed(t, 'seed')).toThrow('seed: sobjects.Account[0]: Id bad is not a valid Salesforce id');
  const u = smallSeed();
  u.historyTracking = { Contact: ['Nope'] };
  expect(() => loadSeed(u, 'seed')).toThrow('seed: historyTracking.Contact: unknown field Nope');
  const v = { ...smallSeed(), historytracking: { Contact: ['Email'] } };
  expect(() => loadSeed(v, 'seed')).toThrow('seed: unknown top-level key "historytracking" (known: org, oauthClients');
});
