import { ex, type Hit, type RecordRule } from '../rule.js';
import { emailLocal, fold, quote } from '../text.js';

/**
 * E-mails of the form initial + surname + a two-character base-36 counter with a letter (`tfranklin1j@seesaa.net`,
 * `rthomas2m@e-recht24.de`): export tools such as Mockaroo number generated addresses this way, row by row. People
 * add digits to their address (`jsmith22`), rarely a digit followed by a letter.
 */
export const sequenceEmail: RecordRule = {
  id: 'sequence-email',
  family: 'generator-fingerprints',
  why: 'Export generators append a base-36 row counter to "initial + surname"; people append digits, not "1j".',
  maxWeight: 0.3,
  check(view) {
    const hits: Hit[] = [];
    const first = fold(view.first('firstName')?.value ?? '').replace(/ /g, '');
    const last = fold(view.first('lastName')?.value ?? '').replace(/ /g, '');
    if (!first || last.length < 2) return hits;
    const expected = first[0]! + last;
    for (const v of view.all('email')) {
      const local = emailLocal(v.value)?.toLowerCase();
      if (!local || local.length !== expected.length + 2 || !local.startsWith(expected)) continue;
      if (!/^\d[a-z]$/.test(local.slice(-2))) continue;
      hits.push({
        field: v.field,
        evidence: quote(v.value),
        message: `${v.field} "${quote(v.value)}" is initial + surname + a row counter ("${local.slice(-2)}"), the way export generators number addresses`,
        weight: 0.3,
      });
      break;
    }
    return hits;
  },
  examples: {
    fires: [ex('Contact', { FirstName: 'Timothy', LastName: 'Franklin', Email: 'tfranklin1j@seesaa.net' })],
    quiet: [
      ex('Contact', { FirstName: 'Pat', LastName: 'Long', Email: 'plong22@salon.com' }),
      ex('Contact', { FirstName: 'Ann', LastName: 'Lee', Email: 'alee@acme.com' }),
    ],
  },
};
