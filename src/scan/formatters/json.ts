import type { ScanResult } from '../engine.js';

/** `--format json`: one object, `summary` and `findings`. */
export function renderJson(result: ScanResult): string {
  return `${JSON.stringify({ summary: result.summary, findings: result.findings }, null, 2)}\n`;
}

/** `--format jsonl`: one finding per line (what score.mjs and other tools stream). */
export function renderJsonl(result: ScanResult): string {
  return result.findings.map((f) => `${JSON.stringify(f)}\n`).join('');
}
