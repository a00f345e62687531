import { ex, type CohortCounts, type CohortVerdict, type PopulationRule } from '../rule.js';
import { fold } from '../text.js';

/** FNV-1a: a stable hash to sample a fixed quarter of the name space (bounded counts, same names in every run). */
function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const SAMPLE = 4;
const MIN_RECORDS = 200;
const MIN_SAMPLED = 60;
/**
 * Variance/mean of per-name counts: about 1 for uniform sampling (up to ~1.5 for a mix of two list sizes, e.g.
 * female and male names); 4 and more for real populations (the DEV split's real contacts: 4.1).
 */
const MAX_DISPERSION = 2;

/**
 * First names drawn uniformly from a list: in a real population a few names are very common and most are rare
 * (a long tail), so per-name counts are over-dispersed (variance far above the mean). A generator that samples a
 * list uniformly gives Poisson-like counts (variance <= mean). The test runs on a fixed hash sample of a quarter of
 * the names, so the counts stay bounded; it needs names to repeat (mean >= 2 per name) to say anything.
 */
export const firstNameUniformity: PopulationRule = {
  id: 'first-name-uniformity',
  family: 'population',
  why: 'Real first names follow a long tail; uniform sampling from a list gives every name about the same count.',
  maxWeight: 0.2,
  keys(view, file) {
    const first = view.first('firstName')?.value;
    if (!first) return [];
    const name = fold(first).split(' ')[0];
    if (!name) return [];
    const out = [{ key: `fnu|${file}`, base: file }];
    if (fnv(name) % SAMPLE === 0) out.push({ key: `fnu|${file}|n:${name}`, base: file });
    return out;
  },
  judge(c: CohortCounts): CohortVerdict[] {
    const byFile = new Map<string, number[]>();
    for (const [key, n] of c.count) {
      if (!key.startsWith('fnu|')) continue;
      const at = key.lastIndexOf('|n:');
      if (at < 0) continue;
      const file = key.slice(4, at);
      const list = byFile.get(file) ?? [];
      list.push(n);
      byFile.set(file, list);
    }
    const out: CohortVerdict[] = [];
    for (const [file, counts] of byFile) {
      const records = c.count.get(`fnu|${file}`) ?? 0;
      const sampled = counts.reduce((a, b) => a + b, 0);
      if (records < MIN_RECORDS || sampled < MIN_SAMPLED) continue;
      const mean = sampled / counts.length;
      if (mean < 2) continue;
      const variance = counts.reduce((a, b) => a + (b - mean) ** 2, 0) / counts.length;
      const dispersion = variance / mean;
      const max = Math.max(...counts);
      if (dispersion > MAX_DISPERSION || max > mean + 5 * Math.sqrt(mean) + 2) continue;
      const stat = {
        records,
        sampledRecords: sampled,
        sampledNames: counts.length,
        meanPerName: Number(mean.toFixed(2)),
        maxPerName: max,
        dispersion: Number(dispersion.toFixed(3)),
      };
      out.push({
        key: `fnu|${file}`,
        cohort: `file ${file}`,
        members: records,
        weight: 0.2,
        field: 'FirstName',
        evidence: `${counts.length} sampled names, ${mean.toFixed(1)} records each, dispersion ${stat.dispersion}`,
        message: `first names in ${file} look uniformly sampled from a list: in a hash sample of ${counts.length} names, each names about ${mean.toFixed(1)} records (at most ${max}; variance/mean ${stat.dispersion}, where real names show a long tail far above 1)`,
        statistic: stat,
      });
    }
    return out;
  },
  examples: {
    fires: [
      {
        // 80 names, 5 records each: perfectly even counts (the records carry a reserved e-mail domain).
        records: Array.from({ length: 400 }, (_, i) =>
          ex('Contact', {
            FirstName: `Name${String.fromCharCode(97 + (i % 80) / 26, 97 + (i % 26))}`,
            LastName: 'Ng',
            Email: `u${i}@example.com`,
          }),
        ),
        expectMembers: 400,
      },
    ],
    quiet: [
      {
        // A long tail: name k appears about 120/k times (Zipf), as in real populations.
        records: Array.from({ length: 80 }, (_, k) => Math.max(1, Math.round(120 / (k + 1))))
          .flatMap((n, k) => Array.from({ length: n }, () => k))
          .map((k, i) =>
            ex('Contact', {
              FirstName: `Name${String.fromCharCode(97 + k / 26, 97 + (k % 26))}`,
              LastName: 'Ng',
              Email: `u${i}@example.com`,
            }),
          ),
        expectMembers: 0,
      },
    ],
  },
};
