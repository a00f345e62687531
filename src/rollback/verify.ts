import { sameValue, type Rec } from './records.js';

/** Comparing records with a snapshot: pure. The caller streams records in and reads the result out. */

/** Field names whose values differ (see `sameValue`), limited to `fields` when given; keys missing on one side count. */
export function changedFields(before: Rec, after: Rec, fields?: readonly string[]): string[] {
  const names = fields ?? [...new Set([...Object.keys(before), ...Object.keys(after)])];
  const out: string[] = [];
  for (const f of names) {
    if (f === 'Id' || f === 'attributes') continue;
    if (!sameValue(before[f] ?? null, after[f] ?? null)) out.push(f);
  }
  return out.sort();
}

export interface VerifyCounts {
  unchanged: number;
  changed: number;
  added: number;
  deleted: number;
}

export interface VerifyResult {
  counts: VerifyCounts;
  /** Per changed record, the field names that differ. */
  changed: { id: string; fields: string[] }[];
  added: string[];
  deleted: string[];
  /** How many records changed per field name. */
  fieldCounts: Record<string, number>;
  /** Lists are cut at `limit` entries each (counts are always complete). */
  truncated: boolean;
}

/**
 * Accumulates a verify: `seen` each current record (with its snapshot twin or undefined), then `finish` with the
 * snapshot ids that were never seen. Lists are capped at `limit` so a million-record verify stays small.
 */
export class VerifyAccumulator {
  private readonly result: VerifyResult = {
    counts: { unchanged: 0, changed: 0, added: 0, deleted: 0 },
    changed: [],
    added: [],
    deleted: [],
    fieldCounts: {},
    truncated: false,
  };
  constructor(
    private readonly fields: readonly string[] | undefined,
    private readonly limit = 10_000,
  ) {}

  seen(id: string, current: Rec, snapshot: { rec: Rec; sha256?: string } | undefined, currentSha?: string): void {
    const r = this.result;
    if (!snapshot) {
      r.counts.added += 1;
      this.push(r.added, id);
      return;
    }
    if (currentSha && snapshot.sha256 === currentSha) {
      r.counts.unchanged += 1;
      return;
    }
    const diff = changedFields(snapshot.rec, current, this.fields);
    if (!diff.length) {
      r.counts.unchanged += 1;
      return;
    }
    r.counts.changed += 1;
    for (const f of diff) r.fieldCounts[f] = (r.fieldCounts[f] ?? 0) + 1;
    this.push(r.changed, { id, fields: diff });
  }

  deleted(id: string): void {
    this.result.counts.deleted += 1;
    this.push(this.result.deleted, id);
  }

  finish(): VerifyResult {
    return this.result;
  }

  private push<T>(list: T[], item: T): void {
    if (list.length < this.limit) list.push(item);
    else this.result.truncated = true;
  }
}
