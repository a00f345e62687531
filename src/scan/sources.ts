import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { isUtf8 } from 'node:buffer';
import { PassThrough, Readable, Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { parse, type Info } from 'csv-parse';
import { UsageError } from '../errors.js';
import {
  CSV_PROBLEMS,
  CsvError,
  CsvSplitter,
  MAX_RECORD_CHARS,
  type CsvCutter,
  type CsvPiece,
  type CsvRows,
} from './csv.js';
import type { ScanRecord, ScanSource } from './types.js';

export type InputFormat = 'csv' | 'jsonl';

export interface FileSourceOptions {
  /** Skip malformed rows (counted in the summary) instead of stopping with exit 2. */
  skipBadRows?: boolean;
  /** The sObject type (`--object`). */
  object?: string;
  /** Standard input, for `-`. */
  stdin?: Readable;
  /** Directory relative paths are resolved against (the command's cwd); labels stay as given. */
  cwd?: string;
}

/** Format of an input path: `.jsonl`/`.ndjson` (optionally `.gz`) is JSON Lines, everything else CSV. */
export function formatOf(file: string): InputFormat {
  const base = file.toLowerCase().replace(/\.gz$/, '');
  return base.endsWith('.jsonl') || base.endsWith('.ndjson') ? 'jsonl' : 'csv';
}

/** Bad input, named by file and line (exit 2), with the way out. */
export const badInput = (file: string, line: number | string, message: string): UsageError =>
  new UsageError(`${file}:${line}: ${message}`, {
    hint: 'fix the file, or pass --skip-bad-rows to skip malformed rows',
  });

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Bytes -> validated UTF-8 text: counts lines, and stops on bytes that are not UTF-8 or on NUL bytes (a binary
 * file), naming the line. A leading BOM is dropped. Decoding goes through Buffer#toString rather than
 * TextDecoder: TextDecoder returns two-byte strings even for Latin-1 text, and every rule's string operation
 * (toLowerCase, regular expressions) then runs on the slower representation.
 */
class Utf8Check extends Transform {
  lines = 1;
  private tail: Buffer | null = null;
  private first = true;
  /** `bytes`: emit the validated bytes (whole characters) as Buffer chunks instead of decoded text. */
  constructor(
    private readonly file: string,
    private readonly bytes = false,
  ) {
    super({ readableObjectMode: bytes, decodeStrings: true });
  }
  private count(buf: Buffer, to = buf.length) {
    let i = -1;
    while ((i = buf.indexOf(10, i + 1)) !== -1 && i < to) this.lines += 1;
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null, d?: string) => void) {
    let buf = this.tail ? Buffer.concat([this.tail, chunk]) : chunk;
    if (this.first) {
      if (buf.length < 3 && BOM.subarray(0, buf.length).equals(buf)) {
        this.tail = buf;
        cb();
        return;
      }
      this.first = false;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
    }
    // Hold back a character cut by the chunk's end.
    let cut = buf.length;
    let i = buf.length - 1;
    while (i >= 0 && cut - i < 4 && (buf[i]! & 0xc0) === 0x80) i -= 1;
    if (i >= 0 && buf[i]! >= 0xc0) {
      const need = buf[i]! >= 0xf0 ? 4 : buf[i]! >= 0xe0 ? 3 : 2;
      if (buf.length - i < need) cut = i;
    }
    const body = cut === buf.length ? buf : buf.subarray(0, cut);
    this.tail = cut === buf.length ? null : Buffer.from(buf.subarray(cut));
    if (!isUtf8(body)) {
      // Find the line of the first bad byte.
      const good = body.toString('utf8');
      const at = good.indexOf('\uFFFD');
      this.count(Buffer.from(good.slice(0, Math.max(0, at))));
      cb(badInput(this.file, this.lines, 'bytes that are not UTF-8 (export as UTF-8, with or without BOM)'));
      return;
    }
    const nul = body.indexOf(0);
    if (nul !== -1) {
      this.count(body, nul);
      cb(badInput(this.file, this.lines, 'a NUL byte: this looks like a binary file, not CSV or JSON Lines'));
      return;
    }
    this.count(body);
    if (this.bytes) this.push(body);
    else this.push(body.toString('utf8'));
    cb();
  }
  override _flush(cb: (e?: Error | null, d?: string) => void) {
    // A held-back tail at the end is a character (or a BOM) the file never finished.
    if (this.tail?.length) cb(badInput(this.file, this.lines, 'the file ends inside a UTF-8 character'));
    else cb();
  }
}

