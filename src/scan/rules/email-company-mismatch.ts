import { ex, type Hit, type RecordRule } from '../rule.js';
import { emailDomain, fold, perValue, quote } from '../text.js';
import { related } from './website-mismatch.js';

/** Generic top-level domains a generator picks from; rare for real businesses: `.biz`, `.info`, `.name`. */
const RARE_TLD = new Set(['biz', 'info', 'name']);
const GENERIC_TLD = new Set(['com', 'net', 'org', 'co', 'io']);

/** Whether a domain label and a company name are related, per distinct pair (both repeat from record to record). */
const relatedTo = perValue((pair: string) => {
  const cut = pair.indexOf('\u0001');
  return related(pair.slice(0, cut), pair.slice(cut + 1));
});

/**
 * A person's work e-mail at a generic-TLD domain that shares nothing with their company or their own name
 * (`irene.moretti@kreiger.biz` at "Barbieri Group"): generators fill the e-mail and the company independently; real
 * work addresses carry the employer's name or acronym. Free-mail providers are left to other rules; country-code
 * domains (`parliament.uk` for "House of Commons") are not judged.
 */
export const emailCompanyMismatch: RecordRule = {
  id: 'email-company-mismatch',
  family: 'cross-field',
  why: "Real work e-mail domains carry the employer's name; generated ones are another random surname or word.",
  maxWeight: 0.25,
  check(view, ref) {
    const hits: Hit[] = [];
    const company = view.first('company');
    if (!company || !company.value.trim()) return hits;
    for (const v of view.all('email')) {
      const domain = emailDomain(v.value);
      if (!domain || ref.freeMail().has(domain) || ref.disposable().has(domain)) continue;
      const labels = domain.split('.');
      if (labels.length !== 2) continue;
      const [label, tld] = labels as [string, string];
      const rare = RARE_TLD.has(tld);
      if (!rare && !GENERIC_TLD.has(tld)) continue;
      if (label.length < 3 || relatedTo(`${label}\u0001${company.value}`)) continue;
      const person = `${view.first('firstName')?.value ?? ''} ${view.first('lastName')?.value ?? ''}`;
      if (fold(person).trim() && related(label, person)) continue;
      hits.push({
        field: `${v.field}+${company.field}`,
        evidence: quote(`${v.value} / ${company.value}`),
        message: `${v.field} domain ${domain} shares nothing with ${company.field} "${quote(company.value)}" or the person's name${rare ? ` (and .${tld} is rare for businesses)` : ''}`,
        weight: rare ? 0.25 : 0.15,
      });
      break;
    }
    return hits;
  },
  examples: {
    fires: [
      ex('Contact', {
        FirstName: 'Irene',
        LastName: 'Moretti',
        Email: 'moretti.irene@kreiger.biz',
        AccountName: 'Barbieri Group',
      }),
      ex('Lead', { FirstName: 'Mia', LastName: 'Jacobsen', Email: 'jacobsen.mia@miller.com', Company: 'Nguyen-Torp' }),
    ],
    quiet: [
      ex('Contact', {
        FirstName: 'Lillian',
        LastName: 'Jones',
        Email: 'lillian.jones.mp@parliament.uk',
        AccountName: 'House of Commons',
      }),
      ex('Contact', { FirstName: 'Ann', LastName: 'Lee', Email: 'ann.lee@acmecorp.com', AccountName: 'Acme Corp' }),
      ex('Lead', { FirstName: 'Bo', LastName: 'Smith', Email: 'bo@smithconsulting.com', Company: 'BS Advisory' }),
      ex('Contact', { FirstName: 'Ann', LastName: 'Lee', Email: 'ann.lee@gmail.com', AccountName: 'Acme Corp' }),
    ],
  },
};
