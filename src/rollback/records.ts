import { canonicalJson, sha256Hex } from '../store/chain.js';

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

/** RFC 8785 canonical JSON of a normalized record: the bytes a snapshot stores and hashes. */
export const canonicalRecord = (rec: Rec): string => canonicalJson(rec);

/** sha256 (hex) of a record's canonical JSON. */
export const recordHash = (rec: Rec): string => sha256Hex(canonicalRecord(rec));

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
