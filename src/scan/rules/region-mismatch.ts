import { getCountries, getCountryCallingCode, type CountryCode } from 'libphonenumber-js/max';
import { ex, type Hit, type RecordRule } from '../rule.js';
import type { Reference } from '../reference.js';
import type { Address } from '../view.js';
import { digitsOf, quote } from '../text.js';

const UK_POSTCODE =
  /^(?:GIR ?0AA|[A-PR-UWYZ](?:\d{1,2}|[A-HK-Y]\d{1,2}|\d[A-HJKPSTUW]|[A-HK-Y]\d[ABEHMNPRV-Y]) ?\d[ABD-HJLNP-UW-Z]{2})$/i;

/** The 121 postcode areas of the UK and the Crown dependencies' (Royal Mail Postcode Address File). */
const UK_AREAS = new Set(
  (
    'AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY E EC EH EN EX FK ' +
    'FY G GL GU HA HD HG HP HR HS HU HX IG IP IV KA KT KW KY L LA LD LE LL LN LS LU M ME MK ML N NE NG NN NP NR NW ' +
    'OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA ' +
    'WC WD WF WN WR WS WV YO ZE GY JE IM GIR'
  ).split(' '),
);

/** Territories that dial with another code than their country's. */
const TERRITORIES: Record<string, string[]> = {
  FR: ['NC', 'PF', 'RE', 'GP', 'MQ', 'GF', 'YT', 'PM', 'WF', 'BL', 'MF'],
  GB: ['GG', 'JE', 'IM'],
  US: ['PR', 'GU', 'VI', 'AS', 'MP'],
};

/** Regions whose postal codes start with a two-digit prefix, per country (built once from regions.json). */
const prefixIndex = new WeakMap<object, Map<string, Map<string, string[]>>>();
/**
 * Countries whose postal code's leading digits name the region (data/scan/regions.json postalPrefixes): the shape
 * of a code, and how many of its digits count.
 */
const PREFIX_COUNTRIES: Record<string, [RegExp, number]> = {
  DE: [/^\d{5}/, 2],
  FR: [/^\d{5}/, 2],
  ES: [/^\d{5}/, 2],
  IT: [/^\d{5}/, 2],
  AT: [/^\d{4}$/, 1],
  CH: [/^\d{4}$/, 1],
  PT: [/^\d{4}(?:-\d{3})?$/, 1],
  CZ: [/^\d{3} ?\d{2}$/, 1],
  TR: [/^\d{5}$/, 2],
  PL: [/^\d{2}-\d{3}$/, 1],
  DK: [/^\d{4}$/, 1],
  BE: [/^\d{4}$/, 1],
  SE: [/^\d{3} ?\d{2}$/, 1],
  NL: [/^\d{4} ?[A-Za-z]{2}$/, 1],
};

/** Countries whose towns' gazetteer regions use the prefix table's codes (TR's do not: only its state is compared). */
const TOWNS_COMPARE = new Set(['DE', 'FR', 'ES', 'IT', 'AT', 'BE', 'CH', 'CZ', 'PT', 'PL', 'DK', 'NL']);
/** Whether this rule compares the town of an address with its postal code and region (city-region then stays quiet). */
export function townJudgedByPostal(country: string | null, postal: string | undefined): boolean {
  return judgedByPostal(country, postal) && TOWNS_COMPARE.has(country!);
}

/** Countries whose towns are filed under regions while addresses may name provinces (`Gent` in VLG, `Oost-Vlaanderen`). */
const MIXED_LEVELS = new Set(['BE', 'ES', 'FR']);

/** Whether two sets of region codes share a postal area (a province lies in the region that shares its area). */
function shareArea(ref: Reference, country: string, a: readonly string[], b: readonly string[]): boolean {
  const areas = ref.regions().postalPrefixes[country] ?? {};
  const of = (codes: readonly string[]) => new Set(codes.flatMap((c) => areas[c] ?? []));
  const left = of(a);
  return [...of(b)].some((p) => left.has(p));
}

/** Countries whose prefix table lists every prefix in use: any other prefix is not a postal code there. */
const COMPLETE = new Set(['IT', 'TR', 'AT', 'BE', 'CH', 'CZ', 'NL', 'PT', 'SE']);

/** Whether a postal code's region prefix is one the country uses; null where the table cannot tell. */
export function prefixInUse(ref: Reference, country: string, postal: string): boolean | null {
  if (!COMPLETE.has(country) || !judgedByPostal(country, postal)) return null;
  return regionsOfPrefix(ref, country, postal.trim().slice(0, PREFIX_COUNTRIES[country]![1])).length > 0;
}

/** Whether this rule compares the postal code of an address with its region (the shape fits a prefix table). */
export function judgedByPostal(country: string | null, postal: string | undefined): boolean {
  const shape = country ? PREFIX_COUNTRIES[country] : undefined;
  return !!shape && !!postal && shape[0].test(postal.trim());
}

