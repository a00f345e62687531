/**
 * A synchronous, chunk-at-a-time CSV record splitter for the scanner's hot path.
 *
 * Why not csv-parse here: the scan benchmark (issue 3) measures the scanner against csv-parse's own parse of the
 * same file, and csv-parse through async iteration costs about 5 µs per record (with `info` for line numbers)
 * before any rule runs. This splitter handles exactly the CSV that Data Loader and `sf data export bulk` write
 * (RFC 4180: comma, double quotes doubled inside quoted fields, quoted line breaks, LF or CRLF, optional BOM) at
 * about a quarter of that: it searches the bytes with `indexOf` and cuts whole chunks into rows, with no step per
 * record between the file and the rules. csv-parse stays in use for `--skip-bad-rows`, whose recovery rules are
 * csv-parse's. test/scan/csv.test.ts checks that both give the same rows, for any chunking, and the lines.
 */

import { isAscii } from 'node:buffer';

/** Largest single CSV record accepted, in characters (a 50 MB field is bad input, not a record). */
export const MAX_RECORD_CHARS = 8 * 1024 * 1024;

/** Rows split from a chunk of text, with the input line each row starts on. */
export interface CsvRows {
  rows: string[][];
  lines: number[];
}

/** A malformed record: what is wrong and the input line it is on (the caller names the file). */
export class CsvError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/** What the errors say; shared with the csv-parse path so both name the same problem the same way. */
export const CSV_PROBLEMS = {
  unclosed: 'a quoted field is never closed',
  ragged: 'the row has a different number of fields than the header (ragged row)',
  afterQuote: 'text after a closing quote',
  quoteInField: 'a quote inside an unquoted field (quote the whole field and double the quote)',
  tooLong: (max: number) => `a record longer than ${max / 1024 / 1024} MB (a field that large is not a record)`,
} as const;

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;

/** Splits CSV bytes fed in chunks into rows. The first record is the header; every later one must be as wide. */
export class CsvSplitter {
  private carry: Buffer | null = null;
  /** Input line of the first character of `carry`. */
  private line = 1;
  private started = false;
  /** Fields per record: the header's; -1 until the header is read. */
  private width = -1;
  /** The header row, once read. */
  header: string[] | null = null;
  /** Whether a record ended with a lone CR (old Mac line ends): CsvCutter cuts at LF only, so it cannot take over. */
  crOnly = false;

  /**
   * @param continueAfter to split a piece cut from the middle of a file (see CsvCutter): the header already read
   *   and the input line the piece starts on
   */
  constructor(
    private readonly maxRecordChars: number,
    continueAfter?: { header: string[]; line: number },
  ) {
    if (continueAfter) {
      this.header = continueAfter.header;
      this.width = continueAfter.header.length;
      this.line = continueAfter.line;
      this.started = true;
    }
  }

  /** Hand what is left over (a record not yet complete) and its line to a CsvCutter for the rest of the file. */
  cutter(): CsvCutter {
    return new CsvCutter(this.maxRecordChars, this.carry, this.line);
  }

