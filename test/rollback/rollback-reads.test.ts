import { startEmulator } from '../../src/emulator/index.js';
import { gatherScope, rereadWritten, startScope, type ReadMode } from '../../src/org/rollback-io.js';
import { sameValue } from '../../src/rollback/records.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { adminClient } from '../org/emu.js';
import {
  INTEGRATION,
  PERSON,
  admin,
  advanceClock,
  connectAs,
  dump,
  orgArgs,
  requests,
  rollbackSeed,
  type Emulator,
} from './helpers/org.js';

type Row = Record<string, unknown>;

describe('rollback reads: Bulk 2.0 queries for large scopes', () => {
  let emu: Emulator;
  afterEach(() => emu?.close());

  it('a rollback of 6,402 records stays within ceil(N/200) + 10 calls, and the estimate matches the real count', async () => {
    const N = 6400;
    emu = await startEmulator({ seed: rollbackSeed(N) });
    const contacts = (await dump(emu, 'Contact')).records.Contact!;
    const since = new Date(Date.parse((await dump(emu, 'Contact')).now) + 30_000).toISOString();
    await advanceClock(emu, 60_000);
    const { conn } = await connectAs(emu, INTEGRATION);
    const ids = contacts.map((c) => String(c.Id));
    for (let i = 0; i < ids.length; i += 200) {
      // Email overwritten, Title set where it was null: 12,800 History rows.
      await conn
        .sobject('Contact')
        .update(ids.slice(i, i + 200).map((Id, k) => ({ Id, Email: `fake${i + k}@partnersync.test`, Title: 'Bot' })));
    }
    const made = (await conn.sobject('Contact').create([{ LastName: 'Synth A' }, { LastName: 'Synth B' }])) as {
      id: string;
    }[];
    await advanceClock(emu, 120_000);
    await admin(emu, 'DELETE', '/requests');

    const r = await runCli(
      [
        '--json',
        'rollback',
        '--object',
        'Contact',
        '--user',
        INTEGRATION,
        '--since',
        since,
        '--yes',
        '--approved-by',
        'test',
        '--bulk-threshold',
        '1000000',
        ...orgArgs(emu),
      ],
      { cwd: tempDir() },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    const n = N + 2;
    expect(out.applied).toMatchObject({ done: n, failed: 0 });
    expect(out.verification).toMatchObject({ ok: true, checked: n });

    // The org's own request log agrees with lockout's count, and the count meets the target.
    const log = await requests(emu);
    expect(log.requests).toHaveLength(out.apiCalls.total);
    expect(out.apiCalls.total).toBeLessThanOrEqual(Math.ceil(n / 200) + 10);
    // The apply's estimate (what --dry-run reports and the budget check uses) is the real count of write + verify.
    expect(out.estimate.total).toBe(out.apiCalls.apply + out.apiCalls.verify);
    const calls = (method: string, re: RegExp) =>
      log.requests.filter((q) => q.method === method && re.test(q.path)).length;
    expect(calls('POST', /\/composite$/)).toBe(1); // users, describe and History page 1 together
    expect(calls('POST', /\/jobs\/query$/)).toBe(3); // the rest of the History, the records, the verification
    expect(calls('GET', /\/jobs\/query\/[^/]+\/results$/)).toBe(3); // one result page each
    expect(calls('DELETE', /\/jobs\/query\//)).toBe(0); // finished query jobs are kept (one call less each)
    expect(calls('GET', /\/limits$/)).toBe(0); // the budget comes from the Sforce-Limit-Info header
    expect(calls('POST', /\/composite\/sobjects\/Contact$/)).toBe(0); // no retrieve: the Bulk query verified all
    expect(calls('PATCH', /\/composite\/sobjects$/)).toBe(N / 200);

    const state = new Map((await dump(emu, 'Contact')).records.Contact!.map((c) => [String(c.Id), c]));
    for (const c of contacts) {
      expect(state.get(String(c.Id))).toMatchObject({ Email: c.Email });
      expect(state.get(String(c.Id))!.Title ?? null).toBeNull();
    }
    for (const m of made) expect(state.get(m.id)).toMatchObject({ IsDeleted: true });
  });

  it('REST pages and Bulk 2.0 queries read the same scope: typed values, nulls, conflicts, two objects', async () => {
    const seed = rollbackSeed(5);
    seed.historyTracking = {
      Contact: ['Email', 'Title', 'DoNotCall', 'Birthdate'],
      Account: ['NumberOfEmployees', 'AnnualRevenue', 'Phone'],
    };
    seed.sobjects!.Account = [
      { '@ref': 'acme', Name: 'Acme Corp', NumberOfEmployees: 10, AnnualRevenue: 1250000.5, Phone: '555-0001' },
      { '@ref': 'bank', Name: 'Big Bank', NumberOfEmployees: 5000 },
    ];
    emu = await startEmulator({ seed });
    const st = await dump(emu, 'Contact,Account');
    const since = new Date(Date.parse(st.now) + 30_000).toISOString();
    const cids = st.records.Contact!.map((c) => String(c.Id));
    const aids = st.records.Account!.map((a) => String(a.Id));
    await advanceClock(emu, 60_000);
    const integ = await connectAs(emu, INTEGRATION);
    await integ.conn.sobject('Contact').update([
      { Id: cids[0]!, Email: 'x0@partnersync.test', DoNotCall: true, Birthdate: '1990-02-03' },
      { Id: cids[1]!, Title: 'Bot' },
      { Id: cids[2]!, Email: null },
    ]);
    await integ.conn.sobject('Contact').create({ LastName: 'Synth' });
    await integ.conn.sobject('Account').update([
      { Id: aids[0]!, NumberOfEmployees: 99, AnnualRevenue: 0, Phone: null },
      { Id: aids[1]!, NumberOfEmployees: 1 },
    ]);
    await advanceClock(emu, 120_000);
    const ann = await connectAs(emu, PERSON);
    await ann.conn.sobject('Contact').update({ Id: cids[0]!, DoNotCall: false });

    const client = await adminClient(emu);
    const integId = (await integ.conn.query<{ Id: string }>(`SELECT Id FROM User WHERE Username = '${INTEGRATION}'`))
      .records[0]!.Id;
    const read = async (mode: ReadMode) => {
      const start = await startScope(client, { usernames: [INTEGRATION], objects: ['Contact', 'Account'], since });
      expect([...start.userIds.values()]).toEqual([integId]);
      const out: Record<string, unknown> = {};
      for (const object of ['Contact', 'Account']) {
        const g = await gatherScope(
          client,
          {
            object,
            userIds: [integId],
            since,
            until: null,
            flaggedIds: [],
            extraFields: [],
            accountNames: true,
            readMode: mode,
          },
          start,
        );
        out[object] = {
          records: [...g.records].sort((a, b) => (a.id < b.id ? -1 : 1)),
          history: [...g.history].sort((a, b) => (a.id < b.id ? -1 : 1)),
          fieldsRead: g.fieldsRead,
        };
      }
      return out;
    };
    await admin(emu, 'DELETE', '/requests');
    const rest = await read('rest');
    expect((await requests(emu)).requests.some((q) => q.path.endsWith('/jobs/query'))).toBe(false);
    const bulk = await read('bulk');
    expect((await requests(emu)).requests.filter((q) => q.path.endsWith('/jobs/query'))).toHaveLength(4);
    expect(bulk).toEqual(rest);
    // The values kept their REST types through the CSV.
    const acme = (rest.Account as { records: { id: string; current: Row }[] }).records.find((r) => r.id === aids[0]);
    expect(acme!.current).toMatchObject({ NumberOfEmployees: 99, AnnualRevenue: 0, Phone: null });
    const h = (rest.Account as { history: { field: string; oldValue: unknown }[] }).history;
    expect(h.find((x) => x.field === 'AnnualRevenue')!.oldValue).toBe(1250000.5);
    const c0 = (bulk.Contact as { records: { id: string; current: Row }[] }).records.find((r) => r.id === cids[0]);
    expect(c0!.current).toMatchObject({ DoNotCall: false, Birthdate: '1990-02-03' });
    expect(String(c0!.current.LastModifiedDate)).toMatch(/\.\d{3}\+0000$/);

    // Verification reads: by id (Collections retrieve) and through one Bulk queryAll agree, deleted records included.
    await integ.conn.sobject('Contact').destroy(cids[4]!);
    const ids = [...cids];
    const fields = ['Email', 'Title', 'DoNotCall'];
    const windowStart = new Date(Date.parse(since) - 60_000).toISOString();
    const byId = await rereadWritten(client, 'Contact', ids, fields, windowStart, { mode: 'rest' });
    const viaBulk = await rereadWritten(client, 'Contact', ids, fields, windowStart, { mode: 'bulk' });
    expect([...viaBulk.keys()].sort()).toEqual([...byId.keys()].sort());
    for (const [id, rec] of byId) {
      const other = viaBulk.get(id) ?? null;
      expect([id, other === null]).toEqual([id, rec === null]);
      if (rec && other) for (const f of fields) expect([f, sameValue(rec[f], other[f])]).toEqual([f, true]);
    }
    expect(byId.get(cids[4]!)).toBeNull();
  });

  it('auto: a Bulk 2.0 read when it takes fewer calls than REST pages; REST pages when the org refuses the job', async () => {
    // REST pages of 100 rows (the org may return fewer rows than batchSize asks): 600 History rows leave 5 pages.
    emu = await startEmulator({ seed: rollbackSeed(300), queryPageCap: 100 });
    const st = await dump(emu, 'Contact');
    const since = new Date(Date.parse(st.now) + 30_000).toISOString();
    await advanceClock(emu, 60_000);
    const integ = await connectAs(emu, INTEGRATION);
    const ids = st.records.Contact!.map((c) => String(c.Id));
    for (let i = 0; i < ids.length; i += 200) {
      await integ.conn
        .sobject('Contact')
        .update(ids.slice(i, i + 200).map((Id) => ({ Id, Email: `x-${Id}@partnersync.test`, Title: 'Bot' })));
    }
    await advanceClock(emu, 60_000);
    const client = await adminClient(emu);
    const read = async () => {
      const start = await startScope(client, { usernames: [INTEGRATION], objects: ['Contact'], since });
      const before = client.calls;
      const g = await gatherScope(
        client,
        {
          object: 'Contact',
          userIds: [...start.userIds.values()],
          since,
          until: null,
          flaggedIds: [],
          extraFields: [],
          accountNames: false,
        },
        start,
      );
      return { g, calls: client.calls - before };
    };
    await admin(emu, 'DELETE', '/requests');
    const viaBulk = await read();
    expect(viaBulk.g.history).toHaveLength(600);
    // The rest of the History in one job (create, poll, result page), then 3 REST pages of 100 records.
    expect((await requests(emu)).requests.filter((q) => q.path.endsWith('/jobs/query'))).toHaveLength(1);
    expect(viaBulk.calls).toBe(3 + 3);

    await admin(emu, 'POST', '/faults', 'POST */jobs/query status=400 error=API_DISABLED_FOR_ORG times=1');
    const viaRest = await read();
    // The job was refused: 5 more REST pages of History instead, and the same scope.
    expect(viaRest.calls).toBe(1 + 5 + 3);
    expect(viaRest.g.history.map((h) => h.id)).toEqual(viaBulk.g.history.map((h) => h.id));
    expect(viaRest.g.history).toEqual(viaBulk.g.history);
    expect(viaRest.g.records).toEqual(viaBulk.g.records);
  });
});
