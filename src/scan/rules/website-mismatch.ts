import { ex, type Hit, type RecordRule } from '../rule.js';
import { fold, quote, websiteHost } from '../text.js';

const STOP = new Set([
  'of',
  'the',
  'and',
  'de',
  'la',
  'le',
  'des',
  'du',
  'for',
  'y',
  'et',
  'und',
  'der',
  'di',
  'da',
  'do',
  'at',
  'in',
  'a',
]);
const SLD = new Set([
  'co',
  'com',
  'ac',
  'org',
  'net',
  'gov',
  'edu',
  'nhs',
  'ltd',
  'plc',
  'or',
  'ne',
  'go',
  'gob',
  'gouv',
  'me',
  'sch',
  'mod',
  'police',
  'asso',
  'nom',
]);

/** Whether a domain label shares a word, a word's first four letters or an acronym with a company name. */
export function related(label: string, company: string): boolean {
  const words = fold(company).split(' ').filter(Boolean);
  const flat = label.replace(/[^a-z0-9]/g, '');
  if (!flat) return true;
  const content = words.filter((w) => !STOP.has(w));
  if (content.some((w) => w.length >= 3 && (flat.includes(w) || (w.length >= 4 && flat.includes(w.slice(0, 4))))))
    return true;
  if (content.some((w) => w.length >= 3 && w.includes(flat))) return true;
  const acronym = content.map((w) => w[0]).join('');
  const acronymAll = words.map((w) => w[0]).join('');
  return acronym.length >= 2 && (flat.includes(acronym) || flat.includes(acronymAll) || acronym.includes(flat));
}

/**
 * A company website whose domain has nothing to do with the company name, made of two dictionary-looking words
 * joined by a hyphen (`deafening-meal.name` for "Cummings Inc"): generators fill the two fields independently.
 */
export const websiteMismatch: RecordRule = {
  id: 'website-mismatch',
  family: 'cross-field',
  why: 'Real websites share a word or an acronym with the company; generated ones are random word pairs.',
  maxWeight: 0.4,
  check(view, ref) {
    const hits: Hit[] = [];
    const company = view.first('company');
    if (!company) return hits;
    for (const v of view.all('website')) {
      const host = websiteHost(v.value);
      if (!host) continue;
      const labels = host.split('.');
      let i = labels.length - 2;
      while (i > 0 && SLD.has(labels[i]!)) i--;
      const label = labels[Math.max(0, i)]!;
      if (related(label, company.value)) continue;
      const parts = label.split('-');
      // Word pairs of real words; short parts are acronyms and place names tie the site to a campus or office.
      const wordPair =
        parts.length >= 2 &&
        parts.length <= 4 &&
        parts.every((p) => /^[a-z]{4,}$/.test(p) || ['du', 'de', 'la', 'le'].includes(p)) &&
        !parts.some((p) => p.length >= 4 && ref.places(p).length > 0);
      if (wordPair) {
        hits.push({
          field: v.field,
          evidence: quote(v.value),
          message: `${v.field} ${host} is a hyphenated word pair unrelated to ${company.field} "${quote(company.value)}"`,
          weight: 0.4,
        });
      }
    }
    return hits;
  },
  examples: {
    fires: [ex('Account', { Name: 'Cummings Inc', Website: 'https://deafening-meal.name/' })],
    quiet: [
      ex('Account', { Name: 'Massachusetts Institute of Technology', Website: 'https://web.mit.edu' }),
      ex('Account', {
        Name: 'Bamenda University of Science & Technology',
        Website: 'http://www.bamendauniversity.com/',
      }),
      ex('Account', { Name: 'Universität Hamburg', Website: 'https://www.uni-hamburg.de' }),
    ],
  },
};
