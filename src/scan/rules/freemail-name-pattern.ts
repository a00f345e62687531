import { ex, type Hit, type RecordRule } from '../rule.js';
import { emailDomain, emailLocal, fold, quote } from '../text.js';
import { latin } from './email-name-mismatch.js';

/**
 * Addresses built from the record's own name the way generators do: `Braeden.Luettgen71@hotmail.com` (capitalised
 * name parts joined by `.` or `_`, optional digits, at a consumer mail provider). Weak alone: real people do this too.
 */
export const freemailNamePattern: RecordRule = {
  id: 'freemail-name-pattern',
  family: 'generator-fingerprints',
  why: 'Generators derive the e-mail from the name with the original capitals; people mostly type lower case.',
  maxWeight: 0.25,
  check(view, ref) {
    const hits: Hit[] = [];
    const first = view.first('firstName')?.value.trim();
    const last = view.first('lastName')?.value.trim();
    if (!first || !last) return hits;
    const strip = (s: string) =>
      s
        .normalize('NFKD')
        .replace(/[\u0300-\u036f]/g, '')
        .replace(/\s+/g, '');
    for (const v of view.all('email')) {
      const local = emailLocal(v.value);
      const domain = emailDomain(v.value);
      if (!local || !domain || !ref.freeMail().has(domain)) continue;
      const m = /^(\p{Lu}[\p{L}'-]*)[._](\p{Lu}[\p{L}'-]*)(\d{0,3})$/u.exec(local);
      // The name as written, or transliterated (`Natan.Teterin38@ya.ru` for Натан Тетерин).
      const same = (part: string, name: string) =>
        strip(part) === strip(name) || part.toLowerCase() === latin(name).replace(/ /g, '');
      if (m && same(m[1]!, first) && same(m[2]!, last) && fold(first) !== fold(last)) {
        hits.push({
          field: v.field,
          evidence: quote(v.value),
          message: `${v.field} is "First.Last${m[3] ? '<digits>' : ''}" with the name's capitals at a consumer provider, as generators write it`,
          weight: 0.25,
        });
      }
    }
    return hits;
  },
  examples: {
    fires: [
      ex('Contact', { FirstName: 'Braeden', LastName: 'Luettgen', Email: 'Braeden.Luettgen71@hotmail.com' }),
      ex('Contact', { FirstName: 'Натан', LastName: 'Тетерин', Email: 'Natan.Teterin38@ya.ru' }),
    ],
    quiet: [
      ex('Contact', { FirstName: 'Isabelle', LastName: 'Rauch', Email: 'Isabelle.Rauch@assemblee-nationale.fr' }),
      ex('Contact', { FirstName: 'Anna', LastName: 'Berg', Email: 'anna.berg@gmail.com' }),
    ],
  },
};