function rawStream(file: string, stdin?: Readable, cwd?: string): Readable {
  if (file === '-') {
    if (!stdin) throw new UsageError('-: no standard input');
    return stdin;
  }
  const at = cwd ? path.resolve(cwd, file) : file;
  try {
    const st = statSync(at);
    if (st.isDirectory()) throw new UsageError(`${file}: is a directory, not a file`);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return createReadStream(at);
}

/** Open text of an input: raw bytes hashed, gunzipped for `.gz`, validated as UTF-8. */
function openText(file: string, stdin?: Readable, cwd?: string, asBytes = false) {
  const raw = rawStream(file, stdin, cwd);
  const hash = createHash('sha256');
  let bytes = 0;
  const tap = new PassThrough();
  raw.on('data', (c: Buffer) => {
    hash.update(c);
    bytes += c.length;
  });
  raw.on('error', (e) =>
    tap.destroy(new UsageError(`${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? e.message}`)),
  );
  const check = new Utf8Check(file, asBytes);
  let stream: Readable = raw.pipe(tap);
  if (file.toLowerCase().endsWith('.gz')) {
    const gunzip = createGunzip();
    gunzip.on('error', (e) => check.destroy(new UsageError(`${file}: not a valid gzip file: ${e.message}`)));
    tap.on('error', (e) => check.destroy(e));
    stream = stream.pipe(gunzip);
  } else {
    tap.on('error', (e) => check.destroy(e));
  }
  stream.pipe(check);
  return { text: check as Readable, check, digest: () => hash.digest('hex'), bytes: () => bytes };
}

const HEADER_NAME = /^[\p{L}_][\p{L}\p{N}_.()\s-]*$/u;

/** Check a CSV header row: field names, each once. Returns the trimmed names. */
function checkHeader(header: string[], label: string): string[] {
  const names = header.map((h) => h.trim());
  const badName = names.find(
    (h) => !h || !HEADER_NAME.test(h) || (/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(h) && /\d/.test(h)),
  );
  if (badName !== undefined) {
    throw badInput(
      label,
      1,
      `missing header row: "${badName}" is not a field name (the first row must name the fields)`,
    );
  }
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n.toLowerCase())) throw badInput(label, 1, `the header names the field "${n}" twice`);
    seen.add(n.toLowerCase());
  }
  return names;
}

/** A CSV input as Data Loader / `sf data export bulk` write it: header of API names, BOM, CRLF, quoted newlines. */
export function csvSource(file: string, opts: FileSourceOptions = {}): ScanSource {
  const label = file === '-' ? '-' : file;
  let rows = 0;
  let skipped = 0;
  let line = 0;
  let digest: string | null = null;
  let bytes = 0;
  let fixedHeader: readonly string[] = [];
  async function* records(): AsyncGenerator<string[]> {
    const { text, digest: d, bytes: b } = openText(file, opts.stdin, opts.cwd);
    let headerChecked = false;
    let prevEnd = 0;
    let header: string[] | null = null;
    const parser = parse({
      bom: true,
      info: true,
      max_record_size: MAX_RECORD_CHARS,
      skip_empty_lines: true,
      skip_records_with_error: !!opts.skipBadRows,
    });
    parser.on('skip', () => {
      skipped += 1;
    });
    text.on('error', (e) => parser.destroy(e));
    text.pipe(parser);
    try {
      for await (const item of parser as AsyncIterable<{ record: string[]; info: Info }>) {
        if (!header) {
          header = checkHeader(item.record, label);
          headerChecked = true;
          fixedHeader = header;
          prevEnd = item.info.lines;
          continue;
        }
        rows += 1;
        line = prevEnd + 1;
        prevEnd = item.info.lines;
        yield item.record;
      }
    } catch (e) {
      if (e instanceof UsageError) throw e;
      const err = e as Error & { code?: string; lines?: number };
      const at = err.lines ?? prevEnd + 1;
      const what: Record<string, string> = {
        CSV_QUOTE_NOT_CLOSED: CSV_PROBLEMS.unclosed,
        CSV_RECORD_INCONSISTENT_FIELDS_LENGTH: CSV_PROBLEMS.ragged,
        CSV_RECORD_INCONSISTENT_COLUMNS: CSV_PROBLEMS.ragged,
        CSV_MAX_RECORD_SIZE: CSV_PROBLEMS.tooLong(MAX_RECORD_CHARS),
        CSV_INVALID_CLOSING_QUOTE: 'a quote inside a quoted field is not doubled',
        CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: CSV_PROBLEMS.afterQuote,
        CSV_INVALID_OPENING_QUOTE: CSV_PROBLEMS.quoteInField,
      };
      throw badInput(label, at, what[err.code ?? ''] ?? err.message.replace(/^Invalid Record Length: /, ''));
    }
    digest = d();
    bytes = b();
    if (!headerChecked) throw badInput(label, 1, 'the file is empty (no header row)');
  }
  /**
   * The hot path: whole chunks split into rows by CsvSplitter, no per-record async step. With `cut`, only the
   * first chunk (the header and the rows after it) is split here; the rest comes as pieces of whole records for
   * worker threads to split (`--jobs N`).
   */
  async function* chunks(cut: boolean): AsyncGenerator<CsvRows | CsvPiece> {
    const { text, digest: d, bytes: b } = openText(file, opts.stdin, opts.cwd, true);
    const splitter = new CsvSplitter(MAX_RECORD_CHARS);
    let cutter: CsvCutter | null = null;
    const named = <T>(f: () => T): T => {
      try {
        return f();
      } catch (e) {
        if (e instanceof CsvError) throw badInput(label, e.line, e.message);
        throw e;
      }
    };
    const take = (chunk: Buffer, end: boolean): CsvRows => {
      const out: CsvRows = { rows: [], lines: [] };
      named(() => splitter.push(chunk, end, out));
      if (!fixedHeader.length && splitter.header) fixedHeader = checkHeader(splitter.header, label);
      rows += out.rows.length;
      if (out.lines.length) line = out.lines[out.lines.length - 1]!;
      return out;
    };
    for await (const chunk of text as AsyncIterable<Buffer>) {
      if (cutter) {
        const piece = named(() => cutter!.push(chunk, false));
        if (piece) yield piece;
        continue;
      }
      const out = take(chunk, false);
      if (out.rows.length) yield out;
      // Hand over once a data row has been split here: the engine detects the object from the first record's Id.
      if (cut && rows > 0 && !splitter.crOnly) cutter = splitter.cutter();
    }
    if (cutter) {
      const piece = named(() => cutter!.push(Buffer.alloc(0), true));
      if (piece) yield piece;
    } else {
      const last = take(Buffer.alloc(0), true);
      if (last.rows.length) yield last;
    }
    digest = d();
    bytes = b();
    if (!splitter.header) throw badInput(label, 1, 'the file is empty (no header row)');
  }
  return {
    label,
    object: opts.object,
    ...(opts.skipBadRows
      ? { records: records() }
      : { batches: chunks(false) as AsyncIterable<CsvRows>, pieces: chunks(true) }),
    header: () => fixedHeader,
    line: () => line,
    stats: () => ({ sha256: digest, rows, skipped, bytes }),
  };
}

