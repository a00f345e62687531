import { ex, type Hit, type RecordRule } from '../rule.js';
import type { Reference } from '../reference.js';
import { fold, foldJoin, perValue, quote } from '../text.js';

// `Testuser`, `DemoContact`, `TestFirst`: a test word glued to a generic noun (not `Testa` or `Testé`).
const COMPOUND =
  /^(?:test|demo|dummy|sample|fake|qa)(?:user|contact|account|lead|person|customer|name|first|last|firstname|lastname|company|guy|man|woman|kunde|nutzer)$/;
const NEVER_REAL = new Set([
  'dummy',
  'fake',
  'asdf',
  'qwerty',
  'xxx',
  'xxxx',
  'lorem',
  'ipsum',
  'placeholder',
  'foo',
  'foobar',
  'tbd',
  'n a',
  'zzz',
  'asdfasdf',
  'deleteme',
]);
const LEGAL = new Set([
  'inc',
  'ltd',
  'llc',
  'gmbh',
  'corp',
  'co',
  'plc',
  'sa',
  'sas',
  'ag',
  'bv',
  'limited',
  'srl',
  'sarl',
]);

type Lists = {
  strong: Set<string>;
  surname: Set<string>;
  generic: Set<string>;
  weak: Set<string>;
  full: Set<string>;
  /** Per distinct value (names, companies and titles repeat from record to record): judged once. */
  isToken: (value: string) => boolean;
  company: [(value: string) => CompanyVerdict, (value: string) => CompanyVerdict];
  titlePlaceholder: (value: string) => boolean;
};
type CompanyVerdict =
  'self-named' | 'never-real' | 'named-after-type' | 'word' | 'word-legal' | 'all-placeholder' | null;

const sets = new WeakMap<object, Lists>();
function lists(ref: Reference): Lists {
  const p = ref.placeholders();
  let s = sets.get(p);
  if (!s) {
    const strong = new Set(p.strongTokens);
    const generic = new Set(p.genericNouns);
    const weak = new Set(p.weakWords);
    const companyVerdict = (value: string, isAccount: boolean): CompanyVerdict => {
      const w = fold(value).split(' ').filter(Boolean);
      const core = w.filter((x) => !LEGAL.has(x));
      const hasLegal = core.length < w.length;
      if (!core.length) return null;
      const allPlaceholder = core.every((x) => strong.has(x) || generic.has(x) || /^\d+$/.test(x));
      const hasWeak = core.some((x) => weak.has(x) || strong.has(x));
      const phrase = core.join(' ');
      if (
        /\b(?:do not use|dont use|delete me|test account|test company|sample account|sample company|demo account|dummy account)\b/.test(
          phrase,
        ) ||
        /^(?:test|demo|dummy|sample|muster|beispiel)(?:firma|company|corp|account|kunde|konto|unternehmen)$/.test(
          phrase,
        )
      ) {
        return 'self-named';
      }
      if (core.length === 1 && NEVER_REAL.has(core[0]!)) return 'never-real';
      if (core.length === 2 && core[1] === 'account' && isAccount) return 'named-after-type';
      if (core.length === 1 && strong.has(core[0]!)) return hasLegal ? 'word-legal' : 'word';
      if (allPlaceholder && hasWeak && core.length > 1) return 'all-placeholder';
      return null;
    };
    s = {
      strong,
      surname: new Set(p.surnameTokens),
      generic,
      weak,
      full: new Set(p.fullNames),
      isToken: perValue((v) => {
        const f = fold(v).replace(/ ?\d+$/, '');
        return strong.has(f) || COMPOUND.test(f);
      }),
      company: [perValue((v) => companyVerdict(v, false)), perValue((v) => companyVerdict(v, true))],
      titlePlaceholder: perValue((v) =>
        fold(v)
          .split(' ')
          .every((x) => strong.has(x)),
      ),
    };
    sets.set(p, s);
  }
  return s;
}

/**
 * Whole-field placeholder tokens (`test`, `asdf`, `n/a`, `John Doe`, `Sample Account`), weighted by field and by
 * whole-field vs substring: a surname `Test` alone is weak (real people are named Test), `Test Test` is not.
 */
