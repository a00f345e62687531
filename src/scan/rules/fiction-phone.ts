import { ex, type Hit, type RecordRule } from '../rule.js';
import { digitsOf, quote } from '../text.js';

const compiled = new WeakMap<object, RegExp[]>();

/** Phone numbers in ranges that numbering plans reserve for fiction (NANP 555-01xx, Ofcom, ACMA, ARCEP). */
export const fictionPhone: RecordRule = {
  id: 'fiction-phone',
  family: 'reserved-identifiers',
  why: 'Numbering plans reserve some ranges for films and examples; no subscriber can have them.',
  maxWeight: 0.9,
  check(view, ref) {
    const reserved = ref.reserved();
    let res = compiled.get(reserved);
    if (!res) {
      res = reserved.fictionPhones.map((p) => new RegExp(p.pattern));
      compiled.set(reserved, res);
    }
    const hits: Hit[] = [];
    for (const v of view.all('phone')) {
      const digits = digitsOf(v.value.replace(/\s*(?:x|ext\.?|extension)\s*\d+$/i, ''));
      if (digits.length < 7) continue;
      const i = res.findIndex((re) => re.test(digits));
      if (i < 0 && /^(?:1)?555\d{7}$/.test(digits) && !/^\s*\+(?!1)/.test(v.value)) {
        hits.push({
          field: v.field,
          evidence: quote(v.value),
          message: `${v.field} ${quote(v.value)} uses 555 as its area code, which the NANP never assigns`,
          weight: 0.7,
        });
      }
      if (i >= 0) {
        hits.push({
          field: v.field,
          evidence: quote(v.value),
          message: `${v.field} ${quote(v.value)} is in a fiction range: ${reserved.fictionPhones[i]!.cite}`,
          weight: 0.9,
        });
      }
    }
    return hits;
  },
  examples: {
    fires: [
      ex('Contact', { LastName: 'Holmes', Phone: '617-555-0143' }),
      ex('Contact', { LastName: 'Mouse', Phone: '(407) 555-0199' }),
      ex('Account', { Name: 'ABC Corp', Phone: '(555) 010-0000' }),
      ex('Contact', { LastName: 'Smith', Phone: '020 7946 0123', MailingCountry: 'United Kingdom' }),
    ],
    quiet: [
      ex('Contact', { LastName: 'Balint', Phone: '202-225-4115' }),
      ex('Contact', { LastName: 'Rauch', Phone: '01.40.63.65.92' }),
      ex('Contact', { LastName: 'Jones', Phone: '617-555-0200' }),
    ],
  },
};
