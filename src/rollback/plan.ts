import { isWritableField, sameValue, type Rec, type SfValue } from './records.js';

/**
 * The rollback plan: pure. Given the records in scope, their History rows, snapshot before-images and the options,
 * decide per record (and per field) what to write. No I/O, no clock: everything arrives as values.
 */

export interface HistoryRow {
  id: string;
  recordId: string;
  field: string;
  oldValue: SfValue;
  newValue: SfValue;
  createdById: string;
  /** ISO 8601. */
  createdDate: string;
}

export interface ScopedRecord {
  object: string;
  id: string;
  /** Current field values in the org, or null when the record no longer exists (deleted). */
  current: Rec | null;
  createdById?: string | null;
  createdDate?: string | null;
  lastModifiedById?: string | null;
  lastModifiedDate?: string | null;
  /** The parent account (Id) for protection checks; for an Account, its own Id. */
  accountId?: string | null;
  accountName?: string | null;
  /** Flagged by the scanner (`--from-scan`). */
  flagged?: boolean;
}

/** A record's field values from the newest snapshot taken at or before the window start. */
export interface BeforeImage {
  snapshotId: string;
  takenAt: string;
  fields: Rec;
}

export interface QuarantineSpec {
  field?: string;
  value?: SfValue;
  ownerId?: string;
}

export interface PlanOptions {
  strategy: 'delete' | 'quarantine';
  onConflict: 'skip' | 'take-before';
  quarantine?: QuarantineSpec;
}

export interface PlanInput {
  records: readonly ScopedRecord[];
  history: readonly HistoryRow[];
  snapshots: ReadonlyMap<string, BeforeImage>;
  /** Ids of the integration's users: their changes in the window are what is rolled back. */
  integrationUsers: readonly string[];
  window: { since: string | null; until: string | null };
  /** Account Ids or names whose records are planned for manual review only. */
  protectedAccounts: readonly string[];
  options: PlanOptions;
  /** Fields the API lets lockout write (describe); others are reported as unrecoverable. Absent: no check. */
  updateable?: ReadonlyMap<string, ReadonlySet<string>>;
}

export type Action = 'delete' | 'quarantine' | 'restore' | 'manual-review' | 'none';

export interface FieldRestore {
  field: string;
  before: SfValue;
  integration: SfValue;
  current: SfValue;
  source: 'snapshot' | 'history';
  snapshotId?: string;
}

export interface Conflict {
  field: string;
  before: SfValue;
  integration: SfValue;
  current: SfValue;
  /** Who changed the field after the integration (user ids; 'unknown' when History does not say). */
  changedBy: string[];
  resolution: 'left' | 'take-before';
}

export interface Unrecoverable {
  field: string;
  reason: string;
}

export interface RecordPlan {
  object: string;
  id: string;
  action: Action;
  reason: string;
  /** Field values to write (restore, quarantine); empty for delete and for records left alone. */
  set: Rec;
  /** The current values of everything the write changes (the whole record for a delete): what an undo puts back. */
  beforeImage: Rec;
  restores: FieldRestore[];
  conflicts: Conflict[];
  unrecoverable: Unrecoverable[];
  /** For manual review: what would have been done without protection. */
  wouldBe?: Action;
  protectedBy?: string;
}

export interface PlanSummary {
  records: number;
  byAction: Record<Action, number>;
  byObject: Record<string, Partial<Record<Action, number>>>;
  fieldsRestored: number;
  conflicts: number;
  conflictsTakenBefore: number;
  unrecoverableFields: number;
  manualReview: string[];
}

export interface Plan {
  records: RecordPlan[];
  summary: PlanSummary;
}

const inWindow = (t: string | null | undefined, w: PlanInput['window']): boolean => {
  if (!t) return false;
  const ms = Date.parse(t);
  if (w.since && ms < Date.parse(w.since)) return false;
  if (w.until && ms > Date.parse(w.until)) return false;
  return true;
};