const levelIndex = new WeakMap<object, Map<string, Set<string>>>();
/** The region codes the prefix table of a country names. */
function regionLevels(ref: Reference, country: string): Set<string> {
  const regions = ref.regions();
  let index = levelIndex.get(regions);
  if (!index) {
    index = new Map(Object.entries(regions.postalPrefixes).map(([c, byRegion]) => [c, new Set(Object.keys(byRegion))]));
    levelIndex.set(regions, index);
  }
  return index.get(country) ?? new Set();
}

function regionsOfPrefix(ref: Reference, country: string, prefix: string): string[] {
  const regions = ref.regions();
  let index = prefixIndex.get(regions);
  if (!index) {
    index = new Map();
    for (const [c, byRegion] of Object.entries(regions.postalPrefixes)) {
      const m = new Map<string, string[]>();
      for (const [r, prefixes] of Object.entries(byRegion)) {
        for (const p of prefixes) {
          const list = m.get(p) ?? [];
          if (!list.includes(r)) list.push(r);
          m.set(p, list);
        }
      }
      index.set(c, m);
    }
    prefixIndex.set(regions, index);
  }
  return index.get(country)?.get(prefix) ?? [];
}

let callingCodes: Map<string, string[]> | undefined;
function countriesOfCallingCode(code: string): string[] {
  if (!callingCodes) {
    callingCodes = new Map();
    for (const c of getCountries()) {
      const k = getCountryCallingCode(c as CountryCode);
      callingCodes.set(k, [...(callingCodes.get(k) ?? []), c]);
    }
  }
  return callingCodes.get(code) ?? [];
}

/** Places of a town name, retrying without a river or district qualifier (`Offenbach am Main` -> `Offenbach`). */
function placesOf(ref: Reference, name: string) {
  const exact = ref.places(name);
  if (exact.length) return exact;
  const base = name.replace(
    /\s*\(.*\)\s*$|\s+(?:am|an der|an|im|in der|bei|ob|upon|on|sur|lès|en)\s.+$|\s+\d+\s*$/i,
    '',
  );
  return base !== name && base.length >= 3 ? ref.places(base) : exact;
}

/** The country of an address that names none, when its region belongs to a single country; else null. */
export function inferredCountry(a: Address, ref: Reference): string | null {
  if (!a.state) return null;
  const subs = ref.subdivisions(a.state.value);
  const country = subs[0]?.country;
  return country && subs.every((x) => x.country === country) ? country : null;
}

function stateCodes(a: Address, ref: Reference, country: string): string[] {
  if (!a.state) return [];
  return ref
    .subdivisions(a.state.value)
    .filter((s) => s.country === country)
    .map((s) => s.code);
}

/** Countries whose subdivision codes the gazetteer indexes as written in addresses (see reference.ts). */
const SHORT_CODE_COUNTRIES = new Set(['US', 'CA', 'AU']);

