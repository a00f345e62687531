import { ex, type Hit, type RecordRule } from '../rule.js';
import { fold, perValue, quote } from '../text.js';

const WALKS = [
  'qwertyuiop',
  'asdfghjkl',
  'zxcvbnm',
  'qwertzuiop',
  'azertyuiop',
  'abcdefghijklmnopqrstuvwxyz',
  '1234567890',
];

/** What a person-name value looks like; judged once per distinct value. */
const nameShapeOf = perValue((raw: string): 'digits' | 'repeat' | 'walk' | 'no-vowel' | 'zzz' | null => {
  const f = fold(raw).replace(/ /g, '');
  if (/\d/.test(raw) && /\p{L}/u.test(raw) && !/^(?:[IVX]+|\d+(?:st|nd|rd|th))$/i.test(raw)) return 'digits';
  if (f.length >= 3 && /^(.)\1+$/.test(f)) return 'repeat';
  if (f.length >= 4 && WALKS.some((w) => w.includes(f))) return 'walk';
  if (f.length >= 5 && /^[a-z]+$/.test(f) && !/[aeiouy]/.test(f)) return 'no-vowel';
  if (/^zzz/i.test(raw)) return 'zzz';
  return null;
});

/** A company or city value that is a keyboard walk or one repeated letter. */
const isWalkOrRepeat = perValue((value: string): boolean => {
  const f = fold(value).replace(/ /g, '');
  return f.length >= 4 && (WALKS.some((w) => w.includes(f)) || /^(.)\1{3,}$/.test(f));
});

/** Name-like fields shaped by a keyboard, not by a family: digits in names, keyboard walks, repeated letters. */
export const nameShape: RecordRule = {
  id: 'name-shape',
  family: 'shape',
  why: 'Digits in a person name, keyboard walks and runs of one letter are typed, not given names.',
  maxWeight: 0.6,
  check(view) {
    const hits: Hit[] = [];
    const first = view.first('firstName');
    const last = view.first('lastName');
    for (const v of [first, last, view.first('fullName')]) {
      if (!v) continue;
      const raw = v.value.trim();
      const shape = nameShapeOf(raw);
      if (shape === 'digits') {
        hits.push({
          field: v.field,
          evidence: quote(raw),
          message: `${v.field} "${quote(raw)}" contains digits, as numbered test records do`,
          weight: 0.5,
        });
      } else if (shape === 'repeat') {
        hits.push({
          field: v.field,
          evidence: quote(raw),
          message: `${v.field} repeats one letter ("${quote(raw)}")`,
          weight: 0.6,
        });
      } else if (shape === 'walk') {
        hits.push({
          field: v.field,
          evidence: quote(raw),
          message: `${v.field} "${quote(raw)}" is a keyboard walk`,
          weight: 0.6,
        });
      } else if (shape === 'no-vowel') {
        hits.push({
          field: v.field,
          evidence: quote(raw),
          message: `${v.field} "${quote(raw)}" has no vowel: typed, not a name`,
          weight: 0.45,
        });
      } else if (shape === 'zzz') {
        hits.push({
          field: v.field,
          evidence: quote(raw),
          message: `${v.field} starts with "zzz", used to sort test records last`,
          weight: 0.5,
        });
      }
    }
    for (const v of [...view.all('company'), ...view.all('city')]) {
      if (isWalkOrRepeat(v.value)) {
        hits.push({
          field: v.field,
          evidence: quote(v.value),
          message: `${v.field} "${quote(v.value)}" is a keyboard walk or one repeated letter`,
          weight: 0.6,
        });
      }
    }
    for (const v of view.all('company')) {
      if (/^zzz/i.test(v.value.trim())) {
        hits.push({
          field: v.field,
          evidence: quote(v.value),
          message: `${v.field} starts with "zzz", used to sort test records last`,
          weight: 0.5,
        });
      }
    }
    if (first && last && fold(first.value) === fold(last.value) && fold(first.value).length > 0) {
      hits.push({
        field: `${first.field}+${last.field}`,
        evidence: quote(`${first.value} ${last.value}`),
        message: 'first and last name are the same word',
        weight: 0.3,
      });
    }
    return hits;
  },
  examples: {
    fires: [
      ex('Contact', { FirstName: 'Test1', LastName: 'User' }),
      ex('Contact', { FirstName: 'xxx', LastName: 'xxx' }),
      ex('Account', { Name: 'zzzTest Acct' }),
      ex('Contact', { FirstName: 'Jane', LastName: 'Qwerty' }),
      ex('Contact', { FirstName: 'Xkcdq', LastName: 'Smith' }),
      ex('Account', { Name: 'Asdfgh' }),
    ],
    quiet: [
      ex('Contact', { FirstName: 'Henry', LastName: 'Ford III' }),
      ex('Contact', { FirstName: 'O', LastName: "O'Neil" }),
      ex('Contact', { FirstName: 'Null', LastName: 'Blank' }),
    ],
  },
};