const byTime = (a: HistoryRow, b: HistoryRow): number =>
  Date.parse(a.createdDate) - Date.parse(b.createdDate) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function protection(r: ScopedRecord, protectedAccounts: readonly string[]): string | undefined {
  if (!protectedAccounts.length) return undefined;
  const keys = [
    r.accountId,
    r.accountName,
    r.object === 'Account' ? r.id : null,
    r.object === 'Account' ? r.current?.Name : null,
  ];
  const lower = new Set(protectedAccounts.map((a) => a.toLowerCase()));
  for (const k of keys) {
    if (typeof k !== 'string' || !k) continue;
    // 15- and 18-character ids both match.
    if (lower.has(k.toLowerCase()) || (k.length === 18 && lower.has(k.slice(0, 15).toLowerCase()))) return k;
  }
  return undefined;
}

function quarantineSet(spec: QuarantineSpec | undefined): Rec {
  const set: Rec = {};
  if (spec?.field) set[spec.field] = spec.value ?? null;
  if (spec?.ownerId) set.OwnerId = spec.ownerId;
  return set;
}

/** Plan one record that the integration changed (not created): per field, restore, conflict or unrecoverable. */
function planChanged(r: ScopedRecord, rows: HistoryRow[], input: PlanInput, integ: Set<string>): RecordPlan {
  const current = r.current ?? {};
  const snap = input.snapshots.get(r.id);
  const restores: FieldRestore[] = [];
  const conflicts: Conflict[] = [];
  const unrecoverable: Unrecoverable[] = [];
  const set: Rec = {};
  const beforeImage: Rec = {};

  const byField = new Map<string, HistoryRow[]>();
  for (const h of rows) {
    if (h.field === 'created' || !isWritableField(h.field)) continue;
    const list = byField.get(h.field) ?? [];
    list.push(h);
    byField.set(h.field, list);
  }

  // field -> {before, integration value, source, later changes by others}
  const changed = new Map<
    string,
    { before?: SfValue; source?: 'snapshot' | 'history'; integration: SfValue; laterBy: string[]; known: boolean }
  >();
  for (const [field, list] of byField) {
    list.sort(byTime);
    const mine = list.filter((h) => integ.has(h.createdById) && inWindow(h.createdDate, input.window));
    if (!mine.length) continue;
    const last = mine[mine.length - 1]!;
    const firstInWindow = list.find((h) => inWindow(h.createdDate, input.window)) ?? mine[0]!;
    const later = list.filter((h) => byTime(h, last) > 0 && !integ.has(h.createdById));
    const entry = {
      before: firstInWindow.oldValue as SfValue | undefined,
      source: 'history' as 'snapshot' | 'history',
      integration: last.newValue,
      laterBy: [...new Set(later.map((h) => h.createdById))],
      known: true,
    };
    changed.set(field, entry);
  }

  // Fields History does not track: the snapshot shows them when the integration was the last to modify the record.
  const lastByIntegration =
    !!r.lastModifiedById && integ.has(r.lastModifiedById) && inWindow(r.lastModifiedDate, input.window);
  if (snap && lastByIntegration && r.current) {
    for (const [field, value] of Object.entries(snap.fields)) {
      if (!isWritableField(field) || changed.has(field) || !(field in current)) continue;
      if (!sameValue(value, current[field])) {
        changed.set(field, {
          before: value,
          source: 'snapshot',
          integration: current[field] ?? null,
          laterBy: [],
          known: true,
        });
      }
    }
  }

  // The newest snapshot before the window wins over History for the before value.
  if (snap) {
    for (const [field, c] of changed) {
      if (field in snap.fields) {
        c.before = snap.fields[field] ?? null;
        c.source = 'snapshot';
      }
    }
  }

  if (!changed.size && lastByIntegration) {
    unrecoverable.push({
      field: '*',
      reason:
        'the integration modified this record in the window, but no History rows and no snapshot say which fields',
    });
  }

  for (const [field, c] of [...changed].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const cur = field in current ? (current[field] ?? null) : null;
    if (c.before === undefined) {
      unrecoverable.push({ field, reason: 'no snapshot before the window and no History value' });
      continue;
    }
    const writable = input.updateable?.get(r.object);
    if (writable && !writable.has(field)) {
      if (!sameValue(cur, c.before))
        unrecoverable.push({ field, reason: 'the field is not updateable through the API' });
      continue;
    }
    const before = c.before;
    // Someone else changed the field after the integration (History says so, or the value moved without a row).
    const movedSilently = !c.laterBy.length && !sameValue(cur, c.integration) && c.source === 'history';
    if (c.laterBy.length || movedSilently) {
      if (sameValue(cur, before)) continue; // already back where it was
      const take = input.options.onConflict === 'take-before';
      conflicts.push({
        field,
        before,
        integration: c.integration,
        current: cur,
        changedBy: c.laterBy.length ? c.laterBy : ['unknown'],
        resolution: take ? 'take-before' : 'left',
      });
      if (!take) continue;
    }
    if (sameValue(cur, before)) continue;
    restores.push({
      field,
      before,
      integration: c.integration,
      current: cur,
      source: c.source!,
      ...(c.source === 'snapshot' && snap ? { snapshotId: snap.snapshotId } : {}),
    });
    set[field] = before;
    beforeImage[field] = cur;
  }

  const action: Action = Object.keys(set).length ? 'restore' : 'none';
  const reason =
    action === 'restore'
      ? `restore ${Object.keys(set).length} field(s) the integration changed`
      : conflicts.length
        ? 'every changed field was changed again by someone else (conflicts left alone)'
        : unrecoverable.length
          ? 'changed fields cannot be recovered'
          : 'nothing to restore (values already as before)';
  return { object: r.object, id: r.id, action, reason, set, beforeImage, restores, conflicts, unrecoverable };
}

