import { ex, type Hit, type RecordRule } from '../rule.js';
import type { Reference } from '../reference.js';
import { emailDomain, perValue, quote, websiteHost } from '../text.js';

interface Verdict {
  kind: 'tld' | 'domain' | null;
  tld: string;
}

/** What RFC 2606/6761 say of a host, worked out once per distinct host (hosts repeat: companies, mail providers). */
const judges = new WeakMap<object, (host: string) => Verdict>();
function judgeOf(ref: Reference): (host: string) => Verdict {
  const reserved = ref.reserved();
  let j = judges.get(reserved);
  if (!j) {
    const { tlds, domains } = reserved;
    j = perValue((host: string): Verdict => {
      const labels = host.split('.');
      const tld = labels[labels.length - 1]!;
      // `.invalid` appended to a real address is the sandbox marker; that rule explains it better.
      if (tld === 'invalid' && labels.length > 2) return { kind: null, tld };
      if (tlds.includes(tld) || host === 'localhost') return { kind: 'tld', tld };
      if (domains.some((d) => host === d || host.endsWith(`.${d}`))) return { kind: 'domain', tld };
      return { kind: null, tld };
    });
    judges.set(reserved, j);
  }
  return j;
}

/** Email, website or username domains reserved by RFC 2606/6761: no real person or company can use them. */
export const reservedDomain: RecordRule = {
  id: 'reserved-domain',
  family: 'reserved-identifiers',
  why: 'Domains reserved for documentation and testing (RFC 2606, RFC 6761) cannot belong to a real customer.',
  maxWeight: 0.95,
  check(view, ref) {
    const verdictOf = judgeOf(ref);
    const hits: Hit[] = [];
    const test = (field: string, value: string, host: string | null) => {
      if (!host) return;
      const v = verdictOf(host);
      if (v.kind === 'tld') {
        hits.push({
          field,
          evidence: quote(value),
          message: `${field} uses the top-level domain .${v.tld}, reserved for testing and documentation by RFC 2606/6761`,
          weight: 0.95,
        });
      } else if (v.kind === 'domain') {
        hits.push({
          field,
          evidence: quote(value),
          message: `${field} uses ${host}, a domain reserved for documentation by RFC 2606`,
          weight: 0.95,
        });
      }
    };
    for (const v of view.all('email')) test(v.field, v.value, emailDomain(v.value));
    for (const v of view.all('username')) test(v.field, v.value, emailDomain(v.value));
    for (const v of view.all('website')) test(v.field, v.value, websiteHost(v.value));
    return hits;
  },
  examples: {
    fires: [
      ex('Contact', { LastName: 'Chen', Email: 'beverly.chen@example.com' }),
      ex('Lead', { LastName: 'Snow', Email: 'jon.snow@winterfell.test' }),
      ex('Account', { Name: 'Global Industries', Website: 'https://www.globalind.example.com' }),
    ],
    quiet: [
      ex('Contact', { LastName: 'Example', Email: 'ann@example-industries.com' }),
      ex('Account', { Name: 'Example Inc', Website: 'https://www.exampleinc.com' }),
      ex('User', { LastName: 'Ng', Username: 'ng@acme.com.invalid' }),
    ],
  },
};
