import { HOUR_WINDOW, type ReportModel } from '../model.js';
import { buildDocument, type Block } from '../document.js';

export const SEAL_MARKER = '<!-- lockout:seal -->';

/** Escape text for Markdown: characters that can start Markdown or HTML syntax mid-line are backslash-escaped; newlines become " · ". */
export function mdEscape(s: string): string {
  return s.replace(/\r?\n|\r/g, ' · ').replace(/[\\`*_[\]<>|~&]/g, (c) => `\\${c}`);
}

/** Escape a table cell: as mdEscape (a pipe would end the cell). */
const cell = (s: string) => (s === '' ? ' ' : mdEscape(s));

function fence(text: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const f = '`'.repeat(longest + 1);
  return `${f}text\n${text.replace(/\n$/, '')}\n${f}`;
}

function table(headers: string[], rows: string[][]): string {
  return [
    `| ${headers.map(cell).join(' | ')} |`,
    `|${headers.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');
}

function block(b: Block, m: ReportModel): string {
  switch (b.t) {
    case 'p':
      return mdEscape(b.text);
    case 'h':
      return `### ${mdEscape(b.text)}`;
    case 'note':
      return `_${mdEscape(b.text)}_`;
    case 'kv':
      return table(['Item', 'Value', 'Source'], b.rows);
    case 'table':
      return b.rows.length ? table(b.headers, b.rows) : b.empty ? `_${mdEscape(b.empty)}_` : '';
    case 'pre':
      return fence(b.text);
    case 'chart':
      if (b.chart === 'perHour') {
        const rows = m.subjects.createdPerHour.map((h) => [h.hour, String(h.high), String(h.medium), String(h.low)]);
        const out = m.subjects.createdOutsideWindow;
        const outside = out.records
          ? `\n\n_${mdEscape(`${out.records} more flagged records were created outside this window (${out.earliest} to ${out.latest}).`)}_`
          : '';
        return rows.length
          ? `Flagged records created per hour, by scan level (busiest ${HOUR_WINDOW} hours):\n\n${table(['Hour (UTC)', 'High', 'Medium', 'Low'], rows)}${outside}`
          : '_Records created per hour: no evidence recorded_';
      }
      return '';
  }
}

/** Render the report as Markdown (the body; the seal is added by `seal`). */
export function renderMarkdown(m: ReportModel): string {
  const doc = buildDocument(m);
  const out: string[] = [`# ${mdEscape(doc.title)}`, '', `**${mdEscape(doc.subtitle)}**`, '', '## Contents', ''];
  doc.sections.forEach((s, i) => out.push(`${i + 1}. ${mdEscape(s.title)}`));
  out.push('');
  doc.sections.forEach((s, i) => {
    out.push(`## ${i + 1}. ${mdEscape(s.title)}`, '', `_Answers: ${mdEscape(s.basis)}_`, '');
    for (const b of s.blocks) {
      const text = block(b, m);
      if (text) out.push(text, '');
    }
  });
  return `${out.join('\n').replace(/\n+$/, '')}\n\n`;
}

/** The Markdown seal: the sha256 of every byte before the marker line. */
export function markdownSeal(sha256: string): string {
  return [
    SEAL_MARKER,
    '---',
    '',
    `Report sha256 (every byte above the line \`${SEAL_MARKER}\`): \`${sha256}\``,
    '',
    `Recompute: \`sed '/^${SEAL_MARKER}$/,$d' report.md | sha256sum\``,
    '',
  ].join('\n');
}
