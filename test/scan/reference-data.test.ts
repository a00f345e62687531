import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';

// The curated tables in data/scan/regions.json refer to ISO 3166-2 codes as country-state-city spells them: a
// typo there would silently make a region never match (or always mismatch). Every code must exist.
const require = createRequire(import.meta.url);
const states = require('country-state-city/lib/cjs/assets/state.json') as { isoCode: string; countryCode: string }[];
const codes = new Map<string, Set<string>>();
for (const s of states) codes.set(s.countryCode, (codes.get(s.countryCode) ?? new Set()).add(s.isoCode));
// ISO 3166-2 codes that country-state-city lacks and the tables define on purpose: Corse, Jämtlands län.
for (const [country, code] of [
  ['FR', 'COR'],
  ['SE', 'Z'],
] as const)
  codes.get(country)!.add(code);
const regions = JSON.parse(readFileSync(path.resolve('data/scan/regions.json'), 'utf8')) as {
  subdivisionAliases: Record<string, Record<string, string>>;
  postalPrefixes: Record<string, Record<string, string[]>>;
  geonamesAdmin1: Record<string, Record<string, string>>;
};

const rows = (table: Record<string, Record<string, unknown>>, pick: (v: unknown, k: string) => string[]) =>
  Object.entries(table).flatMap(([country, m]) =>
    Object.entries(m).flatMap(([k, v]) => pick(v, k).map((code) => [country, code] as const)),
  );

const unknown = (list: (readonly [string, string])[]) =>
  list.filter(([country, code]) => !codes.get(country)?.has(code)).map(([c, k]) => `${c}-${k}`);

describe('regions.json refers to real ISO 3166-2 codes', () => {
  it('in the postal prefix tables', () => {
    expect(unknown(rows(regions.postalPrefixes, (_v, k) => [k]))).toEqual([]);
  });
  it('in the GeoNames admin1 maps', () => {
    expect(unknown(rows(regions.geonamesAdmin1, (v) => [v as string]))).toEqual([]);
  });
  it('in the native subdivision names', () => {
    expect(unknown(rows(regions.subdivisionAliases, (v) => [v as string]))).toEqual([]);
  });
  it('with one prefix length per country', () => {
    for (const [country, byRegion] of Object.entries(regions.postalPrefixes)) {
      const lengths = new Set(Object.values(byRegion).flatMap((p) => p.map((x) => x.length)));
      expect([country, lengths.size]).toEqual([country, 1]);
    }
  });
});
