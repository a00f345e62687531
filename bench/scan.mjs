#!/usr/bin/env node
// Scanner benchmark (issue 3): throughput and memory of `lockout scan` against the bare csv-parse floor.
//
//   npm run build && npm run bench:scan [-- --rows 1000000] [--generate-only]
//
// Generates a Contact CSV once (cached in bench/.cache/), then measures in one run:
//   1. bare csv-parse of the file (records/s: the floor to beat),
//   2. `lockout scan` with all default rules, --jobs 1,
//   3. `lockout scan --jobs N` (N = cores),
//   4. the same scan on the first 100,000 rows, for the memory comparison.
// Each scan runs in a child process (the real CLI, dist/) so peak RSS is measured per run.
import { spawnSync } from 'node:child_process';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  openSync,
  writeSync,
  closeSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parse } from 'csv-parse';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CACHE = path.join(ROOT, 'bench', '.cache');
const argRows = process.argv.indexOf('--rows');
const ROWS = argRows > 0 ? Number(process.argv[argRows + 1]) : 1_000_000;
const SMALL = Math.min(100_000, ROWS);
const JOBS = os.availableParallelism();

// Deterministic PRNG (mulberry32), so the cached file is the same everywhere.
function rng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const FIRST =
  'James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara Richard Susan Joseph Jessica Thomas Sarah Charles Karen Christopher Lisa Daniel Nancy Matthew Betty Anthony Margaret Mark Sandra Donald Ashley Steven Kimberly Paul Emily Andrew Donna Joshua Michelle Sophie Lukas Léa Hugo Emma Noah Mia Ben Hannah Elias Chloé Louis Olivia Oliver Amelia Jack Isla Mohammed Fatima Wei Li Priya Arjun Yuki Sven Ingrid Mateo Lucía Giulia Marco Zofia Jakub'.split(
    ' ',
  );
const LAST =
  'Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Müller Schmidt Schneider Fischer Weber Dubois Moreau Laurent Bernard Rossi Russo Kowalski Nowak Novak Tanaka Suzuki Kim Park Chen Wang Singh Patel Khan Ahmed Silva Santos Costa Jensen Hansen Nielsen'.split(
    ' ',
  );
const PLACES = [
  ['Chicago', 'IL', '60601', 'United States', '312', 'en'],
  ['Boston', 'MA', '02108', 'United States', '617', 'en'],
  ['Austin', 'TX', '73301', 'United States', '512', 'en'],
  ['Seattle', 'WA', '98101', 'United States', '206', 'en'],
  ['Denver', 'CO', '80202', 'United States', '303', 'en'],
  ['London', '', 'SW1A 1AA', 'United Kingdom', '+44 20 7', 'en'],
  ['Leeds', '', 'LS1 4AP', 'United Kingdom', '+44 113 2', 'en'],
  ['Paris', '', '75001', 'France', '+33 1 4', 'fr'],
  ['Lyon', '', '69001', 'France', '+33 4 7', 'fr'],
  ['Berlin', 'Berlin', '10115', 'Germany', '+49 30 2', 'de'],
  ['München', 'Bayern', '80331', 'Germany', '+49 89 2', 'de'],
  ['Toronto', 'ON', 'M5H 2N2', 'Canada', '416', 'en'],
];
const STREETS = {
  en: [
    'Main Street',
    'Oak Avenue',
    'Park Road',
    'High Street',
    'Elm Street',
    'Maple Drive',
    'Church Lane',
    'King Street',
  ],
  fr: ['Rue de Rivoli', 'Avenue Foch', 'Boulevard Voltaire', 'Rue du Bac'],
  de: ['Hauptstraße', 'Bahnhofstraße', 'Gartenweg', 'Schillerstraße'],
};
const TITLES = [
  'Sales Manager',
  'Software Engineer',
  'CFO',
  'Account Executive',
  'Head of Procurement',
  'Office Manager',
  'Director of Operations',
  '',
];
const q = (v) => `"${String(v).replace(/"/g, '""')}"`;