export const placeholderToken: RecordRule = {
  id: 'placeholder-token',
  family: 'placeholder-tokens',
  why: 'People type placeholder words while trying things out; real records rarely consist of them.',
  maxWeight: 0.85,
  check(view, ref) {
    const l = lists(ref);
    const hits: Hit[] = [];
    const first = view.first('firstName');
    const last = view.first('lastName');
    const fullField = view.first('fullName');
    const isToken = l.isToken;
    const firstTok = first ? isToken(first.value) : false;
    const lastTok = last ? isToken(last.value) : false;

    const names = foldJoin(first?.value ?? '', last?.value ?? '');
    const nameWords = names ? names.split(' ') : [];
    const fullName = names || (fullField ? fold(fullField.value) : '');
    if (fullName && l.full.has(fullName)) {
      hits.push({
        field: last?.field ?? fullField?.field ?? 'Name',
        evidence: quote([first?.value, last?.value].filter(Boolean).join(' ') || fullField!.value),
        message: `"${quote(fullName)}" is a well-known placeholder name`,
        weight: 0.6,
      });
    } else if (
      first &&
      last &&
      ((firstTok && lastTok) ||
        ((firstTok || lastTok) &&
          [first.value, last.value].every(
            (v) =>
              isToken(v) ||
              fold(v)
                .split(' ')
                .every((w) => l.strong.has(w) || l.generic.has(w)),
          ) &&
          nameWords.some((w) => l.weak.has(w))) ||
        (nameWords.length > 1 &&
          nameWords.every((w) => l.strong.has(w) || l.generic.has(w)) &&
          nameWords.some((w) => l.weak.has(w))))
    ) {
      hits.push({
        field: `${first.field}+${last.field}`,
        evidence: quote(`${first.value} ${last.value}`),
        message: `both first and last name are placeholder words ("${quote(first.value)}", "${quote(last.value)}")`,
        weight: 0.85,
      });
    } else if (first && firstTok && !(last && l.surname.has(fold(last.value)))) {
      hits.push({
        field: first.field,
        evidence: quote(first.value),
        message: `${first.field} is the placeholder word "${quote(first.value)}"`,
        weight: 0.3,
      });
    } else if (last && lastTok) {
      // Test, Sample, Null, Blank are real surnames: alone this stays below the lowest level.
      hits.push({
        field: last.field,
        evidence: quote(last.value),
        message: `${last.field} is "${quote(last.value)}", a placeholder word (also a real surname, so weak alone)`,
        weight: 0.2,
      });
    } else if (
      !first &&
      !last &&
      fullField &&
      fold(fullField.value)
        .split(' ')
        .every((w) => l.strong.has(w))
    ) {
      hits.push({
        field: fullField.field,
        evidence: quote(fullField.value),
        message: `${fullField.field} consists of placeholder words`,
        weight: 0.7,
      });
    }

    const companyVerdict = l.company[view.object === 'Account' ? 1 : 0];
    for (const v of view.all('company')) {
      const verdict = companyVerdict(v.value);
      if (verdict === 'self-named') {
        hits.push({
          field: v.field,
          evidence: quote(v.value),
          message: `${v.field} "${quote(v.value)}" names itself a test or throw-away record`,
          weight: 0.75,
        });
      } else if (verdict === 'never-real') {
        hits.push({
          field: v.field,
          evidence: quote(v.value),
          message: `${v.field} "${quote(v.value)}" is a throw-away word no registered company uses`,
          weight: 0.6,
        });
      } else if (verdict === 'named-after-type') {
        hits.push({
          field: v.field,
          evidence: quote(v.value),
          message: `${v.field} "${quote(v.value)}" is named after the record type, as records created to try a feature are`,
          weight: 0.4,
        });
      } else if (verdict === 'word' || verdict === 'word-legal') {
        const hasLegal = verdict === 'word-legal';
        hits.push({
          field: v.field,
          evidence: quote(v.value),
          message: hasLegal
            ? `${v.field} "${quote(v.value)}" is a placeholder word with a legal form (real companies are named like this too)`
            : `${v.field} is the placeholder word "${quote(v.value)}"`,
          weight: hasLegal ? 0.2 : 0.6,
        });
      } else if (verdict === 'all-placeholder') {
        hits.push({
          field: v.field,
          evidence: quote(v.value),
          message: `${v.field} "${quote(v.value)}" is made only of placeholder and generic words`,
          weight: 0.75,
        });
      }
    }

    for (const v of view.all('title')) {
      if (l.titlePlaceholder(v.value)) {
        hits.push({
          field: v.field,
          evidence: quote(v.value),
          message: `${v.field} is a placeholder ("${quote(v.value)}")`,
          weight: 0.4,
        });
      }
    }

    for (let i = 0; i < view.row.length; i++) {
      const v = view.row[i];
      if (
        v &&
        v.length >= 11 &&
        (v.includes('psum') || v.includes('PSUM') || v.includes('olor sit')) &&
        /\blorem ipsum\b|\bipsum dolor\b|\bdolor sit amet\b/i.test(v)
      ) {
        const field = view.header[i] ?? '?';
        hits.push({
          field,
          evidence: quote(v),
          message: `${field} contains "lorem ipsum", the typesetting placeholder text`,
          weight: 0.85,
        });
        break;
      }
    }
    return hits;
  },
  examples: {
    fires: [
      ex('Contact', { FirstName: 'Test', LastName: 'Test', Email: 'test@test.com' }),
      ex('Contact', { FirstName: 'asdf', LastName: 'asdf' }),
      ex('Contact', { FirstName: 'John', LastName: 'Doe' }),
      ex('Contact', { FirstName: 'TestFirst', LastName: 'TestLast' }),
      ex('Contact', { FirstName: 'DO NOT USE', LastName: 'Test Contact' }),
      ex('Account', { Name: 'Test Company Inc.' }),
      ex('Account', { Name: 'Lorem Ipsum LLC', BillingStreet: 'Lorem ipsum dolor sit amet' }),
    ],
    quiet: [
      ex('Contact', { FirstName: 'Stéphane', LastName: 'Testé' }),
      ex('Contact', { FirstName: 'Robert', LastName: 'Testa' }),
      ex('Account', { Name: 'Test Systems Ltd' }),
      ex('Contact', { FirstName: 'Anna', LastName: 'Smith' }),
    ],
  },
};
