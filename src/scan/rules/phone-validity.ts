import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { ex, type Hit, type RecordRule } from '../rule.js';
import { digitsOf, quote } from '../text.js';
import { inferredCountry } from './region-mismatch.js';

// Overseas territories dial like their country (a French address with a Réunion number is coherent).
const TERRITORIES: Record<string, string[]> = {
  FR: ['RE', 'GP', 'MQ', 'GF', 'YT', 'PM', 'BL', 'MF'],
  GB: ['GG', 'JE', 'IM'],
  US: ['PR', 'GU', 'VI', 'AS', 'MP'],
};

// Numbering plans decide validity by prefix and length; the last four digits never matter. Caching on
// (region, digits but the last four, length) is exact for that and saves the costly parse for repeated prefixes.
const cache = new Map<string, boolean>();
function valid(raw: string, digits: string, region: string | null): boolean {
  const key = `${region ?? '+'}|${raw.trim().startsWith('00') ? '00' : ''}${digits.slice(0, -4)}|${digits.length}`;
  let ok = cache.get(key);
  if (ok === undefined) {
    try {
      const phone = parsePhoneNumberFromString(
        raw.replace(/^\s*00/, '+'),
        region ? (region as CountryCode) : undefined,
      );
      ok = !!phone && phone.isValid();
    } catch {
      ok = false;
    }
    if (cache.size >= 50_000) cache.clear();
    cache.set(key, ok);
  }
  return ok;
}

/**
 * Phone numbers that the numbering plan of the record's country does not allow (libphonenumber-js, full
 * metadata). Weak alone: real data is messy, but generators produce impossible area codes constantly.
 */
export const phoneValidity: RecordRule = {
  id: 'phone-validity',
  family: 'validity',
  why: 'Random digits usually land in unassigned area codes; real subscribers have numbers the plan allows.',
  maxWeight: 0.25,
  check(view, ref) {
    const hits: Hit[] = [];
    let region = view.country;
    if (!region) {
      // No country: a region of one country names it (`Bremen`); a US state name wins a tie (`Georgia`).
      const a = view.addresses.find((x) => x.state);
      if (a) region = inferredCountry(a, ref);
      if (!region && a && ref.subdivisions(a.state!.value).some((s) => s.country === 'US')) region = 'US';
    }
    for (const v of view.all('phone')) {
      const raw = v.value.replace(/\s*(?:x|ext\.?|extension|#)\s*\d+\s*$/i, '').trim();
      const d = digitsOf(raw);
      if (d.length < 6) continue; // too short: placeholder-phone explains those
      const international = /^\s*(?:\+|00)/.test(raw);
      if (!international && !region) continue;
      const regions = international ? [null] : [region, ...(TERRITORIES[region!] ?? [])];
      if (!regions.some((r) => valid(raw, d, r))) {
        hits.push({
          field: v.field,
          evidence: quote(v.value),
          message: `${v.field} ${quote(v.value)} is not a valid number in the numbering plan of ${international ? 'its dialling code' : region}`,
          weight: 0.25,
        });
      }
    }
    return hits;
  },
  examples: {
    fires: [
      ex('Contact', { LastName: 'Yost', Phone: '685-712-7415', MailingCountry: 'United States' }),
      ex('Contact', { LastName: 'Labadie', Phone: '(996) 931-6436 x123', MailingState: 'Oregon' }),
      ex('Contact', { LastName: 'Hujo', Phone: '+49-1075-26787121' }),
    ],
    quiet: [
      ex('Contact', { LastName: 'Balint', Phone: '202-225-4115', MailingCountry: 'United States' }),
      ex('Contact', { LastName: 'Rauch', Phone: '01.40.63.65.92', MailingCountry: 'France' }),
      ex('Contact', { LastName: 'Hoarau', Phone: '02 62 22 60 82', MailingCountry: 'France' }),
      ex('Contact', { LastName: 'Ng', Phone: '0113 243 3144', MailingCountry: 'United Kingdom' }),
    ],
  },
};
