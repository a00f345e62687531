import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { scenario, T } from './fixture.js';
import { SECTIONS } from '../../src/report/document.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { Store } from '../../src/store/evidence.js';

const sha = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');
const sh = (cmd: string, cwd: string) => execFileSync('sh', ['-c', cmd], { cwd }).toString();
const schema = JSON.parse(readFileSync(new URL('../../docs/report.schema.json', import.meta.url), 'utf8')) as object;
const ajv = new Ajv2020({ allErrors: true, strict: true });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
const validate = ajv.compile(schema);

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function reportEntries(db: string) {
  const store = Store.open(db, { create: false });
  try {
    return [...store.entries({ kinds: ['report.generated'] })];
  } finally {
    store.close();
  }
}

describe('lockout report', () => {
  it('has every section, counts from scan and rollback evidence, and the head that audit verify prints', async () => {
    const s = await scenario();
    const verify = await s.cli(['--json', 'audit', 'verify']);
    const head = JSON.parse(verify.stdout) as { size: number; head: string };
    const r = await s.cli(['report', '--format', 'md']);
    expect(r.code).toBe(0);
    const md = r.stdout;
    for (const sec of SECTIONS.filter((x) => x.id !== 'map')) expect(md).toContain(`. ${sec.title}`);
    expect(md).toContain('| Records flagged (distinct) | 11 (high 6, medium 3, low 2) | #7 |');
    expect(md).toContain('| Records read by scans | 1200 | #7 |');
    expect(md).toContain('| Email | 4 | 4 | - | #10, #13 |');
    expect(md).toContain('| Phone | 2 | 1 | 1 | #10, #12, #13 |');
    expect(md).toContain('| Contact | delete 6, restore 4 | #12 |');
    expect(md).toContain('| FR | yes | 7 |');
    expect(md).toContain('| Member States concerned | DE, FR | derived from #7 |');
    expect(md).toContain(`#${head.size} ${head.head}`);
    expect(md).toMatch(/GDPR \| notification to the supervisory authority.*\| met \|/);
    expect(md).toContain('Art. 34(3)(b)');
    // Field values (rollback before-images) never reach a report, only field names and counts.
    expect(md).not.toContain('real@customer.example');
    // Every timeline row carries its entry hash, exactly as stored.
    const store = Store.open(s.db, { create: false });
    const entries = [...store.entries({ incident: s.incident })].filter((e) => e.seq <= head.size);
    expect(entries).toHaveLength(head.size);
    for (const e of entries) {
      expect(md).toContain(`| ${e.seq} | ${e.ts} |`);
      expect(md).toContain(e.hash);
    }
    store.close();
  });

  it.each(['md', 'html', 'json'] as const)(
    '%s: the seal recomputes with the printed command and is recorded in report.generated',
    async (format) => {
      const s = await scenario();
      const out = path.join(s.dir, `report.${format}`);
      const r = await s.cli(['--json', 'report', '--format', format, '--out', out]);
      expect(r.code).toBe(0);
      const result = JSON.parse(r.stdout) as Json;
      const file = readFileSync(out);
      expect(result.fileSha256).toBe(sha(file));
      const text = file
        .toString()
        .replace(/&#39;/g, "'")
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&');
      const printed = text.match(
        /Recompute: (?:<code>|`)(sed '[^']+' report\.\w+ \| sha256sum)|"recompute":"(sed '[^']+' report\.json \| sha256sum)"/,
      );
      const cmd = (printed?.[1] ?? printed?.[2])!;
      expect(cmd).toBeTruthy();
      expect(sh(cmd, s.dir).split(' ')[0]).toBe(result.sha256);
      expect(file.toString()).toContain(result.sha256);
      const [entry] = reportEntries(s.db);
      expect(entry!.seq).toBe(result.seq);
      expect(entry!.payload).toMatchObject({
        sha256: result.sha256,
        fileSha256: result.fileSha256,
        format,
        phase: 'initial',
        version: 1,
        supersedes: null,
      });
    },
  );

  it('json validates against docs/report.schema.json; a follow-up supersedes the earlier report by hash', async () => {
    const s = await scenario();
    const first = await s.cli(['report', '--format', 'json', '--map', 'generic']);
    expect(first.code).toBe(0);
    const doc1 = JSON.parse(first.stdout) as Json;
    expect(validate(doc1)).toBe(true);
    expect(first.stdout).not.toContain('real@customer.example');
    expect(validate.errors ?? null).toBeNull();
    await s.cli(
      [
        'incident',
        'assess',
        '--root-cause',
        'Generator job pointed at production',
        '--lessons',
        'Separate credentials per environment',
        '--resolved-at',
        T(17),
      ],
      T(18),
    );
    const second = await s.cli(['report', '--format', 'json', '--phase', 'final', '--map', 'ico'], T(21));
    const doc2 = JSON.parse(second.stdout) as Json;
    expect(validate(doc2)).toBe(true);
    expect(doc2.reportType.phase).toBe('final');
    expect(doc2.reportType.version).toBe(2);
    expect(doc2.reportType.supersedes.sha256).toBe(doc1.seal.sha256);
    expect(doc2.review.rootCause).toMatchObject({ value: 'Generator job pointed at production', from: 'evidence' });
    expect(doc2.authorityMap.authority).toBe('ico');
    // The same report in another format, with nothing new in between, keeps the phase and supersedes nothing.
    const sibling = await s.cli(['report', '--format', 'md'], T(21));
    expect(sibling.stdout).toContain('Final report (version 1)');
    expect(sibling.stdout).toContain('nothing (first report of this incident in this format)');
    // Without --phase, a report after new evidence is a follow-up, superseding the last one of its format.
    await s.cli(['incident', 'note', 'CNIL asked for the partner contract'], T(21));
    const third = JSON.parse((await s.cli(['report', '--format', 'json'], T(22))).stdout) as Json;
    expect(third.reportType.phase).toBe('follow-up');
    expect(third.reportType.supersedes.sha256).toBe(doc2.seal.sha256);
    // The report's counts are the scan's and the rollback's.
    expect(doc1.subjects.byLevel).toEqual({ high: 6, medium: 3, low: 2 });
    // The per-hour chart covers the burst; the one record created in 2024 is counted outside it.
    expect(doc1.subjects.createdPerHour.map((h: Json) => h.hour)).toEqual([
      '2026-11-20T02:00Z',
      '2026-11-20T03:00Z',
      '2026-11-20T05:00Z',
    ]);
    expect(doc1.subjects.createdOutsideWindow).toEqual({
      records: 1,
      earliest: '2024-03-01T10:00Z',
      latest: '2024-03-01T10:00Z',
    });
    expect(doc1.subjects.existingRecordsAltered).toEqual({ value: 4, from: 'derived', seqs: [13] });
    expect(doc1.fieldsAltered).toEqual([
      { field: 'Email', count: 4, restored: 4, unrecoverable: null, seqs: [10, 13] },
      { field: 'Phone', count: 2, restored: 1, unrecoverable: 1, seqs: [10, 12, 13] },
      { field: 'MailingCity', count: 1, restored: 1, unrecoverable: null, seqs: [10, 13] },
    ]);
  });

  it('the printed checkpoint verifies afterwards, and editing the database makes the verify commands fail', async () => {
    const s = await scenario();
    const keys = await s.cli(['audit', 'keygen', '--out', path.join(s.dir, 'k')]);
    expect(keys.code).toBe(0);
    const doc = JSON.parse(
      (await s.cli(['report', '--format', 'json', '--sign-key', path.join(s.dir, 'k.key')])).stdout,
    ) as Json;
    expect(doc.integrity.checkpoint.signed).toBe(true);
    writeFileSync(path.join(s.dir, 'checkpoint.txt'), doc.integrity.checkpoint.text);
    const args = [
      'audit',
      'verify',
      '--checkpoint',
      path.join(s.dir, 'checkpoint.txt'),
      '--public-key',
      path.join(s.dir, 'k.pub'),
    ];
    expect((await s.cli(args)).code).toBe(0);
    expect((await s.cli(['audit', 'verify'])).code).toBe(0);
    // Tamper: someone rewrites a scan count behind the triggers' back.
    const raw = new Database(s.db);
    raw.exec('DROP TRIGGER evidence_no_update');
    raw.prepare("UPDATE evidence SET payload = replace(payload, '1200', '12') WHERE kind = 'scan.completed'").run();
    raw.close();
    expect((await s.cli(['audit', 'verify'])).code).toBe(5);
    expect((await s.cli(args)).code).toBe(5);
    // And no new report is built on a broken log.
    const again = await s.cli(['report']);
    expect(again.code).toBe(5);
    expect(again.stderr).toContain('refusing to report from a broken log');
  });

  it('renders hostile record values as inert text in html and md', async () => {
    const s = await scenario({ hostile: true });
    const html = (await s.cli(['report', '--format', 'html', '--map', 'cnil'])).stdout;
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;');
    expect(html).toContain('=HYPERLINK(&quot;http://evil.example&quot;,&quot;click&quot;)');
    expect(html).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
    expect(html).toContain('[U+202E]');
    expect(html).toContain('שלום');
    expect(html).not.toContain('A'.repeat(5000));
    expect(html).toContain('more characters]');
    // Self-contained: no scripts, no external fetches; a CSP forbids them anyway.
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?(https?:|\/\/)/i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    expect(html.match(/^<!-- lockout:seal -->$/gm)).toHaveLength(1);
    expect(html).toContain('<svg');

    const md = (await s.cli(['report', '--format', 'md'])).stdout;
    expect(md).not.toMatch(/(?<!\\)<script/);
    expect(md).toContain('\\<script\\>alert(1)\\</script\\>');
    expect(md).toContain(
      '\\| pipe \\| \\`tick\\` \\[link\\](http://evil.example) \\*\\*bold\\*\\* \\<!-- lockout:seal --\\>',
    );
    expect(md.match(/^<!-- lockout:seal -->$/gm)).toHaveLength(1);
    // A table row never gains cells from a value: every row of the records annex has 9 cells.
    const annex = md.slice(md.lastIndexOf('Annex: records concerned'), md.lastIndexOf('Appendix: evidence integrity'));
    const rows = annex.split('\n').filter((l) => l.startsWith('| '));
    expect(rows.length).toBeGreaterThan(2);
    for (const row of rows) expect(row.split(/(?<!\\)\|/).length - 2).toBe(9);
  });

  it('--aggregate-only leaves out record ids, user ids and note texts but keeps counts', async () => {
    const s = await scenario();
    for (const format of ['md', 'html', 'json']) {
      const out = (await s.cli(['report', '--aggregate-only', '--format', format, '--map', 'ico'])).stdout;
      expect(out).not.toContain('003A0');
      expect(out).not.toContain('005PARTNER');
      expect(out).not.toContain('faulty generator job');
      expect(out).toMatch(/high 6, medium 3, low 2|"high": 6/);
    }
    const doc = JSON.parse((await s.cli(['report', '--aggregate-only', '--format', 'json'])).stdout) as Json;
    expect(doc.flaggedRecords).toBeNull();
    expect(validate(doc)).toBe(true);
  });

  it('with only an opened incident, sections say "no evidence recorded" and nothing is invented', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'l.db');
    const cli = (argv: string[]) => runCli(['--db', db, ...argv], { cwd: dir, now: () => new Date(T(20)) });
    await cli(['incident', 'open', '--title', 'Bare', '--aware-at', T(1)]);
    const doc = JSON.parse((await cli(['report', '--format', 'json'])).stdout) as Json;
    expect(validate(doc)).toBe(true);
    expect(doc.subjects.flagged).toBe(0);
    expect(doc.subjects.recordsRead).toBeNull();
    expect(doc.measures).toEqual([]);
    expect(doc.controller.name).toEqual({ value: null, from: 'none', seqs: [] });
    expect(doc.clocks).toEqual([
      expect.objectContaining({ regime: 'GDPR', status: 'due', deadline: '2026-11-23T01:00:00.000Z' }),
    ]);
    expect(doc.gaps.map((g: Json) => g.missing)).toEqual(
      expect.arrayContaining(['scan findings', 'measures taken (Art. 33(3)(d))']),
    );
    const md = (await cli(['report'])).stdout;
    expect(md).toContain('Scans: no evidence recorded');
    expect(md).toContain('Measures taken: no evidence recorded');
  });

  it.each([
    [['--format', 'pdf'], '--format'],
    [['--phase', 'draft'], '--phase'],
    [['--map', 'dpc'], '--map'],
    [['--sign-key', 'missing.pem'], '--sign-key'],
    [['--out', 'no/such/dir/r.md'], '--out'],
  ])('rejects %j with exit 2 naming %s and appends nothing', async (args, flag) => {
    const s = await scenario();
    const before = reportEntries(s.db).length;
    const r = await s.cli(['report', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(flag);
    expect(reportEntries(s.db).length).toBe(before);
    expect(existsSync(path.join(s.dir, 'no'))).toBe(false);
  });

  it('names an unknown incident with exit 2', async () => {
    const s = await scenario();
    const r = await s.cli(['--incident', 'INC-2026-0099', 'report']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('INC-2026-0099');
  });

  it('says in the timeline which isolation action and which playbook step each entry is', async () => {
    const cwd = tempDir();
    expect((await runCli(['incident', 'open', '--title', 'Steps'], { cwd })).code).toBe(0);
    const db = path.join(cwd, '.lockout', 'lockout.db');
    const store = Store.open(db, { create: false });
    const add = (kind: string, payload: unknown) =>
      store.append({ kind, incident: 'INC-2026-0001', actor: 'a', ts: new Date().toISOString(), payload });
    add('isolate.action', {
      isolationId: 'ISO-2026-0001',
      kind: 'freeze-user',
      status: 'done',
      target: { id: '005X', name: 'sync@partner.example', type: 'User' },
    });
    add('playbook.started', { run: 'PB-0001', playbook: 'market-lockout', steps: 36 });
    add('playbook.step.started', { run: 'PB-0001', step: 'contain-decision', title: 'Decide how to contain' });
    add('playbook.step.completed', {
      run: 'PB-0001',
      step: 'contain-decision',
      outcome: 'decided',
      decision: 'isolate',
      decidedBy: 'Sam Oncall',
      role: 'on-call-engineer',
      reason: 'within thresholds',
      elapsedMs: 1,
      timeboxExceeded: false,
    });
    store.close();
    const summaries = async (extra: string[]) => {
      const r = await runCli(['report', '--format', 'json', ...extra], { cwd });
      expect(r.code).toBe(0);
      return (JSON.parse(r.stdout) as Json).timeline.map((t: Json) => t.summary as string);
    };
    const full = await summaries([]);
    expect(full).toEqual(
      expect.arrayContaining([
        'Isolation action freeze-user (User): done',
        'Playbook market-lockout started (PB-0001, 36 steps)',
        'Playbook step contain-decision started: Decide how to contain',
        'Playbook step contain-decision: decided; decision isolate by Sam Oncall (on-call-engineer); within thresholds',
      ]),
    );
    // The target's name is never in the row; free text stays out of aggregate-only reports.
    expect(full.join('\n')).not.toContain('sync@partner.example');
    expect(await summaries(['--aggregate-only'])).toContain(
      'Playbook step contain-decision: decided; decision isolate by Sam Oncall (on-call-engineer)',
    );
  });
});
