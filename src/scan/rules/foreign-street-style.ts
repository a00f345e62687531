import { ex, type Hit, type RecordRule } from '../rule.js';
import { quote } from '../text.js';

const englishSets = new WeakMap<object, Set<string>>();

const ENGLISH_STREET =
  /^\d+\s+[\p{L}'. -]+\s(?:Street|Avenue|Road|Lane|Drive|Court|Way|Boulevard|Circle|Park|Parkway|Plaza|Point|Pass|Trail|Junction|Crossing|Alley|Hill|Terrace|Center|Place|Crescent|Pike|Ridge)$/u;

/**
 * An English-style street line ("4564 Victoria Parkway") in a country whose addresses are not written in English:
 * generators pick street and country independently.
 */
export const foreignStreetStyle: RecordRule = {
  id: 'foreign-street-style',
  family: 'cross-field',
  why: 'Street and country drawn independently give English street names in Greek, Chinese or Polish towns.',
  maxWeight: 0.4,
  check(view, ref) {
    const hits: Hit[] = [];
    const regions = ref.regions();
    let english = englishSets.get(regions);
    if (!english) {
      english = new Set(regions.englishSpeaking);
      englishSets.set(regions, english);
    }
    for (const a of view.addresses) {
      if (!a.street || !a.countryCode || english.has(a.countryCode)) continue;
      const line = a.street.value.split(/\r?\n/)[0]!.trim();
      if (ENGLISH_STREET.test(line)) {
        hits.push({
          field: `${a.street.field}+${a.country!.field}`,
          evidence: quote(`${line} / ${a.country!.value}`),
          message: `${a.street.field} "${quote(line)}" is written the English way, but the address is in ${a.country!.value}`,
          weight: 0.4,
        });
      }
    }
    return hits;
  },
  examples: {
    fires: [
      ex('Contact', {
        LastName: 'Bailey',
        MailingStreet: '7589 Pennsylvania Junction',
        MailingCity: 'Kassándreia',
        MailingCountry: 'Greece',
      }),
    ],
    quiet: [
      ex('Contact', {
        LastName: 'Ng',
        MailingStreet: '415 Mission Street',
        MailingCity: 'San Francisco',
        MailingCountry: 'USA',
      }),
      ex('Contact', {
        LastName: 'Ng',
        MailingStreet: '9 Place Oberkampf',
        MailingCity: 'Paris',
        MailingCountry: 'France',
      }),
    ],
  },
};
