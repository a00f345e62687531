import { ex, type Hit, type RecordRule } from '../rule.js';
import { quote } from '../text.js';

/** Writing systems of addresses and the countries whose addresses are written in them (ISO 3166-1). */
const SCRIPTS: [string, RegExp, ReadonlySet<string>][] = [
  ['Hangul', /\p{Script=Hangul}/u, new Set(['KR', 'KP'])],
  ['Japanese kana', /[\p{Script=Hiragana}\p{Script=Katakana}]/u, new Set(['JP'])],
  ['Chinese characters', /\p{Script=Han}/u, new Set(['CN', 'TW', 'HK', 'MO', 'SG', 'JP', 'MY'])],
  [
    'Cyrillic',
    /\p{Script=Cyrillic}/u,
    new Set([
      'RU',
      'UA',
      'BY',
      'BG',
      'RS',
      'MK',
      'ME',
      'BA',
      'XK',
      'KZ',
      'KG',
      'TJ',
      'UZ',
      'TM',
      'MN',
      'MD',
      'GE',
      'AM',
      'AZ',
      'LV',
      'EE',
      'LT',
    ]),
  ],
  ['Greek', /\p{Script=Greek}/u, new Set(['GR', 'CY'])],
  [
    'Arabic',
    /\p{Script=Arabic}/u,
    new Set([
      'AE',
      'SA',
      'EG',
      'MA',
      'DZ',
      'TN',
      'LY',
      'SD',
      'JO',
      'LB',
      'SY',
      'IQ',
      'KW',
      'QA',
      'BH',
      'OM',
      'YE',
      'PS',
      'MR',
      'IR',
      'AF',
      'PK',
      'TD',
      'SO',
      'DJ',
      'KM',
      'EH',
      'IL',
      'ER',
      'IN',
    ]),
  ],
  ['Hebrew', /\p{Script=Hebrew}/u, new Set(['IL', 'PS'])],
  ['Thai', /\p{Script=Thai}/u, new Set(['TH'])],
  ['Georgian', /\p{Script=Georgian}/u, new Set(['GE'])],
  ['Armenian', /\p{Script=Armenian}/u, new Set(['AM'])],
];

// Values repeat (a town, a region): the script verdict is cached per value, bounded.
const cache = new Map<string, number>();
/** Index into SCRIPTS of the first non-Latin writing system of a value that the table knows, or -1. */
function scriptOf(value: string): number {
  let i = cache.get(value);
  if (i === undefined) {
    i = /^[\x20-\x7e]*$/.test(value) ? -1 : SCRIPTS.findIndex(([, re]) => re.test(value));
    if (cache.size >= 8192) cache.clear();
    cache.set(value, i);
  }
  return i;
}

/**
 * An address written in a script that the stated country does not use (`内蒙古自治区` with country Côte d'Ivoire,
 * `고양시` with Eritrea): generators localise the address and draw the country from the whole world list. The
 * country's own name may be written in any script (`科特迪瓦`): only the town, street and region are judged.
 */
export const scriptCountry: RecordRule = {
  id: 'script-country',
  family: 'cross-field',
  why: "Addresses are written in their country's script; a Korean town in Eritrea is a random country.",
  maxWeight: 0.3,
  check(view) {
    const hits: Hit[] = [];
    for (const a of view.addresses) {
      const cc = a.countryCode;
      if (!cc) continue;
      for (const part of [a.city, a.state, a.street]) {
        if (!part) continue;
        const i = scriptOf(part.value);
        if (i < 0) continue;
        const [name, , countries] = SCRIPTS[i]!;
        if (countries.has(cc)) break;
        hits.push({
          field: `${part.field}+${a.country!.field}`,
          evidence: quote(`${part.value} / ${a.country!.value}`),
          message: `${part.field} "${quote(part.value)}" is written in ${name}, which addresses in ${a.country!.value} (${cc}) do not use`,
          weight: 0.3,
        });
        break;
      }
    }
    return hits;
  },
  examples: {
    fires: [
      ex('Contact', { LastName: '田', MailingCity: '勇市', MailingState: '内蒙古自治区', MailingCountry: '科特迪瓦' }),
      ex('Contact', { LastName: '백', MailingCity: '광주시', MailingCountry: 'Eritrea' }),
    ],
    quiet: [
      ex('Contact', { LastName: '小倉', MailingCity: '大阪市', MailingCountry: '日本' }),
      ex('Contact', { LastName: 'Иванова', MailingCity: 'Москва', MailingCountry: 'Россия' }),
      ex('Contact', { LastName: 'Ng', MailingCity: 'Singapore', MailingCountry: '新加坡' }),
    ],
  },
};
