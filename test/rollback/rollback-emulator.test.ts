import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startEmulator } from '../../src/emulator/index.js';
import { runCli, tempDir } from '../helpers/cli.js';
import {
  INTEGRATION,
  PERSON,
  advanceClock,
  connectAs,
  dump,
  orgArgs,
  rollbackSeed,
  type Emulator,
} from './helpers/org.js';

type Row = Record<string, unknown>;

describe('rollback against the emulator', () => {
  let emu: Emulator;
  let cwd: string;
  let since: string;
  let ids: Record<string, string>;
  let created: string[];
  let integId: string;
  let annId: string;

  beforeAll(async () => {
    emu = await startEmulator({ seed: rollbackSeed(6) });
    const contacts = (await dump(emu, 'Contact')).records.Contact!;
    ids = Object.fromEntries(contacts.map((c) => [String(c.LastName), String(c.Id)]));
    cwd = tempDir();
    writeFileSync(path.join(cwd, 'lockout.config.yaml'), `protect:\n  accounts: ["Big Bank"]\n`);

    // The window starts after the seed; the integration acts a minute later, the person two minutes later.
    since = new Date(Date.parse((await dump(emu, 'Contact')).now) + 30_000).toISOString();
    await advanceClock(emu, 60_000);
    const integ = await connectAs(emu, INTEGRATION);
    integId = integ.userId;
    const res = await integ.conn.sobject('Contact').create([
      { LastName: 'Synthetic1', Email: 'loadtest+1@partnersync.test' },
      { LastName: 'Synthetic2', Email: 'loadtest+2@partnersync.test' },
      { LastName: 'Synthetic3', Email: 'loadtest+3@partnersync.test' },
    ]);
    created = (res as { id: string }[]).map((r) => r.id);
    await integ.conn.sobject('Contact').update([
      { Id: ids.Last0!, Email: 'overwritten0@partnersync.test' },
      { Id: ids.Last1!, Email: 'overwritten1@partnersync.test', Phone: '000-0000' },
      { Id: ids.Last2!, Title: 'Bot' },
      { Id: ids.Last3!, Email: 'overwritten3@partnersync.test' },
      { Id: ids.Last5!, Email: 'overwritten5@partnersync.test' },
    ]);
    await advanceClock(emu, 120_000);
    const ann = await connectAs(emu, PERSON);
    annId = ann.userId;
    await ann.conn.sobject('Contact').update([
      { Id: ids.Last1!, Phone: '555-9999' },
      { Id: ids.Last3!, LastName: 'Last3-Married' },
    ]);
  });
  afterAll(() => emu.close());

  it('dry run prints the plan with counts, conflicts and API calls, writes the plan files and changes nothing', async () => {
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
        '--dry-run',
        '--plan-out',
        'plan',
        ...orgArgs(emu),
      ],
      { cwd },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan.runId).toBeNull();
    expect(plan.summary.byAction).toMatchObject({ delete: 3, restore: 4, 'manual-review': 1 });
    expect(plan.conflicts).toEqual([
      expect.objectContaining({
        id: ids.Last1,
        field: 'Phone',
        before: '555-0101',
        integration: '000-0000',
        current: '555-9999',
        changedBy: [annId],
        resolution: 'left',
      }),
    ]);
    expect(plan.manualReview).toEqual([expect.objectContaining({ id: ids.Last5, wouldBe: 'restore' })]);
    expect(plan.estimate.total).toBeGreaterThan(0);
    expect(plan.planFiles.csv).toMatch(/plan\.csv$/);
    const after = (await dump(emu, 'Contact')).records.Contact!;
    expect(after.find((c) => c.Id === ids.Last0)!.Email).toBe('overwritten0@partnersync.test');
  });

  it('without --yes and no terminal answer it refuses (exit 4) and writes nothing', async () => {
    const r = await runCli(
      ['rollback', '--object', 'Contact', '--user', INTEGRATION, '--since', since, ...orgArgs(emu)],
      { cwd },
    );
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/not confirmed/);
    // A "y" piped in is not a person at a terminal (and a pipe that never answers must not hang the command).
    const piped = await runCli(
      ['--json', 'rollback', '--object', 'Contact', '--user', INTEGRATION, '--since', since, ...orgArgs(emu)],
      { cwd, stdin: 'y\n' },
    );
    expect(piped.code).toBe(4);
    expect(piped.stderr).toMatch(/no terminal to confirm on and no --yes/);
    const listed = JSON.parse((await runCli(['--json', 'rollback', '--status'], { cwd })).stdout);
    expect(listed).toEqual([]);
  });

  it("restores overwritten fields, deletes created records, keeps the person's edits and protected accounts", async () => {
    const r = await runCli(
      ['--json', 'rollback', '--object', 'Contact', '--user', INTEGRATION, '--since', since, '--yes', ...orgArgs(emu)],
      {
        cwd,
      },
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.runId).toBe('rb-1');
    expect(out.applied).toMatchObject({ done: 7, failed: 0 });
    expect(out.verification).toMatchObject({ ok: true, checked: 7 });

    const state = await dump(emu, 'Contact');
    const byId = new Map<string, Row>(state.records.Contact!.map((c) => [String(c.Id), c]));
    // Created records are in the recycle bin (recoverable), not gone for good.
    for (const id of created) expect(byId.get(id)).toMatchObject({ IsDeleted: true });
    expect(byId.get(ids.Last0!)).toMatchObject({ Email: 'person0@acme-corp.com' });
    expect(byId.get(ids.Last1!)).toMatchObject({ Email: 'person1@acme-corp.com', Phone: '555-9999' });
    expect(byId.get(ids.Last2!)!.Title ?? null).toBeNull();
    // The person's later edit of another field survives; the overwritten field comes back.
    const c3 = [...byId.values()].find((c) => c.Id === ids.Last3)!;
    expect(c3).toMatchObject({ Email: 'person3@acme-corp.com', LastName: 'Last3-Married' });
    // Protected account: untouched.
    expect(byId.get(ids.Last5!)).toMatchObject({ Email: 'overwritten5@partnersync.test' });
    expect(out.manualReview.map((m: Row) => m.id)).toEqual([ids.Last5]);

    const log = JSON.parse((await runCli(['--json', 'audit', 'log'], { cwd })).stdout) as {
      kind: string;
      payload: Row;
    }[];
    const kinds = log.map((e) => e.kind);
    expect(kinds).toEqual(
      expect.arrayContaining(['rollback.planned', 'rollback.batch', 'rollback.completed', 'rollback.verified']),
    );
    const batchRecords = log.filter((e) => e.kind === 'rollback.batch').flatMap((e) => e.payload.records as Row[]);
    expect(batchRecords).toHaveLength(7);
    expect(batchRecords.find((b) => b.id === ids.Last0)).toMatchObject({
      action: 'restore',
      ok: true,
      fields: ['Email'],
      before: { Email: 'overwritten0@partnersync.test' },
      after: { Email: 'person0@acme-corp.com' },
    });
    expect(JSON.parse((await runCli(['--json', 'audit', 'verify'], { cwd })).stdout).ok).toBe(true);
  });

  it('a second run finds nothing left to write', async () => {
    const r = await runCli(
      ['--json', 'rollback', '--object', 'Contact', '--user', INTEGRATION, '--since', since, '--yes', ...orgArgs(emu)],
      {
        cwd,
      },
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.runId).toBeNull();
    expect(out.summary.byAction.delete + out.summary.byAction.restore).toBe(0);
  });

  it('--undo puts back what the run changed: undeletes and re-applies before-images, conflict-aware', async () => {
    // Someone fixes Last0's Email by hand after the rollback: undo must not clobber it.
    const ann = await connectAs(emu, PERSON);
    await ann.conn.sobject('Contact').update({ Id: ids.Last0!, Email: 'ann-fixed@acme-corp.com' });
    // --dry-run shows the undo plan and changes nothing, even with --yes.
    const before = JSON.stringify((await dump(emu, 'Contact')).records.Contact);
    const dry = await runCli(['--json', 'rollback', '--undo', 'rb-1', '--dry-run', '--yes', ...orgArgs(emu)], { cwd });
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true, runId: null, items: 6, applied: null });
    expect(JSON.stringify((await dump(emu, 'Contact')).records.Contact)).toBe(before);
    const resumeDry = await runCli(['rollback', '--resume', 'rb-1', '--dry-run', ...orgArgs(emu)], { cwd });
    expect(resumeDry.code).toBe(2);
    const r = await runCli(['--json', 'rollback', '--undo', 'rb-1', '--yes', ...orgArgs(emu)], { cwd });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.conflicts).toEqual([
      expect.objectContaining({
        id: ids.Last0,
        field: 'Email',
        rollback: 'person0@acme-corp.com',
        current: 'ann-fixed@acme-corp.com',
        resolution: 'left',
      }),
    ]);
    const byId = new Map<string, Row>((await dump(emu, 'Contact')).records.Contact!.map((c) => [String(c.Id), c]));
    for (const id of created) expect(byId.get(id)).toMatchObject({ IsDeleted: false });
    expect(byId.get(ids.Last0!)).toMatchObject({ Email: 'ann-fixed@acme-corp.com' });
    expect(byId.get(ids.Last1!)).toMatchObject({ Email: 'overwritten1@partnersync.test', Phone: '555-9999' });
    expect(byId.get(ids.Last2!)).toMatchObject({ Title: 'Bot' });
    const log = JSON.parse((await runCli(['--json', 'audit', 'log', '--kind', 'rollback.undone'], { cwd })).stdout);
    expect(log).toHaveLength(1);
    expect(log[0].payload).toMatchObject({ undoOf: 'rb-1', failed: 0 });
    const again = await runCli(['rollback', '--undo', 'rb-1', '--yes', ...orgArgs(emu)], { cwd });
    expect(again.code).toBe(4);
    expect(integId).toMatch(/^005/);
  });

  it("--status lists the runs and shows one run's journal; --resume refuses a finished run", async () => {
    const list = JSON.parse((await runCli(['--json', 'rollback', '--status'], { cwd })).stdout);
    expect(list.map((r: Row) => [r.id, r.kind, r.status])).toEqual([
      ['rb-1', 'rollback', 'undone'],
      ['rb-2', 'undo', 'verified'],
    ]);
    const one = JSON.parse((await runCli(['--json', 'rollback', '--status', 'rb-1'], { cwd })).stdout);
    expect(one.journal).toEqual({ done: 7 });
    const unknown = await runCli(['rollback', '--status', 'rb-99'], { cwd });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no rollback run rb-99[\s\S]*hint: lockout rollback --status lists the runs/);
    const resume = await runCli(['rollback', '--resume', 'rb-1', ...orgArgs(emu)], { cwd });
    expect(resume.code).toBe(4);
    const mixed = await runCli(['rollback', '--resume', 'rb-1', '--object', 'Contact', ...orgArgs(emu)], { cwd });
    expect(mixed.code).toBe(2);
  });

  it('an --object the org does not have is bad input (exit 2) for rollback and snapshot', async () => {
    const rb = await runCli(
      ['rollback', '--object', 'Nope__c', '--user', INTEGRATION, '--since', since, '--dry-run', ...orgArgs(emu)],
      { cwd },
    );
    expect(rb.code).toBe(2);
    expect(rb.stderr).toMatch(/--object Nope__c: the org has no such sObject type/);
    const snap = await runCli(['snapshot', '--object', 'Nope__c', ...orgArgs(emu)], { cwd });
    expect(snap.code).toBe(2);
    expect(snap.stderr).toMatch(/--object Nope__c: the org has no such sObject type/);
  });
});
