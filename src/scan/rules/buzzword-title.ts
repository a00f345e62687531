import { ex, type Hit, type RecordRule } from '../rule.js';
import type { Reference } from '../reference.js';
import { fold, quote } from '../text.js';

interface Sets {
  desc: Set<string>;
  oddDesc: Set<string>;
  area: Set<string>;
  oddArea: Set<string>;
  type: Set<string>;
  oddType: Set<string>;
  frAdj: RegExp;
}
const cache = new WeakMap<object, Sets>();
function sets(ref: Reference): Sets {
  const v = ref.vocabulary();
  let s = cache.get(v);
  if (!s) {
    s = {
      desc: new Set(v.titleDescriptors),
      oddDesc: new Set(v.titleOddDescriptors),
      area: new Set(v.titleAreas),
      oddArea: new Set(v.titleOddAreas),
      type: new Set(v.titleTypes),
      oddType: new Set(v.titleOddTypes),
      frAdj: new RegExp(`^\\p{L}+ (?:de la|de l'|du|des|de) .+ (?:${v.frenchTitleAdjectives.join('|')})$`, 'iu'),
    };
    cache.set(v, s);
  }
  return s;
}

/**
 * Three-word buzzword job titles (`Direct Accountability Designer`, `Product Identity Agent`) as generators build
 * them from descriptor + area + role lists; ordinary titles (`Senior Marketing Manager`) stay quiet.
 */
export const buzzwordTitle: RecordRule = {
  id: 'buzzword-title',
  family: 'generator-fingerprints',
  why: 'Generated titles combine buzzwords no HR department would put together.',
  maxWeight: 0.45,
  check(view, ref) {
    const s = sets(ref);
    const hits: Hit[] = [];
    for (const v of view.all('title')) {
      const w = fold(v.value).split(' ');
      if (w.length === 3 && s.desc.has(w[0]!) && s.area.has(w[1]!) && s.type.has(w[2]!)) {
        const odd = (s.oddDesc.has(w[0]!) ? 1 : 0) + (s.oddArea.has(w[1]!) ? 1 : 0) + (s.oddType.has(w[2]!) ? 1 : 0);
        if (odd >= 1 && (s.oddArea.has(w[1]!) || odd >= 2)) {
          hits.push({
            field: v.field,
            evidence: quote(v.value),
            message: `${v.field} "${quote(v.value)}" is a descriptor + area + role buzzword combination typical of generated data`,
            weight: odd >= 2 ? 0.45 : 0.35,
          });
        }
      } else if (/^\p{Lu}\p{Ll}+(?: \p{Ll}+)?, \p{Ll}[\p{Ll} ]+(?:\([\p{Ll} ]+\))?$/u.test(v.value.trim())) {
        hits.push({
          field: v.field,
          evidence: quote(v.value),
          message: `${v.field} "${quote(v.value)}" is an inverted occupation-list entry ("Engineer, civil"), as generators copy them`,
          weight: 0.35,
        });
      } else if (w.length >= 4 && w.length <= 7 && s.frAdj.test(v.value.trim())) {
        hits.push({
          field: v.field,
          evidence: quote(v.value),
          message: `${v.field} "${quote(v.value)}" follows the "<role> de <area> <adjective>" template of generated French titles`,
          weight: 0.35,
        });
      }
    }
    return hits;
  },
  examples: {
    fires: [
      ex('Contact', { LastName: 'Flatley', Title: 'International Identity Planner' }),
      ex('Contact', { LastName: 'Yost', Title: 'Product Identity Agent' }),
      ex('Contact', { LastName: 'Fleury', Title: 'Coordinateur de la communication mondial' }),
      ex('Contact', { LastName: 'Hayes', Title: 'Engineer, civil (consulting)' }),
    ],
    quiet: [
      ex('Contact', { LastName: 'Ng', Title: 'Senior Marketing Manager' }),
      ex('Contact', { LastName: 'Ng', Title: 'Chief Operations Officer' }),
      ex('Contact', { LastName: 'Ng', Title: 'Member of Parliament' }),
      ex('Contact', { LastName: 'Ng', Title: 'Directeur de la communication' }),
    ],
  },
};