const unchangedSinceCreated = (r: ScopedRecord): boolean =>
  !!r.createdDate && !!r.lastModifiedDate && Date.parse(r.lastModifiedDate) <= Date.parse(r.createdDate);

/** Build the plan. Records come out in input order; the order is the apply order. */
export function buildPlan(input: PlanInput): Plan {
  const integ = new Set(input.integrationUsers);
  const rowsByRecord = new Map<string, HistoryRow[]>();
  for (const h of input.history) {
    const list = rowsByRecord.get(h.recordId) ?? [];
    list.push(h);
    rowsByRecord.set(h.recordId, list);
  }
  const plans: RecordPlan[] = [];
  const seen = new Set<string>();
  for (const r of input.records) {
    if (seen.has(r.id)) continue;
    seen.add(r.id);
    const rows = rowsByRecord.get(r.id) ?? [];
    // With no integration named, only a flagged record nobody changed since it was created is taken as injected:
    // a real record the integration overwrote is flagged too, and must be restored, never deleted.
    const flaggedOnly = !!r.flagged && integ.size === 0;
    const createdByIntegration =
      (!!r.createdById && integ.has(r.createdById) && inWindow(r.createdDate, input.window)) ||
      (flaggedOnly && unchangedSinceCreated(r));
    let p: RecordPlan;
    if (createdByIntegration) {
      const editedBy = [
        ...new Set(rows.filter((h) => !integ.has(h.createdById)).map((h) => h.createdById)),
        ...(r.lastModifiedById && !integ.has(r.lastModifiedById) && integ.size ? [r.lastModifiedById] : []),
      ];
      const note = editedBy.length ? `; edited since by ${[...new Set(editedBy)].join(', ')}` : '';
      if (!r.current) {
        p = base(r, 'none', 'created by the integration; already deleted');
      } else if (input.options.strategy === 'quarantine') {
        const set = quarantineSet(input.options.quarantine);
        const beforeImage: Rec = {};
        for (const f of Object.keys(set)) beforeImage[f] = r.current[f] ?? null;
        const needed = Object.keys(set).some((f) => !sameValue(set[f], r.current![f]));
        p = needed
          ? { ...base(r, 'quarantine', `created by the integration in the window${note}`), set, beforeImage }
          : base(r, 'none', 'created by the integration; already quarantined');
      } else {
        p = { ...base(r, 'delete', `created by the integration in the window${note}`), beforeImage: { ...r.current } };
      }
    } else if (!r.current) {
      p = base(r, 'none', 'record no longer exists');
    } else if (flaggedOnly) {
      p = base(
        r,
        'manual-review',
        'flagged by the scanner, but changed since it was created (it may be a real record that was overwritten): ' +
          'name the integration (--user or --integration, with --since) to restore its fields instead',
      );
    } else if (r.flagged && !rows.some((h) => integ.has(h.createdById))) {
      p = base(
        r,
        'manual-review',
        'flagged by the scanner, but not created or changed by the integration in the window',
      );
    } else {
      p = planChanged(r, rows, input, integ);
    }
    const prot = protection(r, input.protectedAccounts);
    if (prot && p.action !== 'none') {
      p = {
        ...p,
        wouldBe: p.action,
        action: 'manual-review',
        reason: `protected account ${prot}: never changed by lockout (${p.action} planned for review)`,
        set: {},
        protectedBy: prot,
      };
    }
    plans.push(p);
  }
  return { records: plans, summary: summarize(plans) };
}

