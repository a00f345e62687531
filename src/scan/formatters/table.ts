import { Chalk } from 'chalk';
import type { ScanResult } from '../engine.js';
import { table } from '../../cli/output.js';

/** `--format table`: the summary and the top findings (colour only when asked, i.e. on a TTY). */
export function renderTable(result: ScanResult, opts: { color: boolean; top?: number }): string {
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const s = result.summary;
  const paint = { high: c.red.bold, medium: c.yellow, low: c.cyan } as const;
  const out: string[] = [];
  out.push(
    `${s.recordsRead} records read${s.recordsSkipped ? `, ${s.recordsSkipped} bad rows skipped` : ''} in ${(s.durationMs / 1000).toFixed(1)} s` +
      ` · ${s.findings.total} findings: ${paint.high(`${s.findings.high} high`)}, ${paint.medium(`${s.findings.medium} medium`)}, ${paint.low(`${s.findings.low} low`)}`,
  );
  const rules = Object.entries(s.byRule).sort((a, b) => b[1] - a[1]);
  if (rules.length) out.push(`by rule: ${rules.map(([r, n]) => `${r} ${n}`).join(', ')}`);
  for (const co of s.cohorts) out.push(`cohort: ${co.message}`);
  const top = [...result.findings].sort((a, b) => b.score - a.score).slice(0, opts.top ?? 20);
  if (top.length) {
    out.push('');
    out.push(
      table(
        ['LEVEL', 'SCORE', 'ID', 'WHERE', 'WHY'],
        top.map((f) => [f.level, f.score.toFixed(2), f.id, `${f.file}:${f.line}`, f.reasons[0]?.message ?? '']),
      ),
    );
    if (result.findings.length > top.length)
      out.push(`… and ${result.findings.length - top.length} more (use --format json or csv for all)`);
  }
  return `${out.join('\n')}\n`;
}
