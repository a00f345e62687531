import { ex, type Hit, type RecordRule } from '../rule.js';
import type { Reference } from '../reference.js';
import { emailDomain, emailLocal, fold, perValue, quote } from '../text.js';

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

interface DomainVerdict {
  kind: 'placeholder' | 'label' | 'disposable' | null;
  /** The first label (`test` of test.com). */
  label: string;
  free: boolean;
}

/** What the rule knows of a domain, judged once per distinct domain (they repeat: company and mail providers). */
const judges = new WeakMap<object, { domainOf: (domain: string) => DomainVerdict; strong: Set<string> }>();
function judgeOf(ref: Reference) {
  const p = ref.placeholders();
  let j = judges.get(p);
  if (!j) {
    const placeholderDomains = new Set(p.emailDomains);
    j = {
      strong: new Set(p.strongTokens),
      domainOf: perValue((domain: string): DomainVerdict => {
        const parts = domain.split('.');
        const label = parts[0]!;
        const free = ref.freeMail().has(domain);
        if (placeholderDomains.has(domain)) return { kind: 'placeholder', label, free };
        if (PLACEHOLDER_LABELS.has(label) && parts.length <= 3) return { kind: 'label', label, free };
        if (ref.disposable().has(domain)) return { kind: 'disposable', label, free };
        return { kind: null, label, free };
      }),
    };
    judges.set(p, j);
  }
  return j;
}

/** Placeholder and throw-away mail: `test@test.com`, `demo@demo.com`, `x@mailinator.com`. */
export const placeholderEmail: RecordRule = {
  id: 'placeholder-email',
  family: 'placeholder-tokens',
  why: 'Addresses at placeholder or disposable domains do not reach a real customer.',
  maxWeight: 0.75,
  check(view, ref) {
    const { domainOf, strong } = judgeOf(ref);
    const hits: Hit[] = [];
    for (const v of view.all('email')) {
      const domain = emailDomain(v.value);
      const local = emailLocal(v.value);
      if (!domain || !local) continue;
      const d = domainOf(domain);
      if (d.kind === 'placeholder') {
        hits.push({
          field: v.field,
          evidence: quote(v.value),
          message: `${v.field} uses ${domain}, a placeholder or throw-away domain`,
          weight: 0.75,
        });
        continue;
      }
      if (d.kind === 'label') {
        hits.push({
          field: v.field,
          evidence: quote(v.value),
          message: `${v.field} uses ${domain}, named like a placeholder domain ("${d.label}")`,
          weight: 0.6,
        });
        continue;
      }
      if (d.kind === 'disposable') {
        hits.push({
          field: v.field,
          evidence: quote(v.value),
          message: `${v.field} uses ${domain}, a disposable mail service`,
          weight: 0.5,
        });
        continue;
      }
      const localFold = fold(local).replace(/ ?\d+$/, '');
      if (localFold && localFold.replace(/ /g, '') === d.label && d.label.length <= 8 && !d.free) {
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
      } else if (strong.has(localFold) && !['info', 'contact', 'office'].includes(localFold)) {
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
