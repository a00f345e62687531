import { HOUR_WINDOW, type ReportModel } from '../model.js';
import { buildDocument, type Block } from '../document.js';
import { SEAL_MARKER } from './md.js';

/**
 * One self-contained, printable HTML file: inline CSS and SVG, no scripts, no external assets (a
 * Content-Security-Policy forbids them anyway). Every value goes through `esc`, and every cell is a <bdi> so
 * right-to-left text cannot reorder its neighbours.
 */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escape text for HTML element content and quoted attribute values. */
export const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ENTITIES[c]!);

const LEVEL_COLOURS = { high: '#b3261e', medium: '#e8710a', low: '#f2c94c' } as const;
const STATUS_CLASS: Record<string, string> = {
  met: 'ok',
  'not-required': 'muted',
  'not-applicable': 'muted',
  waiting: 'muted',
  due: 'warn',
  late: 'bad',
  overdue: 'bad',
};

const CSS = `
:root { --ink: #1b1f23; --muted: #5f6b76; --rule: #c9d1d9; --band: #f3f5f7; --accent: #1f3a5f; }
* { box-sizing: border-box; }
html { background: #e9ecef; }
body { margin: 0; color: var(--ink); font: 10.5pt/1.45 "Helvetica Neue", Arial, "Liberation Sans", sans-serif; }
main { max-width: 210mm; margin: 12px auto; background: #fff; padding: 18mm 16mm; box-shadow: 0 1px 4px rgba(0,0,0,.15); }
header.cover { border-bottom: 3px solid var(--accent); padding-bottom: 10px; margin-bottom: 14px; }
header.cover .kicker { text-transform: uppercase; letter-spacing: .08em; font-size: 8.5pt; color: var(--muted); }
h1 { font-size: 19pt; margin: 4px 0 2px; color: var(--accent); }
h2 { font-size: 13pt; margin: 22px 0 4px; color: var(--accent); border-bottom: 1px solid var(--rule); padding-bottom: 2px; break-after: avoid; }
h3 { font-size: 10.5pt; margin: 12px 0 2px; break-after: avoid; }
.basis { font-size: 8.5pt; color: var(--muted); margin: 0 0 8px; }
.subtitle { font-weight: 600; margin: 0; }
nav ol { columns: 2; font-size: 9.5pt; margin: 6px 0 0; padding-left: 20px; }
nav a { color: var(--ink); text-decoration: none; }
table { width: 100%; border-collapse: collapse; margin: 6px 0 10px; font-size: 9pt; }
th, td { border: 1px solid var(--rule); padding: 3px 5px; text-align: left; vertical-align: top; overflow-wrap: break-word; }
td { white-space: pre-line; }
td.nw { white-space: nowrap; }
td.long { overflow-wrap: anywhere; }
td.hash { overflow-wrap: anywhere; min-width: 18ch; }
th { background: var(--band); font-weight: 600; }
table.kv th { width: 32%; background: #fafbfc; }
table.kv td.src, td.src { color: var(--muted); width: 14%; font-size: 8.5pt; }
tr { break-inside: avoid; }
table.fixed { table-layout: fixed; font-size: 8pt; }
table.fixed td { overflow-wrap: anywhere; }
thead { display: table-header-group; }
.none { color: var(--muted); font-style: italic; }
.note { color: var(--muted); font-size: 9pt; font-style: italic; }
pre { background: var(--band); border: 1px solid var(--rule); padding: 6px 8px; font: 8.5pt/1.4 "DejaVu Sans Mono", Menlo, Consolas, monospace; white-space: pre-wrap; overflow-wrap: anywhere; }
code, .hash { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 8pt; }
.status { white-space: nowrap; font-weight: 600; padding: 0 4px; border-radius: 3px; }
.status.ok { background: #dff3e4; color: #1e6b34; }
.status.warn { background: #fff1d6; color: #8a5300; }
.status.bad { background: #fde2e1; color: #9b1c1c; }
.status.muted { background: #eceff1; color: #4a5560; }
figure { margin: 8px 0 12px; }
figcaption { font-size: 8.5pt; color: var(--muted); }
svg { width: 100%; height: auto; font-family: inherit; }
footer.seal { margin-top: 18px; border-top: 3px solid var(--accent); padding-top: 6px; font-size: 8.5pt; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  html, body { background: #fff; }
  main { margin: 0; padding: 0; max-width: none; box-shadow: none; }
  h2 { break-after: avoid; }
  section { break-inside: auto; }
  figure, pre { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
`;

/** Cell class: short tokens never wrap; only cells with very long tokens may break anywhere. */
const fit = (v: string): string =>
  v.length <= 16 && !/\s/.test(v) ? 'nw' : v.split(/\s+/).some((w) => w.length > 28) ? 'long' : '';

