import { ex, type CohortCounts, type CohortVerdict, type PopulationRule } from '../rule.js';

/** Amount fields by API name: the standard ones, and custom fields that name an amount or revenue. */
const STANDARD = new Set(['annualrevenue', 'numberofemployees', 'amount', 'expectedrevenue']);
const isAmountField = (f: string): boolean => {
  const l = f.toLowerCase();
  return STANDARD.has(l) || (l.endsWith('__c') && /amount|revenue/.test(l));
};

// The amount columns of a header, found once per header (headers are shared by every row of a source).
const columnsOf = new WeakMap<readonly string[], number[]>();
function amountColumns(header: readonly string[]): number[] {
  let cols = columnsOf.get(header);
  if (!cols) {
    cols = [];
    for (let i = 0; i < header.length; i++) if (isAmountField(header[i]!)) cols.push(i);
    columnsOf.set(header, cols);
  }
  return cols;
}

/** Benford's law: share of first significant digit d is log10(1 + 1/d). */
const BENFORD = Array.from({ length: 10 }, (_, d) => (d === 0 ? 0 : Math.log10(1 + 1 / d)));
/** chi-square with 8 degrees of freedom at p = 0.001. */
const CHI2_CRIT = 26.12;
/** Nigrini's first-digit mean absolute deviation above which data do not conform. */
const MAD_CRIT = 0.015;
const MIN_VALUES = 100;

const NUMBER = /^-?[\d\s.,]*\d$/;
function parseAmount(raw: string): number | null {
  const v = raw.trim().replace(/^[$€£¥]\s*/, '');
  if (!NUMBER.test(v)) return null;
  // Data Loader exports plain decimals; drop grouping separators of a pasted value.
  const n = Number(v.replace(/[\s,]/g, ''));
  return Number.isFinite(n) && n > 0 ? n : null;
}

/**
 * Amounts whose first digits do not follow Benford's law (many real amounts span orders of magnitude, so 1 leads
 * about 30 % of them and 9 under 5 %; a generator drawing amounts uniformly gives every digit about 11 %). The
 * cohort is one amount field of one file; the finding carries the chi-square, Nigrini's MAD and the share of round
 * numbers (multiples of 1000), which test fixtures favour.
 */
export const amountBenford: PopulationRule = {
  id: 'amount-benford',
  family: 'population',
  why: 'Real amounts follow Benford’s law of first digits; uniformly generated amounts do not.',
  maxWeight: 0.2,
  keys(view, file) {
    const cols = amountColumns(view.header);
    if (!cols.length) return [];
    const out: { key: string; base: string }[] = [];
    for (const i of cols) {
      const raw = view.row[i];
      if (!raw) continue;
      const n = parseAmount(raw);
      if (n === null) continue;
      const field = view.header[i]!;
      const digit = Number(n.toExponential()[0]);
      out.push(
        { key: `benford|${file}|${field}`, base: file },
        { key: `benford|${file}|${field}|d${digit}`, base: file },
      );
      if (n >= 1000 && n % 1000 === 0) out.push({ key: `benford|${file}|${field}|round`, base: file });
    }
    return out;
  },
  judge(c: CohortCounts): CohortVerdict[] {
    const out: CohortVerdict[] = [];
    for (const [key, n] of c.count) {
      if (!key.startsWith('benford|') || /\|(?:d\d|round)$/.test(key) || n < MIN_VALUES) continue;
      const [, file, field] = key.split('|');
      let chi2 = 0;
      let mad = 0;
      let seen = 0;
      const shares: Record<string, number> = {};
      for (let d = 1; d <= 9; d++) {
        const observed = c.count.get(`${key}|d${d}`) ?? 0;
        seen += observed;
        const expected = n * BENFORD[d]!;
        chi2 += (observed - expected) ** 2 / expected;
        mad += Math.abs(observed / n - BENFORD[d]!) / 9;
        shares[`digit${d}`] = Number((observed / n).toFixed(3));
      }
      if (seen < n * 0.9 || chi2 <= CHI2_CRIT || mad <= MAD_CRIT) continue;
      const round = c.count.get(`${key}|round`) ?? 0;
      out.push({
        key,
        cohort: `${field} in file ${file}`,
        members: n,
        weight: 0.2,
        field: field!,
        evidence: `first digits chi-square ${chi2.toFixed(1)} (8 df), MAD ${mad.toFixed(3)}`,
        message: `the first digits of ${n} ${field} values in ${file} do not follow Benford's law (chi-square ${chi2.toFixed(1)} > ${CHI2_CRIT} at p = 0.001; MAD ${mad.toFixed(3)} > ${MAD_CRIT}); ${round} of them are round thousands`,
        statistic: {
          values: n,
          chiSquare: Number(chi2.toFixed(2)),
          mad: Number(mad.toFixed(4)),
          roundShare: Number((round / n).toFixed(3)),
          ...shares,
        },
      });
    }
    return out;
  },
  examples: {
    fires: [
      {
        // Uniform first digits (each digit 1..9 equally often), on accounts that already carry a placeholder name.
        records: Array.from({ length: 180 }, (_, i) =>
          ex('Account', { Name: `Test Account`, AnnualRevenue: String(((i % 9) + 1) * 100000 + i * 7) }),
        ),
        expectMembers: 180,
      },
    ],
    quiet: [
      {
        // Log-uniform amounts over five orders of magnitude follow Benford.
        records: Array.from({ length: 180 }, (_, i) =>
          ex('Account', { Name: `Test Account`, AnnualRevenue: String(Math.floor(10 ** (2 + (5 * (i + 0.5)) / 180))) }),
        ),
        expectMembers: 0,
      },
    ],
  },
};
