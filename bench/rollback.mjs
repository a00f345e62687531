// Benchmark (not a test): rollback API calls and wall time for 10,000 changed records against the emulator,
// Collections vs Bulk 2.0, and snapshot throughput for 1,000,000 records from a file.
// Run: npm run build && npm run bench:rollback   (env BENCH_N, BENCH_SNAPSHOT_N to change the sizes)
import { existsSync, mkdtempSync, createWriteStream, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { once } from 'node:events';
import jsforce from 'jsforce';
import { performance } from 'node:perf_hooks';

/* global fetch */

const dist = new URL('../dist/', import.meta.url);
if (!existsSync(new URL('rollback/apply.js', dist))) {
  console.error('bench/rollback.mjs: dist/ is missing or old: run npm run build first');
  process.exit(2);
}
const { main } = await import(new URL('main.js', dist).href);
const { startEmulator } = await import(new URL('emulator/index.js', dist).href);
const { emptySeed } = await import(new URL('emulator/seed.js', dist).href);

const N = Number(process.env.BENCH_N ?? 10_000);
const SNAP_N = Number(process.env.BENCH_SNAPSHOT_N ?? 1_000_000);
const INTEGRATION = 'sync@partner.example';

async function cli(argv, cwd) {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c) => (stdout += c));
  err.on('data', (c) => (stderr += c));
  const code = await main(argv, {
    io: { in: Readable.from([]), out, err, isTTY: { in: false, out: false, err: false }, color: false },
    env: { ...process.env, LOCKOUT_ACTOR: 'bench' },
    cwd,
  });
  if (code !== 0) throw new Error(`lockout ${argv.join(' ')}: exit ${code}\n${stderr}`);
  return JSON.parse(stdout);
}

function seed(n) {
  const s = emptySeed();
  s.org = { ...s.org, limits: { DailyApiRequests: 5_000_000 } };
  const admin = s.sobjects.User[0];
  s.sobjects.User.push({
    ...admin,
    '@ref': 'integ',
    admin: false,
    Username: INTEGRATION,
    Email: INTEGRATION,
    LastName: 'Integration',
    Alias: 'integ',
    password: undefined,
  });
  s.sobjects.Contact = Array.from({ length: n }, (_, i) => ({
    LastName: `Last${i}`,
    Email: `person${i}@acme-corp.com`,
    Phone: `555-${i}`,
  }));
  s.historyTracking = { Contact: ['Email', 'Phone'] };
  return s;
}

