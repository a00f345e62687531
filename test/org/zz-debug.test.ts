import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { smallSeed, startEmulator } from './emu.js';
it('debug', async () => {
  const emu = await startEmulator({ port: 0, seed: smallSeed({ contacts: 2 }) });
  const home = mkdtempSync(path.join(os.tmpdir(), 'lockout-sf-home-'));
  const sf = '/tmp/sfcli-org/node_modules/.bin/sf';
  const env = { ...process.env, HOME: home, SF_DISABLE_TELEMETRY: 'true', SF_AUTOUPDATE_DISABLE: 'true', SF_SKIP_NEW_VERSION_CHECK: 'true', SF_USE_GENERIC_UNIX_KEYCHAIN: 'true' };
  const a = await promisify(execFile)(sf, ['org', 'login', 'access-token', '--instance-url', emu.instanceUrl, '--no-prompt', '--alias', 'emu', '--json'], { env: { ...env, SF_ACCESS_TOKEN: emu.accessToken } });
  console.log(a.stdout);
  const b = await promisify(execFile)(sf, ['org', 'display', '--json', '--target-org', 'emu'], { env }).catch((e) => e);
  console.log(b.stdout, emu.accessToken);
  console.log(JSON.stringify(emu.router.log.map((l) => [l.method, l.path, l.status])));
  await emu.close();
}, 120000);