const base = (r: ScopedRecord, action: Action, reason: string): RecordPlan => ({
  object: r.object,
  id: r.id,
  action,
  reason,
  set: {},
  beforeImage: {},
  restores: [],
  conflicts: [],
  unrecoverable: [],
});

/** Counts per action and object, conflicts and unrecoverable fields. */
export function summarize(plans: readonly RecordPlan[]): PlanSummary {
  const byAction: Record<Action, number> = { delete: 0, quarantine: 0, restore: 0, 'manual-review': 0, none: 0 };
  const byObject: PlanSummary['byObject'] = {};
  let fieldsRestored = 0;
  let conflicts = 0;
  let conflictsTakenBefore = 0;
  let unrecoverableFields = 0;
  const manualReview: string[] = [];
  for (const p of plans) {
    byAction[p.action] += 1;
    const o = (byObject[p.object] ??= {});
    o[p.action] = (o[p.action] ?? 0) + 1;
    if (p.action === 'restore') fieldsRestored += Object.keys(p.set).length;
    conflicts += p.conflicts.length;
    conflictsTakenBefore += p.conflicts.filter((c) => c.resolution === 'take-before').length;
    unrecoverableFields += p.unrecoverable.length;
    if (p.action === 'manual-review') manualReview.push(p.id);
  }
  return {
    records: plans.length,
    byAction,
    byObject,
    fieldsRestored,
    conflicts,
    conflictsTakenBefore,
    unrecoverableFields,
    manualReview,
  };
}

/** Records whose plan writes to the org. */
export const writes = (p: RecordPlan): boolean =>
  p.action === 'delete' || p.action === 'quarantine' || p.action === 'restore';

export interface CallEstimate {
  collections: number;
  bulk: number;
  verify: number;
  total: number;
  naive: number;
  mode: Record<string, 'collections' | 'bulk'>;
}

/** A Bulk 2.0 query as lockout runs it: create, one poll (or more while the org works), one result page; kept. */
export const BULK_QUERY_CALLS = 3;

/**
 * API calls the apply needs: per object and operation, ceil(n/200) Collections calls, or one Bulk 2.0 job
 * (create, upload, close, poll, three result reads = 7 calls plus extra polls) at or above `bulkThreshold` records;
 * then the re-read to verify (`verifyBatch` ids per call, or one Bulk 2.0 query when cheaper). `naive` is one call
 * per record write.
 */
