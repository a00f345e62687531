import type { ReportModel } from '../model.js';
import { redact } from '../../redact.js';

export const JSON_SEAL_PREFIX = '  "seal": ';

/**
 * The JSON body: the model pretty-printed with two spaces, left open so the seal can be its last member. The
 * seal's sha256 covers every byte before the line that starts with `  "seal": ` (no other line can: only
 * top-level members are indented by exactly two spaces, and strings cannot hold raw newlines).
 */
export function renderJsonBody(m: ReportModel): string {
  // Values stay as recorded (JSON is data, not markup), except that secrets never leave the tool.
  const text = JSON.stringify(m, (_k, v: unknown) => (typeof v === 'string' ? redact(v) : v), 2);
  return `${text.slice(0, text.lastIndexOf('\n}'))},\n`;
}

export function jsonSeal(sha256: string): string {
  const seal = {
    algorithm: 'sha256',
    sha256,
    covers: 'every byte of this file before the line that starts with two spaces and "seal":',
    recompute: `sed '/^  "seal": /,$d' report.json | sha256sum`,
  };
  return `${JSON_SEAL_PREFIX}${JSON.stringify(seal)}\n}\n`;
}
