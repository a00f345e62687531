import { PackedIndexBuilder } from '../../src/scan/packed.js';

interface Place {
  country: string;
  admin: string;
  population: number;
}

describe('PackedIndex', () => {
  it('answers every lookup as the Map it replaces, for any key (accents, scripts, prefixes of each other)', () => {
    const builder = new PackedIndexBuilder<Place>(
      (p) => `${p.country}|${p.admin}|${p.population}`,
      (p, q) => p.country === q.country && p.admin === q.admin,
    );
    const expected = new Map<string, Place[]>();
    const names = ['paris', 'par', 'parisi', 'münchen', 'munchen', '東京', 'são paulo', 'a', 'ab', 'ba'];
    let seed = 7;
    const next = () => (seed = (seed * 48271) % 2147483647);
    for (let i = 0; i < 5000; i++) {
      const key = `${names[next() % names.length]}${next() % 300}`;
      const p = { country: ['FR', 'DE', 'US'][next() % 3]!, admin: String(next() % 4), population: next() % 50 };
      builder.add(key, p);
      const list = expected.get(key);
      if (!list) expected.set(key, [p]);
      else if (!list.some((q) => q.country === p.country && q.admin === p.admin)) list.push(p);
    }
    const index = builder.pack();
    expect(index.size).toBe(expected.size);
    for (const [key, list] of expected) {
      expect(index.get(key)).toEqual(list);
      expect(index.has(key)).toBe(true);
    }
    for (const missing of ['', 'paris', 'zzz1', '東', 'münchen3000']) {
      expect(index.get(missing)).toEqual(expected.get(missing) ?? []);
    }
    expect([...index.keysIter()].sort()).toEqual([...expected.keys()].sort());
  });

  it('stores each distinct value once and ignores empty keys', () => {
    const builder = new PackedIndexBuilder<{ code: string }>((v) => v.code);
    builder.add('', { code: 'X' });
    builder.add('a', { code: 'X' });
    builder.add('b', { code: 'X' });
    builder.add('a', { code: 'X' });
    const index = builder.pack();
    expect(index.size).toBe(2);
    expect(index.get('a')).toEqual([{ code: 'X' }]);
    expect(index.get('a')[0]).toBe(index.get('b')[0]);
  });
});
