import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Spool } from '../../src/scan/spool.js';
import { runScan } from '../../src/scan/engine.js';
import { fileSources } from '../../src/scan/sources.js';
import { THRESHOLDS } from './helpers.js';

const DEV = '/work/shared/benchmark/dev';
const lockoutTemps = () => readdirSync(tmpdir()).filter((f) => f.startsWith('lockout-scan-'));

describe('candidate spool', () => {
  it('returns items in order from memory and from its temporary file, and removes the file', () => {
    const before = new Set(lockoutTemps());
    const spool = new Spool<{ n: number; s: string }>(64);
    const items = Array.from({ length: 500 }, (_, n) => ({ n, s: `ü${'x'.repeat(n % 37)}\n"` }));
    for (const it of items) spool.push(it);
    expect(spool.spilled).toBe(true);
    expect([...spool.items()]).toEqual(items);
    const created = lockoutTemps().filter((f) => !before.has(f));
    expect(created.length).toBe(1);
    spool.close();
    expect(existsSync(`${tmpdir()}/${created[0]}`)).toBe(false);
  });

  const file = `${DEV}/contacts.csv`;
  (existsSync(file) ? it : it.skip)('gives the same scan result whether candidates spill to disk or not', async () => {
    const inMemory = await runScan(fileSources([file]), { thresholds: THRESHOLDS, jobs: 1 });
    const spilled = await runScan(fileSources([file]), { thresholds: THRESHOLDS, jobs: 1, spoolChars: 1000 });
    expect(spilled.findings.length).toBeGreaterThan(0);
    expect(spilled.findings).toEqual(inMemory.findings);
    expect(spilled.flagged).toEqual(inMemory.flagged);
    expect(spilled.summary.cohorts).toEqual(inMemory.summary.cohorts);
  });
});
