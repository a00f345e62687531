/**
 * Shared types of the scanner. A finding's shape is a public contract (issue 3): CI jobs, the isolate command
 * and the report read it.
 */

/** A flat record as sources yield it: field API name -> value. Org records may nest (see fields.ts). */
export type ScanRecord = Record<string, unknown>;

/** One input to scan: a file, stdin or an org query. `records` is consumed once. */
export interface ScanSource {
  /** File name, `-`, or an org label; findings carry it as `file`. */
  label: string;
  /** The sObject type when the source knows it (flag or org query); else detected from Ids or the label. */
  object?: string;
  /**
   * The records. A source that knows a fixed header (CSV) may yield rows as arrays in `header()` order instead of
   * objects: the engine then skips building and flattening an object per record.
   */
  records?: AsyncIterable<ScanRecord | readonly (string | null)[]>;
  /**
   * Instead of `records`: rows in batches, in `header()` order, each with the input line it starts on (CSV files).
   * The engine takes a whole batch at a time.
   */
  batches?: AsyncIterable<{ rows: (string | null)[][]; lines: number[] }>;
  /**
   * Instead of `batches`, for worker threads: the first rows split as in `batches`, then pieces of the file's
   * bytes holding whole records, with the line each starts on, for the workers to split (CSV files).
   */
  pieces?: AsyncIterable<{ rows: (string | null)[][]; lines: number[] } | { bytes: Uint8Array; line: number }>;
  /** The fixed header of array rows (required when `records` yields arrays or with `batches`). */
  header?: () => readonly string[];
  /** Line of the record last yielded (CSV: its first physical line). Absent: the record's ordinal. */
  line?: () => number;
  /** Called after the source is exhausted: the input's sha256, rows read and rows skipped. */
  stats?: () => { sha256: string | null; rows: number; skipped: number; bytes?: number };
}

export type Level = 'low' | 'medium' | 'high';

export type Family =
  | 'reserved-identifiers'
  | 'sandbox-markers'
  | 'placeholder-tokens'
  | 'known-sample-datasets'
  | 'generator-fingerprints'
  | 'cross-field'
  | 'validity'
  | 'shape'
  | 'population';

/** Why a record was flagged: a rule, the field it looked at, what it saw, and a sentence a person can check. */
export interface Reason {
  rule: string;
  field: string;
  evidence: string;
  message: string;
  weight: number;
}

/** The finding contract of issue 3. */
export interface Finding {
  id: string;
  object: string;
  file: string;
  line: number;
  score: number;
  level: Level;
  reasons: Reason[];
}

/** A cohort finding from a population rule, with its test statistic. */
export interface CohortFinding {
  rule: string;
  cohort: string;
  members: number;
  statistic: Record<string, number | string>;
  message: string;
}

export interface Thresholds {
  low: number;
  medium: number;
  high: number;
}