const td = (v: string, cls = '') => {
  const c = [cls, fit(v)].filter(Boolean).join(' ');
  return `<td${c ? ` class="${c}"` : ''}>${v === '' ? '' : v === 'no evidence recorded' ? '<span class="none">no evidence recorded</span>' : `<bdi>${esc(v)}</bdi>`}</td>`;
};

function statusCell(status: string): string {
  return `<td><span class="status ${STATUS_CLASS[status] ?? 'muted'}">${esc(status)}</span></td>`;
}

function tableHtml(headers: string[], rows: string[][], statusCol = -1, hashCol = -1, widths?: number[]): string {
  const cols = widths ? `<colgroup>${widths.map((w) => `<col style="width:${w}%">`).join('')}</colgroup>` : '';
  return `<table${widths ? ' class="fixed"' : ''}>${cols}<thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map(
      (r) =>
        `<tr>${r.map((c, i) => (i === statusCol ? statusCell(c) : i === hashCol ? `<td class="hash">${esc(c)}</td>` : td(c))).join('')}</tr>`,
    )
    .join('')}</tbody></table>`;
}

const fmtTick = (t: number) => new Date(t).toISOString().slice(5, 16).replace('T', ' ');

/** Incident timeline: one lane per evidence family, deadlines as dashed lines, "now" as a solid line. */
export function timelineSvg(m: ReportModel): string {
  const points = m.timeline.map((r) => ({
    t: Date.parse(r.ts),
    lane: r.kind.split('.')[0] ?? r.kind,
    seq: r.seq,
    kind: r.kind,
  }));
  const marks: { t: number; label: string; cls: string }[] = [];
  const aware = m.timestamps.awareAt.value ? Date.parse(m.timestamps.awareAt.value) : NaN;
  if (!Number.isNaN(aware)) marks.push({ t: aware, label: 'aware', cls: 'aware' });
  const occurred = m.timestamps.occurredAt.value ? Date.parse(m.timestamps.occurredAt.value) : NaN;
  if (!Number.isNaN(occurred)) marks.push({ t: occurred, label: 'occurred', cls: 'aware' });
  const now = Date.parse(m.generatedAt);
  marks.push({ t: now, label: 'report', cls: 'now' });
  for (const k of m.clocks) {
    if (!k.deadline || k.status === 'not-required' || k.status === 'not-applicable') continue;
    const t = Date.parse(k.deadline);
    // Deadlines far beyond the incident's span (one month) would squash the chart; they are in the table.
    marks.push({ t, label: `${k.regime} ${k.stage.split(' ')[0]}`, cls: 'deadline' });
  }
  if (!points.length) return '';
  // The span of what happened (entries, occurred, aware, this report); deadlines outside it are in the table.
  const inside = [...points.map((p) => p.t), ...marks.filter((x) => x.cls !== 'deadline').map((x) => x.t)];
  let t0 = Math.min(...inside);
  let t1 = Math.max(...inside);
  if (t1 - t0 < 3_600_000) {
    t0 -= 1_800_000;
    t1 += 1_800_000;
  }
  const pad = (t1 - t0) * 0.03;
  t0 -= pad;
  t1 += pad;
  const lanes = [...new Set(points.map((p) => p.lane))];
  const W = 760;
  const left = 90;
  const right = 20;
  const laneH = 26;
  const top = 26;
  const H = top + lanes.length * laneH + 40;
  const x = (t: number) => left + ((t - t0) / (t1 - t0)) * (W - left - right);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" role="img" aria-label="Incident timeline">`,
    `<rect x="0" y="0" width="${W}" height="${H}" fill="#fff"/>`,
  ];
  lanes.forEach((lane, i) => {
    const y = top + i * laneH + laneH / 2;
    out.push(
      `<line x1="${left}" y1="${y}" x2="${W - right}" y2="${y}" stroke="#e3e7eb"/>`,
      `<text x="${left - 8}" y="${y + 4}" font-size="11" text-anchor="end" fill="#1b1f23">${esc(lane)}</text>`,
    );
  });
  const axisY = top + lanes.length * laneH + 6;
  out.push(`<line x1="${left}" y1="${axisY}" x2="${W - right}" y2="${axisY}" stroke="#5f6b76"/>`);
  for (let i = 0; i <= 5; i++) {
    const t = t0 + ((t1 - t0) * i) / 5;
    const xx = x(t);
    out.push(
      `<line x1="${xx}" y1="${axisY}" x2="${xx}" y2="${axisY + 4}" stroke="#5f6b76"/>`,
      `<text x="${xx}" y="${axisY + 16}" font-size="9.5" text-anchor="${i === 0 ? 'start' : i === 5 ? 'end' : 'middle'}" fill="#5f6b76">${esc(fmtTick(t))}</text>`,
    );
  }
  // Marks at the same time share one line and one label.
  const merged = new Map<number, { t: number; label: string; cls: string }>();
  for (const mk of marks.filter((mk) => mk.t >= t0 && mk.t <= t1)) {
    const key = Math.round(x(mk.t));
    const prev = merged.get(key);
    merged.set(key, prev ? { ...prev, label: `${prev.label} / ${mk.label}` } : mk);
  }
  let labelRow = 0;
  for (const mk of [...merged.values()].sort((a, b) => a.t - b.t)) {
    const xx = x(mk.t).toFixed(1);
    const colour = mk.cls === 'deadline' ? '#b3261e' : mk.cls === 'now' ? '#1f3a5f' : '#1e6b34';
    out.push(
      `<line x1="${xx}" y1="${top - 4}" x2="${xx}" y2="${axisY}" stroke="${colour}" stroke-width="1.2"${mk.cls === 'deadline' ? ' stroke-dasharray="4 3"' : ''}/>`,
      `<text x="${xx}" y="${10 + (labelRow++ % 2) * 10}" font-size="9" text-anchor="middle" fill="${colour}">${esc(mk.label)}</text>`,
    );
  }
  for (const p of points) {
    const y = top + lanes.indexOf(p.lane) * laneH + laneH / 2;
    out.push(
      `<circle cx="${x(p.t).toFixed(1)}" cy="${y}" r="4.5" fill="#1f3a5f" stroke="#fff" stroke-width="1"><title>#${p.seq} ${esc(p.kind)}</title></circle>`,
    );
  }
  out.push(
    `<text x="${left}" y="${H - 4}" font-size="9" fill="#5f6b76">Dots: evidence entries by family. Solid lines: occurred, aware, this report. Dashed: deadlines in this span.</text>`,
    '</svg>',
  );
  return out.join('');
}

