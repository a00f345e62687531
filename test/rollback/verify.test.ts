import { changedFields, VerifyAccumulator } from '../../src/rollback/verify.js';
import {
  canonicalRecord,
  canonicalRowEncoder,
  comparable,
  recordHash,
  normalizeRecord,
} from '../../src/rollback/records.js';
import { canonicalJson } from '../../src/store/chain.js';

describe('changedFields', () => {
  it.each([
    ['identical', { Id: '1', A: 'x' }, { Id: '1', A: 'x' }, undefined, []],
    ['one field differs', { A: 'x', B: 'y' }, { A: 'x', B: 'z' }, undefined, ['B']],
    ['missing key counts as null', { A: 'x' }, { A: 'x', B: 'z' }, undefined, ['B']],
    ['null vs empty CSV cell is equal', { A: null }, { A: '' }, undefined, []],
    ['number vs CSV text is equal', { N: 42 }, { N: '42' }, undefined, []],
    ['boolean vs CSV text is equal', { B: true }, { B: 'true' }, undefined, []],
    [
      'datetime +0000 vs Z is equal',
      { D: '2024-05-01T12:34:56.000+0000' },
      { D: '2024-05-01T12:34:56.000Z' },
      undefined,
      [],
    ],
    ['only the listed fields', { A: 'x', B: 'y' }, { A: 'q', B: 'z' }, ['B'], ['B']],
    ['case matters in text', { A: 'Anna' }, { A: 'anna' }, undefined, ['A']],
  ])('%s', (_n, a, b, fields, want) => {
    expect(changedFields(a, b, fields as string[] | undefined)).toEqual(want);
  });
});

describe('VerifyAccumulator', () => {
  it('sorts records into unchanged, changed (with fields), added and deleted', () => {
    const acc = new VerifyAccumulator(undefined);
    acc.seen('1', { Id: '1', A: 'x' }, { rec: { Id: '1', A: 'x' } });
    acc.seen('2', { Id: '2', A: 'y' }, { rec: { Id: '2', A: 'x' } });
    acc.seen('3', { Id: '3', A: 'z' }, undefined);
    acc.deleted('4');
    const r = acc.finish();
    expect(r.counts).toEqual({ unchanged: 1, changed: 1, added: 1, deleted: 1 });
    expect(r.changed).toEqual([{ id: '2', fields: ['A'] }]);
    expect(r.added).toEqual(['3']);
    expect(r.deleted).toEqual(['4']);
    expect(r.fieldCounts).toEqual({ A: 1 });
  });

  it('takes equal hashes as unchanged and caps the lists but not the counts', () => {
    const acc = new VerifyAccumulator(undefined, 1);
    acc.seen('1', { A: 'different' }, { rec: { A: 'x' }, sha256: 'h' }, 'h');
    acc.seen('2', { A: 'y' }, undefined);
    acc.seen('3', { A: 'y' }, undefined);
    const r = acc.finish();
    expect(r.counts.unchanged).toBe(1);
    expect(r.counts.added).toBe(2);
    expect(r.added).toEqual(['2']);
    expect(r.truncated).toBe(true);
  });
});

describe('record hashing', () => {
  it('drops attributes, flattens parents and hashes canonical JSON (key order does not matter)', () => {
    const a = normalizeRecord({
      attributes: { type: 'Contact' },
      Id: '003',
      Account: { attributes: {}, Name: 'Acme' },
      B: 1,
    });
    expect(a).toEqual({ Id: '003', 'Account.Name': 'Acme', B: 1 });
    // printf '%s' '{"Account.Name":"Acme","B":1,"Id":"003"}' | sha256sum
    expect(recordHash(a)).toBe(recordHash({ B: 1, Id: '003', 'Account.Name': 'Acme' }));
    expect(recordHash(a)).toBe('786feafc8903a39fc1c10933a53e37f77740e695c3ce6da685be08a0d8c3753b');
  });

  it.each([
    [null, null],
    ['', null],
    ['#N/A', null],
    [3, '3'],
    ['3.50', '3.5'],
    ['007', '007'],
    ['TRUE', 'true'],
    ['2024-05-01T12:34:56.000+0000', '2024-05-01T12:34:56.000Z'],
  ])('comparable(%p) = %p', (v, want) => {
    expect(comparable(v as never)).toBe(want);
  });
});

describe('canonicalRecord', () => {
  const samples: Record<string, unknown>[] = [
    {},
    { b: 1, a: 'x' },
    { Id: '003', Name: 'Zoë "Q" \\ O\'Brien', Note: 'line\nbreak\ttab\u0001', Emoji: '😀' },
    { n: -0, big: 1e21, small: 1e-7, frac: 0.1 + 0.2, int: 42, neg: -3.5 },
    { t: true, f: false, z: null },
    { é: 1, e: 2, E: 3, '\u00e9t': 4, '😀': 5, '\uff61': 6, aa: 7, a: 8 },
    { u: undefined, a: 1 },
  ];
  it.each(samples.map((s) => [JSON.stringify(s), s] as const))('matches RFC 8785 (canonicalize) for %s', (_n, s) => {
    expect(canonicalRecord(s as never)).toBe(canonicalJson(JSON.parse(JSON.stringify(s))));
  });

  it('refuses a lone surrogate like the general canonicalizer', () => {
    expect(() => canonicalJson({ a: '\ud800' })).toThrow();
    expect(() => canonicalRecord({ a: '\ud800' })).toThrow();
  });

  it('is stable when records alternate between key sets', () => {
    const a = { Id: '1', B: 'x', A: 'y' };
    const b = { Id: '2', Z: 'x' };
    expect([canonicalRecord(a), canonicalRecord(b), canonicalRecord(a)]).toEqual([
      '{"A":"y","B":"x","Id":"1"}',
      '{"Id":"2","Z":"x"}',
      '{"A":"y","B":"x","Id":"1"}',
    ]);
  });
});

describe('canonicalRowEncoder', () => {
  it.each([
    [
      ['Id', 'b', 'a'],
      ['003', 'x', ''],
    ],
    [
      ['Zed', 'é', 'e', '😀', 'Id'],
      ['1', 'quote " and \\ back', 'line\nbreak', '😀', '003'],
    ],
    [['Id'], ['']],
  ])('gives the same bytes as canonicalRecord for %j', (header, cells) => {
    const rec: Record<string, string | null> = {};
    header.forEach((h, i) => (rec[h] = cells[i] === '' ? null : cells[i]!));
    expect(canonicalRowEncoder(header)(cells)).toBe(canonicalRecord(rec));
    expect(canonicalRowEncoder(header)(cells)).toBe(canonicalJson(rec));
  });
  it('refuses a lone surrogate', () => {
    expect(() => canonicalRowEncoder(['Id', 'A'])(['1', '\ud800'])).toThrow();
  });
});
