import { ex, type Hit, type RecordRule } from '../rule.js';
import { quote } from '../text.js';
import { townJudgedByPostal } from './region-mismatch.js';

/**
 * A town that is not in the stated region of its country: `Sevilla` in `Extremadura`, `Malmö` in `Uppsala County`.
 * Seeding scripts draw the town and the region independently. Both sides come from one table (country-state-city:
 * its towns carry the ISO 3166-2 code of their region), and only regions of the level that table files towns under
 * are compared (an Italian province is not compared with a region). Any town of that name in the stated region keeps
 * the rule quiet, and only towns of 5,000+ people that are unique in their country are judged. Addresses whose postal code names the region (see region-mismatch) are left to that rule (same fact, counted once).
 */
/** Population from which a town is well known (and its namesakes rare). */
const WELL_KNOWN = 5_000;

export const cityRegion: RecordRule = {
  id: 'city-region',
  family: 'cross-field',
  why: 'Generators pick the town and the region independently; a real town lies in the region the address names.',
  maxWeight: 0.3,
  check(view, ref) {
    const hits: Hit[] = [];
    for (const a of view.addresses) {
      const cc = a.countryCode;
      if (!cc || !a.city || !a.state) continue;
      if (townJudgedByPostal(cc, a.postalCode?.value)) continue;
      // GB files towns under nations in some rows and counties in others: not comparable.
      if (cc === 'GB') continue;
      // Only a well-known town with one place of that name in the country (GeoNames): a small namesake elsewhere
      // in the country (missing from the town table) must not make a real address look incoherent.
      const named = ref.places(a.city.value).filter((p) => p.country === cc);
      if (named.length !== 1 || named[0]!.population < WELL_KNOWN) continue;
      const stated = ref.subdivisions(a.state.value).filter((s) => s.country === cc && ref.townLevel(cc, s.code));
      if (!stated.length) continue;
      const towns = ref.townRegions(a.city.value).filter((t) => t.country === cc);
      if (!towns.length || towns.some((t) => stated.some((s) => s.code === t.code))) continue;
      // The state field naming the town's own city-state (Berlin, Madrid) is coherent.
      if (ref.subdivisions(a.city.value).some((s) => s.country === cc && stated.some((x) => x.code === s.code)))
        continue;
      const where = [...new Set(towns.map((t) => `${cc}-${t.code}`))].slice(0, 3).join('/');
      hits.push({
        field: `${a.city.field}+${a.state.field}`,
        evidence: quote(`${a.city.value} / ${a.state.value}`),
        message: `${a.city.field} "${quote(a.city.value)}" lies in ${where} (ISO 3166-2), not in ${a.state.field} "${quote(a.state.value)}"`,
        weight: 0.3,
      });
    }
    return hits;
  },
  examples: {
    fires: [
      ex('Lead', { LastName: 'Meléndez', City: 'Sevilla', State: 'Extremadura', Country: 'Spain' }),
      ex('Contact', {
        LastName: 'Berg',
        MailingCity: 'Malmö',
        MailingState: 'Uppsala County',
        MailingCountry: 'Sweden',
      }),
      ex('Contact', { LastName: 'Lee', MailingCity: 'Tucson', MailingState: 'Texas', MailingCountry: 'United States' }),
    ],
    quiet: [
      ex('Contact', {
        LastName: 'Lee',
        MailingCity: 'Bloomfield',
        MailingState: 'Connecticut',
        MailingCountry: 'United States',
      }),
      ex('Contact', { LastName: 'Lee', MailingCity: 'Kingwood', MailingState: 'TX', MailingCountry: 'United States' }),
      ex('Account', {
        Name: 'X',
        BillingCity: 'York',
        BillingState: 'North Yorkshire',
        BillingCountry: 'United Kingdom',
      }),
      ex('Lead', { LastName: 'Meléndez', City: 'Badajoz', State: 'Extremadura', Country: 'Spain' }),
      ex('Contact', { LastName: 'Lee', MailingCity: 'Paris', MailingState: 'TX', MailingCountry: 'United States' }),
      ex('Contact', {
        LastName: 'Moretti',
        MailingCity: 'Tropea',
        MailingState: 'Vibo Valentia',
        MailingCountry: 'Italy',
      }),
      ex('Contact', { LastName: 'Weber', MailingCity: 'Berlin', MailingState: 'Berlin', MailingCountry: 'Germany' }),
      ex('Contact', { LastName: 'Weber', MailingCity: 'Gießen', MailingState: 'Hessen', MailingCountry: 'Germany' }),
    ],
  },
};
