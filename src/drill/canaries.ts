import type { Finding, Level } from '../scan/types.js';

/**
 * Canary records for `lockout drill`: one per signal family the scanner must catch, each with the lowest level
 * it must reach. They are obviously synthetic to a person (so a canary left behind by a crash harms no one) and
 * carry a marker in Description (a field the scanner does not score) naming the drill, for manual cleanup.
 */
export interface Canary {
  key: string;
  /** What the canary imitates, in a few words. */
  imitates: string;
  /** The scanner must flag it at this level or above. */
  expected: Level;
  fields: Record<string, string>;
}

const CONTACT: Canary[] = [
  {
    key: 'placeholder',
    imitates: 'placeholder values typed by a tester',
    expected: 'high',
    fields: {
      FirstName: 'Test',
      LastName: 'Test',
      Email: 'test@test.com',
      Phone: '1234567890',
      MailingCity: 'Test',
      MailingCountry: 'Test',
    },
  },
  {
    key: 'sample-data',
    imitates: 'documentation sample data (reserved domain, 555 number, Anytown)',
    expected: 'high',
    fields: {
      FirstName: 'Jane',
      LastName: 'Doe',
      Email: 'jane.doe@example.com',
      Phone: '(555) 010-0199',
      MailingStreet: '123 Main Street',
      MailingCity: 'Anytown',
      MailingPostalCode: '12345',
      MailingCountry: 'United States',
    },
  },
  {
    key: 'lorem-disposable',
    imitates: 'lorem ipsum with a disposable mailbox',
    expected: 'high',
    fields: {
      FirstName: 'Lorem',
      LastName: 'Ipsum',
      Email: 'lorem.ipsum@mailinator.com',
      Phone: '000-000-0000',
      Title: 'Dolor sit amet',
    },
  },
  {
    key: 'generator',
    imitates: 'a fake-data generator (Faker-style street, city, title and phone)',
    expected: 'high',
    fields: {
      FirstName: 'Ernestine',
      LastName: 'Kuhlman',
      Email: 'Ernestine_Kuhlman43@hotmail.com',
      Phone: '1-555-284-0193 x4471',
      MailingStreet: '5123 Schmitt Forks',
      MailingCity: 'Port Aliyahaven',
      MailingPostalCode: '98004-1122',
      MailingCountry: 'US',
      Title: 'Dynamic Integration Orchestrator',
    },
  },
  {
    key: 'sandbox-copy',
    imitates: 'a sandbox copy (.invalid e-mail suffix, QA user)',
    expected: 'high',
    fields: {
      FirstName: 'Qa',
      LastName: 'User1',
      Email: 'qa.user1@acme.com.invalid',
      Phone: '+1 415 555 0101',
      Title: 'QA',
    },
  },
  {
    key: 'cross-field',
    imitates: 'a subtle mismatch (a Paris postal code on a Lyon address)',
    expected: 'low',
    fields: {
      FirstName: 'Maria',
      LastName: 'Garcia',
      Email: 'maria.garcia@gmail.com',
      Phone: '+33 1 42 68 53 00',
      MailingCity: 'Lyon',
      MailingPostalCode: '75008',
      MailingCountry: 'France',
    },
  },
];

/** Lead canaries: the Contact ones with Lead's address fields and a Company. */
const LEAD: Canary[] = CONTACT.map((c) => ({
  ...c,
  fields: Object.fromEntries([
    ...Object.entries(c.fields).map(([k, v]) => [k.replace(/^Mailing/, ''), v]),
    ['Company', c.key === 'placeholder' ? 'Test' : c.key === 'sample-data' ? 'Acme Corp' : 'Lockout Drill Ltd'],
  ]),
}));

export const CANARIES: Readonly<Record<string, readonly Canary[]>> = { Contact: CONTACT, Lead: LEAD };

/** The records to insert for a drill: each canary's fields plus the drill marker. */
export function canaryRecords(object: string, drillId: string): { canary: Canary; record: Record<string, string> }[] {
  return (CANARIES[object] ?? []).map((canary) => ({
    canary,
    record: { ...canary.fields, Description: `lockout drill ${drillId} canary ${canary.key}; safe to delete` },
  }));
}

const RANK: Record<Level, number> = { low: 1, medium: 2, high: 3 };

export interface CanaryResult {
  key: string;
  id: string;
  expected: Level;
  level: Level | null;
  score: number | null;
  rules: string[];
  detected: boolean;
}

/** Judge each inserted canary against the scan's findings (pure): detected when found at or above its level. */
export function judge(inserted: { canary: Canary; id: string }[], findings: readonly Finding[]): CanaryResult[] {
  const byId = new Map(findings.map((f) => [f.id, f]));
  return inserted.map(({ canary, id }) => {
    const f = byId.get(id);
    return {
      key: canary.key,
      id,
      expected: canary.expected,
      level: f?.level ?? null,
      score: f?.score ?? null,
      rules: f ? [...new Set(f.reasons.map((r) => r.rule))] : [],
      detected: !!f && RANK[f.level] >= RANK[canary.expected],
    };
  });
}
