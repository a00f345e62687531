import type { ScanResult } from './engine.js';

/** Evidence kind written by `lockout scan` (docs/evidence.md). */
export const SCAN_COMPLETED = 'scan.completed';

/**
 * The `scan.completed` payload: the summary and the flagged records as ids, levels, rule ids and the record's
 * normalised country, creation time and creator. No other field values (no personal data beyond ids).
 */
export function scanEvidence(
  result: ScanResult,
  source: { kind: 'files' | 'org'; object: string | null; where?: string },
) {
  const s = result.summary;
  return {
    source: source.kind,
    object: source.object,
    ...(source.where ? { where: source.where } : {}),
    recordsRead: s.recordsRead,
    recordsSkipped: s.recordsSkipped,
    findings: s.findings,
    byRule: s.byRule,
    byObject: s.byObject,
    cohorts: s.cohorts,
    inputs: s.inputs,
    rulesVersion: s.rulesVersion,
    thresholds: s.thresholds,
    minScore: s.minScore,
    allowlisted: s.allowlisted,
    baselineSuppressed: s.baselineSuppressed,
    durationMs: s.durationMs,
    flagged: result.flagged.map((f) => ({
      id: f.id,
      object: f.object,
      level: f.level,
      score: f.score,
      rules: f.rules,
      country: f.country,
      ...(f.createdDate ? { createdDate: f.createdDate } : {}),
      ...(f.createdById ? { createdById: f.createdById } : {}),
    })),
  };
}
