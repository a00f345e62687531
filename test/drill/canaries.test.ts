import { canaryRecords, CANARIES, judge } from '../../src/drill/canaries.js';
import { productionGuard } from '../../src/drill/run.js';
import type { Finding } from '../../src/scan/types.js';

const finding = (id: string, level: Finding['level']): Finding => ({
  id,
  object: 'Contact',
  file: 'org',
  line: 1,
  score: level === 'high' ? 0.9 : level === 'medium' ? 0.7 : 0.4,
  level,
  reasons: [{ rule: 'placeholder-token', field: 'LastName', evidence: 'Test', message: 'm', weight: 1 }],
});

describe('judge', () => {
  const [high, , , , , low] = CANARIES.Contact!;
  it('counts a canary as detected only at or above its expected level', () => {
    const results = judge(
      [
        { canary: high!, id: 'a' },
        { canary: low!, id: 'b' },
        { canary: high!, id: 'c' },
        { canary: high!, id: 'd' },
      ],
      [finding('a', 'high'), finding('b', 'medium'), finding('c', 'medium')],
    );
    expect(results.map((r) => [r.id, r.detected, r.level])).toEqual([
      ['a', true, 'high'],
      ['b', true, 'medium'],
      ['c', false, 'medium'],
      ['d', false, null],
    ]);
  });
});

describe('canaryRecords', () => {
  it('marks every record with the drill id in Description and keeps Lead fields valid', () => {
    for (const object of ['Contact', 'Lead']) {
      const recs = canaryRecords(object, 'DRL-0042');
      expect(recs.length).toBeGreaterThanOrEqual(5);
      for (const r of recs) expect(r.record.Description).toContain('DRL-0042');
    }
    const lead = canaryRecords('Lead', 'DRL-1').map((r) => r.record);
    expect(lead.every((r) => r.Company && !Object.keys(r).some((k) => k.startsWith('Mailing')))).toBe(true);
  });
});

describe('productionGuard', () => {
  const org = { orgId: '00D000000000001', organizationName: 'Acme' };
  it.each([
    [true, {}, true],
    [false, {}, false],
    [null, {}, false],
    [false, { allowProduction: true }, false],
    [false, { allowProduction: true, approvedBy: '  ' }, false],
    [false, { allowProduction: true, approvedBy: 'Dana' }, true],
    [null, { allowProduction: true, approvedBy: 'Dana' }, true],
  ])('isSandbox %s with %j -> %s', (isSandbox, opts, ok) => {
    expect(productionGuard({ ...org, isSandbox }, opts).ok).toBe(ok);
  });
});
