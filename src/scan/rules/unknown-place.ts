import { ex, type Hit, type RecordRule } from '../rule.js';
import type { Reference } from '../reference.js';
import { quote } from '../text.js';
import { generatorPlace } from './generator-place.js';

/** Qualifiers real exports add to a town: a district number, a routing word, "nr.", a county after a comma. */
const TRAILING = /\s+(?:\d+\s*)?(?:cedex|sp|bp)\b.*$|\s+\d{1,2}(?:e|er|eme)?$|\s*\(.*\)\s*$/i;
const QUALIFIED = /\s+(?:am|an der|an|im|in der|bei|ob|upon|on|sur|lès|les|en|de|del|di)\s.+$/i;

/** Whether any reading of a town value is in the gazetteer (as written, before/after a comma, unqualified). */
function known(ref: Reference, raw: string): boolean {
  if (ref.places(raw).length) return true;
  for (const part of raw.split(/[,/]/)) {
    const p = part.replace(/^\s*(?:nr\.?|near)\s+/i, '').trim();
    if (p.length < 2) continue;
    if (ref.places(p).length) return true;
    const base = p.replace(TRAILING, '').trim();
    if (base !== p && base.length >= 2 && ref.places(base).length) return true;
    const unq = base.replace(QUALIFIED, '').trim();
    if (unq !== base && unq.length >= 3 && ref.places(unq).length) return true;
    const saint = base.replace(/^st\.?\s+/i, 'Saint ').replace(/^saint\s+/i, (m) => (m === base ? m : 'Saint '));
    if (saint !== base && ref.places(saint).length) return true;
  }
  return false;
}

/**
 * A town that no reading of the gazetteer knows (GeoNames places with >= 1000 people, all names and alternate names):
 * generators invent towns from syllables (`Lillekøbing`, `Quarto Baldassarre`). Very weak alone (villages and
 * hamlets are missing from the gazetteer), so it only counts together with other evidence. Upper-case registers
 * and values with digits are left alone.
 */
export const unknownPlace: RecordRule = {
  id: 'unknown-place',
  family: 'generator-fingerprints',
  why: 'Invented towns are missing from a world gazetteer; real towns mostly are in it (weak: small villages are not).',
  maxWeight: 0.15,
  check(view, ref) {
    const hits: Hit[] = [];
    for (const a of view.addresses) {
      const c = a.city;
      if (!c) continue;
      const raw = c.value.trim();
      if (raw.length < 3 || /\d/.test(raw) || raw === raw.toUpperCase() || raw === raw.toLowerCase()) continue;
      // The gazetteer names towns in Latin letters: `Казань` or `大阪市` is not judged (real records write them so).
      if (!/[A-Za-z]/.test(raw)) continue;
      // A stated country or region in the town field is not a town claim.
      if (ref.countryCode(raw) || ref.subdivisions(raw).length) continue;
      if (known(ref, raw)) continue;
      // The same fact as a generator-place template: count it once (reasons must be independent evidence).
      if (generatorPlace.check(view, ref).length) return hits;
      hits.push({
        field: c.field,
        evidence: quote(raw),
        message: `${c.field} "${quote(raw)}" is not a town in the GeoNames gazetteer (places of 1000+ people; weak alone)`,
        weight: 0.15,
      });
      break;
    }
    return hits;
  },
  examples: {
    fires: [
      ex('Account', { Name: 'Sørensen-Rasmussen', BillingCity: 'Lillekøbing', BillingCountry: 'Denmark' }),
      ex('Contact', { LastName: 'Moretti', MailingCity: 'Quarto Baldassarre', MailingCountry: 'Italy' }),
    ],
    quiet: [
      ex('Contact', { LastName: 'Rauch', MailingCity: 'Paris 07 SP', MailingCountry: 'France' }),
      ex('Account', { Name: 'Birkdale Surgery', BillingCity: 'BIRKDALE, SOUTHPORT', BillingCountry: 'United Kingdom' }),
      ex('Contact', { LastName: 'Lee', MailingCity: 'Truth or Consequences', MailingCountry: 'United States' }),
      ex('Contact', { LastName: 'Berg', MailingCity: 'Beeston, Leeds', MailingCountry: 'United Kingdom' }),
      ex('Contact', { LastName: 'Weber', MailingCity: 'Frankfurt am Main', MailingCountry: 'Germany' }),
    ],
  },
};