async function adminCall(emu, method, p, body) {
  const res = await fetch(`${emu.instanceUrl}/__emulator${p}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body && JSON.stringify(body),
  });
  const text = await res.text();
  return text ? JSON.parse(text) : undefined;
}

async function incident(n) {
  const emu = await startEmulator({ seed: seed(n) });
  const st = await adminCall(emu, 'GET', '/state?types=Contact');
  const ids = st.records.Contact.map((c) => c.Id);
  const since = new Date(Date.parse(st.now) + 30_000).toISOString();
  await adminCall(emu, 'POST', '/clock', { offsetMs: 60_000 });
  const tok = await adminCall(emu, 'POST', '/tokens', { username: INTEGRATION });
  const conn = new jsforce.Connection({ instanceUrl: emu.instanceUrl, accessToken: tok.accessToken, version: '62.0' });
  for (let i = 0; i < ids.length; i += 200) {
    await conn
      .sobject('Contact')
      .update(ids.slice(i, i + 200).map((Id, k) => ({ Id, Email: `fake${i + k}@partnersync.test` })));
  }
  await adminCall(emu, 'POST', '/clock', { offsetMs: 120_000 });
  await adminCall(emu, 'DELETE', '/requests');
  return { emu, since };
}

async function rollbackRun(label, threshold) {
  const { emu, since } = await incident(N);
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'lockout-bench-'));
  const t0 = performance.now();
  const r = await cli(
    [
      '--json',
      'rollback',
      '--object',
      'Contact',
      '--user',
      INTEGRATION,
      '--since',
      since,
      '--yes',
      '--approved-by',
      'bench',
      '--bulk-threshold',
      String(threshold),
      '--instance-url',
      emu.instanceUrl,
      '--access-token',
      emu.accessToken,
    ],
    cwd,
  );
  const seconds = (performance.now() - t0) / 1000;
  const log = await adminCall(emu, 'GET', '/requests');
  // Polls of Bulk 2.0 ingest and query jobs (GET /jobs/{ingest|query}/{id}).
  const polls = log.requests.filter((q) => q.method === 'GET' && /\/jobs\/(ingest|query)\/[^/]+$/.test(q.path)).length;
  // What each call was, e.g. {"POST /composite": 1, "GET /jobs/query/:id/results": 3, ...}.
  const byEndpoint = {};
  for (const q of log.requests) {
    const key = `${q.method} ${q.path
      .replace(/^\/services\/data\/v[\d.]+/, '')
      .replace(/\/(750|003)[A-Za-z0-9]{12,15}/g, '/:id')}`;
    byEndpoint[key] = (byEndpoint[key] ?? 0) + 1;
  }
  const st = await adminCall(emu, 'GET', '/state?types=Contact');
  const restored = st.records.Contact.filter((c) => !String(c.Email).startsWith('fake')).length;
  await emu.close();
  rmSync(cwd, { recursive: true, force: true });
  return {
    label,
    records: N,
    restored,
    seconds: +seconds.toFixed(2),
    calls: r.apiCalls,
    emulatorRequests: log.requests.length,
    polls,
    byEndpoint,
    naive: N,
    failed: r.applied.failed,
  };
}

async function snapshotRun() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lockout-bench-snap-'));
  const file = path.join(dir, 'contacts.csv');
  const w = createWriteStream(file);
  w.write('Id,FirstName,LastName,Email,Phone,MailingCity,MailingCountry,Title,AccountId,CreatedDate\n');
  for (let i = 0; i < SNAP_N; i += 1) {
    const id = `003${String(i).padStart(12, '0')}AAA`;
    if (
      !w.write(
        `${id},First${i},Last${i},person${i}@acme-corp.com,+1 555 ${String(i).padStart(7, '0')},Springfield,US,Buyer,001000000000001AAA,2024-05-01T12:34:56.000Z\n`,
      )
    ) {
      await once(w, 'drain');
    }
  }
  w.end();
  await once(w, 'finish');
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  const r = await cli(['--json', 'snapshot', '--object', 'Contact', '--file', file], dir);
  clearInterval(timer);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const dbBytes = statSync(path.join(dir, '.lockout/lockout.db')).size;
  rmSync(dir, { recursive: true, force: true });
  return {
    records: r.count,
    seconds: +seconds.toFixed(2),
    recordsPerSecond: Math.round(r.count / seconds),
    cpuSeconds: +cpuSeconds.toFixed(2),
    recordsPerCpuSecond: Math.round(r.count / cpuSeconds),
    loadAverage: os.loadavg()[0].toFixed(1),
    peakRssMB: Math.round(peak / 1e6),
    dbMB: Math.round(dbBytes / 1e6),
    merkleRoot: r.merkleRoot,
  };
}

const machine = `${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 1e9)} GB, Node ${process.version}`;
console.log(`machine: ${machine}`);
const parts = (process.env.BENCH_PARTS ?? 'rollback,snapshot').split(',');
let ok = true;
const verdict = (met) => (met ? 'met' : 'MISSED');
if (parts.includes('rollback')) {
  const target = Math.ceil(N / 200) + 10;
  const collections = await rollbackRun('Collections', 1_000_000);
  console.log(JSON.stringify(collections));
  const cw = collections.calls.total;
  console.log(
    `  whole command: ${cw} calls (reading the scope: ${collections.calls.plan}, write: ${collections.calls.apply}, verify: ${collections.calls.verify}; ${collections.polls} of them Bulk 2.0 query polls), target <= ceil(N/200)+10 = ${target}: ${verdict(cw <= target)}; one call per record: ${N}`,
  );
  const bulk = await rollbackRun('Bulk 2.0', 2000);
  console.log(JSON.stringify(bulk));
  const bw = bulk.calls.total - bulk.polls;
  console.log(
    `  whole command: ${bulk.calls.total} calls = ${bw} plus ${bulk.polls} poll(s) (reading the scope: ${bulk.calls.plan}, write: ${bulk.calls.apply}, verify: ${bulk.calls.verify}), target <= 15 plus polling: ${verdict(bw <= 15)}`,
  );
  ok &&= cw <= target && bw <= 15;
}
if (parts.includes('snapshot')) {
  const snap = await snapshotRun();
  console.log(JSON.stringify(snap));
  console.log(
    `  ${snap.recordsPerSecond} records/s wall-clock (${snap.recordsPerCpuSecond} per CPU second; load average ${snap.loadAverage} on ${os.cpus().length} cores), target >= 50,000: ${verdict(snap.recordsPerSecond >= 50_000)}`,
  );
  ok &&= snap.recordsPerSecond >= 50_000;
}
console.log(ok ? 'targets met (API calls of the whole command, snapshot rate)' : 'TARGET MISSED');
