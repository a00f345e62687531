import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildCli } from '../helpers/build.js';
import { tempDir } from '../helpers/cli.js';

const run = promisify(execFile);

/** A few thousand contacts, some of them synthetic in ways record and population rules see. */
function contacts(rows: number): string {
  const lines = [
    '"Id","FirstName","LastName","Email","Phone","MailingCity","MailingCountry","CreatedById","CreatedDate"',
  ];
  const first = ['Anna', 'Ben', 'Carla', 'Dmitri', 'Eva', 'Farid', 'Greta', 'Hugo'];
  const last = ['Meyer', 'Okafor', 'Rossi', 'Santos', 'Nowak', 'Larsen', 'Dubois', 'Tanaka'];
  for (let i = 0; i < rows; i++) {
    const id = `003${String(i).padStart(12, '0')}AAA`;
    const fake = i % 17 === 0;
    const f = fake ? 'QA' : first[i % first.length]!;
    const l = fake ? `User ${i}` : last[(i * 7) % last.length]!;
    const email = fake ? `qa.user${i}@example.com` : `${f}.${l}@firm${i % 50}.de`.toLowerCase();
    const phone = fake ? '+1 617 555 0143' : `+49 30 ${String(2000000 + i * 37).slice(0, 7)}`;
    const by = fake ? '0055g00000INTEGRAT' : `0055g000000${String(i % 9).padStart(5, '0')}AA`;
    lines.push(
      [id, f, l, email, phone, 'Berlin', 'Germany', by, `2026-11-2${i % 9}T0${i % 10}:00:00.000Z`]
        .map((v) => `"${v}"`)
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

describe('lockout scan --jobs (worker threads, the built CLI)', () => {
  it('gives byte-for-byte the findings and the summary counts of --jobs 1', async () => {
    const launcher = await buildCli();
    const dir = tempDir();
    const file = path.join(dir, 'contacts.csv');
    writeFileSync(file, contacts(6000));
    const env = { ...process.env, LOCKOUT_DB: path.join(dir, 'lockout.db') };
    const scan = async (jobs: number) => {
      const out = path.join(dir, `jobs${jobs}.jsonl`);
      const json = path.join(dir, `jobs${jobs}.json`);
      await run(process.execPath, [launcher, 'scan', file, '--jobs', String(jobs), '--format', 'jsonl', '--out', out], {
        cwd: dir,
        env,
      });
      await run(process.execPath, [launcher, 'scan', file, '--jobs', String(jobs), '--format', 'json', '--out', json], {
        cwd: dir,
        env,
      });
      const summary = (JSON.parse(readFileSync(json, 'utf8')) as { summary: Record<string, unknown> }).summary;
      return { lines: readFileSync(out, 'utf8'), summary };
    };
    const one = await scan(1);
    const three = await scan(3);
    expect(one.lines.split('\n').length).toBeGreaterThan(300);
    expect(three.lines).toBe(one.lines);
    // --format csv keeps the flagged rows (workers send the values back with each candidate).
    const csv = async (jobs: number) =>
      (
        await run(process.execPath, [launcher, 'scan', file, '--jobs', String(jobs), '--format', 'csv'], {
          cwd: dir,
          env,
        })
      ).stdout;
    expect(await csv(3)).toBe(await csv(1));
    const { durationMs: _a, ...s1 } = one.summary;
    const { durationMs: _b, ...s3 } = three.summary;
    expect(s3).toEqual(s1);
    // Population rules judged the same cohorts (counts merged from every worker).
    expect((s1.cohorts as unknown[]).length).toBeGreaterThan(0);
  }, 120_000);

  it('names the file and line of a malformed row that a worker finds, and exits 2', async () => {
    const launcher = await buildCli();
    const dir = tempDir();
    const file = path.join(dir, 'contacts.csv');
    const lines = contacts(6000).split('\n');
    lines.splice(4999, 0, '"003000000000X","only","three"');
    writeFileSync(file, lines.join('\n'));
    const env = { ...process.env, LOCKOUT_DB: path.join(dir, 'lockout.db') };
    for (const jobs of ['1', '2']) {
      const r = await run(process.execPath, [launcher, 'scan', file, '--jobs', jobs], { cwd: dir, env }).catch(
        (e: { code: number; stderr: string }) => e,
      );
      expect(r).toMatchObject({ code: 2 });
      expect((r as { stderr: string }).stderr).toMatch(/contacts\.csv:5000: .*ragged row/);
    }
  }, 120_000);
});
