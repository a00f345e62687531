import { ex, type Hit, type RecordRule } from '../rule.js';
import { emailDomain, emailLocal, fold, quote } from '../text.js';

const PLACEHOLDER_LABELS = new Set([
  'example',
  'exemple',
  'beispiel',
  'esempio',
  'ejemplo',
  'voorbeeld',
  'exemplo',
  'przyklad',
  'test',
  'testing',
  'sample',
  'demo',
  'fake',
  'dummy',
  'placeholder',
  'noemail',
  'nomail',
  'invalid',
  'none',
  'fakemail',
  'testmail',
  'mailtest',
]);

/** Placeholder and throw-away mail: `test@test.com`, `demo@demo.com`, `x@mailinator.com`. */
export const placeholderEmail: RecordRule = {
  id: 'placeholder-email',
  family: 'placeholder-tokens',
  why: 'Addresses at placeholder or disposable domains do not reach a real customer.',
  maxWeight: 0.75,
  check(view, ref) {
    const p = ref.placeholders();
    const hits: Hit[] = [];
    for (const v of view.all('email')) {
      const domain = emailDomain(v.value);
      const local = emailLocal(v.value);
      if (!domain || !local) continue;
      const label = domain.split('.')[0]!;
      const localFold = fold(local).replace(/ ?\d+$/, '');
      if (p.emailDomains.includes(domain)) {
        hits.push({
          field: v.field,
          evidence: quote(v.value),
          message: `${v.field} uses ${domain}, a placeholder or throw-away domain`,
          weight: 0.75,
        });
      } else if (PLACEHOLDER_LABELS.has(label) && domain.split('.').length <= 3) {
        hits.push({
          field: v.field,
          evidence: quote(v.value),
          message: `${v.field} uses ${domain}, named like a placeholder domain ("${label}")`,
          weight: 0.6,
        });
      } else if (ref.disposable().has(domain)) {
        hits.push({
          field: v.field,
          evidence: quote(v.value),
          message: `${v.field} uses ${domain}, a disposable mail service`,
          weight: 0.5,
        });
      } else if (
        localFold &&
        localFold.replace(/ /g, '') === label &&
        label.length <= 8 &&
        !ref.freeMail().has(domain)
      ) {
        hits.push({
          field: v.field,
          evidence: quote(v.value),
          message: `${v.field} repeats its domain as the mailbox (${quote(v.value)})`,
          weight: 0.55,
        });
      } else if (
        /^(?:test|testing|qa|demo|dummy|fake|sample|tester)(?:[+._-]?[a-z]*\d+)?$/i.test(local) ||
        /\+(?:test|qa|demo|fake|dummy)[a-z]*\d*$/i.test(local)
      ) {
        hits.push({
          field: v.field,
          evidence: quote(v.value),
          message: `${v.field} is a numbered or plus-addressed test mailbox`,
          weight: 0.4,
        });
      } else if (p.strongTokens.includes(localFold) && !['info', 'contact', 'office'].includes(localFold)) {
        hits.push({
          field: v.field,
          evidence: quote(v.value),
          message: `${v.field} mailbox is the placeholder word "${localFold}"`,
          weight: 0.35,
        });
      }
    }
    return hits;
  },
  examples: {
    fires: [
      ex('Contact', { LastName: 'Test', Email: 'test@test.com' }),
      ex('Contact', { LastName: 'Demo', Email: 'demo@demo.com' }),
      ex('Contact', { LastName: 'Test', Email: 'bob.test@mailinator.com' }),
      ex('Lead', { LastName: 'Lee', Email: 'ann+qa17@acme.io' }),
      ex('Lead', { LastName: 'Lee', Email: 'ann.lee@example.io' }),
    ],
    quiet: [
      ex('Contact', { LastName: 'Smith', Email: 'anna.smith@gmail.com' }),
      ex('Contact', { LastName: 'Test', Email: 'k.test@acme.de' }),
      ex('Account', { Name: 'Acme', Website: 'acme.com' }),
    ],
  },
};
