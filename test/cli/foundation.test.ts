import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { runCli, tempDir } from '../helpers/cli.js';
import { EXIT_CODES, exitCodeFor } from '../../src/main.js';
import { FindingsFound, IntegrityError, OrgError, Refused, UsageError } from '../../src/errors.js';

const fixed = (iso: string) => () => new Date(iso);

describe('exit codes', () => {
  it('maps each error class to the table in architecture.md', () => {
    expect(exitCodeFor(new FindingsFound('x'))).toBe(1);
    expect(exitCodeFor(new UsageError('x'))).toBe(2);
    expect(exitCodeFor(new OrgError('x'))).toBe(3);
    expect(exitCodeFor(new Refused('x'))).toBe(4);
    expect(exitCodeFor(new IntegrityError('x'))).toBe(5);
    expect(exitCodeFor(new TypeError('bug'))).toBe(70);
    expect(EXIT_CODES.map((r) => r.code)).toEqual([0, 1, 2, 3, 4, 5, 70]);
  });

  it('prints the table with help exit-codes', async () => {
    const r = await runCli(['help', 'exit-codes']);
    expect(r.code).toBe(0);
    for (const row of EXIT_CODES) expect(r.stdout).toContain(`${row.code}`.padEnd(6) + row.meaning);
  });

  it('documents every environment variable with its precedence', async () => {
    const r = await runCli(['help', 'environment']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('flags > environment > config file > defaults');
    for (const v of ['LOCKOUT_DB', 'LOCKOUT_CONFIG', 'LOCKOUT_ACTOR', 'NO_COLOR', 'LOCKOUT_DEBUG', 'SF_ACCESS_TOKEN']) {
      expect(r.stdout).toContain(v);
    }
  });

  it('gives help for a command and rejects an unknown one with exit 2', async () => {
    const ok = await runCli(['help', 'incident', 'open']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('--title');
    const bad = await runCli(['help', 'nosuch']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('nosuch');
  });

  it('prints the version', async () => {
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('rejects an unknown flag with exit 2 and one line naming it', async () => {
    const r = await runCli(['incident', 'list', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe("lockout: unknown option '--bogus'");
    expect(r.stdout).toBe('');
  });
});

describe('incidents', () => {
  it('opens, notes, shows and closes an incident, all as evidence', async () => {
    const cwd = tempDir();
    const now = fixed('2026-11-26T08:00:00.000Z');
    const open = await runCli(
      ['incident', 'open', '--title', 'Partner sync leak', '--severity', '1', '--aware-at', '2026-11-26T07:30:00Z'],
      { cwd, now },
    );
    expect(open.code).toBe(0);
    expect(open.stdout.trim()).toBe('INC-2026-0001');

    expect((await runCli(['incident', 'note', 'froze the partner user'], { cwd, now })).code).toBe(0);
    expect((await runCli(['incident', 'note', 'INC-2026-0001', 'called', 'the', 'partner'], { cwd, now })).code).toBe(
      0,
    );

    const show = await runCli(['--json', 'incident', 'show'], { cwd });
    expect(show.code).toBe(0);
    const inc = JSON.parse(show.stdout) as Record<string, unknown>;
    expect(inc).toMatchObject({
      id: 'INC-2026-0001',
      title: 'Partner sync leak',
      severity: 1,
      status: 'open',
      awareAt: '2026-11-26T07:30:00.000Z',
      openedBy: 'tester',
    });
    expect((inc.notes as { text: string }[]).map((n) => n.text)).toEqual([
      'froze the partner user',
      'called the partner',
    ]);

    const close = await runCli(['incident', 'close', '--summary', 'contained and cleaned'], { cwd, now });
    expect(close.code).toBe(0);
    const again = await runCli(['incident', 'close', 'INC-2026-0001', '--summary', 'twice'], { cwd, now });
    expect(again.code).toBe(4);
    expect(again.stderr).toContain('already closed');
    // A closed incident is no longer current.
    expect((await runCli(['incident', 'note', 'late'], { cwd, now })).code).toBe(2);

    const second = await runCli(['--json', 'incident', 'open', '--title', 'Second'], { cwd, now });
    expect(JSON.parse(second.stdout)).toMatchObject({ id: 'INC-2026-0002', severity: 2, status: 'open' });

    const list = await runCli(['--json', 'incident', 'list'], { cwd });
    expect((JSON.parse(list.stdout) as { id: string; status: string }[]).map((i) => [i.id, i.status])).toEqual([
      ['INC-2026-0001', 'closed'],
      ['INC-2026-0002', 'open'],
    ]);

    const verify = await runCli(['--json', 'audit', 'verify'], { cwd });
    expect(verify.code).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, size: 5 });

    // Nothing about incidents is stored outside the evidence log.
    const db = new Database(path.join(cwd, '.lockout/lockout.db'), { readonly: true });
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map(
      (t) => t.name,
    );
    expect(tables.filter((t) => /incident/i.test(t))).toEqual([]);
    db.close();
  });

  it('refuses bad input with exit 2 and no database', async () => {
    const cwd = tempDir();
    const cases: [string[], RegExp][] = [
      [['incident', 'open'], /--title/],
      [['incident', 'open', '--title', '  '], /--title.*must not be empty/],
      [['incident', 'open', '--title', 'x', '--severity', '7'], /severity/],
      [['incident', 'open', '--title', 'x', '--aware-at', 'yesterday'], /--aware-at/],
      [['incident', 'show', 'INC-2026-0042'], /no evidence database|unknown incident/],
      [['incident', 'note', 'hello'], /no evidence database|no current incident/],
    ];
    for (const [argv, message] of cases) {
      const r = await runCli(argv, { cwd });
      expect([argv.join(' '), r.code]).toEqual([argv.join(' '), 2]);
      expect(r.stderr).toMatch(message);
    }
    expect(existsSync(path.join(cwd, '.lockout'))).toBe(false);

    await runCli(['incident', 'open', '--title', 'x'], { cwd });
    const unknown = await runCli(['incident', 'show', 'INC-2026-0042'], { cwd });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown incident INC-2026-0042');
  });

  it('refuses an unwritable --db with exit 2 and leaves nothing half-created', async () => {
    const cwd = tempDir();
    const locked = path.join(cwd, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    const target = path.join(locked, 'sub', 'lockout.db');
    const blocker = path.join(cwd, 'plainfile');
    writeFileSync(blocker, 'x');
    // root ignores directory permissions, so the read-only directory only counts for other users.
    const unwritable = process.getuid?.() === 0 ? [] : [target];
    for (const db of [...unwritable, path.join(blocker, 'lockout.db'), path.join(blocker, 'sub', 'lockout.db')]) {
      const r = await runCli(['--db', db, 'incident', 'open', '--title', 'x'], { cwd });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(db);
    }
    expect(existsSync(path.join(locked, 'sub'))).toBe(false);
    expect(existsSync(path.join(cwd, '.lockout'))).toBe(false);

    // Not a regular file (a pipe here; /dev/null alike): refused by name, and SQLite never gets to touch it.
    const fifo = path.join(cwd, 'pipe.db');
    execFileSync('mkfifo', [fifo]);
    const r = await runCli(['--db', fifo, 'incident', 'open', '--title', 'x'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${fifo} is not a regular file`);
    expect(existsSync(`${fifo}-journal`)).toBe(false);
  });
});

describe('audit', () => {
  async function incidentWithNotes(cwd: string, notes: number) {
    await runCli(['incident', 'open', '--title', 'Drill'], { cwd });
    for (let i = 0; i < notes; i++) await runCli(['incident', 'note', `note ${i}`], { cwd });
  }

  function tamper(cwd: string, sql: string) {
    const db = new Database(path.join(cwd, '.lockout/lockout.db'));
    db.exec('DROP TRIGGER evidence_no_update; DROP TRIGGER evidence_no_delete;');
    db.exec(sql);
    db.close();
  }

  it('reports size and head, and exit 5 naming the entry after a payload edit', async () => {
    const cwd = tempDir();
    await incidentWithNotes(cwd, 4);
    const ok = await runCli(['audit', 'verify'], { cwd });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/size\s+5/);
    expect(ok.stdout).toMatch(/head\s+[0-9a-f]{64}/);

    tamper(cwd, `UPDATE evidence SET payload = replace(payload, 'note 2', 'note X') WHERE seq = 4`);
    const bad = await runCli(['audit', 'verify'], { cwd });
    expect(bad.code).toBe(5);
    expect(bad.stderr).toContain('entry 4');
    const json = await runCli(['--json', 'audit', 'verify'], { cwd });
    expect(json.code).toBe(5);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, break: { seq: 4, reason: 'hash' } });
  });

  it('detects truncation and rewrite against a checkpoint, and bad signatures', async () => {
    const cwd = tempDir();
    await incidentWithNotes(cwd, 4);
    expect((await runCli(['audit', 'keygen', '--out', 'ck'], { cwd })).code).toBe(0);
    expect((await runCli(['audit', 'keygen', '--out', 'other'], { cwd })).code).toBe(0);
    const cp = await runCli(['audit', 'checkpoint', '--out', 'cp.txt', '--sign-key', 'ck.key'], { cwd });
    expect(cp.code).toBe(0);
    const text = readFileSync(path.join(cwd, 'cp.txt'), 'utf8');
    expect(text.split('\n').slice(0, 3)[1]).toBe('5');

    await runCli(['incident', 'note', 'after the checkpoint'], { cwd });
    // A signed checkpoint verified without a key must not read as if its signature had been checked.
    const unchecked = await runCli(['audit', 'verify', '--checkpoint', 'cp.txt'], { cwd });
    expect(unchecked.code).toBe(0);
    expect(unchecked.stdout).toContain('signature not checked');
    expect((await runCli(['audit', 'verify', '--checkpoint', 'cp.txt', '--public-key', 'ck.pub'], { cwd })).code).toBe(
      0,
    );
    const wrongKey = await runCli(['audit', 'verify', '--checkpoint', 'cp.txt', '--public-key', 'other.pub'], { cwd });
    expect(wrongKey.code).toBe(5);
    expect(wrongKey.stderr).toMatch(/signature/);

    const forged = text.replace(/^(.*\n)5\n/, '$14\n');
    writeFileSync(path.join(cwd, 'forged.txt'), forged);
    expect(
      (await runCli(['audit', 'verify', '--checkpoint', 'forged.txt', '--public-key', 'ck.pub'], { cwd })).code,
    ).toBe(5);

    tamper(cwd, 'DELETE FROM evidence WHERE seq >= 5');
    // The chain alone still looks fine: that is why checkpoints exist.
    expect((await runCli(['audit', 'verify'], { cwd })).code).toBe(0);
    const truncated = await runCli(['audit', 'verify', '--checkpoint', 'cp.txt'], { cwd });
    expect(truncated.code).toBe(5);
    expect(truncated.stderr).toMatch(/truncated/);
  });

  it('names the file and the reason when --out cannot be written, never the temporary file', async () => {
    const cwd = tempDir();
    await incidentWithNotes(cwd, 0);
    const missing = await runCli(['audit', 'checkpoint', '--out', 'nodir/cp.txt'], { cwd });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      `lockout: --out: cannot write ${path.join(cwd, 'nodir/cp.txt')}: no directory ${path.join(cwd, 'nodir')}\n`,
    );
    mkdirSync(path.join(cwd, 'adir'));
    const dir = await runCli(['audit', 'checkpoint', '--out', 'adir'], { cwd });
    expect(dir.code).toBe(2);
    expect(dir.stderr).toBe(`lockout: --out: cannot write ${path.join(cwd, 'adir')}: it is a directory\n`);
  });

  it('rejects a malformed checkpoint file with exit 2', async () => {
    const cwd = tempDir();
    await incidentWithNotes(cwd, 1);
    writeFileSync(path.join(cwd, 'bad.txt'), 'only one line\n');
    const r = await runCli(['audit', 'verify', '--checkpoint', 'bad.txt'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bad.txt');
  });

  it('filters the log by incident', async () => {
    const cwd = tempDir();
    await incidentWithNotes(cwd, 2);
    await runCli(['incident', 'open', '--title', 'Other'], { cwd });
    const r = await runCli(['--json', '--incident', 'INC-2026-0001', 'audit', 'log'], { cwd });
    const entries = JSON.parse(r.stdout) as { incident: string; kind: string }[];
    expect(entries.map((e) => e.kind)).toEqual(['incident.opened', 'incident.noted', 'incident.noted']);

    // A mistyped id is an error, not an incident without evidence.
    const unknown = await runCli(['--incident', 'INC-2026-0042', 'audit', 'log'], { cwd });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown incident INC-2026-0042');
    expect(unknown.stdout).toBe('');
  });
});

describe('internal errors', () => {
  it('exit 70 with one message and where to report it; the stack only with LOCKOUT_DEBUG=1', async () => {
    const { main } = await import('../../src/main.js');
    const { PassThrough, Readable, Writable } = await import('node:stream');
    const run = async (env: Record<string, string>) => {
      const broken = new Writable({
        write() {
          throw new TypeError('stdout exploded');
        },
      });
      const err = new PassThrough();
      let stderr = '';
      err.on('data', (c: Buffer) => (stderr += c.toString()));
      const code = await main(['help', 'exit-codes'], {
        io: { in: Readable.from([]), out: broken, err, isTTY: { in: false, out: false, err: false }, color: false },
        env,
        cwd: tempDir(),
      });
      return { code, stderr };
    };
    const plain = await run({});
    expect(plain.code).toBe(70);
    expect(plain.stderr).toMatch(/^lockout: internal error: stdout exploded\n/);
    expect(plain.stderr).toContain('report it');
    expect(plain.stderr).not.toContain('    at ');
    const debug = await run({ LOCKOUT_DEBUG: '1' });
    expect(debug.stderr).toContain('    at ');
  });
});
