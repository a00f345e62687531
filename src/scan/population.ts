import { ex, type CohortCounts, type CohortVerdict, type PopulationRule } from './rule.js';
import { digitsOf, emailDomain, emailLocal, fold } from './text.js';

/**
 * Misra-Gries heavy-hitter counter: at most `capacity` keys; every key seen more than n/capacity times survives
 * with a count that is at most n/capacity too low. Bounded memory for population statistics.
 */
export class HeavyHitters {
  readonly counts = new Map<string, number>();
  private dropped = 0;
  constructor(readonly capacity: number) {}
  add(key: string, by = 1): void {
    const c = this.counts.get(key);
    if (c !== undefined) {
      this.counts.set(key, c + by);
      return;
    }
    if (this.counts.size < this.capacity) {
      this.counts.set(key, by);
      return;
    }
    // Full: decrement every counter (amortised O(1) per item), dropping those that reach zero.
    this.dropped += 1;
    for (const [k, v] of this.counts) {
      if (v <= 1) this.counts.delete(k);
      else this.counts.set(k, v - 1);
    }
  }
  /** Maximum undercount of any key so far. */
  get error(): number {
    return this.dropped;
  }
}

const seqStem = (v: string): string | null => {
  const m = /^(.*?\D)[\s._-]*0*(\d{1,4})$/.exec(v.trim());
  return m && fold(m[1]!).length >= 2 ? fold(m[1]!) : null;
};

/** Numbered sequences in one file: `QA User 01..40`, `loadtest+17@acme.io`. One is weak; many in a row are not. */
export const numberedSequence: PopulationRule = {
  id: 'numbered-sequence',
  family: 'shape',
  why: 'Load tests and QA fixtures number their records; forty "User N" in one file are not forty people.',
  maxWeight: 0.5,
  track: true,
  keys(view, file) {
    const out: { key: string; base: string }[] = [];
    const first = view.first('firstName')?.value ?? '';
    const last = view.first('lastName')?.value ?? '';
    const name = `${first} ${last}`.trim() || view.first('fullName')?.value || view.first('company')?.value || '';
    const stem = name ? seqStem(name) : null;
    if (stem) out.push({ key: `seq|${file}|name:${stem}`, base: file });
    for (const e of view.all('email')) {
      const local = emailLocal(e.value);
      const domain = emailDomain(e.value);
      const s = local ? seqStem(local) : null;
      if (s && domain) out.push({ key: `seq|${file}|email:${s}@${domain}`, base: file });
    }
    return out;
  },
  judge(c: CohortCounts): CohortVerdict[] {
    const out: CohortVerdict[] = [];
    for (const [key, n] of c.count) {
      if (!key.startsWith('seq|') || n < 5) continue;
      const [, file, what] = key.split('|');
      out.push({
        key,
        cohort: `file ${file}`,
        members: n,
        weight: n >= 20 ? 0.5 : 0.4,
        field: what!.startsWith('email:') ? 'Email' : 'Name',
        evidence: `${what!.replace(/^(name|email):/, '')} + number, ${n} records`,
        message: `${n} records in ${file} share the stem "${what!.replace(/^(name|email):/, '')}" followed by a number, as generated fixtures do`,
        statistic: { records: n },
      });
    }
    return out;
  },
  examples: {
    fires: [
      {
        records: Array.from({ length: 6 }, (_, i) => ex('Contact', { FirstName: 'QA', LastName: `User ${i + 1}` })),
        expectMembers: 6,
      },
    ],
    quiet: [
      {
        records: [
          ex('Contact', { FirstName: 'QA', LastName: 'User 1' }),
          ex('Contact', { FirstName: 'Ann', LastName: 'Lee' }),
        ],
        expectMembers: 0,
      },
    ],
  },
};

