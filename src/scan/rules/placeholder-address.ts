import { ex, type Hit, type RecordRule } from '../rule.js';
import { fold, quote } from '../text.js';

/** Placeholder addresses: `123 Main St`, `Anytown`, `Musterstadt`, postal code `00000`. */
export const placeholderAddress: RecordRule = {
  id: 'placeholder-address',
  family: 'placeholder-tokens',
  why: 'Textbook placeholder addresses are what people type when an address field is required.',
  maxWeight: 0.45,
  check(view, ref) {
    const p = ref.placeholders();
    const hits: Hit[] = [];
    for (const a of view.addresses) {
      if (a.street && p.streets.includes(fold(a.street.value))) {
        hits.push({
          field: a.street.field,
          evidence: quote(a.street.value),
          message: `${a.street.field} is a textbook placeholder address`,
          weight: 0.45,
        });
      }
      if (
        a.city &&
        (p.cities.includes(fold(a.city.value)) || p.strongTokens.includes(fold(a.city.value))) &&
        !ref.places(a.city.value).length
      ) {
        hits.push({
          field: a.city.field,
          evidence: quote(a.city.value),
          message: `${a.city.field} "${quote(a.city.value)}" is a placeholder town name`,
          weight: 0.45,
        });
      }
      if (a.postalCode && p.postalCodes.includes(fold(a.postalCode.value))) {
        hits.push({
          field: a.postalCode.field,
          evidence: quote(a.postalCode.value),
          message: `${a.postalCode.field} ${quote(a.postalCode.value)} is a conventional placeholder postal code`,
          weight: 0.25,
        });
      }
    }
    return hits;
  },
  examples: {
    fires: [
      ex('Contact', {
        LastName: 'Doe',
        MailingStreet: '123 Main St',
        MailingCity: 'Anytown',
        MailingPostalCode: '12345',
      }),
      ex('Contact', { LastName: 'Muster', MailingStreet: 'Musterstrasse 1', MailingCity: 'Musterhausen' }),
    ],
    quiet: [
      ex('Contact', {
        LastName: 'Ng',
        MailingStreet: '1510 Longworth House Office Building',
        MailingCity: 'Washington',
      }),
      ex('Contact', { LastName: 'Ng', MailingCity: 'Truth or Consequences', MailingState: 'NM' }),
    ],
  },
};
