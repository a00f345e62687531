import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { XMLValidator } from 'fast-xml-parser';
import { runCli, tempDir } from '../helpers/cli.js';
import { Store } from '../../src/store/evidence.js';
import { emptySeed } from '../../src/emulator/seed.js';
import { startEmulator } from '../../src/emulator/index.js';

const HEADER = '"Id","FIRSTNAME","LASTNAME","EMAIL","PHONE","MAILINGCITY","MAILINGCOUNTRY"';
const REAL = '"0035g0000103olMAAQ","Lillian","Jones","lillian.jones.mp@parliament.uk","","London","United Kingdom"';
const FAKE = '"0035g000027tCyoAAE","Beverly","Chen","beverly.chen@example.com","617-555-0143","Boston","United States"';
const FORMULA = '"0035g00001QGGlWAAX","=HYPERLINK(""x"")","Test","test@test.com","","","United States"';

function write(dir: string, name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

describe('lockout scan (CLI)', () => {
  it('reads Data Loader CSV (BOM, CRLF, upper-case header, quoted newline) and prints json', async () => {
    const dir = tempDir();
    const multi = '"0035g000010A0TsAAK","Becca","Balint","","202-225-4115","Washington","United States"';
    const csv = `\uFEFF${HEADER}\r\n${REAL}\r\n${FAKE.replace('"Boston"', '"Bos\r\nton"')}\r\n${multi}\r\n`;
    const file = write(dir, 'contacts.csv', csv);
    const r = await runCli(['scan', file, '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      summary: { recordsRead: number; inputs: { sha256: string; rows: number; object: string }[] };
      findings: { id: string; line: number; object: string; reasons: { rule: string }[] }[];
    };
    expect(out.summary.recordsRead).toBe(3);
    expect(out.summary.inputs[0]).toMatchObject({ rows: 3, object: 'Contact' });
    expect(out.summary.inputs[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(out.findings.map((f) => f.id)).toEqual(['0035g000027tCyoAAE']);
    expect(out.findings[0]!.line).toBe(3);
    expect(out.findings[0]!.reasons.map((x) => x.rule)).toEqual(
      expect.arrayContaining(['reserved-domain', 'fiction-phone']),
    );
  });

  it('reads JSON Lines with attributes and relationship objects, gzip, and CSV on stdin', async () => {
    const dir = tempDir();
    const rec = {
      attributes: { type: 'Lead' },
      Id: '00Q5g00001059wtEAA',
      LastName: 'Snow',
      Company: 'Acme',
      Email: 'jon@winterfell.test',
      Owner: { Name: 'X' },
    };
    const jsonl = write(dir, 'leads.jsonl.gz', gzipSync(`${JSON.stringify(rec)}\n`));
    const r = await runCli(['scan', jsonl, '--format', 'jsonl'], { cwd: dir });
    expect(r.code).toBe(0);
    const f = JSON.parse(r.stdout.trim()) as { object: string; level: string };
    expect(f.object).toBe('Lead');
    const s = await runCli(['scan', '-', '--format', 'jsonl', '--object', 'Contact'], {
      cwd: dir,
      stdin: `${HEADER}\n${FAKE}\n`,
    });
    expect(s.code).toBe(0);
    expect(JSON.parse(s.stdout.trim())).toMatchObject({ id: '0035g000027tCyoAAE', object: 'Contact', file: '-' });
  });

  it.each([
    ['unclosed quote', `${HEADER}\n${REAL}\n"003x","Ann`, /bad\.csv:3: a quoted field is never closed/],
    ['ragged row', `${HEADER}\n${REAL}\n"a","b"\n`, /bad\.csv:3: .*ragged row/],
    ['missing header', `${REAL}\n${FAKE}\n`, /bad\.csv:1: missing header row/],
    ['empty file', '', /bad\.csv:1: the file is empty/],
    [
      'non-UTF-8 bytes',
      Buffer.concat([Buffer.from(`${HEADER}\n`), Buffer.from([0x22, 0xff, 0xfe, 0x22, 0x0a])]),
      /bad\.csv:2: bytes that are not UTF-8/,
    ],
    ['binary', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x01]), /bad\.csv:1: a NUL byte/],
  ])('exits 2 naming file and line on %s, and writes no --out file', async (_name, content, message) => {
    const dir = tempDir();
    const file = write(dir, 'bad.csv', content);
    const out = path.join(dir, 'out.json');
    const r = await runCli(['scan', file, '--out', out], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(out)).toBe(false);
    // jsonl --out streams findings to a temporary file: it must not survive the error either.
    const streamed = await runCli(['scan', file, '--format', 'jsonl', '--out', 'out.jsonl'], { cwd: dir });
    expect(streamed.code).toBe(2);
    expect(readdirSync(dir)).toEqual(['bad.csv']);
  });

  it('exits 2 on a single field too large to be a record', async () => {
    const dir = tempDir();
    const file = write(dir, 'huge.csv', `${HEADER}\n"003","${'x'.repeat(9 * 1024 * 1024)}","a","","","",""\n`);
    const r = await runCli(['scan', file], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/huge\.csv:2: a record longer than 8 MB/);
  });

  it('skips ragged rows with --skip-bad-rows and counts them', async () => {
    const dir = tempDir();
    const file = write(dir, 'c.csv', `${HEADER}\n${REAL}\n"a","b"\n${FAKE}\n`);
    const r = await runCli(['scan', file, '--skip-bad-rows', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      summary: { recordsSkipped: number; recordsRead: number };
      findings: unknown[];
    };
    expect(out.summary.recordsSkipped).toBe(1);
    expect(out.summary.recordsRead).toBe(2);
    expect(out.findings).toHaveLength(1);
  });

  it('--fail-on exits 1 after writing the output; below the level it exits 0', async () => {
    const dir = tempDir();
    const file = write(dir, 'c.csv', `${HEADER}\n${REAL}\n${FAKE}\n`);
    const out = path.join(dir, 'f.jsonl');
    const r = await runCli(['scan', file, '--format', 'jsonl', '--out', out, '--fail-on', 'high'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/1 finding at or above high/);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(1);
    const clean = write(dir, 'clean.csv', `${HEADER}\n${REAL}\n`);
    expect((await runCli(['scan', clean, '--fail-on', 'low', '--format', 'json'], { cwd: dir })).code).toBe(0);
  });

  it('writes csv with score columns and neutralised formulas, sarif 2.1.0 and well-formed junit', async () => {
    const dir = tempDir();
    const file = write(dir, 'c.csv', `${HEADER}\n${REAL}\n${FAKE}\n${FORMULA}\n`);
    const csv = await runCli(['scan', file, '--format', 'csv'], { cwd: dir });
    const lines = csv.stdout.trim().split('\r\n');
    expect(lines[0]).toBe(
      'Id,FIRSTNAME,LASTNAME,EMAIL,PHONE,MAILINGCITY,MAILINGCOUNTRY,LockoutScore,LockoutLevel,LockoutReasons',
    );
    expect(lines).toHaveLength(3);
    expect(csv.stdout).toContain(`"'=HYPERLINK(""x"")"`);
    expect(csv.stdout).not.toMatch(/(^|,)=HYPERLINK/m);
    const sarif = JSON.parse((await runCli(['scan', file, '--format', 'sarif'], { cwd: dir })).stdout) as {
      version: string;
      runs: {
        tool: { driver: { name: string; rules: { id: string }[] } };
        results: {
          ruleId: string;
          level: string;
          locations: { physicalLocation: { region: { startLine: number } } }[];
        }[];
      }[];
    };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]!.results).toHaveLength(2);
    expect(sarif.runs[0]!.results[0]!.locations[0]!.physicalLocation.region.startLine).toBe(3);
    const ids = sarif.runs[0]!.tool.driver.rules.map((x) => x.id);
    for (const res of sarif.runs[0]!.results) expect(ids).toContain(res.ruleId);
    const junit = (await runCli(['scan', file, '--format', 'junit'], { cwd: dir })).stdout;
    expect(XMLValidator.validate(junit)).toBe(true);
    expect(junit).toMatch(/failures="2"/);
  });

  it('appends scan.completed evidence to the incident, holding ids but no field values', async () => {
    const dir = tempDir();
    expect((await runCli(['incident', 'open', '--title', 'partner leak'], { cwd: dir })).code).toBe(0);
    const file = write(dir, 'c.csv', `${HEADER}\n${REAL}\n${FAKE}\n`);
    const r = await runCli(['scan', file, '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(0);
    const store = Store.open(path.join(dir, '.lockout/lockout.db'), { create: false });
    const entries = [...store.entries({ kinds: ['scan.completed'] })];
    store.close();
    expect(entries).toHaveLength(1);
    const payload = entries[0]!.payload as {
      flagged: { id: string; country: string | null; rules: string[] }[];
      recordsRead: number;
      inputs: { sha256: string }[];
    };
    expect(payload.recordsRead).toBe(2);
    expect(payload.flagged).toEqual([
      expect.objectContaining({ id: '0035g000027tCyoAAE', object: 'Contact', country: 'US', level: 'high' }),
    ]);
    const text = JSON.stringify(payload);
    for (const personal of ['Beverly', 'Chen', 'beverly.chen', '617-555-0143', 'Boston'])
      expect(text).not.toContain(personal);
  });

  it('honours --allowlist (ids and field values) and --baseline / --update-baseline', async () => {
    const dir = tempDir();
    const file = write(dir, 'c.csv', `${HEADER}\n${REAL}\n${FAKE}\n${FORMULA}\n`);
    const allow = write(dir, 'allow.txt', '# accepted\n0035g000027tCyoAAE\nEMAIL=test@test.com\n');
    const a = JSON.parse(
      (await runCli(['scan', file, '--allowlist', allow, '--format', 'json'], { cwd: dir })).stdout,
    ) as { findings: { id: string; reasons: { field: string }[] }[]; summary: { allowlisted: number } };
    expect(a.summary.allowlisted).toBe(1);
    expect(a.findings.map((f) => f.id)).not.toContain('0035g000027tCyoAAE');
    for (const f of a.findings) for (const x of f.reasons) expect(x.field).not.toBe('EMAIL');
    const baseline = path.join(dir, 'baseline.json');
    expect(
      (await runCli(['scan', file, '--baseline', baseline, '--update-baseline', '--format', 'json'], { cwd: dir }))
        .code,
    ).toBe(0);
    const again = JSON.parse(
      (await runCli(['scan', file, '--baseline', baseline, '--format', 'json'], { cwd: dir })).stdout,
    ) as { findings: unknown[]; summary: { baselineSuppressed: number } };
    expect(again.findings).toEqual([]);
    expect(again.summary.baselineSuppressed).toBe(2);
    const bad = write(dir, 'bad-allow.txt', 'not an id\n');
    const e = await runCli(['scan', file, '--allowlist', bad], { cwd: dir });
    expect(e.code).toBe(2);
    expect(e.stderr).toMatch(/bad-allow\.txt:1:/);
  });

  it('rejects --org without --object, and files together with --org', async () => {
    const dir = tempDir();
    const r = await runCli(['scan', '--org'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--org needs --object/);
    const file = write(dir, 'c.csv', `${HEADER}\n${REAL}\n`);
    expect((await runCli(['scan', file, '--org', '--object', 'Contact'], { cwd: dir })).code).toBe(2);
  });

  it('prints a table with a summary and the top findings by default on a TTY', async () => {
    const dir = tempDir();
    const file = write(dir, 'c.csv', `${HEADER}\n${REAL}\n${FAKE}\n`);
    const r = await runCli(['scan', file], { cwd: dir, tty: true });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/2 records read/);
    expect(r.stdout).toMatch(/0035g000027tCyoAAE/);
    expect(r.stdout).toMatch(/RFC 2606/);
  });
  it('resolves files, --out, --allowlist and --baseline against the command cwd, not process.cwd()', async () => {
    const dir = tempDir();
    expect(dir).not.toBe(process.cwd());
    write(dir, 'c.csv', `${HEADER}\n${REAL}\n${FAKE}\n`);
    write(dir, 'allow.txt', '# none\n');
    const r = await runCli(['scan', 'c.csv', '--format', 'jsonl', '--out', 'out.jsonl', '--allowlist', 'allow.txt'], {
      cwd: dir,
    });
    expect(r.code).toBe(0);
    expect(existsSync(path.join(process.cwd(), 'out.jsonl'))).toBe(false);
    const lines = readFileSync(path.join(dir, 'out.jsonl'), 'utf8').trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { id: string; file: string }).id)).toEqual(['0035g000027tCyoAAE']);
    expect((JSON.parse(lines[0]!) as { file: string }).file).toBe('c.csv');
    const b = await runCli(['scan', 'c.csv', '--baseline', 'base.json', '--update-baseline', '--format', 'json'], {
      cwd: dir,
    });
    expect(b.code).toBe(0);
    expect(existsSync(path.join(dir, 'base.json'))).toBe(true);
    expect(existsSync(path.join(process.cwd(), 'base.json'))).toBe(false);
  });

  it('--org takes the org connection flags (--instance-url + --access-token, no env vars)', async () => {
    const seed = emptySeed();
    seed.sobjects!.Contact = [
      { '@ref': 'a', FirstName: 'Lillian', LastName: 'Jones', Email: 'lillian.jones.mp@parliament.uk' },
      { '@ref': 'b', FirstName: 'Beverly', LastName: 'Chen', Email: 'beverly.chen@example.com', Phone: '617-555-0143' },
    ];
    const emu = await startEmulator({ seed });
    try {
      const dir = tempDir();
      const args = ['scan', '--org', '--object', 'Contact', '--format', 'json'];
      const r = await runCli([...args, '--instance-url', emu.instanceUrl, '--access-token', emu.accessToken], {
        cwd: dir,
      });
      expect(r.stderr).not.toContain(emu.accessToken);
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout) as { summary: { recordsRead: number }; findings: { object: string }[] };
      expect(out.summary.recordsRead).toBe(2);
      expect(out.findings.map((f) => f.object)).toEqual(['Contact']);
      // Without the flags (and no env), there is no connection: the flags were what connected.
      const none = await runCli(args, { cwd: dir });
      expect(none.code).not.toBe(0);
    } finally {
      await emu.close();
    }
  });
});
