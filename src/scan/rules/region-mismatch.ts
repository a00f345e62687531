import { getCountries, getCountryCallingCode, type CountryCode } from 'libphonenumber-js/max';
import { ex, type Hit, type RecordRule } from '../rule.js';
import type { Reference } from '../reference.js';
import type { Address } from '../view.js';
import { digitsOf, quote } from '../text.js';

const UK_POSTCODE =
  /^(?:GIR ?0AA|[A-PR-UWYZ](?:\d{1,2}|[A-HK-Y]\d{1,2}|\d[A-HJKPSTUW]|[A-HK-Y]\d[ABEHMNPRV-Y]) ?\d[ABD-HJLNP-UW-Z]{2})$/i;

/** Territories that dial with another code than their country's. */
const TERRITORIES: Record<string, string[]> = {
  FR: ['NC', 'PF', 'RE', 'GP', 'MQ', 'GF', 'YT', 'PM', 'WF', 'BL', 'MF'],
  GB: ['GG', 'JE', 'IM'],
  US: ['PR', 'GU', 'VI', 'AS', 'MP'],
};

/** Regions whose postal codes start with a two-digit prefix, per country (built once from regions.json). */
const prefixIndex = new WeakMap<object, Map<string, Map<string, string[]>>>();
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

function stateCodes(a: Address, ref: Reference, country: string): string[] {
  if (!a.state) return [];
  return ref
    .subdivisions(a.state.value)
    .filter((s) => s.country === country)
    .map((s) => s.code);
}

/**
 * Address parts that contradict each other: a state of one country with another country, a ZIP code of another
 * state, a UK postcode that cannot exist, a German or French postal code outside the stated region, an
 * international dialling code of another country. Generators fill these fields independently.
 */
export const regionMismatch: RecordRule = {
  id: 'region-mismatch',
  family: 'cross-field',
  why: 'Real addresses are coherent; independently generated fields contradict each other.',
  maxWeight: 0.5,
  check(view, ref) {
    const hits: Hit[] = [];
    for (const a of view.addresses) {
      const cc = a.countryCode;
      if (a.state && cc) {
        const subs = ref.subdivisions(a.state.value);
        const stateIsCountry = ref.countryCode(a.state.value);
        if (subs.length && !subs.some((s) => s.country === cc) && !stateIsCountry) {
          const where = [...new Set(subs.map((s) => s.country))].slice(0, 3).join('/');
          hits.push({
            field: `${a.state.field}+${a.country!.field}`,
            evidence: quote(`${a.state.value} / ${a.country!.value}`),
            message: `${a.state.field} "${quote(a.state.value)}" is a region of ${where}, but ${a.country!.field} is "${quote(a.country!.value)}"`,
            weight: 0.5,
          });
        }
      }
      const postal = a.postalCode?.value.trim();
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
        for (const country of ['DE', 'FR'] as const) {
          if (cc !== country || !/^\d{5}$/.test(postal.slice(0, 5))) continue;
          const prefix = postal.slice(0, 2);
          const allowed = regionsOfPrefix(ref, country, prefix);
          const claimed = new Set<string>();
          const stated = stateCodes(a, ref, country);
          for (const s of stated) claimed.add(s);
          const cityRegions = a.city
            ? placesOf(ref, a.city.value)
                .filter((p) => p.country === country)
                .map((p) => p.admin)
            : [];
          if (allowed.length && stated.length && !stated.some((s) => allowed.includes(s))) {
            hits.push({
              field: `${a.postalCode.field}+${a.state!.field}`,
              evidence: quote(`${postal} / ${a.state!.value}`),
              message: `postal code ${postal} is outside ${a.state!.field} "${quote(a.state!.value)}"`,
              weight: 0.4,
            });
          } else if (allowed.length && cityRegions.length && !cityRegions.some((r) => allowed.includes(r))) {
            hits.push({
              field: `${a.postalCode.field}+${a.city!.field}`,
              evidence: quote(`${postal} / ${a.city!.value}`),
              message: `postal code ${postal} is not in the region of ${a.city!.field} "${quote(a.city!.value)}"`,
              weight: 0.4,
            });
          } else if (stated.length && cityRegions.length && !cityRegions.some((r) => stated.includes(r))) {
            hits.push({
              field: `${a.city!.field}+${a.state!.field}`,
              evidence: quote(`${a.city!.value} / ${a.state!.value}`),
              message: `${a.city!.field} "${quote(a.city!.value)}" is not in ${a.state!.field} "${quote(a.state!.value)}"`,
              weight: 0.4,
            });
          }
        }
      }
    }
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
      ex('Contact', { LastName: 'Menne', Phone: '+49-7659-47644864', MailingCountry: 'Zentralafrikanische Republik' }),
    ],
    quiet: [
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
