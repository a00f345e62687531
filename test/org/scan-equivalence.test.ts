import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { runCli, tempDir } from '../helpers/cli.js';
import { defaultScanFields } from '../../src/org/scan-source.js';
import { adminClient, startEmulator, type Emulator } from './emu.js';

/**
 * The CSV `sf data export bulk` writes: a Bulk API 2.0 query job, every result page fetched by Sforce-Locator,
 * the header kept once. Done over plain HTTP here, as the CLI does, so the test does not need `sf`.
 */
async function exportBulkCsv(emu: Emulator, soql: string): Promise<string> {
  const base = `${emu.instanceUrl.replace(/\/$/, '')}/services/data/v62.0/jobs/query`;
  const auth = { Authorization: `Bearer ${emu.accessToken}` };
  const created = await fetch(base, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ operation: 'query', query: soql }),
  });
  const job = (await created.json()) as { id: string };
  for (let i = 0; i < 100; i++) {
    const info = (await (await fetch(`${base}/${job.id}`, { headers: auth })).json()) as { state: string };
    if (info.state === 'JobComplete') break;
    await new Promise((r) => setTimeout(r, 20));
  }
  let csv = '';
  let locator: string | null = null;
  do {
    const url: string = `${base}/${job.id}/results?maxRecords=700${locator ? `&locator=${locator}` : ''}`;
    const res: Response = await fetch(url, { headers: { ...auth, 'content-type': 'text/csv' } });
    const text = await res.text();
    csv += csv ? text.slice(text.indexOf('\n') + 1) : text;
    const next: string | null = res.headers.get('sforce-locator');
    locator = next && next !== 'null' ? next : null;
  } while (locator);
  return csv;
}

interface ScanJson {
  findings: { id: string; object: string; score: number; level: string; reasons: unknown[] }[];
  summary: { records?: number } & Record<string, unknown>;
}

/** Findings without where they came from (the file name vs `org:<Object>` also appears in cohort messages). */
const comparable = (out: ScanJson, label: string) =>
  out.findings
    .map((f) => ({
      id: f.id,
      object: f.object,
      score: f.score,
      level: f.level,
      reasons: JSON.parse(JSON.stringify(f.reasons).split(label).join('<source>')) as unknown,
    }))
    .sort((a, b) => a.id.localeCompare(b.id));

describe('lockout scan --org on the demo seed = lockout scan of the Bulk CSV export of the same object', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ port: 0, seed: 'demo' });
  }, 60000);
  afterAll(async () => {
    await emu.close();
  });

  it.each(['Contact', 'Lead'])(
    '%s: same findings, same exit code',
    async (object) => {
      const client = await adminClient(emu);
      const fields = defaultScanFields(await client.describe(object), {});
      const csv = await exportBulkCsv(emu, `SELECT ${fields.join(', ')} FROM ${object}`);
      const dir = tempDir();
      const file = path.join(dir, `${object.toLowerCase()}s.csv`);
      writeFileSync(file, csv);

      const env = { SF_INSTANCE_URL: emu.instanceUrl, SF_ACCESS_TOKEN: emu.accessToken };
      const live = await runCli(['scan', '--org', '--object', object, '--format', 'json', '--fail-on', 'high'], {
        env,
        cwd: dir,
      });
      const fromCsv = await runCli(['scan', file, '--object', object, '--format', 'json', '--fail-on', 'high'], {
        cwd: dir,
      });
      expect(live.stderr.replace(/^lockout: \d+ findings? at or above high.*\n/m, '')).toBe('');
      expect([live.code, fromCsv.code]).toEqual([fromCsv.code, live.code]);
      const a = comparable(JSON.parse(live.stdout) as ScanJson, `org:${object}`);
      const b = comparable(JSON.parse(fromCsv.stdout) as ScanJson, file);
      expect(a.length).toBeGreaterThan(0);
      expect(a).toEqual(b);
      expect(live.stdout).not.toContain(emu.accessToken);
    },
    120000,
  );
});

function findSf(): string | null {
  const named = process.env.LOCKOUT_TEST_SF_BIN;
  if (named) return existsSync(named) ? named : null;
  try {
    return execFileSync('sh', ['-c', 'command -v sf'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}
const sf = findSf();

/** The same check with the real `sf data export bulk` (opt-in: runs when sf is installed, see docs/org.md). */
(sf ? describe : describe.skip)('scan --org = scan of `sf data export bulk` CSV (opt-in, real sf)', () => {
  let emu: Emulator;
  let home: string;
  const sfEnv = () => ({
    ...process.env,
    HOME: home,
    SF_DISABLE_TELEMETRY: 'true',
    SF_AUTOUPDATE_DISABLE: 'true',
    SF_SKIP_NEW_VERSION_CHECK: 'true',
    SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
  });
  beforeAll(async () => {
    emu = await startEmulator({ port: 0, seed: 'demo', bulkPageSize: 500 });
    home = mkdtempSync(path.join(os.tmpdir(), 'lockout-sf-home-'));
    await promisify(execFile)(
      sf!,
      ['org', 'login', 'access-token', '--instance-url', emu.instanceUrl, '--no-prompt', '--alias', 'emu', '--json'],
      { env: { ...sfEnv(), SF_ACCESS_TOKEN: emu.accessToken } },
    );
  }, 120000);
  afterAll(async () => {
    await emu.close();
  });

  it('Contact', async () => {
    const client = await adminClient(emu);
    const fields = defaultScanFields(await client.describe('Contact'), {});
    const dir = tempDir();
    const file = path.join(dir, 'contacts.csv');
    await promisify(execFile)(
      sf!,
      [
        'data',
        'export',
        'bulk',
        '--target-org',
        'emu',
        '--query',
        `SELECT ${fields.join(', ')} FROM Contact`,
        '--output-file',
        file,
        '--wait',
        '5',
        '--json',
      ],
      { env: sfEnv() },
    );
    const env = { SF_INSTANCE_URL: emu.instanceUrl, SF_ACCESS_TOKEN: emu.accessToken };
    const live = await runCli(['scan', '--org', '--object', 'Contact', '--format', 'json'], { env, cwd: dir });
    const fromCsv = await runCli(['scan', file, '--object', 'Contact', '--format', 'json'], { cwd: dir });
    expect([live.code, fromCsv.code]).toEqual([0, 0]);
    const a = comparable(JSON.parse(live.stdout) as ScanJson, 'org:Contact');
    expect(a.length).toBeGreaterThan(0);
    expect(a).toEqual(comparable(JSON.parse(fromCsv.stdout) as ScanJson, file));
  }, 180000);
});
