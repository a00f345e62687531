import { parse } from 'csv-parse/sync';
import { CSV_PROBLEMS, CsvError, CsvSplitter, type CsvPiece, type CsvRows } from '../../src/scan/csv.js';

/** Deterministic PRNG (mulberry32) so a failure reproduces. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = ['a', 'Zoë', 'München', '東京', '😀', ' ', ',', '"', '""', '\n', '\r\n', 'x y', '0', '=1+2', ''];

/** A random CSV in the shapes exporters write, with the line each data record starts on. */
function randomCsv(r: () => number, width: number, rows: number, eol: string, bom: boolean) {
  const pick = <T>(a: readonly T[]) => a[Math.floor(r() * a.length)]!;
  const value = () => Array.from({ length: Math.floor(r() * 4) }, () => pick(PIECES)).join('');
  const needsQuotes = (v: string) => /[",\r\n]/.test(v) || v === '';
  const cell = (v: string) => (needsQuotes(v) || r() < 0.5 ? `"${v.replace(/"/g, '""')}"` : v);
  const header = Array.from({ length: width }, (_, i) => `F${i}`);
  const records: string[][] = [];
  const starts: number[] = [];
  let text = (bom ? '\uFEFF' : '') + header.join(',') + eol;
  let line = 2;
  for (let i = 0; i < rows; i++) {
    if (r() < 0.05) {
      text += eol; // an empty line between records
      line += 1;
    }
    const rec = Array.from({ length: width }, value);
    records.push(rec);
    starts.push(line);
    const body = rec.map(cell).join(',');
    text += body;
    line += (body.match(/\n/g) ?? []).length;
    if (i < rows - 1 || r() < 0.7) {
      text += eol;
      line += 1;
    }
  }
  return { header, records, starts, text };
}

/** Split `bytes` fed in chunks of random sizes (cutting characters, quotes and line ends anywhere). */
function split(bytes: Buffer, r: () => number, max = 64) {
  const s = new CsvSplitter(1 << 20);
  const out: CsvRows = { rows: [], lines: [] };
  let at = 0;
  while (at < bytes.length) {
    const n = 1 + Math.floor(r() * max);
    s.push(bytes.subarray(at, at + n), false, out);
    at += n;
  }
  s.push(Buffer.alloc(0), true, out);
  return { header: s.header, ...out };
}

describe('CsvSplitter', () => {
  it('gives the same rows as csv-parse, and the line each record starts on, for any chunking', () => {
    const r = rng(20261127);
    for (let round = 0; round < 300; round++) {
      const eol = r() < 0.5 ? '\n' : '\r\n';
      const width = 1 + Math.floor(r() * 5);
      const { header, records, starts, text } = randomCsv(r, width, Math.floor(r() * 12), eol, r() < 0.3);
      const bytes = Buffer.from(text, 'utf8');
      const got = split(bytes, r, r() < 0.5 ? 4 : 256);
      expect(got.header).toEqual(header);
      expect(got.rows).toEqual(records);
      expect(got.lines).toEqual(starts);
      // The same rows as csv-parse reads them with the options the scanner used before.
      const reference = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: false }) as string[][];
      expect([header, ...got.rows]).toEqual(reference);
    }
  });

  it('cuts a file into pieces of whole records that split, each on its own, into the same rows and lines', () => {
    const r = rng(4242);
    for (let round = 0; round < 200; round++) {
      const { header, records, starts, text } = randomCsv(
        r,
        1 + Math.floor(r() * 4),
        Math.floor(r() * 15),
        r() < 0.5 ? '\n' : '\r\n',
        r() < 0.3,
      );
      const bytes = Buffer.from(text, 'utf8');
      // The main thread splits the first chunk itself, then hands over to a cutter (as csvSource does for --jobs).
      const first = new CsvSplitter(1 << 20);
      const out: CsvRows = { rows: [], lines: [] };
      const cut = Math.min(bytes.length, Math.floor(r() * 40));
      first.push(bytes.subarray(0, cut), cut === bytes.length, out);
      const pieces: CsvPiece[] = [];
      if (cut < bytes.length) {
        const cutter = first.cutter();
        let at = cut;
        while (at < bytes.length) {
          const n = 1 + Math.floor(r() * 30);
          const p = cutter.push(bytes.subarray(at, at + n), false);
          if (p) pieces.push({ bytes: Buffer.from(p.bytes), line: p.line });
          at += n;
        }
        const last = cutter.push(Buffer.alloc(0), true);
        if (last) pieces.push(last);
      }
      if (!first.header) continue; // the header itself was cut: nothing to compare
      expect(first.header).toEqual(header);
      for (const p of pieces) {
        const s = new CsvSplitter(1 << 20, { header, line: p.line });
        s.push(p.bytes, true, out);
      }
      expect(out.rows).toEqual(records);
      expect(out.lines).toEqual(starts);
    }
  });

  it.each([
    ['an unclosed quote', 'A,B\n"1","2"\n"3","4\n5\n', 3, CSV_PROBLEMS.unclosed],
    ['a ragged row', 'A,B\n1,2\n3\n', 3, CSV_PROBLEMS.ragged],
    ['a ragged row after a quoted line break', 'A,B\n"1\n2",2\n3,4,5\n', 4, CSV_PROBLEMS.ragged],
    ['text after a closing quote', 'A,B\n"1"x,2\n', 2, CSV_PROBLEMS.afterQuote],
    ['a quote inside an unquoted field', 'A,B\n1,2\n3,a"b\n', 3, CSV_PROBLEMS.quoteInField],
  ])('names the line of %s', (_name, text, line, message) => {
    for (const max of [1, 3, 1000]) {
      let err: unknown;
      try {
        split(Buffer.from(text), rng(7), max);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(CsvError);
      expect(err).toMatchObject({ line, message });
    }
  });

  it('refuses a record longer than the limit, even when it never ends', () => {
    const s = new CsvSplitter(100);
    const out: CsvRows = { rows: [], lines: [] };
    s.push(Buffer.from('A,B\n1,2\n'), false, out);
    expect(() => s.push(Buffer.from(`"${'y'.repeat(200)}`), false, out)).toThrow(CSV_PROBLEMS.tooLong(100));
  });
});
