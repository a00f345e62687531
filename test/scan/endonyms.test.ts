import { readFileSync } from 'node:fs';
import { ex } from '../../src/scan/rule.js';
import { reference } from '../../src/scan/reference.js';
import { scanExamples } from './helpers.js';

const aliases = (
  JSON.parse(readFileSync(new URL('../../data/scan/city-endonyms.json', import.meta.url), 'utf8')) as {
    aliases: [string, string, string][];
  }
).aliases;

describe('local town names (data/scan/city-endonyms.json)', () => {
  const ref = reference();
  it.each(aliases)('%s is a town of %s (filed like %s)', (local, country, name) => {
    expect(ref.places(name).some((p) => p.country === country)).toBe(true);
    expect(ref.places(local).some((p) => p.country === country)).toBe(true);
  });

  it('real records written with local town names carry no reason at all', async () => {
    const r = await scanExamples(
      [
        [
          'Hans',
          'Müller',
          'hans.mueller@siemens.com',
          '+49 89 636 00',
          'Siemens AG',
          'Werner-von-Siemens-Straße 1',
          'München',
          'Bayern',
          '80333',
          'Germany',
        ],
        [
          'Giulia',
          'Bianchi',
          'g.bianchi@comune.milano.it',
          '+39 02 0202',
          'Comune di Milano',
          'Piazza della Scala 2',
          'Milano',
          'MI',
          '20121',
          'Italy',
        ],
        [
          'Eva',
          'Novotná',
          'eva.novotna@praha.eu',
          '+420 236 001 111',
          'Magistrát hl. m. Prahy',
          'Mariánské náměstí 2',
          'Praha',
          '',
          '110 00',
          'Czechia',
        ],
        [
          'Johann',
          'Gruber',
          'johann.gruber@wien.gv.at',
          '+43 1 4000',
          'Stadt Wien',
          'Friedrich-Schmidt-Platz 1',
          'Wien',
          'Wien',
          '1010',
          'Austria',
        ],
      ].map(
        ([
          FirstName,
          LastName,
          Email,
          Phone,
          AccountName,
          MailingStreet,
          MailingCity,
          MailingState,
          MailingPostalCode,
          MailingCountry,
        ]) =>
          ex('Contact', {
            FirstName,
            LastName,
            Email,
            Phone,
            AccountName,
            MailingStreet,
            MailingCity,
            MailingState,
            MailingPostalCode,
            MailingCountry,
          } as Record<string, string>),
      ),
      { minScore: 0.01 },
    );
    expect(r.findings.map((f) => [f.line, f.reasons.map((x) => `${x.rule}: ${x.message}`)])).toEqual([]);
  });
});