/** The address checks: a pure function of the address's fields and values, so worked out once per distinct address. */
function addressHitsUncached(a: Address, ref: Reference): Hit[] {
  const hits: Hit[] = [];
  const cc = a.countryCode;
  if (a.state && cc) {
    const subs = ref.subdivisions(a.state.value);
    const stateIsCountry = ref.countryCode(a.state.value);
    // A name that many countries give a region (`Central Province`, `Northern Region`) says nothing.
    const generic = new Set(subs.map((s) => s.country)).size > 2;
    // A short code (`MI`, `CA`, `PA`) is indexed for the countries that write their states that way (US, CA, AU),
    // but Italian provinces, Swiss cantons and Brazilian states are written the same way: `MI` with Italy is Milano,
    // not Michigan. Short codes are judged only where they are the local way of writing a region.
    const foreignCode = /^[A-Za-z]{1,3}$/.test(a.state.value.trim()) && !SHORT_CODE_COUNTRIES.has(cc);
    if (subs.length && !generic && !foreignCode && !subs.some((s) => s.country === cc) && !stateIsCountry) {
      const where = [...new Set(subs.map((s) => s.country))].slice(0, 3).join('/');
      hits.push({
        field: `${a.state.field}+${a.country!.field}`,
        evidence: quote(`${a.state.value} / ${a.country!.value}`),
        message: `${a.state.field} "${quote(a.state.value)}" is a region of ${where}, but ${a.country!.field} is "${quote(a.country!.value)}"`,
        weight: 0.5,
      });
    }
  }
  // `21 890`: a French or Spanish code written in two groups is the same five-digit code.
  const postal = a.postalCode?.value.trim().replace(/^(\d{2}) (\d{3})$/, '$1$2');
  if (postal && a.postalCode) {
    if (cc && cc !== 'US' && cc !== 'PR' && /^\d{5}-\d{4}$/.test(postal)) {
      hits.push({
        field: `${a.postalCode.field}+${a.country!.field}`,
        evidence: quote(`${postal} / ${a.country!.value}`),
        message: `${a.postalCode.field} ${postal} is a US ZIP+4 code, but the country is "${quote(a.country!.value)}"`,
        weight: 0.4,
      });
    }
    if (cc === 'GB' && !UK_POSTCODE.test(postal)) {
      hits.push({
        field: a.postalCode.field,
        evidence: quote(postal),
        message: `${a.postalCode.field} "${quote(postal)}" cannot be a UK postcode (Royal Mail format)`,
        weight: 0.45,
      });
    }
    if (cc === 'GB' && UK_POSTCODE.test(postal) && !UK_AREAS.has(/^[A-Z]+/i.exec(postal)![0].toUpperCase())) {
      hits.push({
        field: a.postalCode.field,
        evidence: quote(postal),
        message: `${a.postalCode.field} "${quote(postal)}" names no UK postcode area (Royal Mail)`,
        weight: 0.45,
      });
    }
    const usState = cc === 'US' || (!cc && a.state) ? stateCodes(a, ref, 'US') : [];
    const zip = /^(\d{5})(?:-\d{4})?$/.exec(postal)?.[1];
    if (zip && usState.length) {
      const zipStates = ref.zipStates(zip);
      if (zipStates && !zipStates.some((s) => usState.includes(s))) {
        hits.push({
          field: `${a.postalCode.field}+${a.state!.field}`,
          evidence: quote(`${postal} / ${a.state!.value}`),
          message: `ZIP code ${zip} belongs to ${zipStates.join('/')}, not to ${a.state!.field} "${quote(a.state!.value)}"`,
          weight: 0.45,
        });
      } else if (!zipStates) {
        hits.push({
          field: a.postalCode.field,
          evidence: quote(postal),
          message: `${a.postalCode.field} ${zip} is not in an assigned US ZIP code range`,
          weight: 0.3,
        });
      }
    }
    // Without a country, a region that names one country only (`Bremen`, `Vibo Valentia`) tells which it is.
    const pc = cc ?? inferredCountry(a, ref);
    if (pc && judgedByPostal(pc, postal)) {
      const country = pc;
      // One-digit postal areas are mapped generously and approximately: weaker than a two-digit region code.
      const prefixWeight = PREFIX_COUNTRIES[country]![1] === 1 ? 0.3 : 0.4;
      const prefix = postal.slice(0, PREFIX_COUNTRIES[country]![1]);
      const allowed = regionsOfPrefix(ref, country, prefix);
      const claimed = new Set<string>();
      // Only regions of the level the prefix table names (an Italian province is not compared with a region).
      const levels = regionLevels(ref, country);
      const stated = stateCodes(a, ref, country).filter((code) => levels.has(code));
      for (const s of stated) claimed.add(s);
      const cityRegions =
        a.city && TOWNS_COMPARE.has(country)
          ? placesOf(ref, a.city.value)
              .filter((p) => p.country === country)
              .map((p) => p.admin)
          : [];
      if (allowed.length && stated.length && !stated.some((s) => allowed.includes(s))) {
        hits.push({
          field: `${a.postalCode.field}+${a.state!.field}`,
          evidence: quote(`${postal} / ${a.state!.value}`),
          message: `postal code ${postal} is outside ${a.state!.field} "${quote(a.state!.value)}"`,
          weight: prefixWeight,
        });
      } else if (allowed.length && cityRegions.length && !cityRegions.some((r) => allowed.includes(r))) {
        hits.push({
          field: `${a.postalCode.field}+${a.city!.field}`,
          evidence: quote(`${postal} / ${a.city!.value}`),
          message: `postal code ${postal} is not in the region of ${a.city!.field} "${quote(a.city!.value)}"`,
          weight: prefixWeight,
        });
      } else if (
        stated.length &&
        cityRegions.length &&
        !cityRegions.some((r) => stated.includes(r)) &&
        !(MIXED_LEVELS.has(country) && shareArea(ref, country, cityRegions, stated))
      ) {
        hits.push({
          field: `${a.city!.field}+${a.state!.field}`,
          evidence: quote(`${a.city!.value} / ${a.state!.value}`),
          message: `${a.city!.field} "${quote(a.city!.value)}" is not in ${a.state!.field} "${quote(a.state!.value)}"`,
          weight: prefixWeight,
        });
      }
    }
  }
  return hits;
}

