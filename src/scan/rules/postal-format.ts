import { createRequire } from 'node:module';
import { ex, type Hit, type RecordRule } from '../rule.js';
import { quote } from '../text.js';
import { inferredCountry, prefixInUse } from './region-mismatch.js';

// postcode-validator (MIT): per-country postal code patterns and ranges (e.g. Spain 01000-52999).
const require = createRequire(import.meta.url);
let lib: { valid(code: string, country: string): boolean; known(country: string): boolean } | undefined;
function validator() {
  if (!lib) {
    const m = require('postcode-validator') as {
      postcodeValidator(code: string, country: string): boolean;
      postcodeValidatorExistsForCountry(country: string): boolean;
    };
    lib = { valid: m.postcodeValidator, known: m.postcodeValidatorExistsForCountry };
  }
  return lib;
}

// Postal codes repeat across records: cache the verdict per (country, code), bounded.
const cache = new Map<string, boolean>();
function validIn(code: string, country: string): boolean {
  const key = `${country}|${code}`;
  let ok = cache.get(key);
  if (ok === undefined) {
    const v = validator();
    try {
      ok = !v.known(country) || v.valid(code, country);
    } catch {
      ok = true;
    }
    if (cache.size >= 20_000) cache.clear();
    cache.set(key, ok);
  }
  return ok;
}

// Real exports put a town or a routing word after the code (`75355 Paris 07 SP`, `75007 CEDEX`): judge the code only.
const TRAILING_WORDS = /\s+\p{L}{3,}.*$/u;

/**
 * Postal codes that cannot exist in the address's country (format and range of that country's postal system, via
 * postcode-validator, and the leading digits each country's postal areas use: regions.json postalPrefixes): generators
 * draw digits in the shape of another country, or outside the ranges in use. UK postcodes are left to region-mismatch.
 * Weak alone: real data has typos.
 */
export const postalFormat: RecordRule = {
  id: 'postal-format',
  family: 'validity',
  why: 'Each postal system has a fixed format and range; generated codes often fall outside the stated country’s.',
  maxWeight: 0.3,
  check(view, ref) {
    const hits: Hit[] = [];
    for (const a of view.addresses) {
      // Without a country, a region of a single country (`Bremen`) names it.
      const cc = a.countryCode ?? inferredCountry(a, ref);
      if (!cc || cc === 'GB' || !a.postalCode) continue;
      const code = a.postalCode.value.replace(TRAILING_WORDS, '').trim();
      if (!code || !/\d/.test(code) || code.length > 12) continue;
      if (validIn(code, cc) && prefixInUse(ref, cc, code) !== false) continue;
      hits.push({
        field: `${a.postalCode.field}+${(a.country ?? a.state)!.field}`,
        evidence: quote(`${a.postalCode.value} / ${(a.country ?? a.state)!.value}`),
        message: `${a.postalCode.field} "${quote(a.postalCode.value)}" is not a postal code ${cc} uses (format or range of its postal system)${a.country ? '' : `; the country is ${cc} by ${a.state!.field} "${quote(a.state!.value)}"`}`,
        weight: 0.3,
      });
    }
    return hits;
  },
  examples: {
    fires: [
      ex('Contact', {
        LastName: 'Espinal',
        MailingCity: 'Fuengirola',
        MailingPostalCode: '82995',
        MailingCountry: 'Spain',
      }),
      ex('Lead', { LastName: 'Nowak', City: 'Kraków', PostalCode: '301-23', Country: 'Poland' }),
      ex('Lead', { LastName: 'Cruz', City: 'Alcorcón', State: 'Comunidad de Madrid', PostalCode: '53315' }),
      ex('Contact', { LastName: 'Erçetin', MailingPostalCode: '96008', MailingCountry: 'Turkey' }),
      ex('Account', { Name: 'Moreira S/A', BillingPostalCode: '0384-983', BillingCountry: 'Portugal' }),
      ex('Account', { Name: 'Bondra a.s.', BillingPostalCode: '856 24', BillingCountry: 'Czech Republic' }),
      ex('Account', { Name: 'Acme', BillingPostalCode: '12345-6789', BillingCountry: 'Netherlands' }),
    ],
    quiet: [
      ex('Contact', {
        LastName: 'García',
        MailingCity: 'Sevilla',
        MailingPostalCode: '41001',
        MailingCountry: 'Spain',
      }),
      ex('Contact', { LastName: 'Rauch', MailingPostalCode: '75355 Paris 07 SP', MailingCountry: 'France' }),
      ex('Contact', { LastName: 'Rauch', MailingPostalCode: '75355 CEDEX 07', MailingCountry: 'France' }),
      ex('Lead', { LastName: 'Nowak', City: 'Kraków', PostalCode: '30-123', Country: 'Poland' }),
      ex('Contact', { LastName: 'Berg', MailingPostalCode: '114 55', MailingCountry: 'Sweden' }),
    ],
  },
};
