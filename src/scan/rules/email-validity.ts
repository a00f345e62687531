import { ex, type Hit, type RecordRule } from '../rule.js';
import { emailDomain, quote, tldOf, websiteHost } from '../text.js';

const EMAIL = /^[^\s@"(),:;<>[\\\]]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/i;

/** E-mail addresses and websites whose syntax or top-level domain cannot exist (IANA root zone via `tlds`). */
export const emailValidity: RecordRule = {
  id: 'email-validity',
  family: 'validity',
  why: 'An address at a top-level domain that does not exist cannot receive mail.',
  maxWeight: 0.5,
  check(view, ref) {
    const hits: Hit[] = [];
    const reserved = ref.reserved().tlds;
    for (const v of view.all('email')) {
      const value = v.value.trim();
      const domain = emailDomain(value);
      if (!domain || !EMAIL.test(value)) {
        hits.push({
          field: v.field,
          evidence: quote(value),
          message: `${v.field} "${quote(value)}" is not a syntactically valid address`,
          weight: 0.3,
        });
        continue;
      }
      const tld = tldOf(domain);
      if (!reserved.includes(tld) && !ref.tlds().has(tld)) {
        hits.push({
          field: v.field,
          evidence: quote(value),
          message: `${v.field} uses .${tld}, which is not a top-level domain in the IANA root zone`,
          weight: 0.5,
        });
      }
    }
    for (const v of view.all('website')) {
      const host = websiteHost(v.value);
      if (!host) continue;
      const tld = tldOf(host);
      if (/^[a-z]+$/.test(tld) && !reserved.includes(tld) && !ref.tlds().has(tld)) {
        hits.push({
          field: v.field,
          evidence: quote(v.value),
          message: `${v.field} uses .${tld}, which is not a top-level domain in the IANA root zone`,
          weight: 0.5,
        });
      }
    }
    return hits;
  },
  examples: {
    fires: [
      ex('Contact', { LastName: 'Ochoa', Email: 'victor@dreamhouse.demo' }),
      ex('Contact', { LastName: 'Ng', Email: 'ng at acme.com' }),
    ],
    quiet: [
      ex('Contact', { LastName: 'Ng', Email: 'ng@acme.co.uk' }),
      ex('Contact', { LastName: 'Ng', Email: 'ng@acme.cymru' }),
    ],
  },
};
