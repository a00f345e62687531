import { execFile, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import path from 'node:path';
import Database from 'better-sqlite3';
import { startEmulator } from '../../src/emulator/index.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { buildCli } from '../helpers/build.js';
import {
  INTEGRATION,
  admin,
  advanceClock,
  connectAs,
  dump,
  orgArgs,
  requests,
  rollbackSeed,
  type Emulator,
} from './helpers/org.js';

const N = 1000;

// One build of the CLI for the whole file.
let built: Promise<string> | undefined;
const cli = () => (built ??= buildCli());

describe('a rollback killed with SIGKILL mid-run, then --resume', () => {
  let emu: Emulator;
  let launcher: string;
  let since: string;
  let original: Map<string, string>;

  beforeAll(async () => {
    [launcher, emu] = await Promise.all([cli(), startEmulator({ seed: rollbackSeed(N) })]);
    const contacts = (await dump(emu, 'Contact')).records.Contact!;
    original = new Map(contacts.map((c) => [String(c.Id), String(c.Email)]));
    since = new Date(Date.parse((await dump(emu, 'Contact')).now) + 30_000).toISOString();
    await advanceClock(emu, 60_000);
    const { conn } = await connectAs(emu, INTEGRATION);
    const ids = [...original.keys()];
    for (let i = 0; i < ids.length; i += 200) {
      await conn
        .sobject('Contact')
        .update(ids.slice(i, i + 200).map((Id, k) => ({ Id, Email: `fake${i + k}@partnersync.test` })));
    }
  }, 120_000);
  afterAll(() => emu.close());

  it('finishes with the same final state, no batch sent twice and no record written twice', async () => {
    const cwd = tempDir();
    const db = path.join(cwd, 'rb.db');
    // Slow every write down so the kill lands while a batch is in flight.
    await admin(emu, 'POST', '/faults', 'PATCH */composite/sobjects latency=300');
    await admin(emu, 'DELETE', '/requests');
    const args = [
      'rollback',
      '--object',
      'Contact',
      '--user',
      INTEGRATION,
      '--since',
      since,
      '--yes',
      '--approved-by',
      'cab-42',
      '--db',
      db,
      ...orgArgs(emu),
    ];
    const child = spawn(process.execPath, [launcher, ...args], {
      cwd,
      env: { ...process.env, LOCKOUT_ACTOR: 'tester' },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (_c, sig) => resolve(sig ? -1 : _c)));

    // Wait until two batches are recorded as done, check the lock refuses a second rollback, then kill -9.
    let lockRefused = false;
    for (let i = 0; i < 400; i += 1) {
      await new Promise((r) => setTimeout(r, 25));
      let done = 0;
      try {
        const rdb = new Database(db, { readonly: true, fileMustExist: true });
        try {
          done = (rdb.prepare("SELECT COUNT(*) AS n FROM rollback_journal WHERE state = 'done'").get() as { n: number })
            .n;
        } finally {
          rdb.close();
        }
      } catch {
        continue; // not created yet
      }
      if (done >= 200 && !lockRefused) {
        const second = await runCli(
          [
            'rollback',
            '--object',
            'Contact',
            '--user',
            INTEGRATION,
            '--since',
            since,
            '--yes',
            '--db',
            db,
            ...orgArgs(emu),
          ],
          { cwd },
        );
        expect(second.code).toBe(4);
        expect(second.stderr).toMatch(/another rollback \(rb-1\) is running/);
        lockRefused = true;
      }
      if (done >= 400) break;
    }
    child.kill('SIGKILL');
    expect(await exited).toBe(-1);
    expect(lockRefused).toBe(true);
    await new Promise((r) => setTimeout(r, 500)); // let the in-flight request finish on the server
    await admin(emu, 'DELETE', '/faults');

    const rdb = new Database(db, { readonly: true });
    const states = rdb.prepare('SELECT state, COUNT(*) AS n FROM rollback_journal GROUP BY state').all() as {
      state: string;
      n: number;
    }[];
    rdb.close();
    const byState = Object.fromEntries(states.map((s) => [s.state, s.n]));
    expect(byState.done).toBeGreaterThanOrEqual(400);
    expect(byState.done).toBeLessThan(N);

    // Everything written before the kill keeps its SystemModstamp through the resume: not written again.
    const before = (await dump(emu, 'Contact')).records.Contact!;
    const restoredBefore = new Map(
      before.filter((c) => c.Email === original.get(String(c.Id))).map((c) => [String(c.Id), c.SystemModstamp]),
    );
    await advanceClock(emu, 600_000);

    // The dead run holds no lock any more, but a new run must not plan over its in-flight records.
    const fresh = await runCli(
      [
        'rollback',
        '--object',
        'Contact',
        '--user',
        INTEGRATION,
        '--since',
        since,
        '--yes',
        '--db',
        db,
        ...orgArgs(emu),
      ],
      { cwd },
    );
    expect(fresh.code).toBe(4);
    expect(fresh.stderr).toMatch(/run rb-1 was interrupted[\s\S]*lockout rollback --resume rb-1/);

    const r = await runCli(['--json', 'rollback', '--resume', 'rb-1', '--db', db, ...orgArgs(emu)], { cwd });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.applied).toMatchObject({ done: N, failed: 0 });
    expect(out.verification.ok).toBe(true);
    // The batch in flight at the kill was settled by reading it back, not by sending it again.
    expect(out.reconciled.done + out.reconciled.resent + out.reconciled.failed).toBe(byState.sent ?? 0);
    expect(out.reconciled.failed).toBe(0);

    const after = (await dump(emu, 'Contact')).records.Contact!;
    for (const c of after) expect(c.Email).toBe(original.get(String(c.Id)));
    for (const c of after)
      if (restoredBefore.has(String(c.Id))) expect(c.SystemModstamp).toBe(restoredBefore.get(String(c.Id)));

    // ceil(N/200) write calls in all, across both processes: no batch went out twice.
    const log = await requests(emu);
    const writes = log.requests.filter((q) => q.method === 'PATCH' && q.path.endsWith('/composite/sobjects'));
    expect(writes).toHaveLength(Math.ceil(N / 200));

    // Every record is reported done exactly once in the evidence.
    const ev = JSON.parse(
      (await runCli(['--json', '--db', db, 'audit', 'log', '--kind', 'rollback.batch'], { cwd })).stdout,
    ) as {
      payload: { records: { id: string; ok: boolean }[] };
    }[];
    const okCount = new Map<string, number>();
    for (const e of ev)
      for (const rec of e.payload.records) if (rec.ok) okCount.set(rec.id, (okCount.get(rec.id) ?? 0) + 1);
    expect(okCount.size).toBe(N);
    expect([...okCount.values()].every((n) => n === 1)).toBe(true);
    expect(JSON.parse((await runCli(['--json', '--db', db, 'audit', 'verify'], { cwd })).stdout).ok).toBe(true);
  }, 120_000);
});

