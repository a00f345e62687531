import { writeFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { runCli, tempDir } from '../helpers/cli.js';
import { merkleRootRecursive } from '../../src/rollback/merkle.js';
import { canonicalJson } from '../../src/store/chain.js';
import { csvCell, planCsv } from '../../src/rollback/output.js';
import { buildPlan } from '../../src/rollback/plan.js';

const CSV = [
  'Id,LastName,Email,NumberOfEmployees__c',
  '003000000000001AAA,Smith,smith@acme.com,10',
  '003000000000002AAA,"Doe, Jr.",,20',
  '003000000000003AAA,Lee,lee@acme.com,30',
].join('\n');

async function setup() {
  const cwd = tempDir();
  writeFileSync(path.join(cwd, 'export.csv'), `${CSV}\n`);
  return cwd;
}

describe('snapshot from an export file', () => {
  it('stores canonical records and writes the RFC 9162 root to the evidence log', async () => {
    const cwd = await setup();
    const r = await runCli(['--json', 'snapshot', '--object', 'Contact', '--file', 'export.csv'], { cwd });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const snap = JSON.parse(r.stdout);
    expect(snap.count).toBe(3);
    // The root over the canonical JSON of each row, computed independently (empty cell = null).
    const rows = [
      { Id: '003000000000001AAA', LastName: 'Smith', Email: 'smith@acme.com', NumberOfEmployees__c: '10' },
      { Id: '003000000000002AAA', LastName: 'Doe, Jr.', Email: null, NumberOfEmployees__c: '20' },
      { Id: '003000000000003AAA', LastName: 'Lee', Email: 'lee@acme.com', NumberOfEmployees__c: '30' },
    ];
    expect(snap.merkleRoot).toBe(merkleRootRecursive(rows.map((x) => canonicalJson(x))));

    const log = JSON.parse((await runCli(['--json', 'audit', 'log', '--kind', 'snapshot.created'], { cwd })).stdout);
    expect(log).toHaveLength(1);
    expect(log[0].payload).toMatchObject({
      snapshotId: snap.id,
      count: 3,
      merkleRoot: snap.merkleRoot,
      object: 'Contact',
    });

    const show = JSON.parse((await runCli(['--json', 'snapshot', 'show', snap.id], { cwd })).stdout);
    expect(show.rootMatches).toBe(true);
    expect(show.recomputedRoot).toBe(snap.merkleRoot);

    const list = JSON.parse((await runCli(['--json', 'snapshot', 'list'], { cwd })).stdout);
    expect(list.map((s: { id: string }) => s.id)).toEqual([snap.id]);
  });

  it('verify --file reports unchanged, changed (with fields), added and deleted', async () => {
    const cwd = await setup();
    const snap = JSON.parse(
      (await runCli(['--json', 'snapshot', '--object', 'Contact', '--file', 'export.csv'], { cwd })).stdout,
    );
    writeFileSync(
      path.join(cwd, 'later.csv'),
      [
        'Id,LastName,Email,NumberOfEmployees__c',
        '003000000000001AAA,Smith,smith@acme.com,10',
        '003000000000002AAA,"Doe, Jr.",doe@fake.test,20',
        '003000000000009AAA,New,new@fake.test,1',
      ].join('\n'),
    );
    const r = await runCli(['--json', 'verify', '--snapshot', snap.id, '--file', 'later.csv'], { cwd });
    expect(r.code).toBe(0);
    const v = JSON.parse(r.stdout);
    expect(v.counts).toEqual({ unchanged: 1, changed: 1, added: 1, deleted: 1 });
    expect(v.changed).toEqual([{ id: '003000000000002AAA', fields: ['Email'] }]);
    expect(v.added).toEqual(['003000000000009AAA']);
    expect(v.deleted).toEqual(['003000000000003AAA']);
    const log = JSON.parse((await runCli(['--json', 'audit', 'log', '--kind', 'verify.completed'], { cwd })).stdout);
    expect(log[0].payload.counts).toEqual(v.counts);

    // For CI: --fail-on-change exits 1 on differences (the result is still printed), 0 when there are none.
    const failing = await runCli(
      ['--json', 'verify', '--snapshot', snap.id, '--file', 'later.csv', '--fail-on-change'],
      {
        cwd,
      },
    );
    expect(failing.code).toBe(1);
    expect(JSON.parse(failing.stdout).counts).toEqual(v.counts);
    expect(failing.stderr).toMatch(/differs from .*1 changed, 1 added, 1 deleted/);
    const same = await runCli(['verify', '--snapshot', snap.id, '--file', 'export.csv', '--fail-on-change'], { cwd });
    expect(same.code).toBe(0);
  });

  it('a malformed export names the file and line and exits 2, leaving no complete snapshot', async () => {
    const cwd = tempDir();
    writeFileSync(path.join(cwd, 'bad.csv'), 'Id,LastName\n003000000000001AAA,Smith\n003000000000002AAA,Doe,extra\n');
    const r = await runCli(['snapshot', '--object', 'Contact', '--file', 'bad.csv'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.csv:3/);
    const list = JSON.parse((await runCli(['--json', 'snapshot', 'list'], { cwd })).stdout);
    expect(list.every((s: { takenAt: string | null }) => s.takenAt === null)).toBe(true);
    const pruned = JSON.parse((await runCli(['--json', 'snapshot', 'prune', '--incomplete'], { cwd })).stdout);
    expect(pruned.removed).toHaveLength(list.length);
  });

  it('a duplicate Id is refused with its line', async () => {
    const cwd = tempDir();
    writeFileSync(path.join(cwd, 'dup.csv'), 'Id,LastName\n003000000000001AAA,Smith\n003000000000001AAA,Doe\n');
    const r = await runCli(['snapshot', '--object', 'Contact', '--file', 'dup.csv'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/dup\.csv:3: duplicate Id 003000000000001AAA/);
  });

  it('prune --keep keeps the newest per object', async () => {
    const cwd = await setup();
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      ids.push(
        JSON.parse(
          (await runCli(['--json', 'snapshot', '--object', 'Contact', '--file', 'export.csv'], { cwd })).stdout,
        ).id,
      );
    }
    const r = JSON.parse((await runCli(['--json', 'snapshot', 'prune', '--keep', '1'], { cwd })).stdout);
    expect(r.removed.sort()).toEqual(ids.slice(0, 2).sort());
  });
});

describe('manifest', () => {
  it('records sha256 and row count (quoted commas and line breaks count once) and verifies the file', async () => {
    const cwd = tempDir();
    const body = 'Id,Description\n003000000000001AAA,"two\nlines"\n003000000000002AAA,"a, b"\n';
    writeFileSync(path.join(cwd, 'load.csv'), body);
    const m = await runCli(['--json', 'manifest', 'load.csv'], { cwd });
    expect(m.code).toBe(0);
    const man = JSON.parse(m.stdout);
    expect(man.rows).toBe(2);
    // printf 'Id,Description\n003000000000001AAA,"two\nlines"\n003000000000002AAA,"a, b"\n' | sha256sum
    expect(man.sha256).toBe(createHash('sha256').update(body).digest('hex'));
    expect(JSON.parse(readFileSync(path.join(cwd, 'load.csv.manifest.json'), 'utf8')).sha256).toBe(man.sha256);

    const ok = await runCli(['--json', 'verify', '--file', 'load.csv', '--manifest', 'load.csv.manifest.json'], {
      cwd,
    });
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).ok).toBe(true);

    writeFileSync(path.join(cwd, 'load.csv'), `${body}003000000000003AAA,sneaked in\n`);
    const bad = await runCli(['--json', 'verify', '--file', 'load.csv', '--manifest', 'load.csv.manifest.json'], {
      cwd,
    });
    expect(bad.code).toBe(5);
    const res = JSON.parse(bad.stdout);
    expect(res.mismatches.map((x: { field: string }) => x.field)).toEqual(expect.arrayContaining(['sha256', 'rows']));
    expect(res.actual.rows).toBe(3);
  });

  it('a missing file is a usage error naming it', async () => {
    const r = await runCli(['manifest', 'nope.csv']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nope\.csv/);
  });
});