function generate(file, rows) {
  const r = rng(20261127);
  const pick = (a) => a[Math.floor(r() * a.length)];
  // Names as real exports have them: a few common, a long tail (Zipf-like), not drawn uniformly from a list
  // (uniform draws are what the first-name-uniformity rule looks for in generated data).
  const pickSkewed = (a) => a[Math.floor(a.length * r() ** 2.5)];
  const digits = (n) => Array.from({ length: n }, () => Math.floor(r() * 10)).join('');
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w');
  let buf =
    '"Id","FirstName","LastName","Email","Phone","Title","AccountName","MailingStreet","MailingCity","MailingState","MailingPostalCode","MailingCountry","CreatedDate","CreatedById"\n';
  for (let i = 0; i < rows; i++) {
    const id = `003${String(i).padStart(12, '0')}AAA`;
    let first = pickSkewed(FIRST);
    let last = pickSkewed(LAST);
    const [city, state, zip, country, dial, lang] = pick(PLACES);
    const company = `${pick(LAST)} ${pick(['Holdings', 'GmbH', 'Ltd', 'Inc', 'Partners', 'SARL', 'Group'])}`;
    let email =
      `${first}.${last}`
        .toLowerCase()
        .normalize('NFKD')
        .replace(/[^a-z.]/g, '') +
      `@${company
        .split(' ')[0]
        .toLowerCase()
        .normalize('NFKD')
        .replace(/[^a-z]/g, '')}.com`;
    let phone = dial.startsWith('+')
      ? `${dial}${digits(2)} ${digits(4)}`
      : `(${dial}) ${2 + Math.floor(r() * 7)}${digits(2)}-${digits(4)}`;
    let street =
      lang === 'en'
        ? `${1 + Math.floor(r() * 400)} ${pick(STREETS.en)}`
        : `${pick(STREETS[lang])} ${1 + Math.floor(r() * 120)}`;
    // About 3 % synthetic records of the kinds detection.md describes.
    const kind = r();
    if (kind < 0.01) email = `${first}.${last}@example.com`.toLowerCase();
    else if (kind < 0.015) phone = `(${dial.replace(/\D/g, '').slice(-3) || '312'}) 555-01${digits(2)}`;
    else if (kind < 0.02) [first, last] = ['Test', `User ${i % 50}`];
    else if (kind < 0.025) street = `0${digits(3)} ${pick(LAST)} Junction`;
    else if (kind < 0.03) email = `test${i}@mailinator.com`;
    const created = new Date(Date.UTC(2026, 10, 1) + Math.floor(r() * 26 * 86400) * 1000).toISOString();
    const by = kind < 0.03 ? '0055g00000INTEGRAT' : `0055g000000${String(Math.floor(r() * 40)).padStart(5, '0')}AA`;
    buf +=
      [id, first, last, email, phone, pick(TITLES), company, street, city, state, zip, country, created, by]
        .map(q)
        .join(',') + '\n';
    if (buf.length > 1 << 20) {
      writeSync(fd, buf);
      buf = '';
    }
  }
  writeSync(fd, buf);
  closeSync(fd);
  renameSync(tmp, file);
}

async function bareParse(file) {
  const cpu = process.cpuUsage();
  const start = performance.now();
  let n = 0;
  const parser = createReadStream(file).pipe(parse({ bom: true, columns: true }));
  for await (const _ of parser) n++;
  const s = (performance.now() - start) / 1000;
  const c = process.cpuUsage(cpu);
  return { records: n, seconds: s, perSecond: n / s, perCpuSecond: n / ((c.user + c.system) / 1e6) };
}