/** One phone number on many records of one file: real colleagues share a switchboard, but not hundreds of them. */
export const sharedPhone: PopulationRule = {
  id: 'shared-phone',
  family: 'population',
  why: 'A seeding script reuses one number; a cohort with hundreds on one number is suspect (weak: offices share).',
  maxWeight: 0.25,
  keys(view, file) {
    return view
      .all('phone')
      .map((p) => digitsOf(p.value))
      .filter((d) => d.length >= 7)
      .slice(0, 2)
      .map((d) => ({ key: `phone|${file}|${d}`, base: file }));
  },
  judge(c) {
    const out: CohortVerdict[] = [];
    for (const [key, n] of c.count) {
      if (!key.startsWith('phone|') || n < 25) continue;
      const [, file, digits] = key.split('|');
      const base = Math.max(n, c.base.get(file!) ?? n);
      const flagged = Math.min(n, c.flagged.get(key) ?? 0);
      out.push({
        key,
        cohort: `file ${file}`,
        members: n,
        weight: flagged / n >= 0.5 ? 0.25 : 0.1,
        field: 'Phone',
        evidence: `${digits} on ${n} records`,
        message: `phone number ${digits} appears on ${n} of ${base} records in ${file}`,
        statistic: { records: n, share: Number((n / base).toFixed(4)), flaggedShare: Number((flagged / n).toFixed(3)) },
      });
    }
    return out;
  },
  examples: {
    fires: [
      {
        records: Array.from({ length: 30 }, (_, i) =>
          ex('Contact', { LastName: 'Test', FirstName: `A${i}`, Phone: '0123 456 7800' }),
        ),
        expectMembers: 30,
      },
    ],
    quiet: [
      {
        records: [
          ex('Contact', { LastName: 'Lee', Phone: '202-225-4115' }),
          ex('Contact', { LastName: 'Ng', Phone: '202-225-4115' }),
        ],
        expectMembers: 0,
      },
    ],
  },
};

const hourOf = (v: string): string | null => (/^\d{4}-\d{2}-\d{2}T\d{2}/.test(v) ? v.slice(0, 13) : null);

/**
 * Creation bursts and creators whose records are mostly flagged: cohorts by CreatedById and by creation hour.
 * A verdict only raises members that already have record-level reasons.
 */
export const creatorCohort: PopulationRule = {
  id: 'creator-cohort',
  family: 'population',
  why: 'An integration user that creates hundreds of records an hour, most of them suspicious, is the leak itself.',
  maxWeight: 0.3,
  keys(view) {
    const by = view.first('createdById')?.value;
    if (!by) return [];
    const out = [{ key: `creator|${by}`, base: `creator|${by}` }];
    const hour = hourOf(view.first('createdDate')?.value ?? '');
    if (hour) out.push({ key: `hour|${by}|${hour}`, base: `creator|${by}` });
    return out;
  },
  judge(c) {
    const out: CohortVerdict[] = [];
    for (const [key, n] of c.count) {
      const flagged = Math.min(n, c.flagged.get(key) ?? 0);
      if (key.startsWith('creator|') && n >= 20 && flagged / n >= 0.5) {
        out.push({
          key,
          cohort: `CreatedById ${key.slice(8)}`,
          members: n,
          weight: 0.3,
          field: 'CreatedById',
          evidence: `${flagged} of ${n} records flagged`,
          message: `${flagged} of the ${n} records created by ${key.slice(8)} carry synthetic-data signals`,
          statistic: { records: n, flagged, flaggedShare: Number((flagged / n).toFixed(3)) },
        });
      } else if (key.startsWith('hour|') && n >= 200) {
        const [, by, hour] = key.split('|');
        out.push({
          key,
          cohort: `CreatedById ${by} in hour ${hour}`,
          members: n,
          weight: flagged / n >= 0.3 ? 0.25 : 0.1,
          field: 'CreatedDate',
          evidence: `${n} records created in one hour`,
          message: `${by} created ${n} records between ${hour}:00 and ${hour}:59 UTC (a burst)`,
          statistic: { records: n, perHour: n, flagged },
        });
      }
    }
    return out;
  },
  examples: {
    fires: [
      {
        records: Array.from({ length: 24 }, (_, i) =>
          ex('Lead', {
            LastName: `Test ${i}`,
            Company: 'asdf',
            CreatedById: '005000000000001AAA',
            CreatedDate: '2026-11-20T03:14:00.000Z',
          }),
        ),
        expectMembers: 24,
      },
    ],
    quiet: [
      {
        records: Array.from({ length: 24 }, (_, i) =>
          ex('Lead', {
            LastName: `Lee`,
            FirstName: `Ann${'a'.repeat(i)}`,
            Company: 'Acme',
            CreatedById: '005000000000001AAA',
            CreatedDate: '2026-11-20T03:14:00.000Z',
          }),
        ),
        expectMembers: 0,
      },
    ],
  },
};
