import type { FlatRecord, SObjectRecord } from './client.js';

const REST_DATETIME = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?)\+0000$/;

/** A REST JSON value as a Bulk/Data Loader CSV cell: datetimes in `Z` form, numbers and booleans as text. */
export function cell(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') {
    const m = REST_DATETIME.exec(v);
    return m ? `${m[1]}Z` : v;
  }
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/**
 * Flatten a REST record to the columns of a Bulk 2.0 / Data Loader export: one key per selected field path
 * (`Account.Name`), in SELECT order, looked up case-insensitively; a missing parent gives null.
 */
export function flattenRecord(record: SObjectRecord, fields: readonly string[]): FlatRecord {
  const out: FlatRecord = {};
  for (const path of fields) {
    let node: unknown = record;
    for (const part of path.split('.')) {
      if (node === null || typeof node !== 'object') {
        node = null;
        break;
      }
      const obj = node as Record<string, unknown>;
      const key = part in obj ? part : Object.keys(obj).find((k) => k.toLowerCase() === part.toLowerCase());
      node = key === undefined ? null : obj[key];
    }
    out[path] = cell(node);
  }
  return out;
}
