import type { Plan, RecordPlan } from './plan.js';
import type { SfValue } from './records.js';

/**
 * One CSV cell. Text that a spreadsheet would run as a formula (=, +, -, @, tab, CR at the start) gets a leading
 * apostrophe (OWASP "CSV injection"); cells with separators, quotes or line breaks are quoted.
 */
export function csvCell(v: SfValue | undefined): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvLine = (cells: (SfValue | undefined)[]): string => `${cells.map(csvCell).join(',')}\n`;

const PLAN_COLUMNS = [
  'object',
  'id',
  'action',
  'would_be',
  'reason',
  'field',
  'before',
  'integration',
  'current',
  'source',
  'conflict',
  'resolution',
  'changed_by',
  'unrecoverable',
];

function planRows(p: RecordPlan): (SfValue | undefined)[][] {
  const head = [p.object, p.id, p.action, p.wouldBe ?? '', p.reason];
  const rows: (SfValue | undefined)[][] = [];
  for (const r of p.restores) {
    rows.push([...head, r.field, r.before, r.integration, r.current, r.source, 'no', '', '', '']);
  }
  for (const c of p.conflicts) {
    rows.push([
      ...head,
      c.field,
      c.before,
      c.integration,
      c.current,
      '',
      'yes',
      c.resolution,
      c.changedBy.join(' '),
      '',
    ]);
  }
  for (const u of p.unrecoverable) rows.push([...head, u.field, '', '', '', '', 'no', '', '', u.reason]);
  if (!rows.length) {
    const fields = Object.keys(p.set);
    if (fields.length)
      for (const f of fields)
        rows.push([...head, f, p.beforeImage[f] ?? null, '', p.beforeImage[f] ?? null, 'config', 'no', '', '', '']);
    else rows.push([...head, '', '', '', '', '', 'no', '', '', '']);
  }
  return rows;
}

/** The full plan as CSV: one row per field decision (restore, conflict, unrecoverable), one per other record. */
export function planCsv(plan: Plan): string {
  let out = csvLine(PLAN_COLUMNS);
  for (const p of plan.records) for (const row of planRows(p)) out += csvLine(row);
  return out;
}