export function estimateCalls(
  plans: readonly RecordPlan[],
  opts: { bulkThreshold: number; verifyBatch?: number },
): CallEstimate {
  const groups = new Map<string, number>();
  const objects = new Map<string, number>();
  for (const p of plans) {
    if (!writes(p)) continue;
    const op = p.action === 'delete' ? 'delete' : 'update';
    const key = `${p.object}:${op}`;
    groups.set(key, (groups.get(key) ?? 0) + 1);
    objects.set(p.object, (objects.get(p.object) ?? 0) + 1);
  }
  let collections = 0;
  let bulk = 0;
  const mode: CallEstimate['mode'] = {};
  let naive = 0;
  for (const [key, n] of groups) {
    naive += n;
    if (n >= opts.bulkThreshold) {
      bulk += 7;
      mode[key] = 'bulk';
    } else {
      collections += Math.ceil(n / 200);
      mode[key] = 'collections';
    }
  }
  // Verify re-reads per object: by id (Collections retrieve, `verifyBatch` per call), or through one Bulk 2.0 query
  // (create, poll, one result page) when that takes fewer calls (org/rollback-io.ts rereadWritten).
  let verify = 0;
  for (const n of objects.values()) {
    const byId = Math.ceil(n / (opts.verifyBatch ?? 2000));
    verify += byId > BULK_QUERY_CALLS ? BULK_QUERY_CALLS : byId;
  }
  return { collections, bulk, verify, total: collections + bulk + verify, naive, mode };
}

/** A record a finished run changed, as the journal has it. */
export interface DoneWrite {
  object: string;
  id: string;
  action: 'delete' | 'quarantine' | 'restore';
  /** What the run wrote. */
  fields: Rec;
  /** What was there before the run wrote. */
  beforeImage: Rec;
}

export interface UndoConflict {
  object: string;
  id: string;
  field: string;
  /** The value before the rollback (what undo would put back). */
  before: SfValue;
  /** What the rollback wrote. */
  rollback: SfValue;
  current: SfValue;
  resolution: 'left' | 'take-before';
}

export interface UndoPlanItem {
  object: string;
  id: string;
  action: 'undelete' | 'restore';
  set: Rec;
  /** Current values of what the undo writes. */
  beforeImage: Rec;
}

/**
 * Plan the undo of a run (pure): deleted records come back from the recycle bin; written fields go back to their
 * before-image unless someone changed them since the run (a conflict: left alone unless take-before).
 * `current` holds the records' values now (null: the record no longer exists).
 */
export function planUndo(
  done: readonly DoneWrite[],
  current: ReadonlyMap<string, Rec | null>,
  onConflict: 'skip' | 'take-before',
): { items: UndoPlanItem[]; conflicts: UndoConflict[]; missing: string[] } {
  const items: UndoPlanItem[] = [];
  const conflicts: UndoConflict[] = [];
  const missing: string[] = [];
  for (const d of done) {
    if (d.action === 'delete') {
      items.push({ object: d.object, id: d.id, action: 'undelete', set: {}, beforeImage: {} });
      continue;
    }
    const cur = current.get(d.id);
    if (!cur) {
      missing.push(d.id);
      continue;
    }
    const set: Rec = {};
    const beforeImage: Rec = {};
    for (const [field, wrote] of Object.entries(d.fields)) {
      const now = cur[field] ?? null;
      const back = d.beforeImage[field] ?? null;
      if (sameValue(now, back)) continue;
      if (!sameValue(now, wrote)) {
        const take = onConflict === 'take-before';
        conflicts.push({
          object: d.object,
          id: d.id,
          field,
          before: back,
          rollback: wrote,
          current: now,
          resolution: take ? 'take-before' : 'left',
        });
        if (!take) continue;
      }
      set[field] = back;
      beforeImage[field] = now;
    }
    if (Object.keys(set).length) items.push({ object: d.object, id: d.id, action: 'restore', set, beforeImage });
  }
  return { items, conflicts, missing };
}
