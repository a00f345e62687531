import { redact } from '../redact.js';

/** Small tolerant readers for evidence payloads written by other modules (their shapes grow over time). */

export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The value at the first of `paths` (dotted) that exists. */
export function pick(o: unknown, ...paths: string[]): unknown {
  for (const p of paths) {
    let node: unknown = o;
    for (const k of p.split('.')) node = isObj(node) ? node[k] : undefined;
    if (node !== undefined && node !== null) return node;
  }
  return undefined;
}

export const num = (o: unknown, ...paths: string[]): number | null => {
  const v = pick(o, ...paths);
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
};

export const str = (o: unknown, ...paths: string[]): string | null => {
  const v = pick(o, ...paths);
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null;
};

export const arr = (o: unknown, ...paths: string[]): unknown[] => {
  const v = pick(o, ...paths);
  return Array.isArray(v) ? v : [];
};

/** A map of name -> count, given as an object `{a: 3}` or as rows `[{field|name|key|rule|level, count|n}]`. */
export function counts(o: unknown, ...paths: string[]): Map<string, number> {
  const out = new Map<string, number>();
  const v = pick(o, ...paths);
  if (isObj(v)) {
    for (const [k, n] of Object.entries(v)) {
      if (typeof n === 'number') out.set(k, (out.get(k) ?? 0) + n);
      else if (isObj(n) && typeof (n.count ?? n.n) === 'number') out.set(k, (out.get(k) ?? 0) + Number(n.count ?? n.n));
    }
  } else if (Array.isArray(v)) {
    for (const row of v) {
      if (typeof row === 'string') out.set(row, (out.get(row) ?? 0) + 1);
      if (!isObj(row)) continue;
      const k = str(row, 'field', 'name', 'key', 'rule', 'id', 'level', 'action', 'object');
      const n = num(row, 'count', 'n', 'records');
      if (k !== null) out.set(k, (out.get(k) ?? 0) + (n ?? 1));
    }
  }
  return out;
}

/** Numeric facts of a payload, flattened to `a.b` (depth 2), for kinds the report does not know in detail. */
export function numericFacts(payload: unknown, depth = 2, prefix = ''): [string, number | boolean][] {
  if (!isObj(payload)) return [];
  const out: [string, number | boolean][] = [];
  for (const [k, v] of Object.entries(payload)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'number' || typeof v === 'boolean') out.push([key, v]);
    else if (Array.isArray(v)) out.push([`${key} (items)`, v.length]);
    else if (isObj(v) && depth > 1) out.push(...numericFacts(v, depth - 1, key));
  }
  return out;
}

const HOUR = 3_600_000;

/** Add calendar months in UTC (the NIS2/DORA "one month"), clamping to the month's last day. */
export function addMonths(isoTime: string, months: number): string {
  const d = new Date(isoTime);
  const day = d.getUTCDate();
  const t = new Date(d);
  t.setUTCDate(1);
  t.setUTCMonth(t.getUTCMonth() + months);
  const last = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 0)).getUTCDate();
  t.setUTCDate(Math.min(day, last));
  return t.toISOString();
}

export const addHours = (isoTime: string, hours: number): string =>
  new Date(new Date(isoTime).getTime() + hours * HOUR).toISOString();

/** "2d 3h 12m" for a duration in milliseconds (sign ignored). */
export function duration(ms: number): string {
  const m = Math.round(Math.abs(ms) / 60_000);
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  const min = m % 60;
  return [d ? `${d}d` : '', h ? `${h}h` : '', `${min}m`].filter(Boolean).join(' ');
}

/** EU and EEA Member States (ISO 3166-1 alpha-2; Greece as GR). */
export const EEA = new Set([
  'AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT', 'LV', 'LT', 'LU', 'MT',
  'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE', 'IS', 'LI', 'NO',
]); // prettier-ignore

/** Bidirectional-control characters, which can reorder how text reads ("Trojan Source"); shown as code points. */
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
// Other control characters (except tab and newline), which have no business in a document.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

const codePoint = (c: string) => `[U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}]`;

/** Make a value safe to show as text in any format: no secrets, visible bidi/control characters, bounded length. */
export function cleanText(v: string, max = 4000): string {
  let s = redact(v).replace(BIDI, codePoint).replace(CONTROL, codePoint);
  if (s.length > max) s = `${s.slice(0, max)}… [${s.length - max} more characters]`;
  return s;
}
