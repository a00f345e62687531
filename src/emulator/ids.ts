// Salesforce ids: 15 case-sensitive base-62 chars plus a 3-char case checksum (salesforce-api.md §10).

const CHECKSUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** The 18-char form of a 15-char id (adds the case checksum). */
export function to18(id15: string): string {
  let s = '';
  for (let c = 0; c < 3; c++) {
    let f = 0;
    for (let i = 0; i < 5; i++) {
      const ch = id15[c * 5 + i]!;
      if (ch >= 'A' && ch <= 'Z') f |= 1 << i;
    }
    s += CHECKSUM[f];
  }
  return id15 + s;
}

/** A syntactically valid id (15 chars, or 18 with a matching checksum), as its 18-char form; else null. */
export function normalizeId(id: unknown): string | null {
  if (typeof id !== 'string') return null;
  if (/^[0-9A-Za-z]{15}$/.test(id)) return to18(id);
  if (/^[0-9A-Za-z]{18}$/.test(id)) {
    const full = to18(id.slice(0, 15));
    // The checksum is case-insensitive on input.
    return full.toUpperCase() === id.toUpperCase() ? full : null;
  }
  return null;
}

/** Ids for one key prefix: prefix + pod "5E" + "0" + a 9-char base-62 counter, then the checksum. */
export function makeId(prefix: string, n: number): string {
  let s = '';
  let v = n;
  for (let i = 0; i < 9; i++) {
    s = BASE62[v % 62] + s;
    v = Math.floor(v / 62);
  }
  return to18(`${prefix}5E0${s}`);
}
