import { ex, type Hit, type RecordRule } from '../rule.js';
import type { StreetLanguages } from '../reference.js';
import { quote } from '../text.js';

interface Index {
  /** first word (after the house number) -> languages' countries */
  prefix: Map<string, Set<string>>;
  /** ending of the street name's compound word -> countries */
  suffix: [string, Set<string>][];
  /** a word anywhere in the line -> countries */
  word: Map<string, Set<string>>;
  /** the language names per country set, for the message */
  names: Map<Set<string>, string>;
}

const indexes = new WeakMap<object, Index>();
function indexOf(data: StreetLanguages): Index {
  let idx = indexes.get(data);
  if (idx) return idx;
  const prefix = new Map<string, Set<string>>();
  const word = new Map<string, Set<string>>();
  const suffixMap = new Map<string, Set<string>>();
  const names = new Map<Set<string>, string>();
  const add = (m: Map<string, Set<string>>, w: string, countries: string[], lang: string) => {
    const set = m.get(w) ?? new Set<string>();
    for (const c of countries) set.add(c);
    m.set(w, set);
    names.set(set, names.has(set) ? `${names.get(set)}/${lang}` : lang);
  };
  for (const [lang, l] of Object.entries(data.languages)) {
    for (const w of l.prefixes ?? []) add(prefix, w, l.countries, lang);
    for (const w of l.suffixes ?? []) add(suffixMap, w, l.countries, lang);
    for (const w of l.words ?? []) add(word, w, l.countries, lang);
  }
  idx = { prefix, suffix: [...suffixMap], word, names };
  indexes.set(data, idx);
  return idx;
}

/** English street types at the end of a line (before a unit number). */
const ENGLISH_TYPE =
  /\b(?:street|st|road|rd|avenue|ave|drive|dr|lane|ln|court|ct|way|boulevard|blvd|place|pl|terrace|circle|highway|parkway|close|crescent|square)\.?(?:\s*,?\s*(?:apt|suite|unit|#)\.?\s*\w+)?\s*$/i;

// Street lines repeat: the countries a line's language allows, cached per line (null: no clear language).
const cache = new Map<string, [Set<string>, string] | null>();
function languageOf(line: string, idx: Index): [Set<string>, string] | null {
  let r = cache.get(line);
  if (r !== undefined) return r;
  r = null;
  const words = line
    .toLowerCase()
    .replace(/^\s*\d+[a-z]?\s*,?\s*/, '')
    .split(/[\s,]+/)
    .filter(Boolean);
  // A line written the English way (`Brigade Road`, `Largo Drive`) is judged by foreign-street-style, not here.
  if (ENGLISH_TYPE.test(line)) words.length = 0;
  const first = words[0];
  if (first && words.length >= 2) {
    const p = idx.prefix.get(first);
    if (p) r = [p, first];
  }
  if (!r) {
    for (const w of words) {
      const s = idx.word.get(w);
      if (s) {
        r = [s, w];
        break;
      }
      if (w.length < 7 || !/^\p{L}+$/u.test(w)) continue;
      const hit = idx.suffix.find(([suf]) => w.endsWith(suf) && w.length >= suf.length + 3);
      if (hit) {
        r = [hit[1], w];
        break;
      }
    }
  }
  if (cache.size >= 8192) cache.clear();
  cache.set(line, r);
  return r;
}

/**
 * A street line written in the addressing language of other countries (`Piazza Ursula 93`, `Kirstengade 134`,
 * `calle Mayor 5`) while the address names a country where that language is not used for streets: generators draw
 * the country independently of the rest of the address. Street-type words and the countries of each language
 * (with their bilingual regions and colonial-era street names) come from data/scan/street-languages.json.
 */
export const streetLanguage: RecordRule = {
  id: 'street-language',
  family: 'cross-field',
  why: "A street is named in its own country's language; generators pair a street with a random country.",
  maxWeight: 0.3,
  check(view, ref) {
    const hits: Hit[] = [];
    for (const a of view.addresses) {
      if (!a.street || !a.countryCode) continue;
      const line = a.street.value.split(/\r?\n/)[0]!.trim();
      if (line.length < 6) continue;
      const idx = indexOf(ref.streetLanguages());
      const lang = languageOf(line, idx);
      if (!lang || lang[0].has(a.countryCode)) continue;
      hits.push({
        field: `${a.street.field}+${a.country!.field}`,
        evidence: quote(`${line} / ${a.country!.value}`),
        message: `${a.street.field} "${quote(line)}" is written the ${idx.names.get(lang[0]) ?? ''} way ("${lang[1]}"), but the address is in ${a.country!.value}`,
        weight: 0.3,
      });
    }
    return hits;
  },
  examples: {
    fires: [
      ex('Contact', { LastName: 'Leone', MailingStreet: 'Rotonda Rebecca 204', MailingCountry: 'Tokelau' }),
      ex('Contact', { LastName: 'Pedersen', MailingStreet: 'Rasmussengade 648', MailingCountry: 'Yemen' }),
      ex('Account', { Name: 'X', BillingStreet: 'Calle Mayor 5', BillingCountry: 'Sweden' }),
    ],
    quiet: [
      ex('Contact', { LastName: 'Ng', MailingStreet: '9 rue Oberkampf', MailingCountry: 'France' }),
      ex('Contact', { LastName: 'Ng', MailingStreet: '415 Camino Real', MailingCountry: 'United States' }),
      ex('Contact', { LastName: 'Ng', MailingStreet: '12 Spring Street', MailingCountry: 'United States' }),
      ex('Contact', { LastName: 'Gruber', MailingStreet: 'Bahnhofstraße 3', MailingCountry: 'Italy' }),
      ex('Contact', { LastName: 'Khoury', MailingStreet: 'Rue Hamra 12', MailingCountry: 'Lebanon' }),
      ex('Contact', { LastName: 'Lee', MailingStreet: '1 Via Verde', MailingCountry: 'United States' }),
      ex('Contact', { LastName: 'Rao', MailingStreet: '45 Brigade Road', MailingCountry: 'India' }),
      ex('Contact', { LastName: 'Lee', MailingStreet: '12 Largo Drive', MailingCountry: 'United States' }),
      ex('Contact', { LastName: 'Lee', MailingStreet: '3000 Alameda de las Pulgas', MailingCountry: 'United States' }),
      ex('Contact', { LastName: 'Weber', MailingStreet: 'Str. des 17. Juni 135', MailingCountry: 'Germany' }),
    ],
  },
};
