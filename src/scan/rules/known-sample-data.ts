import { ex, type Hit, type RecordRule } from '../rule.js';
import type { Reference } from '../reference.js';
import { emailDomain, fold, foldJoin, perValue, quote, websiteHost } from '../text.js';

interface Index {
  companies: Map<string, string>;
  people: Map<string, { dataset: string; company: string; domain: string | null }[]>;
  domains: Map<string, string>;
  mockaroo: Set<string>;
  names: Record<string, string>;
  companyFacts: (value: string) => { dataset: string | null; brand?: [string, string]; mockaroo: boolean };
}
const cache = new WeakMap<object, Index>();
function index(ref: Reference): Index {
  const s = ref.sampleDatasets();
  let i = cache.get(s);
  if (!i) {
    const people = new Map<string, { dataset: string; company: string; domain: string | null }[]>();
    for (const [dataset, name, company, domain] of s.people) {
      const k = fold(name);
      people.set(k, [...(people.get(k) ?? []), { dataset, company: fold(company), domain }]);
    }
    const companies = new Map(s.companies.map(([d, c]) => [fold(c), d]));
    const mockaroo = new Set(ref.vocabulary().mockarooCompanies.map((c) => c.toLowerCase()));
    const brands = s.brandPrefixes.map(([d, b]) => [d, b, `${b} `] as const);
    i = {
      companies,
      people,
      domains: new Map(s.emailDomains.map(([d, dom]) => [dom, d])),
      mockaroo,
      names: s.datasets,
      // Company values repeat from record to record: what the index says of one is worked out once.
      companyFacts: perValue((value) => {
        const key = fold(value);
        const dataset = companies.get(key) ?? null;
        const brand = dataset ? undefined : brands.find(([, , prefix]) => key.startsWith(prefix));
        return {
          dataset,
          brand: brand ? ([brand[0], brand[1]] as [string, string]) : undefined,
          mockaroo: /^[A-Z][a-z]+$/.test(value.trim()) && mockaroo.has(key),
        };
      }),
    };
    cache.set(s, i);
  }
  return i;
}

/**
 * Published demo data (Developer Edition seed data, Trailhead orgs, Northwind, Mockaroo company names): matched on
 * combinations, so one common word is never enough.
 */
export const knownSampleData: RecordRule = {
  id: 'known-sample-data',
  family: 'known-sample-datasets',
  why: 'Demo records shipped with sample orgs and tutorials end up in production through copied seed scripts.',
  maxWeight: 0.95,
  check(view, ref) {
    const idx = index(ref);
    const hits: Hit[] = [];
    const company = view.first('company');
    const companyKey = company ? fold(company.value) : '';
    const first = view.first('firstName')?.value ?? '';
    const last = view.first('lastName')?.value ?? '';
    const full = foldJoin(first, last) || fold(view.first('fullName')?.value ?? '');
    const person = full ? idx.people.get(full) : undefined;
    if (person) {
      const domains = view
        .all('email')
        .map((v) => emailDomain(v.value))
        .filter((d): d is string => !!d);
      const match = person.find(
        (p) => (companyKey && p.company === companyKey) || (p.domain && domains.includes(p.domain)),
      );
      if (match) {
        hits.push({
          field: company && match.company === companyKey ? `Name+${company.field}` : 'Name+Email',
          evidence: quote(`${first} ${last}`.trim() + (company ? ` / ${company.value}` : '')),
          message: `"${quote(`${first} ${last}`.trim())}" with this company or e-mail is a record of the ${idx.names[match.dataset] ?? match.dataset}`,
          weight: 0.95,
        });
        return hits;
      }
    }
    const facts = company ? idx.companyFacts(company.value) : null;
    if (company && facts!.dataset) {
      const d = facts!.dataset;
      hits.push({
        field: company.field,
        evidence: quote(company.value),
        message: `${company.field} "${quote(company.value)}" is a company of the ${idx.names[d] ?? d}`,
        weight: view.object === 'Account' ? 0.6 : 0.45,
      });
    }
    const brand = facts?.brand;
    if (company && brand) {
      hits.push({
        field: company.field,
        evidence: quote(company.value),
        message: `${company.field} "${quote(company.value)}" carries the ${brand[1].replace(/\b\w/g, (c) => c.toUpperCase())} brand of the ${idx.names[brand[0]] ?? brand[0]}`,
        weight: 0.45,
      });
    }
    if (company && facts!.mockaroo) {
      hits.push({
        field: company.field,
        evidence: quote(company.value),
        message: `${company.field} "${quote(company.value)}" is an invented name from the Mockaroo company-name list used by seed scripts`,
        weight: 0.5,
      });
    }
    for (const role of ['email', 'website'] as const) {
      for (const v of view.all(role)) {
        const host = v.field.toLowerCase().includes('web') ? websiteHost(v.value) : emailDomain(v.value);
        if (host && idx.domains.has(host)) {
          const d = idx.domains.get(host)!;
          hits.push({
            field: v.field,
            evidence: quote(v.value),
            message: `${v.field} uses ${host}, a domain of the ${idx.names[d] ?? d}`,
            weight: 0.9,
          });
        }
      }
    }
    return hits;
  },
  examples: {
    fires: [
      ex('Contact', { FirstName: 'Rose', LastName: 'Gonzalez', AccountName: 'Edge Communications' }),
      ex('Lead', { FirstName: 'Bertha', LastName: 'Boxer', Company: 'Farmers Coop. of Florida' }),
      ex('Account', { Name: 'Burlington Textiles Corp of America' }),
      ex('Account', { Name: 'Twitterwire' }),
      ex('Account', { Name: 'Northern Trail Cycling' }),
      ex('Contact', { LastName: 'Ochoa', Email: 'victor@dreamhouse.demo' }),
    ],
    quiet: [
      ex('Contact', { FirstName: 'Rose', LastName: 'Gonzalez', AccountName: 'Kaiser Permanente' }),
      ex('Account', { Name: 'Edgewater Capital' }),
      ex('Account', { Name: 'Yodel' }),
    ],
  },
};