describe('a rollback killed while its Bulk 2.0 job is still processing, then --resume', () => {
  let emu: Emulator;
  afterAll(() => emu?.close());

  it('waits for the job to finish, reads it back and sends nothing again', async () => {
    const launcher = await cli();
    emu = await startEmulator({ seed: rollbackSeed(300) });
    const contacts = (await dump(emu, 'Contact')).records.Contact!;
    const original = new Map(contacts.map((c) => [String(c.Id), String(c.Email)]));
    const since = new Date(Date.parse((await dump(emu, 'Contact')).now) + 30_000).toISOString();
    await advanceClock(emu, 60_000);
    const { conn } = await connectAs(emu, INTEGRATION);
    const ids = [...original.keys()];
    for (let i = 0; i < ids.length; i += 200) {
      await conn
        .sobject('Contact')
        .update(ids.slice(i, i + 200).map((Id, k) => ({ Id, Email: `fake${i + k}@partnersync.test` })));
    }
    // The job reports InProgress for 8 polls after it is closed.
    await admin(emu, 'POST', '/bulk/config', { pollsInProgress: 8 });
    await admin(emu, 'DELETE', '/requests');
    const cwd = tempDir();
    const db = path.join(cwd, 'rb.db');
    const args = [
      'rollback',
      '--object',
      'Contact',
      '--user',
      INTEGRATION,
      '--since',
      since,
      '--yes',
      '--bulk-threshold',
      '50',
      '--db',
      db,
      ...orgArgs(emu),
    ];
    const child = spawn(process.execPath, [launcher, ...args], {
      cwd,
      env: { ...process.env, LOCKOUT_ACTOR: 'tester' },
      stdio: 'ignore',
    });
    const exited = new Promise<string | null>((resolve) => child.on('exit', (_c, sig) => resolve(sig)));
    const isPoll = (q: { method: string; path: string }) => q.method === 'GET' && /\/jobs\/ingest\/[^/]+$/.test(q.path);
    for (let i = 0; i < 400; i += 1) {
      await new Promise((r) => setTimeout(r, 25));
      if ((await requests(emu)).requests.filter(isPoll).length >= 2) break;
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const before = (await requests(emu)).requests.length;

    const r = await runCli(['--json', 'rollback', '--resume', 'rb-1', '--db', db, ...orgArgs(emu)], { cwd });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.reconciled).toEqual({ done: 300, resent: 0, failed: 0 });
    expect(out.applied).toMatchObject({ done: 300, failed: 0 });
    const during = (await requests(emu)).requests.slice(before);
    // The resume listed the jobs and polled the running one; it created no second job.
    expect(during.some((q) => q.method === 'GET' && q.path.endsWith('/jobs/ingest'))).toBe(true);
    expect(during.filter(isPoll).length).toBeGreaterThan(0);
    const all = (await requests(emu)).requests;
    expect(all.filter((q) => q.method === 'POST' && q.path.endsWith('/jobs/ingest'))).toHaveLength(1);
    for (const c of (await dump(emu, 'Contact')).records.Contact!) expect(c.Email).toBe(original.get(String(c.Id)));
  }, 120_000);
});

