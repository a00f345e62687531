/** Small text helpers shared by rules. Pure. */

/**
 * A pure string function with a memory of recent inputs. Rules call the same helpers on the same values many times
 * per record (about twenty folds of a dozen values): the first call computes, the others find the same string
 * here. A small fixed table rather than a Map: nothing outlives the records it came from, so the cache adds no
 * garbage that survives to the old generation (which is what a long scan's memory and time are made of).
 */
function recent<T>(fn: (s: string) => T, size = 64): (s: string) => T {
  // Direct-mapped: a value's slot comes from its length and end characters, so a lookup is one comparison.
  const keys: (string | undefined)[] = new Array<string | undefined>(size).fill(undefined);
  const vals: T[] = new Array<T>(size);
  const mask = size - 1;
  return (s: string): T => {
    const n = s.length;
    const slot = n === 0 ? 0 : (n * 31 + s.charCodeAt(0) * 7 + s.charCodeAt(n - 1)) & mask;
    if (keys[slot] === s) return vals[slot]!;
    const v = fn(s);
    keys[slot] = s;
    vals[slot] = v;
    return v;
  };
}

/** Lower case, accents removed, punctuation collapsed to single spaces. */
export const fold: (s: string) => string = recent(foldUncached);

function foldUncached(s: string): string {
  // Fast path for plain ASCII (most values): no normalisation needed.
  if (/^[\x20-\x7e]*$/.test(s)) {
    return s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, ' ')
      .trim();
  }
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * `fold` of values joined by spaces (`fold(first + ' ' + last)`), from the folded values: fold turns every run of
 * non-letters into one space, so the folded parts joined are the same string, and each part's fold is remembered.
 */
export const foldJoin = (...values: string[]): string =>
  values
    .map(fold)
    .filter((v) => v !== '')
    .join(' ');

/** Words of a value after folding. */
export const words = (s: string): string[] => (s ? fold(s).split(' ').filter(Boolean) : []);

/** Domain of an email address (lower case), or null. */
export const emailDomain: (email: string) => string | null = recent(emailDomainUncached, 16);

function emailDomainUncached(email: string): string | null {
  const at = email.lastIndexOf('@');
  if (at < 1 || at === email.length - 1) return null;
  return email
    .slice(at + 1)
    .trim()
    .toLowerCase()
    .replace(/\.$/, '');
}

/** Local part of an email address, or null. */
export const emailLocal: (email: string) => string | null = recent(emailLocalUncached, 16);

function emailLocalUncached(email: string): string | null {
  const at = email.lastIndexOf('@');
  return at < 1 ? null : email.slice(0, at).trim();
}

/** Host of a website value (with or without scheme), lower case, without `www.`; null if it has none. */
export function websiteHost(url: string): string | null {
  const v = url.trim();
  if (!v) return null;
  const m = /^(?:[a-z][a-z0-9+.-]*:\/\/)?([^/\s?#:]+)/i.exec(v);
  if (!m?.[1] || !m[1].includes('.')) return null;
  return m[1]
    .toLowerCase()
    .replace(/^www\d?\./, '')
    .replace(/\.$/, '');
}

/** Last label of a host name. */
export const tldOf = (host: string): string => host.slice(host.lastIndexOf('.') + 1);

/** Digits of a phone value. */
export const digitsOf: (s: string) => string = recent((s) => s.replace(/\D/g, ''), 16);

/** Quote a value as evidence, shortened. */
export function quote(v: string, max = 80): string {
  const s = v.replace(/\s+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/**
 * A pure function of one field value, remembered per distinct value (bounded: emptied when full). For the parts of
 * rules that depend on a single value that repeats from record to record (names, companies, titles, cities), so
 * that a rule judges each distinct value once.
 */
export function perValue<T>(fn: (value: string) => T, size = 8192): (value: string) => T {
  const map = new Map<string, T>();
  return (value: string): T => {
    let r = map.get(value);
    if (r === undefined && !map.has(value)) {
      r = fn(value);
      if (map.size >= size) map.clear();
      map.set(value, r);
    }
    return r as T;
  };
}
