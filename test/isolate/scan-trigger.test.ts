import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import type { Seed } from '../../src/emulator/seed.js';
import { DEMO, DEMO_CONFIG, demoSeed } from '../../src/emulator/seeds/demo.js';
import { runCli, tempDir } from '../helpers/cli.js';

/** `lockout scan <export> --isolate-on <level> --integration <name>`: the automated trigger through the real CLI. */

const PS = DEMO.integrations[0]!;
const FIELDS = [
  'Id',
  'FirstName',
  'LastName',
  'Email',
  'Phone',
  'Title',
  'MailingStreet',
  'MailingCity',
  'MailingState',
  'MailingPostalCode',
  'MailingCountry',
  'CreatedDate',
  'CreatedById',
];
const cell = (v: unknown) => (v === null || v === undefined ? '' : `"${String(v).replace(/"/g, '""')}"`);

describe('scan --isolate-on', () => {
  let emu: Emulator;
  let dir: string;
  let env: Record<string, string>;
  let csv: string;
  beforeEach(async () => {
    emu = await startEmulator({ port: 0, seed: demoSeed({ now: new Date(), scale: 0.1 }) as unknown as Seed });
    dir = tempDir('lockout-scan-iso-');
    env = { SF_INSTANCE_URL: emu.instanceUrl, SF_ACCESS_TOKEN: emu.accessToken };
    // An export of the Contacts the offending integration created.
    const psId = String(emu.state.userByUsername(PS.username)!.Id);
    const rows = emu.state.records('Contact').filter((r) => r.CreatedById === psId);
    csv = path.join(dir, 'contacts.csv');
    writeFileSync(
      csv,
      [FIELDS.join(','), ...rows.map((r) => FIELDS.map((f) => cell(r[f])).join(','))].join('\n') + '\n',
    );
  });
  afterEach(async () => {
    await emu.close();
  });
  const frozen = () => emu.state.isFrozen(String(emu.state.userByUsername(PS.username)!.Id));
  const config = (extra: object = {}) =>
    writeFileSync(path.join(dir, 'lockout.config.yaml'), stringify({ ...DEMO_CONFIG, ...extra }));

  it('isolates when findings reach the level and the plan is within the thresholds', async () => {
    config();
    const r = await runCli(
      ['scan', csv, '--format', 'json', '--isolate-on', 'medium', '--integration', 'partner-sync'],
      { cwd: dir, env },
    );
    expect(r.stderr).toMatch(
      /isolate: ISO-\d{4}-0001 isolated partner-sync: 8 done, 0 failed \(scan findings reached high/,
    );
    expect(r.code).toBe(0);
    expect(frozen()).toBe(true);
    expect(JSON.parse(r.stdout)).toHaveProperty('summary');
  });

  it('above the thresholds it does not isolate: exit 4 and the command a person must approve', async () => {
    config({ thresholds: { isolate: { maxApps: 0 } } });
    const r = await runCli(
      ['scan', csv, '--format', 'json', '--isolate-on', 'medium', '--integration', 'partner-sync'],
      { cwd: dir, env },
    );
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(
      /hint: a person must approve it: lockout isolate --integration partner-sync --approved-by/,
    );
    expect(frozen()).toBe(false);
  });

  it('--isolate-on without --integration is a usage error', async () => {
    config();
    const r = await runCli(['scan', csv, '--isolate-on', 'high'], { cwd: dir, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--isolate-on needs --integration/);
  });
});
