import { ex, type Hit, type RecordRule } from '../rule.js';
import { digitsOf, quote } from '../text.js';

const ascending = (s: string): boolean => [...s].every((c, i) => i === 0 || Number(c) === (Number(s[i - 1]) + 1) % 10);

const SEQUENCES = ['0123456789', '1234567890', '9876543210', '0987654321'];

/** Phone values that are keyboard or digit patterns: `123-456-7890`, `000-000-0000`, `555-555-5555`, `1`. */
export const placeholderPhone: RecordRule = {
  id: 'placeholder-phone',
  family: 'shape',
  why: 'Repeated or ascending digits fill a required phone field; no subscriber has them.',
  maxWeight: 0.6,
  check(view, ref) {
    const hits: Hit[] = [];
    const listed = ref.placeholders().phones;
    for (const v of view.all('phone')) {
      const raw = v.value.trim();
      const d = digitsOf(raw);
      let why: string | null = null;
      if (/^[x#*]+([ .-]?[x#*]+)*$/i.test(raw)) why = 'a mask of placeholder characters';
      else if (d.length >= 1 && d.length <= 4 && !/[a-z]/i.test(raw))
        why = `only ${d.length} digit${d.length > 1 ? 's' : ''}`;
      else if (d.length >= 7 && /^(\d)\1+$/.test(d)) why = 'one digit repeated';
      else if (d.length >= 7 && SEQUENCES.some((s) => s.includes(d) || d.endsWith(s)))
        why = 'ascending or descending digits';
      else if (listed.includes(d)) why = 'a common placeholder number';
      else if (d.length >= 10 && ascending(d.slice(-7))) why = 'a number ending in seven ascending digits';
      else if (/^(?:1)?555555\d{4}$/.test(d) || /^5555555$/.test(d)) why = 'the 555-555-xxxx pattern';
      else if (/^555\d{4}$/.test(d) && !raw.trim().startsWith('+'))
        why = 'a seven-digit 555 number, the film and TV convention';
      if (why)
        hits.push({ field: v.field, evidence: quote(raw), message: `${v.field} ${quote(raw)} is ${why}`, weight: 0.6 });
    }
    return hits;
  },
  examples: {
    fires: [
      ex('Contact', { LastName: 'Bar', Phone: '123-456-7890' }),
      ex('Contact', { LastName: 'Bar', Phone: '000-000-0000' }),
      ex('Contact', { LastName: 'Bar', Phone: 'xxx-xxx-xxxx' }),
      ex('Contact', { LastName: 'Bar', Phone: '555-555-5556' }),
      ex('Contact', { LastName: 'Bar', Phone: '555-1234' }),
      ex('Contact', { LastName: 'Bar', Phone: '(312) 123-4567' }),
    ],
    quiet: [
      ex('Contact', { LastName: 'Balint', Phone: '202-225-4115' }),
      ex('Contact', { LastName: 'Rauch', Phone: '+33 1 40 63 65 92' }),
    ],
  },
};
