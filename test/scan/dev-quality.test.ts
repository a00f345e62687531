import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { runScan } from '../../src/scan/engine.js';
import { fileSources } from '../../src/scan/sources.js';
import { THRESHOLDS } from './helpers.js';

// The quality bar of issue 3 on the labeled DEV split (../shared/benchmark/dev), at the default threshold.
const DEV = path.resolve(process.cwd(), '../shared/benchmark/dev');
const run = existsSync(path.join(DEV, 'labels.csv')) ? describe : describe.skip;

run('dev split quality', () => {
  // Read in beforeAll: a skipped describe still runs its body, and the split may be absent.
  let labels = new Map<string, string>();
  beforeAll(() => {
    labels = new Map(
      (parse(readFileSync(path.join(DEV, 'labels.csv')), { columns: true }) as { Id: string; label: string }[]).map(
        (l) => [l.Id, l.label],
      ),
    );
  });
  it.each(['contacts', 'accounts', 'leads'])('%s: precision >= 0.98 and recall >= 0.90', async (name) => {
    const file = path.join(DEV, `${name}.csv`);
    const result = await runScan(fileSources([file]), { thresholds: THRESHOLDS, jobs: 1 });
    const flagged = new Set(result.findings.map((f) => f.id));
    const ids = (parse(readFileSync(file), { columns: true }) as { Id: string }[]).map((r) => r.Id);
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const id of ids) {
      const synthetic = labels.get(id) === 'synthetic';
      if (flagged.has(id) && synthetic) tp++;
      else if (flagged.has(id)) fp++;
      else if (synthetic) fn++;
    }
    expect(tp / (tp + fp)).toBeGreaterThanOrEqual(0.98);
    expect(tp / (tp + fn)).toBeGreaterThanOrEqual(0.9);
  });
});
