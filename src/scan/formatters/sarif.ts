import type { ScanResult } from '../engine.js';
import { defaultPopulationRules, defaultRules } from '../registry.js';

const LEVEL = { high: 'error', medium: 'warning', low: 'note' } as const;

/** `--format sarif`: SARIF 2.1.0, one result per flagged record, rule = its strongest reason. */
export function renderSarif(result: ScanResult, version: string): string {
  const all = [...defaultRules, ...defaultPopulationRules];
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'lockout',
            version,
            semanticVersion: version,
            informationUri: 'https://github.com/lockout-dev/lockout',
            rules: all.map((r) => ({
              id: r.id,
              shortDescription: { text: r.why },
              properties: { family: r.family, maxWeight: r.maxWeight },
            })),
          },
        },
        properties: { rulesVersion: result.summary.rulesVersion },
        results: result.findings.map((f) => ({
          ruleId: f.reasons[0]?.rule ?? 'unknown',
          level: LEVEL[f.level],
          message: { text: `${f.object} ${f.id} (score ${f.score}): ${f.reasons.map((r) => r.message).join('; ')}` },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: f.file === '-' ? 'stdin' : f.file.replace(/\\/g, '/') },
                region: { startLine: Math.max(1, f.line) },
              },
            },
          ],
          partialFingerprints: { recordId: f.id },
          properties: { id: f.id, object: f.object, score: f.score, level: f.level, reasons: f.reasons },
        })),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
