import { writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { startEmulator } from '../../src/emulator/index.js';
import { runCli, tempDir } from '../helpers/cli.js';
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

/** An org where the integration overwrote Email and set Title (null before) on `n` contacts and created 2. */
async function incident(n: number) {
  const emu = await startEmulator({ seed: rollbackSeed(n) });
  const contacts = (await dump(emu, 'Contact')).records.Contact!;
  const original = new Map(contacts.map((c) => [String(c.Id), c]));
  const since = new Date(Date.parse((await dump(emu, 'Contact')).now) + 30_000).toISOString();
  await advanceClock(emu, 60_000);
  const { conn, userId } = await connectAs(emu, INTEGRATION);
  const ids = [...original.keys()];
  for (let i = 0; i < ids.length; i += 200) {
    await conn
      .sobject('Contact')
      .update(ids.slice(i, i + 200).map((Id, k) => ({ Id, Email: `fake${i + k}@partnersync.test`, Title: 'Bot' })));
  }
  const made = (await conn.sobject('Contact').create([{ LastName: 'Synth A' }, { LastName: 'Synth B' }])) as {
    id: string;
  }[];
  await advanceClock(emu, 120_000);
  return { emu, original, since, created: made.map((m) => m.id), integId: userId };
}

const byId = async (emu: Emulator) =>
  new Map<string, Row>((await dump(emu, 'Contact')).records.Contact!.map((c) => [String(c.Id), c]));

describe('rollback options and faults', () => {
  let emu: Emulator;
  afterEach(() => emu?.close());

  it('Bulk 2.0 above the threshold: one ingest job per object and operation, nulls restored with #N/A', async () => {
    const inc = await incident(30);
    emu = inc.emu;
    await admin(emu, 'DELETE', '/requests');
    const cwd = tempDir();
    const r = await runCli(
      [
        '--json',
        'rollback',
        '--object',
        'Contact',
        '--user',
        INTEGRATION,
        '--since',
        inc.since,
        '--yes',
        '--bulk-threshold',
        '10',
        ...orgArgs(emu),
      ],
      { cwd },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.applied).toMatchObject({ done: 32, failed: 0 });
    expect(out.estimate.mode).toEqual({ 'Contact:update': 'bulk', 'Contact:delete': 'collections' });
    const state = await byId(emu);
    for (const [id, c] of inc.original) {
      expect(state.get(id)).toMatchObject({ Email: c.Email });
      expect(state.get(id)!.Title ?? null).toBeNull();
    }
    for (const id of inc.created) expect(state.get(id)).toMatchObject({ IsDeleted: true });
    const log = await requests(emu);
    expect(log.requests.filter((q) => q.method === 'POST' && q.path.endsWith('/jobs/ingest'))).toHaveLength(1);
    expect(log.requests.filter((q) => q.method === 'PATCH' && q.path.endsWith('/composite/sobjects'))).toHaveLength(0);
    const batches = JSON.parse((await runCli(['--json', 'audit', 'log', '--kind', 'rollback.batch'], { cwd })).stdout);
    expect(batches.map((b: { payload: Row }) => b.payload.channel).sort()).toEqual(['bulk2', 'collections']);
  });

  it('API calls stay within ceil(N/200) + 10 with Collections', async () => {
    const inc = await incident(450);
    emu = inc.emu;
    const r = await runCli(
      [
        '--json',
        'rollback',
        '--object',
        'Contact',
        '--user',
        INTEGRATION,
        '--since',
        inc.since,
        '--yes',
        ...orgArgs(emu),
      ],
      { cwd: tempDir() },
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.applied.done).toBe(452);
    expect(out.apiCalls.total).toBeLessThanOrEqual(Math.ceil(452 / 200) + 10);
  });

  it('UNABLE_TO_LOCK_ROW is retried until it succeeds; other per-record errors are reported (exit 3)', async () => {
    const inc = await incident(8);
    emu = inc.emu;
    await admin(emu, 'POST', '/faults', 'PATCH */composite/sobjects error=UNABLE_TO_LOCK_ROW times=3');
    const cwd = tempDir();
    const r = await runCli(
      [
        '--json',
        'rollback',
        '--object',
        'Contact',
        '--user',
        INTEGRATION,
        '--since',
        inc.since,
        '--yes',
        ...orgArgs(emu),
      ],
      {
        cwd,
      },
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).applied).toMatchObject({ done: 10, failed: 0 });
    for (const [id, c] of inc.original) expect((await byId(emu)).get(id)).toMatchObject({ Email: c.Email });

    const inc2 = await incident(4);
    await emu.close();
    emu = inc2.emu;
    await admin(emu, 'POST', '/faults', 'PATCH */composite/sobjects error=FIELD_CUSTOM_VALIDATION_EXCEPTION times=1');
    const cwd2 = tempDir();
    const r2 = await runCli(
      [
        '--json',
        'rollback',
        '--object',
        'Contact',
        '--user',
        INTEGRATION,
        '--since',
        inc2.since,
        '--yes',
        ...orgArgs(emu),
      ],
      {
        cwd: cwd2,
      },
    );
    expect(r2.code).toBe(3);
    const out = JSON.parse(r2.stdout);
    expect(out.applied).toMatchObject({ done: 5, failed: 1 });
    expect(out.applied.failures[0].error).toMatch(/^FIELD_CUSTOM_VALIDATION_EXCEPTION/);
    expect(r2.stderr).toMatch(/1 record\(s\) failed/);
    const completed = JSON.parse(
      (await runCli(['--json', 'audit', 'log', '--kind', 'rollback.completed'], { cwd: cwd2 })).stdout,
    );
    expect(completed[0].payload).toMatchObject({ done: 5, failed: 1 });
  });

  it('a request that fails outright (503 on a write) stops the run; --resume finishes it', async () => {
    const inc = await incident(450);
    emu = inc.emu;
    await admin(emu, 'POST', '/faults', 'PATCH */composite/sobjects status=503 times=1');
    await admin(emu, 'DELETE', '/requests');
    const cwd = tempDir();
    const r = await runCli(
      ['rollback', '--object', 'Contact', '--user', INTEGRATION, '--since', inc.since, '--yes', ...orgArgs(emu)],
      { cwd },
    );
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/run rb-1 interrupted/);
    expect(r.stderr).toMatch(/lockout rollback --resume rb-1/);
    // While the run waits, a person fixes the Email of a record it has not sent yet: the resume must not clobber it.
    const rdb = new Database(path.join(cwd, '.lockout/lockout.db'), { readonly: true });
    const unsent = rdb
      .prepare(
        "SELECT record_id AS id FROM rollback_journal WHERE state = 'pending' AND action = 'restore' ORDER BY seq DESC LIMIT 1",
      )
      .get() as { id: string };
    rdb.close();
    const ann = await connectAs(emu, PERSON);
    await ann.conn.sobject('Contact').update({ Id: unsent.id, Email: 'fixed-by-ann@acme-corp.com' });
    const resumed = await runCli(['--json', 'rollback', '--resume', 'rb-1', ...orgArgs(emu)], { cwd });
    expect(resumed.code).toBe(3);
    const out = JSON.parse(resumed.stdout);
    expect(out.rechecked).toMatchObject({ failed: 1 });
    expect(out.applied).toMatchObject({ done: 451, failed: 1 });
    expect(out.applied.failures).toEqual([
      expect.objectContaining({ id: unsent.id, error: expect.stringMatching(/^CHANGED_SINCE_PLAN/) }),
    ]);
    expect((await byId(emu)).get(unsent.id)).toMatchObject({ Email: 'fixed-by-ann@acme-corp.com' });
    inc.original.delete(unsent.id);
    expect(out.reconciled.resent).toBeGreaterThan(0);
    const state = await byId(emu);
    for (const [id, c] of inc.original) expect(state.get(id)).toMatchObject({ Email: c.Email });
    // The refused request changed nothing, so its records went out once more: batches + 1 write requests.
    const writes = (await requests(emu)).requests.filter(
      (q) => q.method === 'PATCH' && q.path.endsWith('/composite/sobjects'),
    );
    expect(writes).toHaveLength(Math.ceil(450 / 200) + 1);
  });

  it('--abandon gives up an interrupted run (recorded, with what was in flight) so a new run may start', async () => {
    const inc = await incident(450);
    emu = inc.emu;
    await admin(emu, 'POST', '/faults', 'PATCH */composite/sobjects status=503 times=1');
    const cwd = tempDir();
    const scope = ['--object', 'Contact', '--user', INTEGRATION, '--since', inc.since, ...orgArgs(emu)];
    expect((await runCli(['rollback', ...scope, '--yes'], { cwd })).code).toBe(3);
    const blocked = await runCli(['rollback', ...scope, '--yes'], { cwd });
    expect(blocked.code).toBe(4);
    expect(blocked.stderr).toMatch(/run rb-1 was interrupted[\s\S]*--abandon rb-1/);

    const noReason = await runCli(['rollback', '--abandon', 'rb-1', '--yes'], { cwd });
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toMatch(/--abandon needs --reason/);
    const noTty = await runCli(['rollback', '--abandon', 'rb-1', '--reason', 'org refreshed'], { cwd });
    expect(noTty.code).toBe(4);

    const r = await runCli(['--json', 'rollback', '--abandon', 'rb-1', '--reason', 'org refreshed', '--yes'], { cwd });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ runId: 'rb-1', status: 'abandoned', reason: 'org refreshed' });
    expect(out.journal.done + out.journal.sent + out.journal.pending + out.journal.failed).toBeGreaterThan(400);
    const ev = JSON.parse((await runCli(['--json', 'audit', 'log', '--kind', 'rollback.abandoned'], { cwd })).stdout);
    expect(ev[0].payload).toMatchObject({ runId: 'rb-1', reason: 'org refreshed', journal: out.journal });

    // Abandoned is final: no resume, no second abandon; a new run plans again from the org.
    expect((await runCli(['rollback', '--resume', 'rb-1', ...orgArgs(emu)], { cwd })).code).toBe(4);
    expect((await runCli(['rollback', '--abandon', 'rb-1', '--reason', 'x', '--yes'], { cwd })).code).toBe(4);
    const again = await runCli(['--json', 'rollback', ...scope, '--yes'], { cwd });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).applied.failed).toBe(0);
  });

  it('refuses (exit 4) before writing when the plan needs more API calls than the budget leaves', async () => {
    const inc = await incident(450);
    emu = inc.emu;
    // 10% of the 39 daily calls remaining after the first (composite) read = 3: enough to read the records (1), not
    // to write and verify 452 records (3 + 1).
    await admin(emu, 'POST', '/limits', { DailyApiRequests: { Remaining: 40 } });
    await admin(emu, 'DELETE', '/requests');
    const cwd = tempDir();
    const args = [
      '--json',
      'rollback',
      '--object',
      'Contact',
      '--user',
      INTEGRATION,
      '--since',
      inc.since,
      '--yes',
      ...orgArgs(emu),
    ];
    const r = await runCli(args, { cwd });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/needs about \d+ API calls, but only \d+ are left of the API budget/);
    const log = await requests(emu);
    // Reads only: GETs and the composite read; no write was sent, and no /limits call was needed.
    expect(log.requests.filter((q) => q.method !== 'GET' && !q.path.endsWith('/composite'))).toHaveLength(0);
    expect(log.requests.filter((q) => q.path.endsWith('/limits'))).toHaveLength(0);
    const ok = await runCli([...args, '--api-budget', '100'], { cwd });
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).applied.done).toBe(452);
  });

  it('snapshot and verify against the org refuse (exit 4) before reading records the API budget cannot cover', async () => {
    const inc = await incident(450);
    emu = inc.emu;
    const cwd = tempDir();
    const snap = ['--json', 'snapshot', '--object', 'Contact', '--fields', 'Email', ...orgArgs(emu)];
    await admin(emu, 'POST', '/limits', { DailyApiRequests: { Remaining: 8 } });
    await admin(emu, 'DELETE', '/requests');
    const refused = await runCli(snap, { cwd });
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/a snapshot of 452 Contact records needs about 1 API calls, but the API budget/);
    const reads = (await requests(emu)).requests.filter((q) => q.path.endsWith('/query'));
    expect(reads).toHaveLength(1); // the COUNT() only, no page of records
    expect((await runCli([...snap, '--api-budget', '100'], { cwd })).code).toBe(0);
    await admin(emu, 'POST', '/limits', { DailyApiRequests: { Remaining: 8 } });
    const verify = await runCli(['verify', '--snapshot', 'snap-1', ...orgArgs(emu)], { cwd });
    expect(verify.code).toBe(4);
    expect(verify.stderr).toMatch(/verifying against 452 Contact records needs about 1 API calls/);
  });

  it('quarantine strategy, --integration from config, approval threshold', async () => {
    const inc = await incident(3);
    emu = inc.emu;
    const ann = await connectAs(emu, PERSON);
    const cwd = tempDir();
    writeFileSync(
      path.join(cwd, 'lockout.config.yaml'),
      [
        'integrations:',
        '  - name: partner-sync',
        `    users: ["${INTEGRATION}"]`,
        '    objects: [Contact]',
        'rollback:',
        '  quarantine:',
        '    field: Department',
        '    value: QUARANTINED',
        `    owner: "${ann.userId}"`,
        'thresholds:',
        '  rollback:',
        '    maxRecords: 2',
      ].join('\n'),
    );
    const args = [
      '--json',
      'rollback',
      '--integration',
      'partner-sync',
      '--since',
      inc.since,
      '--strategy',
      'quarantine',
      '--yes',
      ...orgArgs(emu),
    ];
    const refused = await runCli(args, { cwd });
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/maxRecords \(2\)/);
    // A blank name is no approval.
    const blank = await runCli([...args, '--approved-by', '  '], { cwd });
    expect(blank.code).toBe(2);
    expect(blank.stderr).toMatch(/--approved-by.*a name, not blank/);
    const r = await runCli([...args, '--approved-by', 'Jane CAB'], { cwd });
    expect(r.code).toBe(0);
    const state = await byId(emu);
    for (const id of inc.created)
      expect(state.get(id)).toMatchObject({ IsDeleted: false, Department: 'QUARANTINED', OwnerId: ann.userId });
    const planned = JSON.parse(
      (await runCli(['--json', 'audit', 'log', '--kind', 'rollback.planned'], { cwd })).stdout,
    );
    expect(planned[0].payload.options.approvedBy).toBe('Jane CAB');
  });

  it('--from-scan: flagged records are deleted when no integration user is named; bad lines name the line', async () => {
    const inc = await incident(2);
    emu = inc.emu;
    const cwd = tempDir();
    // The scanner also flags a real contact the integration overwrote: without --user it is reviewed, not deleted.
    const overwritten = [...inc.original.keys()][0]!;
    writeFileSync(
      path.join(cwd, 'findings.jsonl'),
      [...inc.created, overwritten]
        .map((id) =>
          JSON.stringify({ id, object: 'Contact', file: 'org', line: 0, score: 0.9, level: 'high', reasons: ['x'] }),
        )
        .join('\n'),
    );
    const r = await runCli(['--json', 'rollback', '--from-scan', 'findings.jsonl', '--yes', ...orgArgs(emu)], { cwd });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).summary.byAction).toMatchObject({ delete: 2, restore: 0, 'manual-review': 1 });
    const state = await byId(emu);
    for (const id of inc.created) expect(state.get(id)).toMatchObject({ IsDeleted: true });
    for (const id of inc.original.keys()) expect(state.get(id)).toMatchObject({ IsDeleted: false });

    writeFileSync(
      path.join(cwd, 'bad.jsonl'),
      `${JSON.stringify({ id: inc.created[0], object: 'Contact' })}\n{"object":"Contact"}\n`,
    );
    const bad = await runCli(['rollback', '--from-scan', 'bad.jsonl', '--dry-run', ...orgArgs(emu)], { cwd });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad\.jsonl:2/);
  });

  it('a snapshot taken before the window is the before-image (it wins over History)', async () => {
    emu = await startEmulator({ seed: rollbackSeed(3) });
    const cwd = tempDir();
    const snap = await runCli(
      ['--json', 'snapshot', '--object', 'Contact', '--fields', 'Email,Department', ...orgArgs(emu)],
      { cwd },
    );
    expect(snap.code).toBe(0);
    expect(JSON.parse(snap.stdout).count).toBe(3);
    const now = (await dump(emu, 'Contact')).now;
    const since = new Date(Date.parse(now) + 30_000).toISOString();
    await advanceClock(emu, 60_000);
    const { conn } = await connectAs(emu, INTEGRATION);
    const first = (await dump(emu, 'Contact')).records.Contact![0]!;
    // Department is not history-tracked: only the snapshot knows it changed.
    await conn.sobject('Contact').update({ Id: String(first.Id), Department: 'Hacked', Email: 'x@partnersync.test' });
    const r = await runCli(
      ['--json', 'rollback', '--object', 'Contact', '--user', INTEGRATION, '--since', since, '--yes', ...orgArgs(emu)],
      { cwd },
    );
    expect(r.code).toBe(0);
    const state = await byId(emu);
    expect(state.get(String(first.Id))).toMatchObject({ Email: first.Email, Department: null });
    const v = await runCli(['--json', 'verify', '--snapshot', JSON.parse(snap.stdout).id, ...orgArgs(emu)], { cwd });
    expect(JSON.parse(v.stdout).counts).toEqual({ unchanged: 3, changed: 0, added: 0, deleted: 0 });
    // Through Bulk 2.0 (CSV text values) the comparison is the same.
    const vb = await runCli(['--json', 'verify', '--snapshot', JSON.parse(snap.stdout).id, '--bulk', ...orgArgs(emu)], {
      cwd,
    });
    expect(JSON.parse(vb.stdout).counts).toEqual({ unchanged: 3, changed: 0, added: 0, deleted: 0 });
    // A change made after the rollback shows up with its field name.
    await conn.sobject('Contact').update({ Id: String(first.Id), Department: 'Sales' });
    const v2 = JSON.parse(
      (await runCli(['--json', 'verify', '--snapshot', JSON.parse(snap.stdout).id, '--bulk', ...orgArgs(emu)], { cwd }))
        .stdout,
    );
    expect(v2.counts).toEqual({ unchanged: 2, changed: 1, added: 0, deleted: 0 });
    expect(v2.changed).toEqual([{ id: String(first.Id), fields: ['Department'] }]);
  });
});