  /**
   * Split the complete records of `chunk` (validated UTF-8, whole characters, after what was left of the previous
   * chunk) into `out`; a record cut by the chunk's end waits for the next call. `end` marks the last chunk. Throws
   * CsvError on malformed input. Values are decoded field by field, so each is a string of its own: a slice of a
   * decoded chunk would keep the whole chunk alive for as long as any cache holds the value.
   */
  push(chunk: Buffer, end: boolean, out: CsvRows): void {
    let s = this.carry?.length ? Buffer.concat([this.carry, chunk]) : chunk;
    if (!this.started) {
      if (s.length < 3 && !end) {
        this.carry = s;
        return;
      }
      if (s[0] === 0xef && s[1] === 0xbb && s[2] === 0xbf) s = s.subarray(3);
      this.started = true;
    }
    const text: (a: number, b: number) => string = isAscii(s)
      ? (a, b) => (a === b ? '' : s.toString('latin1', a, b))
      : (a, b) => (a === b ? '' : s.toString('utf8', a, b));
    const n = s.length;
    let pos = 0;
    let line = this.line;
    const rows = out.rows;
    const lines = out.lines;
    record: while (pos < n) {
      const c0 = s[pos];
      // Empty lines between records are skipped (csv-parse's skip_empty_lines).
      if (c0 === LF) {
        pos += 1;
        line += 1;
        continue;
      }
      if (c0 === CR) {
        if (pos + 1 >= n && !end) break;
        pos += pos + 1 < n && s[pos + 1]! === LF ? 2 : 1;
        line += 1;
        continue;
      }
      const start = pos;
      const rec: string[] = [];
      let p = pos;
      let loneCr = false;
      for (;;) {
        let value = '';
        let k = p; // the field's end: its delimiter, or the end of the input
        if (p < n && s[p]! === QUOTE) {
          // Quoted field: up to the next quote that is not doubled.
          let from = p + 1;
          let q = from;
          for (;;) {
            const close = s.indexOf(QUOTE, q);
            if (close === -1 || (close + 1 >= n && !end)) {
              if (end) throw new CsvError(line, CSV_PROBLEMS.unclosed);
              break record;
            }
            if (close + 1 < n && s[close + 1]! === QUOTE) {
              value += text(from, close + 1);
              q = close + 2;
              from = q;
              continue;
            }
            value += text(from, close);
            k = close + 1;
            break;
          }
          if (k < n && s[k]! !== COMMA && s[k]! !== LF && s[k]! !== CR) {
            throw new CsvError(line + countLf(s, start, k), CSV_PROBLEMS.afterQuote);
          }
        } else {
          // Unquoted field: up to the next comma or line end.
          while (k < n) {
            const c = s[k]!;
            if (c === COMMA || c === LF || c === CR) break;
            if (c === QUOTE) throw new CsvError(line + countLf(s, start, k), CSV_PROBLEMS.quoteInField);
            k += 1;
          }
          if (k >= n && !end) break record;
          value = text(p, k);
        }
        rec.push(value);
        if (k >= n) {
          p = k; // end of input (only reached when `end`)
          break;
        }
        const c = s[k]!;
        if (c === COMMA) {
          p = k + 1;
          continue;
        }
        if (c === LF) {
          p = k + 1;
          break;
        }
        if (k + 1 >= n && !end) break record;
        if (k + 1 < n && s[k + 1]! === LF) p = k + 2;
        else {
          p = k + 1;
          loneCr = true;
        }
        break;
      }
      if (p - start > this.maxRecordChars) throw new CsvError(line, CSV_PROBLEMS.tooLong(this.maxRecordChars));
      // Lines this record spans: one, unless a quoted field holds line breaks.
      const nl = s.indexOf(LF, start);
      const spanned = nl === -1 || nl >= p ? 0 : nl === p - 1 ? 1 : countLf(s, start, p);
      if (this.width < 0) {
        this.width = rec.length;
        this.header = rec;
      } else {
        if (rec.length !== this.width) throw new CsvError(line, CSV_PROBLEMS.ragged);
        rows.push(rec);
        lines.push(line);
      }
      line += spanned + (loneCr ? 1 : 0);
      if (loneCr) this.crOnly = true;
      pos = p;
    }
    if (pos < n) {
      if (n - pos > this.maxRecordChars) throw new CsvError(line, CSV_PROBLEMS.tooLong(this.maxRecordChars));
      this.carry = Buffer.from(s.subarray(pos));
    } else this.carry = null;
    this.line = line;
  }
}

/** A piece of a CSV file holding only whole records, and the input line it starts on. */
export interface CsvPiece {
  bytes: Buffer;
  line: number;
}

/**
 * Cuts CSV bytes at record boundaries without splitting fields: what the main thread does for `--jobs N`, so
 * that each worker splits and evaluates its own pieces (a quote-parity walk with `indexOf`, no strings made).
 */
export class CsvCutter {
  constructor(
    private readonly maxRecordChars: number,
    private carry: Buffer | null,
    private line: number,
  ) {}

  /** The whole records of what was left plus `chunk` (all of it when `end`), or null when there is none yet. */
  push(chunk: Buffer, end: boolean): CsvPiece | null {
    const s = this.carry?.length ? Buffer.concat([this.carry, chunk]) : chunk;
    let cut = 0;
    let lines = 0;
    let linesAtCut = 0;
    let inQuote = false;
    let q = s.indexOf(QUOTE);
    let nl = s.indexOf(LF);
    while (nl !== -1) {
      while (q !== -1 && q < nl) {
        inQuote = !inQuote;
        q = s.indexOf(QUOTE, q + 1);
      }
      lines += 1;
      if (!inQuote) {
        cut = nl + 1;
        linesAtCut = lines;
      }
      nl = s.indexOf(LF, nl + 1);
    }
    if (end) cut = s.length;
    else if (s.length - cut > this.maxRecordChars) {
      throw new CsvError(this.line + linesAtCut, CSV_PROBLEMS.tooLong(this.maxRecordChars));
    }
    this.carry = cut < s.length ? Buffer.from(s.subarray(cut)) : null;
    if (cut === 0) return null;
    const piece = { bytes: cut === s.length ? s : s.subarray(0, cut), line: this.line };
    this.line += linesAtCut;
    return piece;
  }
}

function countLf(s: Buffer, from: number, to: number): number {
  let c = 0;
  let i = s.indexOf(LF, from);
  while (i !== -1 && i < to) {
    c += 1;
    i = s.indexOf(LF, i + 1);
  }
  return c;
}
