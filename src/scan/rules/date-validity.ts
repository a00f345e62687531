import { ex, type Hit, type RecordRule } from '../rule.js';
import { quote } from '../text.js';

const PLACEHOLDER_DATES = new Set(['1900-01-01', '1970-01-01', '1111-11-11', '2000-01-01', '1901-01-01']);

/**
 * Birth dates that are defaults or impossible: 1900-01-01, 1970-01-01, before 1900, in the future (by the reference
 * data's `today`, so the rule stays pure). Weak alone.
 */
export const dateValidity: RecordRule = {
  id: 'date-validity',
  family: 'validity',
  why: 'Default and epoch dates fill required date fields in test data; generators draw birth dates past today.',
  maxWeight: 0.3,
  check(view, ref) {
    const hits: Hit[] = [];
    for (const v of view.all('birthdate')) {
      const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(v.value.trim());
      if (!m) continue;
      const date = `${m[1]}-${m[2]}-${m[3]}`;
      if (PLACEHOLDER_DATES.has(date) || Number(m[1]) < 1900) {
        hits.push({
          field: v.field,
          evidence: quote(v.value),
          message: `${v.field} ${date} is a default or impossible birth date`,
          weight: 0.3,
        });
      } else if (date > ref.today()) {
        hits.push({
          field: v.field,
          evidence: quote(v.value),
          message: `${v.field} ${date} is in the future (today is ${ref.today()}): nobody is born yet on that date`,
          weight: 0.3,
        });
      }
    }
    return hits;
  },
  examples: {
    fires: [
      ex('Contact', { LastName: 'Ng', Birthdate: '1900-01-01' }),
      ex('Contact', { LastName: 'Ng', Birthdate: '2999-03-14' }),
    ],
    quiet: [
      ex('Contact', { LastName: 'Ng', Birthdate: '1984-06-12' }),
      ex('Contact', { LastName: 'Ng', Birthdate: '2001-12-31' }),
    ],
  },
};
