import { ex, type Hit, type RecordRule } from '../rule.js';
import type { Reference } from '../reference.js';
import { quote } from '../text.js';

/** Lorem words that are also ordinary words in English or a Romance language (`nulla`, `libero`, `error`): not counted. */
const COMMON = new Set([
  'alias',
  'error',
  'minus',
  'nulla',
  'libero',
  'vero',
  'culpa',
  'dolore',
  'fuga',
  'magna',
  'animi',
  'esse',
  'modi',
  'natus',
  'omnis',
  'quasi',
  'vitae',
  'ipsa',
  'illo',
  'elit',
  'optio',
  'totam',
  'tempora',
  'veritas',
  'veniam',
  'labore',
  'facere',
  'velit',
  'sint',
  'atque',
  'maxime',
  'quod',
  'quae',
  'unde',
]);

let words: Set<string> | undefined;
let all: Set<string> | undefined;
function lorem(ref: Reference): Set<string> {
  words ??= new Set(ref.vocabulary().loremWords.filter((w) => w.length >= 4 && !COMMON.has(w)));
  return words;
}
function loremAll(ref: Reference): Set<string> {
  all ??= new Set(ref.vocabulary().loremWords);
  return all;
}

/** A URL path slug made of lorem words only (`/quae-officiis-amet-qui`), with at least one distinctive word. */
function loremSlug(url: string, ref: Reference): number {
  const path = /^[a-z]+:\/\/[^/]+(\/[^?#]*)/i.exec(url.trim())?.[1];
  if (!path) return 0;
  const slug = path
    .toLowerCase()
    .replace(/\.html?$/, '')
    .split(/[^a-z]+/)
    .filter(Boolean);
  if (slug.length < 3) return 0;
  const set = loremAll(ref);
  const inList = slug.filter((w) => set.has(w)).length;
  const distinctive = new Set(slug.filter((w) => lorem(ref).has(w))).size;
  return inList * 5 >= slug.length * 4 && distinctive >= 1 ? inList : 0;
}

// Verdicts repeat (the same slug or street on many records): cached per value, bounded.
const cache = new Map<string, number>();
/** How many distinct distinctive lorem words a value has, when they make up most of its longer words; else 0. */
function loremCount(value: string, ref: Reference): number {
  let n = cache.get(value);
  if (n === undefined) {
    const set = lorem(ref);
    const long = value
      .toLowerCase()
      .split(/[^a-z]+/)
      .filter((w) => w.length >= 4);
    const hits = new Set(long.filter((w) => set.has(w)));
    n = hits.size >= 3 && hits.size * 2 >= long.length ? hits.size : 0;
    if (cache.size >= 8192) cache.clear();
    cache.set(value, n);
  }
  return n;
}

/**
 * Lorem ipsum vocabulary in a field (`chevallier.org/est-quam-quisquam-quia-architecto-eaque-debitis`, a street or
 * a title of Latin filler words): every faker port fills free text and URL slugs from the lorem word list. Three or
 * more distinctive lorem words (not ones that are also English or Romance words) are needed.
 */
export const loremText: RecordRule = {
  id: 'lorem-text',
  family: 'placeholder-tokens',
  why: 'Generators fill free text and URL paths with lorem ipsum words; real records are written in a living language.',
  maxWeight: 0.6,
  check(view, ref) {
    const hits: Hit[] = [];
    for (const role of ['website', 'street', 'title', 'company'] as const) {
      for (const v of view.all(role)) {
        if (v.value.length < 14 && role !== 'title') continue;
        // A job title that is one distinctive lorem word (`beatae`, `rerum`): a port's fallback for a missing list.
        if (role === 'title' && lorem(ref).has(v.value.trim().toLowerCase())) {
          hits.push({
            field: v.field,
            evidence: quote(v.value),
            message: `${v.field} "${quote(v.value)}" is a lorem ipsum word, the generators' filler text`,
            weight: 0.35,
          });
          return hits;
        }
        const n = loremCount(v.value, ref) || (role === 'website' ? loremSlug(v.value, ref) : 0);
        if (!n) continue;
        hits.push({
          field: v.field,
          evidence: quote(v.value),
          message: `${v.field} "${quote(v.value)}" is made of lorem ipsum words (${n} of them), the generators' filler text`,
          weight: 0.6,
        });
        return hits;
      }
    }
    return hits;
  },
  examples: {
    fires: [
      ex('Account', {
        Name: 'Leger',
        Website: 'https://www.chevallier.org/est-quam-quisquam-quia-architecto-eaque-debitis',
      }),
      ex('Contact', { LastName: 'Smith', Title: 'Consequatur voluptatem accusantium' }),
      ex('Contact', { LastName: 'Strauß', Title: 'beatae' }),
      ex('Account', { Name: 'Sözeri Ltd. Şti.', Website: 'http://www.gurmen.com.tr/quae-officiis-amet-qui' }),
    ],
    quiet: [
      ex('Account', { Name: 'Yale University', Website: 'https://www.yale.edu/lux-et-veritas' }),
      ex('Account', { Name: 'Studio Libero', BillingStreet: 'Via Nulla Dolore 4' }),
      ex('Contact', { LastName: 'Rossi', Title: 'Error Analyst' }),
      ex('Contact', { LastName: 'Rossi', Title: 'Director' }),
      ex('Account', { Name: 'Acme', Website: 'https://acme.com/products/industrial-solutions' }),
      ex('Account', { Name: 'Acme', Website: 'https://acme.com/de/et-al/index.html' }),
    ],
  },
};