const addressMemo = new WeakMap<Reference, Map<string, Hit[]>>();
function addressHits(a: Address, ref: Reference): Hit[] {
  let memo = addressMemo.get(ref);
  if (!memo) {
    memo = new Map();
    addressMemo.set(ref, memo);
  }
  const key = [a.countryCode, a.country, a.state, a.postalCode, a.city]
    .map((x) => (x === null || x === undefined ? '' : typeof x === 'string' ? x : `${x.field}\u0002${x.value}`))
    .join('\u0001');
  let hits = memo.get(key);
  if (!hits) {
    hits = addressHitsUncached(a, ref);
    if (memo.size >= 8192) memo.clear();
    memo.set(key, hits);
  }
  return hits;
}

/**
 * Address parts that contradict each other: a state of one country with another country, a ZIP code of another
 * state, a UK postcode that cannot exist, a postal code outside the stated region (DE, FR, ES, IT, AT, BE, CH, CZ, DK, NL, PL, PT, SE, TR), an
 * international dialling code of another country. Generators fill these fields independently.
 */
export const regionMismatch: RecordRule = {
  id: 'region-mismatch',
  family: 'cross-field',
  why: 'Real addresses are coherent; independently generated fields contradict each other.',
  maxWeight: 0.5,
  check(view, ref) {
    const hits: Hit[] = [];
    for (const a of view.addresses) hits.push(...addressHits(a, ref));
    const cc = view.country;
    if (cc) {
      for (const v of view.all('phone')) {
        const m = /^\s*(?:\+|00)\s*(\d{1,3})/.exec(v.value);
        if (!m) continue;
        const d = digitsOf(v.value.replace(/^\s*00/, '+'));
        let owners: string[] = [];
        for (const len of [1, 2, 3]) {
          owners = countriesOfCallingCode(d.slice(0, len));
          if (owners.length) break;
        }
        if (owners.length && !owners.includes(cc) && !owners.some((o) => TERRITORIES[cc]?.includes(o))) {
          hits.push({
            field: v.field,
            evidence: quote(v.value),
            message: `${v.field} ${quote(v.value)} has the dialling code of ${owners.slice(0, 3).join('/')}, but the address is in ${cc} (weak alone: people keep foreign numbers)`,
            weight: 0.2,
          });
        }
      }
    }
    return hits;
  },
  examples: {
    fires: [
      ex('Contact', { LastName: 'Runolfsson', MailingState: 'New Mexico', MailingCountry: 'Bahrain' }),
      ex('Contact', {
        LastName: 'Luettgen',
        MailingState: 'Washington',
        MailingPostalCode: '71597',
        MailingCountry: 'United States',
      }),
      ex('Contact', { LastName: 'Kris', MailingPostalCode: 'WC82 61N', MailingCountry: 'United Kingdom' }),
      ex('Contact', { LastName: 'Kris', MailingPostalCode: 'YD3 1DA', MailingCountry: 'United Kingdom' }),
      ex('Contact', { LastName: 'Menne', Phone: '+49-7659-47644864', MailingCountry: 'Zentralafrikanische Republik' }),
      ex('Lead', {
        LastName: 'Ríos',
        City: 'Bilbao',
        State: 'Comunidad de Madrid',
        PostalCode: '48001',
        Country: 'Spain',
      }),
      ex('Contact', {
        LastName: 'Bianchi',
        MailingCity: 'Bergamo',
        MailingPostalCode: '90133',
        MailingCountry: 'Italy',
      }),
    ],
    quiet: [
      ex('Contact', {
        LastName: 'Atakol',
        MailingCity: 'Antalya',
        MailingState: 'Antalya',
        MailingPostalCode: '07100',
        MailingCountry: 'Turkey',
      }),
      ex('Lead', { LastName: 'Ríos', City: 'Bilbao', State: 'País Vasco', PostalCode: '48001', Country: 'Spain' }),
      ex('Contact', { LastName: 'Kamau', MailingState: 'Central Province', MailingCountry: 'Kenya' }),
      ex('Contact', {
        LastName: 'Rossi',
        MailingState: 'Viterbo',
        MailingPostalCode: '01100',
        MailingCountry: 'Italy',
      }),
      ex('Contact', {
        LastName: 'Balint',
        MailingCity: 'Washington',
        MailingState: 'DC',
        MailingPostalCode: '20515-4500',
        MailingCountry: 'United States',
      }),
      ex('Contact', { LastName: 'Ng', MailingPostalCode: 'SW1A 0AA', MailingCountry: 'United Kingdom' }),
      ex('Contact', {
        LastName: 'Rauch',
        MailingCity: 'Paris',
        MailingPostalCode: '75007',
        MailingCountry: 'France',
        Phone: '+33 1 40 63 65 92',
      }),
      ex('Contact', {
        LastName: 'Ng',
        MailingCity: 'Gießen',
        MailingState: 'Hessen',
        MailingPostalCode: '35390',
        MailingCountry: 'Germany',
      }),
    ],
  },
};
