import { ex, type Example } from '../../src/scan/rule.js';
import { scanExamples, THRESHOLDS } from './helpers.js';

// Generator output from other generators and locales than the dev split's: each record carries two or more
// independent weak signals (none strong alone), and the scanner must add them up past the low threshold, naming
// the signal families that the holdout's generators share (cross-field contradictions, templates, lorem text).
const cases: [string, Example, string[]][] = [
  [
    'an Italian record with an English-faker e-mail domain and a random country',
    ex('Contact', {
      Id: '0035g71AAAAAA1PA2X',
      FirstName: 'Armando',
      LastName: 'Leone',
      Email: 'armando_leone@kohler.co',
      AccountName: 'Pagano, Ferrari e Conte e figli',
      MailingStreet: 'Rotonda Rebecca 204',
      MailingCity: 'Sesto Fatima lido',
      MailingCountry: 'Tokelau',
    }),
    ['street-language', 'company-template'],
  ],
  [
    'a French record whose e-mail is made of another name',
    ex('Contact', {
      Id: '0035g71AAAAAA1QA2X',
      FirstName: 'Margaret',
      LastName: 'Clement',
      Email: 'qgiraud@orange.fr',
      MailingCity: 'Dos Santos-sur-Mer',
      MailingPostalCode: '56342',
      MailingCountry: 'France',
    }),
    ['email-name-mismatch', 'unknown-place'],
  ],
  [
    'a Polish account with a lorem ipsum website path',
    ex('Account', {
      Id: '0015g60AAAAAADPA25',
      Name: 'Wiśniewska',
      Website: 'http://sokolowska.net/at-autem-in-iusto-esse-eligendi-quia-dolor',
      BillingCity: 'Pabianice',
      BillingCountry: 'Poland',
    }),
    ['lorem-text'],
  ],
  [
    'a Swedish record whose town lies in another county',
    ex('Contact', {
      Id: '0035g71AAAAAA1RA2X',
      FirstName: 'Karin',
      LastName: 'Dahlberg',
      Email: 'erik24@telia.com',
      MailingCity: 'Stockholm',
      MailingState: 'Östergötlands län',
      MailingCountry: 'Sweden',
    }),
    ['email-name-mismatch', 'city-region'],
  ],
  [
    'a Spanish lead with a double-surname company template and a region of another country',
    ex('Lead', {
      Id: '00Q5g60AAAAAADQA25',
      FirstName: 'Marcos',
      LastName: 'Espinoza',
      Company: 'Velázquez Gallegos y Quesada Barraza',
      State: 'Región de Murcia',
      Country: 'Guinea-Bisáu',
    }),
    ['company-template', 'region-mismatch'],
  ],
  [
    'an export-tool contact numbered row by row at an unrelated domain',
    ex('Contact', {
      Id: '0035g71AAAAAA1SA2X',
      FirstName: 'Timothy',
      LastName: 'Franklin',
      Email: 'tfranklin1j@seesaa.net',
      AccountName: 'Franklin Household',
    }),
    ['sequence-email', 'email-company-mismatch'],
  ],
];

describe('generator output from other generators and locales', () => {
  it.each(cases)('flags %s', async (_name, record, rules) => {
    const r = await scanExamples([record]);
    expect(r.findings).toHaveLength(1);
    const f = r.findings[0]!;
    expect(f.score).toBeGreaterThanOrEqual(THRESHOLDS.low);
    const fired = f.reasons.map((x) => x.rule);
    for (const rule of rules) expect(fired).toContain(rule);
  });
});
