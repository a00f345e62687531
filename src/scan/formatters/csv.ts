import type { ScanResult } from '../engine.js';

/** Values a spreadsheet would run as a formula get a leading apostrophe (OWASP CSV injection). */
export function neutralise(v: string): string {
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

const cell = (v: string | null | undefined): string => {
  const s = neutralise(v ?? '');
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
};

/**
 * `--format csv`: the flagged input rows with `LockoutScore`, `LockoutLevel` and `LockoutReasons`, ready to load
 * back with Data Loader. Columns are the union of the inputs' headers in first-seen order.
 */
export function renderCsv(result: ScanResult): string {
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const row of result.rows) {
    for (const k of Object.keys(row)) {
      if (!seen.has(k)) {
        seen.add(k);
        columns.push(k);
      }
    }
  }
  if (!columns.length && result.findings.length) columns.push('Id');
  const header = [...columns, 'LockoutScore', 'LockoutLevel', 'LockoutReasons'];
  const lines = [header.map(cell).join(',')];
  result.findings.forEach((f, i) => {
    const row = result.rows[i] ?? { Id: f.id };
    const reasons = f.reasons.map((r) => `${r.rule}(${r.field}): ${r.message}`).join('; ');
    lines.push([...columns.map((c) => cell(row[c])), cell(f.score.toFixed(3)), cell(f.level), cell(reasons)].join(','));
  });
  return `${lines.join('\r\n')}\r\n`;
}
