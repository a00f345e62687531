import { runScan, type ScanOptions, type ScanResult } from '../../src/scan/engine.js';
import type { Example } from '../../src/scan/rule.js';
import type { ScanSource } from '../../src/scan/types.js';

export const THRESHOLDS = { low: 0.35, medium: 0.6, high: 0.85 };

/** A source over in-memory example records (one object per source). */
export function exampleSource(records: Example[], label = 'examples'): ScanSource {
  return {
    label,
    object: records[0]?.object,
    records: (async function* () {
      for (const r of records) yield r.values;
    })(),
  };
}

/** Scan example records with the default rules in this thread. */
export function scanExamples(records: Example[], opts: Partial<ScanOptions> = {}): Promise<ScanResult> {
  return runScan([exampleSource(records)], { thresholds: THRESHOLDS, jobs: 1, ...opts });
}