describe('plan CSV', () => {
  it.each([
    ['=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ['+1 555', "'+1 555"],
    ['-2', "'-2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    [null, ''],
  ])('neutralises and quotes %p', (v, want) => {
    expect(csvCell(v)).toBe(want);
  });

  it('has one row per field decision and neutralises values from the org', () => {
    const plan = buildPlan({
      records: [
        {
          object: 'Contact',
          id: '003B',
          current: { Email: '=cmd|calc', Phone: '2' },
          lastModifiedById: 'I',
          lastModifiedDate: '2026-11-01T10:00:00Z',
        },
      ],
      history: [
        {
          id: 'h1',
          recordId: '003B',
          field: 'Email',
          oldValue: 'a@b.c',
          newValue: '=cmd|calc',
          createdById: 'I',
          createdDate: '2026-11-01T09:00:00Z',
        },
        {
          id: 'h2',
          recordId: '003B',
          field: 'Phone',
          oldValue: '1',
          newValue: '2',
          createdById: 'I',
          createdDate: '2026-11-01T09:00:00Z',
        },
      ],
      snapshots: new Map(),
      integrationUsers: ['I'],
      window: { since: '2026-11-01T00:00:00Z', until: null },
      protectedAccounts: [],
      options: { strategy: 'delete', onConflict: 'skip' },
    });
    const lines = planCsv(plan).trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain("'=cmd|calc");
    expect(lines[0]).toBe(
      'object,id,action,would_be,reason,field,before,integration,current,source,conflict,resolution,changed_by,unrecoverable',
    );
  });
});
