import { atLeast, combine, levelOf } from '../../src/scan/score.js';
import type { Reason } from '../../src/scan/types.js';

const reason = (rule: string, weight: number): Reason => ({ rule, field: 'F', evidence: 'e', message: 'm', weight });
const t = { low: 0.35, medium: 0.6, high: 0.85 };

describe('combine', () => {
  it('combines independent rules as noisy-OR', () => {
    expect(combine([reason('a', 0.5), reason('b', 0.5)])).toBeCloseTo(0.75, 3);
  });
  it('counts one rule once, with its strongest reason', () => {
    expect(combine([reason('a', 0.3), reason('a', 0.3), reason('a', 0.4)])).toBeCloseTo(0.4, 3);
  });
  it('never lets one weak signal reach high', () => {
    expect(levelOf(combine([reason('a', 0.8)]), t)).toBe('medium');
    expect(levelOf(combine([reason('a', 0.3)]), t)).toBeNull();
  });
  it('stays within [0, 1]', () => {
    expect(combine([reason('a', 5), reason('b', 1)])).toBeLessThanOrEqual(1);
    expect(combine([])).toBe(0);
  });
});

describe('levels', () => {
  it('orders levels', () => {
    expect(atLeast('high', 'medium')).toBe(true);
    expect(atLeast('low', 'medium')).toBe(false);
    expect(levelOf(0.6, t)).toBe('medium');
    expect(levelOf(0.85, t)).toBe('high');
  });
});