/** A JSON Lines input: one object per line, with or without Salesforce `attributes`. */
export function jsonlSource(file: string, opts: FileSourceOptions = {}): ScanSource {
  let rows = 0;
  let skipped = 0;
  let line = 0;
  let digest: string | null = null;
  let bytes = 0;
  async function* records(): AsyncGenerator<ScanRecord> {
    const { text, digest: d, bytes: b } = openText(file, opts.stdin, opts.cwd);
    const rl = createInterface({ input: text, crlfDelay: Infinity });
    let n = 0;
    let any = false;
    for await (const raw of rl) {
      n += 1;
      const s = raw.trim();
      if (!s) continue;
      any = true;
      if (s.length > MAX_RECORD_CHARS) {
        if (opts.skipBadRows) {
          skipped += 1;
          continue;
        }
        throw badInput(file, n, `a record longer than ${MAX_RECORD_CHARS / 1024 / 1024} MB`);
      }
      let obj: unknown;
      try {
        obj = JSON.parse(s);
      } catch (e) {
        if (opts.skipBadRows) {
          skipped += 1;
          continue;
        }
        throw badInput(file, n, `not valid JSON (${(e as Error).message})`);
      }
      if (!obj || typeof obj !== 'object' || Array.isArray(obj)) {
        if (opts.skipBadRows) {
          skipped += 1;
          continue;
        }
        throw badInput(file, n, 'each line must be one JSON object (a record)');
      }
      rows += 1;
      line = n;
      yield obj as ScanRecord;
    }
    digest = d();
    bytes = b();
    if (!any) throw badInput(file, 1, 'the file is empty');
  }
  return {
    label: file,
    object: opts.object,
    records: records(),
    line: () => line,
    stats: () => ({ sha256: digest, rows, skipped, bytes }),
  };
}

/** Sources for the given paths, opened one after another as the engine reaches them. */
export async function* fileSources(files: readonly string[], opts: FileSourceOptions = {}): AsyncGenerator<ScanSource> {
  for (const f of files) yield formatOf(f) === 'jsonl' ? jsonlSource(f, opts) : csvSource(f, opts);
}

/** Total size of the named files in bytes (stdin counts as 0): decides progress display and default jobs. */
export function totalBytes(files: readonly string[], cwd?: string): number {
  let n = 0;
  for (const f of files) {
    if (f === '-') continue;
    try {
      n += statSync(cwd ? path.resolve(cwd, f) : f).size;
    } catch {
      /* reported when opened */
    }
  }
  return n;
}

/** The display label of a path (as given). */
export const labelOf = (file: string): string => (file === '-' ? '-' : path.normalize(file));
