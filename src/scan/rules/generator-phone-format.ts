import { ex, type Hit, type RecordRule } from '../rule.js';
import { quote } from '../text.js';

/** Phone layouts only generators produce: Mockaroo's `3-(843)452-8728` (a one-digit "country code" then NANP). */
export const generatorPhoneFormat: RecordRule = {
  id: 'generator-phone-format',
  family: 'generator-fingerprints',
  why: 'A single digit before a parenthesised area code is a Mockaroo format, not how any country writes numbers.',
  maxWeight: 0.45,
  check(view) {
    const hits: Hit[] = [];
    for (const v of view.all('phone')) {
      if (/^[02-9]-\(\d{3}\)\d{3}-\d{4}$/.test(v.value.trim())) {
        hits.push({
          field: v.field,
          evidence: quote(v.value),
          message: `${v.field} ${quote(v.value)} is written in the "#-(###)###-####" layout of generated data`,
          weight: 0.45,
        });
      } else if (/^(?:\+?1-|001-)?\(?\d{3}\)?[ .-]?\d{3}[.-]\d{4} ?x\d{3,5}$/.test(v.value.trim())) {
        hits.push({
          field: v.field,
          evidence: quote(v.value),
          message: `${v.field} ${quote(v.value)} has the " x#####" extension layout of generated data (weak alone)`,
          weight: 0.2,
        });
      }
    }
    return hits;
  },
  examples: {
    fires: [
      ex('Contact', { LastName: 'Watson', Phone: '3-(843)452-8728' }),
      ex('Contact', { LastName: 'Roob', Phone: '001-909-403-0019x2150' }),
    ],
    quiet: [
      ex('Contact', { LastName: 'Ng', Phone: '1-(202)225-4115' }),
      ex('Contact', { LastName: 'Ng', Phone: '(202) 225-4115' }),
    ],
  },
};
