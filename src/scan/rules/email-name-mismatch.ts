import { ex, type Hit, type RecordRule } from '../rule.js';
import { emailLocal, fold, quote } from '../text.js';

/** Latin letters for the letters fold() keeps: Nordic/Slavic specials, Cyrillic and Greek (simple transliteration). */
const LATIN: Record<string, string> = {
  ø: 'o',
  æ: 'ae',
  œ: 'oe',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ё: 'e',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'i',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
  і: 'i',
  ї: 'i',
  є: 'e',
  ґ: 'g',
  α: 'a',
  β: 'v',
  γ: 'g',
  δ: 'd',
  ε: 'e',
  ζ: 'z',
  η: 'i',
  θ: 'th',
  ι: 'i',
  κ: 'k',
  λ: 'l',
  μ: 'm',
  ν: 'n',
  ξ: 'x',
  ο: 'o',
  π: 'p',
  ρ: 'r',
  σ: 's',
  ς: 's',
  τ: 't',
  υ: 'y',
  φ: 'f',
  χ: 'ch',
  ψ: 'ps',
  ω: 'o',
};

// Names and local parts repeat across records: the Latin form is cached per value, bounded.
const latinCache = new Map<string, string>();

/** A folded value in Latin letters only (other scripts drop out: a CJK name leaves nothing to compare). */
export function latin(s: string): string {
  let r = latinCache.get(s);
  if (r === undefined) {
    r = latinUncached(s);
    if (latinCache.size >= 16_384) latinCache.clear();
    latinCache.set(s, r);
  }
  return r;
}

function latinUncached(s: string): string {
  const f = fold(s);
  if (/^[a-z ]*$/.test(f)) return f;
  let out = '';
  for (const ch of f) out += ch >= 'a' && ch <= 'z' ? ch : ch === ' ' ? ' ' : (LATIN[ch] ?? '');
  return out.replace(/\s+/g, ' ').trim();
}

/** Shared mailboxes whose local part is a function, not a person. */
const ROLE =
  /^(?:info|contact|office|admin|sales|mail|hello|team|support|service|enquir|inquir|post|kontakt|bureau|secretar|reception|account|billing|marketing|press|media|webmaster|noreply|no-?reply)/;

/**
 * Whether an e-mail local part (letters only) can be read as made from this name: a name word (or its first four
 * letters) in it, it inside a name word, or initial + surname. Transliterations (`Natan.Teterin` for Натан Тетерин)
 * count; nicknames (`bob` for Robert) do not, which is one reason this evidence stays weak.
 */
function fromName(local: string, first: string, last: string): boolean {
  const tokens = `${first} ${last}`.split(' ').filter((t) => t.length >= 2);
  for (const t of tokens) {
    if (t.length >= 3 && (local.includes(t) || t.includes(local))) return true;
    if (t.length >= 4 && local.includes(t.slice(0, 4))) return true;
  }
  const f = first.replace(/ /g, '');
  const l = last.replace(/ /g, '');
  return !!f && !!l && (local.startsWith(f[0]! + l.slice(0, 3)) || local.startsWith(l.slice(0, 3)));
}

/**
 * A person's e-mail whose local part is made of someone else's name or words (`qgiraud@orange.fr` for Margaret
 * Clement, `karol23@yahoo.com` for Tadeusz Kanarek): generators draw the e-mail from a fresh random name; real
 * people's addresses almost always carry their own name or initials. Weak alone (spouses, nicknames, staff writing
 * for an office holder), so it counts with other evidence. Role mailboxes and non-Latin names are not judged.
 */
export const emailNameMismatch: RecordRule = {
  id: 'email-name-mismatch',
  family: 'cross-field',
  why: "Generators draw the e-mail from another random name; real addresses carry the person's own name or initials.",
  maxWeight: 0.3,
  check(view) {
    const hits: Hit[] = [];
    const firstRaw = view.first('firstName')?.value;
    const lastRaw = view.first('lastName')?.value;
    if (!firstRaw?.trim() || !lastRaw?.trim()) return hits;
    const first = latin(firstRaw);
    const last = latin(lastRaw);
    if (first.replace(/ /g, '').length < 2 || last.replace(/ /g, '').length < 2) return hits;
    for (const v of view.all('email')) {
      const raw = emailLocal(v.value);
      if (!raw) continue;
      const local = latin(raw).replace(/[^a-z]/g, '');
      if (local.length < 4 || ROLE.test(local)) continue;
      if (fromName(local, first, last)) continue;
      hits.push({
        field: `${v.field}+Name`,
        evidence: quote(`${v.value} / ${firstRaw} ${lastRaw}`),
        message: `${v.field} "${quote(v.value)}" is not made from the person's name "${quote(`${firstRaw} ${lastRaw}`)}" (weak alone)`,
        weight: 0.3,
      });
      break;
    }
    return hits;
  },
  examples: {
    fires: [
      ex('Contact', { FirstName: 'Margaret', LastName: 'Clement', Email: 'qgiraud@orange.fr' }),
      ex('Lead', { FirstName: 'Tadeusz', LastName: 'Kanarek', Email: 'karol23@yahoo.com' }),
    ],
    quiet: [
      ex('Contact', { FirstName: 'Lillian', LastName: 'Jones', Email: 'lillian.jones.mp@parliament.uk' }),
      ex('Contact', { FirstName: 'Graham', LastName: 'Stuart', Email: 'grahamstuartmp@parliament.uk' }),
      ex('Contact', { FirstName: 'Nick', LastName: 'Smith', Email: 'smithn@parliament.uk' }),
      ex('Contact', { FirstName: 'Натан', LastName: 'Тетерин', Email: 'Natan.Teterin38@ya.ru' }),
      ex('Contact', { FirstName: 'Søren', LastName: 'Kierkegaard', Email: 'soren.k@example.dk' }),
      ex('Contact', { FirstName: '悠', LastName: '小倉', Email: 'j34.i6nft5@softbank.ne.jp' }),
      ex('Contact', { FirstName: 'Ann', LastName: 'Lee', Email: 'info@leeconsulting.com' }),
    ],
  },
};