/** Flagged records created per hour, stacked by scan level. */
export function perHourSvg(m: ReportModel): string {
  const rows = m.subjects.createdPerHour;
  if (!rows.length) return '';
  // Fill empty hours so the burst shape is honest.
  const first = Date.parse(rows[0]!.hour);
  const last = Date.parse(rows[rows.length - 1]!.hour);
  const byHour = new Map(rows.map((r) => [Date.parse(r.hour), r]));
  const hours: { t: number; high: number; medium: number; low: number }[] = [];
  const span = Math.round((last - first) / 3_600_000);
  for (let i = 0; i <= span; i++) {
    const t = first + i * 3_600_000;
    const r = byHour.get(t);
    hours.push({ t, high: r?.high ?? 0, medium: r?.medium ?? 0, low: r?.low ?? 0 });
  }
  const peak = Math.max(1, ...hours.map((h) => h.high + h.medium + h.low));
  const step = Math.max(1, Math.ceil(peak / 4));
  const max = step * 4;
  const W = 760;
  const left = 44;
  const right = 12;
  const top = 24;
  const plotH = 150;
  const H = top + plotH + 44;
  const bw = (W - left - right) / hours.length;
  const y = (v: number) => top + plotH - (v / max) * plotH;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" role="img" aria-label="Flagged records created per hour by scan level">`,
    `<rect x="0" y="0" width="${W}" height="${H}" fill="#fff"/>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const v = step * i;
    out.push(
      `<line x1="${left}" y1="${y(v)}" x2="${W - right}" y2="${y(v)}" stroke="#e3e7eb"/>`,
      `<text x="${left - 6}" y="${y(v) + 3}" font-size="9.5" text-anchor="end" fill="#5f6b76">${v}</text>`,
    );
  }
  const labelEvery = Math.max(1, Math.ceil(hours.length / 12));
  hours.forEach((h, i) => {
    const x0 = left + i * bw + Math.min(2, bw * 0.15);
    const w = Math.max(1, bw - Math.min(4, bw * 0.3));
    let base = 0;
    for (const level of ['high', 'medium', 'low'] as const) {
      const v = h[level];
      if (!v) continue;
      out.push(
        `<rect x="${x0.toFixed(1)}" y="${y(base + v).toFixed(1)}" width="${w.toFixed(1)}" height="${(y(base) - y(base + v)).toFixed(1)}" fill="${LEVEL_COLOURS[level]}"><title>${esc(new Date(h.t).toISOString().slice(0, 13))}:00Z ${level}: ${v}</title></rect>`,
      );
      base += v;
    }
    if (i % labelEvery === 0) {
      out.push(
        `<text x="${(x0 + w / 2).toFixed(1)}" y="${top + plotH + 14}" font-size="9" text-anchor="middle" fill="#5f6b76">${esc(new Date(h.t).toISOString().slice(11, 13))}h</text>`,
      );
    }
  });
  out.push(
    `<line x1="${left}" y1="${top + plotH}" x2="${W - right}" y2="${top + plotH}" stroke="#5f6b76"/>`,
    `<text x="${left}" y="${top + plotH + 30}" font-size="9.5" fill="#5f6b76">${esc(`${new Date(first).toISOString().slice(0, 10)} to ${new Date(last).toISOString().slice(0, 10)} (UTC hours)`)}</text>`,
  );
  let lx = W - right - 230;
  for (const level of ['high', 'medium', 'low'] as const) {
    out.push(
      `<rect x="${lx}" y="6" width="10" height="10" fill="${LEVEL_COLOURS[level]}"/>`,
      `<text x="${lx + 14}" y="15" font-size="10" fill="#1b1f23">${level}</text>`,
    );
    lx += 72;
  }
  out.push('</svg>');
  return out.join('');
}

function block(b: Block, m: ReportModel): string {
  switch (b.t) {
    case 'p':
      return `<p>${esc(b.text)}</p>`;
    case 'h':
      return `<h3>${esc(b.text)}</h3>`;
    case 'note':
      return `<p class="note">${esc(b.text)}</p>`;
    case 'kv':
      return `<table class="kv"><tbody>${b.rows
        .map(([k, v, s]) => `<tr><th>${esc(k)}</th>${td(v)}${td(s, 'src')}</tr>`)
        .join('')}</tbody></table>`;
    case 'table': {
      if (!b.rows.length) return b.empty ? `<p class="none">${esc(b.empty)}</p>` : '';
      const statusCol = b.headers.indexOf('Status');
      const hashCol = b.headers.indexOf('Entry hash');
      return tableHtml(b.headers, b.rows, statusCol, hashCol, b.widths);
    }
    case 'pre':
      return `<pre>${esc(b.text)}</pre>`;
    case 'chart': {
      const svg = b.chart === 'timeline' ? timelineSvg(m) : perHourSvg(m);
      const caption =
        b.chart === 'timeline'
          ? 'Figure 1. Incident timeline from the evidence log.'
          : `Figure 2. Records flagged by the scan, by hour of creation (CreatedDate) and scan level, over the busiest ${HOUR_WINDOW} hours.${m.subjects.createdOutsideWindow.records ? ` ${m.subjects.createdOutsideWindow.records} more flagged records were created outside this window (${m.subjects.createdOutsideWindow.earliest} to ${m.subjects.createdOutsideWindow.latest}).` : ''}`;
      return svg
        ? `<figure>${svg}<figcaption>${esc(caption)}</figcaption></figure>`
        : `<p class="none">${esc(b.chart === 'timeline' ? 'Timeline: no evidence recorded' : 'Records created per hour: no evidence recorded')}</p>`;
    }
  }
}

/** Render the report as one HTML file (the body; the seal is added by `htmlSeal`). */
export function renderHtml(m: ReportModel): string {
  const doc = buildDocument(m);
  const sections = doc.sections
    .map(
      (s, i) =>
        `<section id="${esc(s.id)}"><h2>${i + 1}. ${esc(s.title)}</h2><p class="basis">Answers: ${esc(s.basis)}</p>${s.blocks
          .map((b) => block(b, m))
          .join('\n')}</section>`,
    )
    .join('\n');
  return [
    '<!DOCTYPE html>',
    '<html lang="en" dir="ltr">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="lockout ${esc(m.tool.version)}">`,
    `<title>${esc(doc.title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    '<main>',
    `<header class="cover"><div class="kicker">${esc(m.controller.name.value ?? 'Controller not configured')} · confidential</div><h1>${esc(doc.title)}</h1><p class="subtitle">${esc(doc.subtitle)}</p>`,
    `<nav><ol>${doc.sections.map((s) => `<li><a href="#${esc(s.id)}">${esc(s.title)}</a></li>`).join('')}</ol></nav></header>`,
    sections,
    '',
  ].join('\n');
}

export function htmlSeal(sha256: string): string {
  return [
    SEAL_MARKER,
    `<footer class="seal"><strong>Report sha256</strong> (every byte of this file before the line <code>${esc(SEAL_MARKER)}</code>): <code>${esc(sha256)}</code><br>Recompute: <code>${esc(`sed '/^${SEAL_MARKER}$/,$d' report.html | sha256sum`)}</code></footer>`,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
