#!/usr/bin/env node
// Cost of each scanner rule, in µs per record: which rules a faster scan has to start with.
//
//   npm run build && node bench/rules.mjs [file.csv] [--rows 50000]
//
// Reads the first rows of a CSV (default: the scan benchmark's cached file, `npm run bench:scan -- --generate-only`),
// builds every record's view once, then times each record rule over all of them (after a warm-up pass) and each
// population rule's `keys`. CPU time in this process, so other processes on the machine matter less.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => path.join(ROOT, 'dist', p);
if (!existsSync(dist('scan/registry.js'))) {
  console.error('bench/rules.mjs needs the build: run `npm run build` first');
  process.exit(2);
}
const argRows = process.argv.indexOf('--rows');
const ROWS = argRows > 0 ? Number(process.argv[argRows + 1]) : 50_000;
const file =
  process.argv.slice(2).find((a, i, all) => !a.startsWith('--') && all[i - 1] !== '--rows') ??
  path.join(ROOT, 'bench', '.cache', 'contacts-v2-100000.csv');
if (!existsSync(file) && file.endsWith(path.join('.cache', 'contacts-v2-100000.csv'))) {
  // The scan benchmark's generator makes (and caches) the default file.
  spawnSync(process.execPath, [path.join(ROOT, 'bench', 'scan.mjs'), '--generate-only'], { stdio: 'inherit' });
}
if (!existsSync(file)) {
  console.error(`${file}: not found`);
  process.exit(2);
}

const { defaultRules, defaultPopulationRules } = await import(dist('scan/registry.js'));
const { reference } = await import(dist('scan/reference.js'));
const { buildRowView, layoutFor, detectObject } = await import(dist('scan/view.js'));

// Enough bytes for ROWS records (whole file when smaller): this tool measures rules, not reading.
const text = readFileSync(file, 'utf8');
const all = parse(text, { bom: true, to_line: ROWS + 1 });
const header = all[0];
const rows = all.slice(1);
const idCol = header.findIndex((h) => h.toLowerCase() === 'id');
const object = detectObject(idCol >= 0 ? { Id: rows[0]?.[idCol] ?? null } : {}, null);
const ref = reference();
const layout = layoutFor(header, object, {});
const views = rows.map((r) => buildRowView(header, r, layout, ref));

const cpu = (f) => {
  const t = process.cpuUsage();
  f();
  const d = process.cpuUsage(t);
  return (d.user + d.system) / views.length;
};
const results = [];
for (const rule of defaultRules) {
  let hits = 0;
  cpu(() => {
    for (const v of views) rule.check(v, ref); // warm-up: loads the rule's reference data, compiles
  });
  const us = cpu(() => {
    for (const v of views) hits += rule.check(v, ref).length;
  });
  results.push({ rule: rule.id, kind: 'record', us, hits });
}
for (const rule of defaultPopulationRules) {
  let keys = 0;
  cpu(() => {
    for (const v of views) rule.keys(v, file);
  });
  const us = cpu(() => {
    for (const v of views) keys += rule.keys(v, file).length;
  });
  results.push({ rule: rule.id, kind: 'population keys', us, hits: keys });
}
results.sort((a, b) => b.us - a.us);
const total = results.reduce((s, r) => s + r.us, 0);
console.log(`${views.length.toLocaleString('en')} ${object} records from ${path.relative(process.cwd(), file)}`);
console.log('rule'.padEnd(26), 'kind'.padEnd(16), 'µs/record'.padStart(10), 'share'.padStart(7), 'hits'.padStart(8));
for (const r of results) {
  console.log(
    r.rule.padEnd(26),
    r.kind.padEnd(16),
    r.us.toFixed(2).padStart(10),
    `${((100 * r.us) / total).toFixed(1)}%`.padStart(7),
    String(r.hits).padStart(8),
  );
}
console.log('all rules'.padEnd(26), ''.padEnd(16), total.toFixed(2).padStart(10));
