import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { ex, type Hit, type RecordRule } from '../rule.js';
import { digitsOf, quote } from '../text.js';

/**
 * Phone numbers that the numbering plan of the record's country does not allow (libphonenumber-js, full
 * metadata). Weak alone: real data is messy, but generators produce impossible area codes constantly.
 */
export const phoneValidity: RecordRule = {
  id: 'phone-validity',
  family: 'validity',
  why: 'Random digits usually land in unassigned area codes; real subscribers have numbers the plan allows.',
  maxWeight: 0.3,
  check(view, ref) {
    const hits: Hit[] = [];
    let region = view.country;
    if (!region) {
      const state = view.addresses.find((a) => a.state)?.state;
      if (state && ref.subdivisions(state.value).some((s) => s.country === 'US')) region = 'US';
    }
    for (const v of view.all('phone')) {
      const raw = v.value.replace(/\s*(?:x|ext\.?|extension|#)\s*\d+\s*$/i, '').trim();
      const d = digitsOf(raw);
      if (d.length < 6) continue; // too short: placeholder-phone explains those
      const international = /^\s*(?:\+|00)/.test(raw);
      if (!international && !region) continue;
      let phone;
      try {
        phone = parsePhoneNumberFromString(raw.replace(/^00/, '+'), international ? undefined : (region as CountryCode));
      } catch {
        phone = undefined;
      }
      if (!phone || !phone.isValid()) {
        hits.push({
          field: v.field,
          evidence: quote(v.value),
          message: `${v.field} ${quote(v.value)} is not a valid number in the numbering plan of ${international ? 'its dialling code' : region}`,
          weight: 0.3,
        });
      }
    }
    return hits;
  },
  examples: {
    fires: [
      ex('Contact', { LastName: 'Runolfsson', Phone: '1-943-243-9192 x86064', MailingCountry: 'United States' }),
      ex('Contact', { LastName: 'Hujo', Phone: '+49-0808-90482737' }),
    ],
    quiet: [
      ex('Contact', { LastName: 'Balint', Phone: '202-225-4115', MailingCountry: 'United States' }),
      ex('Contact', { LastName: 'Rauch', Phone: '01.40.63.65.92', MailingCountry: 'France' }),
      ex('Contact', { LastName: 'Ng', Phone: '0113 243 3144', MailingCountry: 'United Kingdom' }),
    ],
  },
};
