import { createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { parse } from 'csv-parse';
import { UsageError } from '../errors.js';

/** A checksum manifest for a Data Loader file: what was approved, so a load can be checked against it. */
export interface Manifest {
  version: 1;
  file: string;
  bytes: number;
  sha256: string;
  /** Data rows (CSV records after the header). */
  rows: number;
  columns: string[];
  createdAt: string;
}

export interface ManifestMismatch {
  field: 'sha256' | 'rows' | 'bytes' | 'columns';
  expected: string;
  actual: string;
}

/** Hash a file and count its CSV rows in one streaming pass (quoted line breaks handled by csv-parse). */
export async function computeManifest(file: string, flag: string, createdAt: string): Promise<Manifest> {
  const hash = createHash('sha256');
  let bytes = 0;
  let rows = -1;
  let columns: string[] = [];
  const parser = parse({ relax_column_count: true, bom: true });
  const input = createReadStream(file);
  input.on('data', (chunk: Buffer | string) => {
    hash.update(chunk);
    bytes += chunk.length;
  });
  try {
    for await (const record of input.pipe(parser) as AsyncIterable<string[]>) {
      if (rows === -1) columns = record;
      rows += 1;
    }
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { lines?: number };
    if (err.code === 'ENOENT' || err.code === 'EACCES' || err.code === 'EISDIR') {
      throw new UsageError(`${flag}: cannot read ${file}: ${err.code}`);
    }
    throw new UsageError(`${flag}: ${file}${err.lines ? `:${err.lines}` : ''}: not valid CSV: ${err.message}`);
  }
  return {
    version: 1,
    file: path.basename(file),
    bytes,
    sha256: hash.digest('hex'),
    rows: Math.max(rows, 0),
    columns,
    createdAt,
  };
}

/** Compare a file's manifest with the approved one. Pure; an empty list means they match. */
export function compareManifest(expected: Manifest, actual: Manifest): ManifestMismatch[] {
  const out: ManifestMismatch[] = [];
  if (expected.sha256 !== actual.sha256)
    out.push({ field: 'sha256', expected: expected.sha256, actual: actual.sha256 });
  if (expected.rows !== actual.rows)
    out.push({ field: 'rows', expected: String(expected.rows), actual: String(actual.rows) });
  if (expected.bytes !== actual.bytes)
    out.push({ field: 'bytes', expected: String(expected.bytes), actual: String(actual.bytes) });
  if (expected.columns.join(',') !== actual.columns.join(',')) {
    out.push({ field: 'columns', expected: expected.columns.join(','), actual: actual.columns.join(',') });
  }
  return out;
}

/** Parse a manifest file's text; errors name the file. */
export function parseManifest(text: string, file: string): Manifest {
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--manifest ${file}: not JSON: ${(e as Error).message}`);
  }
  const o = m as Partial<Manifest>;
  if (typeof o !== 'object' || o === null || typeof o.sha256 !== 'string' || typeof o.rows !== 'number') {
    throw new UsageError(`--manifest ${file}: not a lockout manifest (needs sha256 and rows)`);
  }
  return {
    version: 1,
    file: o.file ?? '',
    bytes: o.bytes ?? 0,
    sha256: o.sha256,
    rows: o.rows,
    columns: o.columns ?? [],
    createdAt: o.createdAt ?? '',
  };
}
