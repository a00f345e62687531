import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { PassThrough, Readable, Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { parse, type Info } from 'csv-parse';
import { UsageError } from '../errors.js';
import type { ScanRecord, ScanSource } from './types.js';

/** Largest single CSV record accepted, in characters (a 50 MB field is bad input, not a record). */
export const MAX_RECORD_CHARS = 8 * 1024 * 1024;

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

const bad = (file: string, line: number | string, message: string) =>
  new UsageError(`${file}:${line}: ${message}`, {
    hint: 'fix the file, or pass --skip-bad-rows to skip malformed rows',
  });

/**
 * Bytes -> validated UTF-8 text: hashes the raw input (sha256), counts lines, and stops on bytes that are not
 * UTF-8 or on NUL bytes (a binary file), naming the line.
 */
class Utf8Check extends Transform {
  private decoder = new TextDecoder('utf-8', { fatal: true });
  lines = 1;
  constructor(private readonly file: string) {
    super({ readableObjectMode: false, decodeStrings: true });
  }
  private count(text: string) {
    let i = -1;
    while ((i = text.indexOf('\n', i + 1)) !== -1) this.lines += 1;
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null, d?: string) => void) {
    let text: string;
    try {
      text = this.decoder.decode(chunk, { stream: true });
    } catch {
      // Find the line of the first bad byte.
      const good = new TextDecoder('utf-8', { fatal: false }).decode(chunk);
      const at = good.indexOf('\uFFFD');
      this.count(good.slice(0, Math.max(0, at)));
      cb(bad(this.file, this.lines, 'bytes that are not UTF-8 (export as UTF-8, with or without BOM)'));
      return;
    }
    const nul = text.indexOf('\u0000');
    if (nul !== -1) {
      this.count(text.slice(0, nul));
      cb(bad(this.file, this.lines, 'a NUL byte: this looks like a binary file, not CSV or JSON Lines'));
      return;
    }
    this.count(text);
    cb(null, text);
  }
  override _flush(cb: (e?: Error | null, d?: string) => void) {
    try {
      cb(null, this.decoder.decode());
    } catch {
      cb(bad(this.file, this.lines, 'the file ends inside a UTF-8 character'));
    }
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
function openText(file: string, stdin?: Readable, cwd?: string) {
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
  const check = new Utf8Check(file);
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
    throw bad(label, 1, `missing header row: "${badName}" is not a field name (the first row must name the fields)`);
  }
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n.toLowerCase())) throw bad(label, 1, `the header names the field "${n}" twice`);
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
        CSV_QUOTE_NOT_CLOSED: 'a quoted field is never closed',
        CSV_RECORD_INCONSISTENT_FIELDS_LENGTH: 'the row has a different number of fields than the header (ragged row)',
        CSV_RECORD_INCONSISTENT_COLUMNS: 'the row has a different number of fields than the header (ragged row)',
        CSV_MAX_RECORD_SIZE: `a record longer than ${MAX_RECORD_CHARS / 1024 / 1024} MB (a field that large is not a record)`,
        CSV_INVALID_CLOSING_QUOTE: 'a quote inside a quoted field is not doubled',
        CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'text after a closing quote',
      };
      throw bad(label, at, what[err.code ?? ''] ?? err.message.replace(/^Invalid Record Length: /, ''));
    }
    digest = d();
    bytes = b();
    if (!headerChecked) throw bad(label, 1, 'the file is empty (no header row)');
  }
  return {
    label,
    object: opts.object,
    records: records(),
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
        throw bad(file, n, `a record longer than ${MAX_RECORD_CHARS / 1024 / 1024} MB`);
      }
      let obj: unknown;
      try {
        obj = JSON.parse(s);
      } catch (e) {
        if (opts.skipBadRows) {
          skipped += 1;
          continue;
        }
        throw bad(file, n, `not valid JSON (${(e as Error).message})`);
      }
      if (!obj || typeof obj !== 'object' || Array.isArray(obj)) {
        if (opts.skipBadRows) {
          skipped += 1;
          continue;
        }
        throw bad(file, n, 'each line must be one JSON object (a record)');
      }
      rows += 1;
      line = n;
      yield obj as ScanRecord;
    }
    digest = d();
    bytes = b();
    if (!any) throw bad(file, 1, 'the file is empty');
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
