// Opt-in fidelity test: the official Salesforce CLI against the emulator (docs/emulator.md, "Running the sf CLI
// test"). Runs only when `sf` is on PATH; otherwise the suite is skipped with the reason below.
import { execFile } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import type { Seed } from '../../src/emulator/seed.js';
import { demoSeed } from '../../src/emulator/seeds/demo.js';

function onPath(cmd: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const file = path.join(dir, cmd);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return null;
}

const SF = onPath('sf');
const reason =
  'the Salesforce CLI (`sf`) is not on PATH: see docs/emulator.md, "Running the sf CLI test" (on Node 20: @salesforce/cli@2.146.3)';
const suite = SF ? describe : describe.skip;
if (!SF) process.stderr.write(`test/emulator/sf-cli.test.ts skipped: ${reason}\n`);

let emu: Emulator;
let home: string;
const PAGE = 100;

/** Run sf asynchronously (the emulator serves from this same process, so never block the event loop). */
function sf(
  args: string[],
  extraEnv: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      SF!,
      args,
      {
        env: {
          ...process.env,
          HOME: home,
          SF_DISABLE_TELEMETRY: 'true',
          SF_AUTOUPDATE_DISABLE: 'true',
          SF_SKIP_NEW_VERSION_CHECK: 'true',
          SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
          SF_HIDE_RELEASE_NOTES: 'true',
          NODE_OPTIONS: '',
          ...extraEnv,
        },
        cwd: home,
        timeout: 120_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

const json = (s: string) => JSON.parse(s) as { status: number; result: Record<string, unknown> };

suite('Salesforce CLI against the emulator', () => {
  beforeAll(async () => {
    home = mkdtempSync(path.join(os.tmpdir(), 'lockout-sf-'));
    emu = await startEmulator({ seed: demoSeed({ scale: 0.2 }) as unknown as Seed, bulkPageSize: PAGE });
    const login = await sf(
      ['org', 'login', 'access-token', '--instance-url', emu.instanceUrl, '--no-prompt', '--alias', 'emu', '--json'],
      {
        SF_ACCESS_TOKEN: emu.accessToken,
      },
    );
    if (login.code !== 0) throw new Error(`sf org login access-token failed: ${login.stdout}${login.stderr}`);
  }, 180_000);
  afterAll(async () => {
    await emu?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('sf org display shows the org and the user', async () => {
    const r = await sf(['org', 'display', '--target-org', 'emu', '--json']);
    expect(r.code).toBe(0);
    const out = json(r.stdout).result;
    expect(out.instanceUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/?$/);
    expect(out.username).toBe(String(emu.state.user(String(emu.state.ext.adminUserId))!.Username));
    expect(out.id).toBe(emu.state.orgId);
    expect(out.connectedStatus).toBe('Connected');
  }, 120_000);

  it('sf data query returns the records', async () => {
    const r = await sf([
      'data',
      'query',
      '--query',
      'SELECT Id, Name, BillingCity FROM Account ORDER BY Name LIMIT 5',
      '--target-org',
      'emu',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const out = json(r.stdout).result as { totalSize: number; records: Record<string, unknown>[] };
    expect(out.totalSize).toBe(5);
    const names = emu.state
      .records('Account')
      .map((a) => String(a.Name))
      .sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0))
      .slice(0, 5);
    expect(out.records.map((x) => x.Name)).toEqual(names);
  }, 120_000);

  it('sf data export bulk pages through a multi-page Bulk 2.0 result', async () => {
    const file = path.join(home, 'contacts.csv');
    const r = await sf([
      'data',
      'export',
      'bulk',
      '--query',
      'SELECT Id, FirstName, LastName, Email, Account.Name FROM Contact',
      '--output-file',
      file,
      '--wait',
      '2',
      '--target-org',
      'emu',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const rows = parse(readFileSync(file, 'utf8'), { columns: true }) as Record<string, string>[];
    const contacts = emu.state.records('Contact');
    expect(contacts.length).toBeGreaterThan(2 * PAGE);
    expect(rows).toHaveLength(contacts.length);
    expect(Object.keys(rows[0]!)).toEqual(['Id', 'FirstName', 'LastName', 'Email', 'Account.Name']);
    expect(new Set(rows.map((x) => x.Id))).toEqual(new Set(contacts.map((c) => c.Id)));
    const pages = emu.router.log.filter((l) => /\/jobs\/query\/750\w+\/results$/.test(l.path));
    expect(pages.length).toBe(Math.ceil(contacts.length / PAGE));
  }, 180_000);

  it('sf data import bulk (Bulk 2.0 ingest) reports a per-record failure, and sf data bulk results fetches it', async () => {
    const file = path.join(home, 'import.csv');
    writeFileSync(file, 'LastName,Email\nOkafor,chidi.okafor@lakeshorecu.com\nBrandt,not-an-email\n');
    const r = await sf([
      'data',
      'import',
      'bulk',
      '--sobject',
      'Contact',
      '--file',
      file,
      '--wait',
      '2',
      '--target-org',
      'emu',
      '--json',
    ]);
    const out = JSON.parse(r.stdout) as { data?: { jobId: string; state: string }; code?: string };
    expect(out).toMatchObject({ code: 'FailedRecordDetailsError', data: { state: 'JobComplete' } });
    const res = await sf(['data', 'bulk', 'results', '--job-id', out.data!.jobId, '--target-org', 'emu', '--json']);
    expect(res.code).toBe(0);
    const result = json(res.stdout).result as {
      successfulRecords: number;
      failedRecords: number;
      failedFilePath: string;
    };
    expect(result).toMatchObject({ successfulRecords: 1, failedRecords: 1 });
    const failed = parse(readFileSync(path.join(home, result.failedFilePath), 'utf8'), { columns: true }) as Record<
      string,
      string
    >[];
    expect(failed[0]!.sf__Error).toMatch(/^INVALID_EMAIL_ADDRESS:/);
    expect(emu.state.records('Contact').some((c) => c.Email === 'chidi.okafor@lakeshorecu.com')).toBe(true);
  }, 180_000);

  it('sf data query --use-tooling-api reads FlowDefinition', async () => {
    const r = await sf([
      'data',
      'query',
      '--use-tooling-api',
      '--query',
      'SELECT Id, DeveloperName, ActiveVersionId FROM FlowDefinition',
      '--target-org',
      'emu',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const out = json(r.stdout).result as { totalSize: number; records: { DeveloperName: string }[] };
    expect(out.records.map((x) => x.DeveloperName).sort()).toEqual(
      emu.state
        .records('FlowDefinition')
        .map((f) => String(f.DeveloperName))
        .sort(),
    );
  }, 120_000);
});
