import { defaultPopulationRules, defaultRules } from '../../src/scan/registry.js';
import { reference } from '../../src/scan/reference.js';
import { buildView, layoutFor } from '../../src/scan/view.js';
import type { Example } from '../../src/scan/rule.js';
import { scanExamples, THRESHOLDS } from './helpers.js';

// One harness runs every rule's own examples (style.md: gitleaks tps/fps, semgrep ruleid/ok).
const ref = reference();
const check = (rule: (typeof defaultRules)[number], e: Example) =>
  rule.check(buildView(e.values, layoutFor(Object.keys(e.values), e.object), ref), ref);

describe.each(defaultRules.map((r) => [r.id, r] as const))('record rule %s', (_id, rule) => {
  it('has a why, firing and quiet examples', () => {
    expect(rule.why.length).toBeGreaterThan(20);
    expect(rule.examples.fires.length).toBeGreaterThan(0);
    expect(rule.examples.quiet.length).toBeGreaterThan(0);
  });
  it.each(rule.examples.fires.map((e) => [JSON.stringify(e.values), e] as const))('fires on %s', (_s, e) => {
    const hits = check(rule, e);
    expect(hits.length).toBeGreaterThan(0);
    for (const h of hits) {
      expect(h.weight).toBeGreaterThan(0);
      expect(h.weight).toBeLessThanOrEqual(rule.maxWeight);
      expect(h.message.length).toBeGreaterThan(10);
      expect(h.field).not.toBe('');
    }
  });
  it.each(rule.examples.quiet.map((e) => [JSON.stringify(e.values), e] as const))('stays quiet on %s', (_s, e) => {
    expect(check(rule, e)).toEqual([]);
  });
});

describe.each(defaultPopulationRules.map((r) => [r.id, r] as const))('population rule %s', (_id, rule) => {
  const members = async (records: Example[]) => {
    const r = await scanExamples(records, { minScore: 0 });
    return r.findings.filter((f) => f.reasons.some((x) => x.rule === rule.id)).length;
  };
  it.each(rule.examples.fires.map((e, i) => [i, e] as const))('fires on example %s', async (_i, e) => {
    expect(await members(e.records)).toBe(e.expectMembers);
    const r = await scanExamples(e.records, { minScore: 0 });
    expect(r.summary.cohorts.some((c) => c.rule === rule.id)).toBe(true);
  });
  it.each(rule.examples.quiet.map((e, i) => [i, e] as const))('stays quiet on example %s', async (_i, e) => {
    expect(await members(e.records)).toBe(0);
  });
});

describe('registry', () => {
  it('lists each rule once', () => {
    const ids = [...defaultRules, ...defaultPopulationRules].map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
  it('has at least one rule per signal family of detection.md', () => {
    const families = new Set([...defaultRules, ...defaultPopulationRules].map((r) => r.family));
    for (const f of [
      'reserved-identifiers',
      'sandbox-markers',
      'placeholder-tokens',
      'known-sample-datasets',
      'generator-fingerprints',
      'cross-field',
      'validity',
      'shape',
      'population',
    ]) {
      expect(families).toContain(f);
    }
  });
  it('keeps weak rules below high: one weak signal never reaches high alone', () => {
    const strong = defaultRules.filter((r) => r.maxWeight >= THRESHOLDS.high).map((r) => r.family);
    // Only near-certain families may be strong on their own (detection.md).
    for (const f of strong)
      expect(['reserved-identifiers', 'sandbox-markers', 'known-sample-datasets', 'placeholder-tokens']).toContain(f);
    for (const r of defaultPopulationRules) expect(r.maxWeight).toBeLessThan(THRESHOLDS.high);
  });
});
