import { hash } from 'node:crypto';
import { canonicalJson } from '../store/chain.js';

/** A field value as the REST API returns it (anyType History values are the JSON primitive too). */
export type SfValue = string | number | boolean | null;
export type Rec = Record<string, SfValue>;

/**
 * A record as stored and hashed: `attributes` dropped, parent relationships flattened to `Rel.Field` keys,
 * child subqueries dropped. Keys keep the API-name casing.
 */
export function normalizeRecord(raw: Record<string, unknown>): Rec {
  const out: Rec = {};
  const walk = (obj: Record<string, unknown>, prefix: string) => {
    for (const [k, v] of Object.entries(obj)) {
      if (k === 'attributes') continue;
      if (v !== null && typeof v === 'object') {
        const o = v as Record<string, unknown>;
        if ('records' in o && 'totalSize' in o) continue; // child subquery
        walk(o, `${prefix}${k}.`);
      } else if (v === undefined) continue;
      else out[`${prefix}${k}`] = v as SfValue;
    }
  };
  walk(raw, '');
  return out;
}

let lastKeys: string[] = [];
let lastSorted: string[] = [];

/**
 * RFC 8785 canonical JSON of a normalized record: the bytes a snapshot stores and hashes.
 * A normalized record is flat (primitive values only), and for flat objects RFC 8785 is exactly: keys sorted by
 * UTF-16 code units, each key and value as ECMAScript JSON.stringify writes it. That direct form is several times
 * faster than the general canonicalizer on million-record snapshots; anything else (a nested value, a non-finite
 * number) goes through store/chain.ts canonicalJson. test/rollback/verify.test.ts checks both give the same bytes.
 */
export function canonicalRecord(rec: Rec): string {
  const keys = Object.keys(rec);
  let sorted = lastSorted;
  if (keys.length !== lastKeys.length || keys.some((k, i) => k !== lastKeys[i])) {
    sorted = [...keys].sort();
    lastKeys = keys;
    lastSorted = sorted;
  }
  let out = '{';
  for (let i = 0; i < sorted.length; i += 1) {
    const k = sorted[i]!;
    const v = rec[k];
    if (v !== null && typeof v === 'object') return canonicalJson(rec);
    if (typeof v === 'number' && !Number.isFinite(v)) return canonicalJson(rec);
    // Lone surrogates are not I-JSON: let the general canonicalizer refuse them.
    if (typeof v === 'string' && !(v as string & { isWellFormed(): boolean }).isWellFormed()) return canonicalJson(rec);
    if (v === undefined) continue;
    if (out.length > 1) out += ',';
    out += `${JSON.stringify(k)}:${JSON.stringify(v)}`;
  }
  return `${out}}`;
}

/**
 * For CSV rows with a fixed header: a function from a row's cells to exactly `canonicalRecord` of the record the row
 * stands for (empty cell = null), without building the record. Used on the snapshot worker thread, where building
 * and canonicalizing objects was the largest cost. Requires unique column names.
 */
export function canonicalRowEncoder(header: readonly string[]): (cells: readonly string[]) => string {
  const order = header.map((h, i) => [h, i] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const prefixes = order.map(([h], j) => `${j ? ',' : ''}${JSON.stringify(h)}:`);
  const index = order.map(([, i]) => i);
  return (cells) => {
    let out = '{';
    for (let j = 0; j < index.length; j += 1) {
      const v = cells[index[j]!] ?? '';
      if (v === '') {
        out += `${prefixes[j]}null`;
        continue;
      }
      // Lone surrogates are not I-JSON: let the general canonicalizer refuse them.
      if (!(v as string & { isWellFormed(): boolean }).isWellFormed())
        return canonicalJson({ [header[index[j]!]!]: v });
      out += prefixes[j] + JSON.stringify(v);
    }
    return `${out}}`;
  };
}

/** sha256 (hex) of a canonical JSON text (the same digest as store/chain.ts sha256Hex, one-shot for speed). */
export const sha256Text = (text: string): string => hash('sha256', text, 'hex') as string;

/** sha256 (hex) of a record's canonical JSON. */
export const recordHash = (rec: Rec): string => sha256Text(canonicalRecord(rec));

const SF_DATETIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.(\d{1,3}))?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * The comparable form of a value, so that the same data read through different channels compares equal:
 * REST JSON (typed), Bulk/Data Loader CSV (text; empty = null), datetimes with `+0000` or `Z`.
 */
export function comparable(v: SfValue | undefined): string | null {
  if (v === null || v === undefined || v === '' || v === '#N/A') return null;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return String(v);
  const m = SF_DATETIME.exec(v);
  if (m) {
    const t = Date.parse(
      `${m[1]}T${m[2]}.${(m[3] ?? '0').padEnd(3, '0')}${m[4]!.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')}`,
    );
    if (!Number.isNaN(t)) return new Date(t).toISOString();
  }
  if (/^-?\d+(\.\d+)?$/.test(v) && String(Number(v)) === v.replace(/\.0+$/, '').replace(/(\.\d*?)0+$/, '$1')) {
    return String(Number(v));
  }
  const lower = v.toLowerCase();
  if (lower === 'true' || lower === 'false') return lower;
  return v;
}

/** Whether two values mean the same thing (see `comparable`). */
export const sameValue = (a: SfValue | undefined, b: SfValue | undefined): boolean => comparable(a) === comparable(b);

/** Fields lockout never writes back: system-maintained or read-only on every object. */
export const SYSTEM_FIELDS = new Set([
  'Id',
  'IsDeleted',
  'CreatedDate',
  'CreatedById',
  'LastModifiedDate',
  'LastModifiedById',
  'SystemModstamp',
  'LastActivityDate',
  'LastViewedDate',
  'LastReferencedDate',
  'MasterRecordId',
]);

export const isWritableField = (f: string): boolean => !SYSTEM_FIELDS.has(f) && !f.includes('.');
