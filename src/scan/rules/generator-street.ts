import { ex, type Hit, type RecordRule } from '../rule.js';
import type { Reference } from '../reference.js';
import { fold, quote } from '../text.js';

const cache = new WeakMap<object, Set<string>>();
const rare = (ref: Reference) => {
  const v = ref.vocabulary();
  let s = cache.get(v);
  if (!s) {
    const common = new Set(v.commonStreetSuffixes);
    s = new Set(v.rareStreetSuffixes.filter((x) => !common.has(x)));
    cache.set(v, s);
  }
  return s;
};

/**
 * Street lines as generators write them: house numbers with leading zeros (`0087 Russell Pass`), and street
 * suffixes drawn uniformly from the USPS list that real addresses rarely use (`Hoeger Vista`, `Grady Copse`).
 */
export const generatorStreet: RecordRule = {
  id: 'generator-street',
  family: 'generator-fingerprints',
  why: 'Generators draw street suffixes uniformly from the postal list and pad house numbers; real streets do neither.',
  maxWeight: 0.45,
  check(view, ref) {
    const hits: Hit[] = [];
    const suffixes = rare(ref);
    for (const a of view.addresses) {
      const s = a.street;
      if (!s) continue;
      const line = s.value.split(/\r?\n/)[0]!.trim();
      if (/^(?:USNS|USNV|USS|USCGC) \p{Lu}\p{L}+$|^PSC \d{4}, Box \d{4}$|^Unit \d{4} Box \d{4}$/u.test(line)) {
        hits.push({
          field: s.field,
          evidence: quote(line),
          message: `${s.field} "${quote(line)}" is a military (APO/FPO) address template that generators mix into civilian data`,
          weight: 0.4,
        });
        continue;
      }
      // A trailing unit ("Apt. 123", "Suite 400") does not change the street's own suffix.
      const street = line.replace(/,?\s+(?:Apt\.?|Suite|Unit|Ste\.?|#)\s*\w+$/i, '');
      const m = /^(\d+[a-z]?)\s+(.+?)\s+([\p{L}]+)\.?$/u.exec(street);
      if (!m) continue;
      if (/^0\d*$/.test(m[1]!)) {
        hits.push({
          field: s.field,
          evidence: quote(line),
          message: `${s.field} "${quote(line)}" has a house number with a leading zero, a generator habit`,
          weight: 0.45,
        });
      } else if (suffixes.has(fold(m[3]!)) && /^\p{Lu}/u.test(m[3]!) && m[2]!.split(/\s+/).length <= 2) {
        hits.push({
          field: s.field,
          evidence: quote(line),
          message: `${s.field} ends in "${m[3]}", a postal suffix generators draw uniformly but real streets rarely use`,
          weight: 0.25,
        });
      }
    }
    return hits;
  },
  examples: {
    fires: [
      ex('Contact', { LastName: 'Anderson', MailingStreet: '0087 Russell Pass' }),
      ex('Contact', { LastName: 'Smith', MailingStreet: 'PSC 4115, Box 7815' }),
      ex('Contact', { LastName: 'Hill', MailingStreet: '8421 Smith Ports Suite 309' }),
      ex('Contact', { LastName: 'Yost', MailingStreet: '48577 Hoeger Vista' }),
    ],
    quiet: [
      ex('Contact', { LastName: 'Ng', MailingStreet: '1510 Longworth House Office Building' }),
      ex('Contact', { LastName: 'Ng', MailingStreet: '415 Mission St' }),
      ex('Contact', { LastName: 'Ng', MailingStreet: '10 Downing Street' }),
    ],
  },
};
