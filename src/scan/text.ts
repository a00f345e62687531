/** Small text helpers shared by rules. Pure. */

/** Lower case, accents removed, punctuation collapsed to single spaces. */
export function fold(s: string): string {
  return foldUncached(s);
}

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

/** Words of a value after folding. */
export const words = (s: string): string[] => (s ? fold(s).split(' ').filter(Boolean) : []);

/** Domain of an email address (lower case), or null. */
export function emailDomain(email: string): string | null {
  const at = email.lastIndexOf('@');
  if (at < 1 || at === email.length - 1) return null;
  return email
    .slice(at + 1)
    .trim()
    .toLowerCase()
    .replace(/\.$/, '');
}

/** Local part of an email address, or null. */
export function emailLocal(email: string): string | null {
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
export const digitsOf = (s: string): string => s.replace(/\D/g, '');

/** Quote a value as evidence, shortened. */
export function quote(v: string, max = 80): string {
  const s = v.replace(/\s+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