function scan(file, jobs) {
  const child = `
    const { main } = await import(${JSON.stringify(path.join(ROOT, 'dist', 'main.js'))});
    const start = performance.now();
    const code = await main(process.argv.slice(2));
    const s = (performance.now() - start) / 1000;
    process.stderr.write('BENCH ' + JSON.stringify({ code, seconds: s, cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6, maxRssMB: process.resourceUsage().maxRSS / 1024 }) + '\\n');
  `;
  const out = path.join(CACHE, `findings-${path.basename(file, '.csv')}-jobs${jobs}.jsonl`);
  const script = path.join(CACHE, 'scan-child.mjs');
  writeFileSync(script, child);
  const res = spawnSync(
    process.execPath,
    [script, 'scan', file, '--format', 'jsonl', '--out', out, '--jobs', String(jobs)],
    {
      cwd: CACHE,
      encoding: 'utf8',
      env: { ...process.env, LOCKOUT_DB: path.join(CACHE, 'bench.db') },
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const line = res.stderr.split('\n').find((l) => l.startsWith('BENCH '));
  if (!line) throw new Error(`scan failed: ${res.stderr}`);
  return JSON.parse(line.slice(6));
}

if (!existsSync(path.join(ROOT, 'dist', 'scan', 'engine.js'))) {
  console.error('bench:scan needs the build: run `npm run build` first');
  process.exit(2);
}
mkdirSync(CACHE, { recursive: true });
// v2: skewed name frequencies (2026-11-27); bump when the generator changes, so cached files are regenerated.
const big = path.join(CACHE, `contacts-v2-${ROWS}.csv`);
const small = path.join(CACHE, `contacts-v2-${SMALL}.csv`);
for (const [file, rows] of [
  [big, ROWS],
  [small, SMALL],
]) {
  if (!existsSync(file)) {
    console.error(`generating ${rows.toLocaleString('en')} rows -> ${path.relative(ROOT, file)}`);
    generate(file, rows);
  }
}

if (process.argv.includes('--generate-only')) process.exit(0);

const machine = `${os.cpus()[0]?.model ?? 'cpu'} x ${os.availableParallelism()}, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}`;
console.error(`machine: ${machine}`);
const floor = await bareParse(big);
console.error(`bare csv-parse: ${Math.round(floor.perSecond).toLocaleString('en')} records/s`);
const one = scan(big, 1);
const rate1 = ROWS / one.seconds;
console.error(
  `scan --jobs 1: ${Math.round(rate1).toLocaleString('en')} records/s, peak RSS ${Math.round(one.maxRssMB)} MB`,
);
const many = scan(big, JOBS);
const rateN = ROWS / many.seconds;
console.error(
  `scan --jobs ${JOBS}: ${Math.round(rateN).toLocaleString('en')} records/s, peak RSS ${Math.round(many.maxRssMB)} MB`,
);
const smallRun = scan(small, 1);
console.error(`scan --jobs 1 on ${SMALL.toLocaleString('en')} rows: peak RSS ${Math.round(smallRun.maxRssMB)} MB`);

const results = {
  machine,
  rows: ROWS,
  fileMB: Math.round(statSync(big).size / 2 ** 20),
  bareParse: Math.round(floor.perSecond),
  bareParsePerCpuSecond: Math.round(floor.perCpuSecond),
  loadAverage: os.loadavg().map((x) => +x.toFixed(1)),
  scanJobs1: {
    perSecond: Math.round(rate1),
    ratio: +(rate1 / floor.perSecond).toFixed(2),
    perCpuSecond: Math.round(ROWS / one.cpuSeconds),
    peakRssMB: Math.round(one.maxRssMB),
    target: '>= 0.5x bare parse',
  },
  [`scanJobs${JOBS}`]: {
    perSecond: Math.round(rateN),
    ratio: +(rateN / floor.perSecond).toFixed(2),
    cpuSeconds: +many.cpuSeconds.toFixed(1),
    peakRssMB: Math.round(many.maxRssMB),
    target: '>= 0.9x bare parse',
  },
  small: { rows: SMALL, peakRssMB: Math.round(smallRun.maxRssMB) },
  rssGrowth: +(one.maxRssMB / smallRun.maxRssMB).toFixed(2),
};
writeFileSync(path.join(CACHE, 'scan-results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(JSON.stringify(results, null, 2));
