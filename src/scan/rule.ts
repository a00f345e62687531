import type { Family, Reason } from './types.js';
import type { RecordView } from './view.js';
import type { Reference } from './reference.js';

/** What a record rule returns: a reason without its rule id (the engine adds it). */
export type Hit = Omit<Reason, 'rule'>;

/** An example record for a rule's own test: values by field API name, and the object. */
export interface Example {
  object: string;
  values: Record<string, string>;
}

/**
 * A record-level rule: an id, a one-line why, a pure check, and its own firing and quiet examples
 * (style.md: gitleaks/semgrep). Rules never print, read files or touch the network.
 */
export interface RecordRule {
  id: string;
  family: Family;
  why: string;
  /** The largest weight this rule emits. Rules below the high threshold are "weak": never high alone. */
  maxWeight: number;
  check(view: RecordView, ref: Reference): Hit[];
  examples: { fires: Example[]; quiet: Example[] };
}

/** A cohort a record belongs to, as a population rule sees it. */
export interface CohortKey {
  /** e.g. `seq|contacts.csv|qa user` */
  key: string;
}

/** Counts per cohort key, merged from every record (bounded: see engine). */
export interface CohortCounts {
  /** key -> records in it */
  count: ReadonlyMap<string, number>;
  /** key -> records in it that had record-level reasons */
  flagged: ReadonlyMap<string, number>;
  /** cohort base (e.g. the file) -> records */
  base: ReadonlyMap<string, number>;
}

/** A cohort judged suspicious: its members (by key) receive `weight` as an extra reason. */
export interface CohortVerdict {
  key: string;
  cohort: string;
  members: number;
  weight: number;
  field: string;
  evidence: string;
  message: string;
  statistic: Record<string, number | string>;
}

/** Example population for a population rule's own test. */
export interface PopulationExample {
  records: Example[];
  /** How many records must receive the cohort reason. */
  expectMembers: number;
}

/**
 * A population-level rule: assigns records to cohorts (pure), then judges cohorts from bounded counts.
 * Only records with at least one record-level reason are raised by a verdict (precision first).
 */
export interface PopulationRule {
  id: string;
  family: Family;
  why: string;
  maxWeight: number;
  /** Keep members without record-level reasons too (for cohorts that are suspicious by themselves). */
  track?: boolean;
  /** Cohort keys of one record; `base` is the cohort's population (the file label or the creator). */
  keys(view: RecordView, file: string): { key: string; base: string }[];
  judge(counts: CohortCounts): CohortVerdict[];
  examples: { fires: PopulationExample[]; quiet: PopulationExample[] };
}

/** Shorthand for examples. */
export const ex = (object: string, values: Record<string, string>): Example => ({ object, values });