describe('snapshot of a large CSV on the worker thread (built CLI)', () => {
  let launcher: string;
  beforeAll(async () => {
    launcher = await cli();
  }, 120_000);

  const child = (args: string[], cwd: string) =>
    promisify(execFile)(process.execPath, [launcher, ...args], {
      cwd,
      env: { ...process.env, LOCKOUT_ACTOR: 'tester', LOCKOUT_SNAPSHOT_WORKER_BYTES: '0' },
    }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );

  it('stores the same records and Merkle root as the single-thread path', async () => {
    const cwd = tempDir();
    const rows = Array.from(
      { length: 12_345 },
      (_, i) => `003${String(i).padStart(12, '0')}AAA,Last${i},"a, ""b"" ${i}",${i % 7 ? '' : 'x'}`,
    );
    writeFileSync(path.join(cwd, 'big.csv'), `Id,LastName,Description,Title\n${rows.join('\n')}\n`);
    const viaWorker = await child(
      ['--json', '--db', 'w.db', 'snapshot', '--object', 'Contact', '--file', 'big.csv'],
      cwd,
    );
    expect(viaWorker.stderr).toBe('');
    const inline = await runCli(['--json', '--db', 'i.db', 'snapshot', '--object', 'Contact', '--file', 'big.csv'], {
      cwd,
    });
    const a = JSON.parse(viaWorker.stdout);
    const b = JSON.parse(inline.stdout);
    expect(a.count).toBe(12_345);
    expect(a.merkleRoot).toBe(b.merkleRoot);
    expect(a.fields).toEqual(['Id', 'LastName', 'Description', 'Title']);
    const show = JSON.parse((await runCli(['--json', '--db', 'w.db', 'snapshot', 'show', a.id], { cwd })).stdout);
    expect(show.rootMatches).toBe(true);

    writeFileSync(
      path.join(cwd, 'dup.csv'),
      `Id,LastName\n${rows
        .slice(0, 5)
        .map((r) => r.split(',').slice(0, 2).join(','))
        .join('\n')}\n003000000000001AAA,Again\n`,
    );
    const dup = await child(['--db', 'd.db', 'snapshot', '--object', 'Contact', '--file', 'dup.csv'], cwd);
    expect(dup.code).toBe(2);
    expect(dup.stderr).toMatch(/dup\.csv:7: duplicate Id 003000000000001AAA/);
  }, 60_000);
});
