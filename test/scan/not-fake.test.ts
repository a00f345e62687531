import { ex } from '../../src/scan/rule.js';
import { scanExamples } from './helpers.js';

// detection.md "Not fake, though it looks odd": none of these may reach medium.
const person = (FirstName: string, LastName: string, extra: Record<string, string> = {}) =>
  ex('Contact', {
    Id: '',
    FirstName,
    LastName,
    Email: `${FirstName}.${LastName}`.toLowerCase().replace(/[^a-z.]/g, '') + '@acme-corp.com',
    ...extra,
  });

const cases: [string, ReturnType<typeof ex>][] = [
  ['surname Null', person('Christopher', 'Null')],
  ['surname Test', person('Anna', 'Test')],
  ['surname Sample', person('Robert', 'Sample')],
  ['surname Fake', person('Ali', 'Fake')],
  ['surname Blank', person('Arthur', 'Blank')],
  ['surname Smith', person('John', 'Smith')],
  ['real name containing Test', person('Stéphane', 'Testé')],
  ['one-letter first name', person('O', 'Sullivan')],
  ['very long name', person('Wolfeschlegelsteinhausenbergerdorff', 'Hubert Blaine')],
  ['all caps', person('MARY', 'JOHNSON')],
  ['apostrophe', person('Siobhán', "O'Connor")],
  ['hyphen', person('Anne-Marie', 'Smith-Jones')],
  ['particles', person('Ludwig', 'van der Rohe')],
  ['non-Latin script', person('明', '李')],
  ['Cyrillic', person('Иван', 'Петров')],
  [
    'Truth or Consequences',
    person('Ann', 'Lee', {
      MailingCity: 'Truth or Consequences',
      MailingState: 'NM',
      MailingPostalCode: '87901',
      MailingCountry: 'United States',
    }),
  ],
  ['mojibake', person('Kate?ina', 'Nováková', { MailingCity: 'Praha', MailingCountry: 'Czech Republic' })],
  [
    'Test Systems Ltd',
    ex('Account', { Name: 'Test Systems Ltd', BillingCity: 'Leeds', BillingCountry: 'United Kingdom' }),
  ],
  ['Example Inc', ex('Account', { Name: 'Example Inc', Website: 'https://www.exampleinc.com' })],
];

describe('not fake, though it looks odd', () => {
  it.each(cases)('%s stays below medium', async (_name, record) => {
    const r = await scanExamples([record], { minScore: 0 });
    for (const f of r.findings) expect(f.level).toBe('low');
  });

  it('colleagues sharing an office phone stay below medium', async () => {
    const names = ['Ann Lee', 'Bo Chen', 'Carla Ruiz', 'Dev Patel', 'Eva Novak', 'Femi Ade', 'Gus Berg', 'Hana Sato'];
    const records = Array.from({ length: 40 }, (_, i) => {
      const [f, l] = names[i % names.length]!.split(' ');
      return ex('Contact', {
        FirstName: `${f}`,
        LastName: `${l}${'son'.repeat(i % 3)}`,
        Phone: '+1 212 555 7300',
        MailingCity: 'New York',
        MailingState: 'NY',
        MailingCountry: 'United States',
      });
    });
    const r = await scanExamples(records, { minScore: 0 });
    expect(r.findings.filter((f) => f.level !== 'low')).toEqual([]);
  });
});
