import type { DB } from '../store/db.js';
import { leafHash, MerkleBuilder } from './merkle.js';
import { canonicalRecord, sha256Text, type Rec } from './records.js';
import type { BeforeImage } from './plan.js';

/** Snapshot and rollback tables (migration 5): the SQL lives here, the decisions elsewhere. */

export interface SnapshotMeta {
  id: string;
  object: string;
  source: string;
  where: string | null;
  fields: string[];
  startedAt: string;
  takenAt: string | null;
  count: number;
  merkleRoot: string | null;
  incident: string | null;
}

interface SnapshotRow {
  n: number;
  id: string;
  object: string;
  source: string;
  where_clause: string | null;
  fields: string;
  started_at: string;
  taken_at: string | null;
  record_count: number;
  merkle_root: string | null;
  incident: string | null;
}

const toMeta = (r: SnapshotRow): SnapshotMeta & { n: number } => ({
  n: r.n,
  id: r.id,
  object: r.object,
  source: r.source,
  where: r.where_clause,
  fields: JSON.parse(r.fields) as string[],
  startedAt: r.started_at,
  takenAt: r.taken_at,
  count: r.record_count,
  merkleRoot: r.merkle_root,
  incident: r.incident,
});

const COMMIT_EVERY = 20_000;

/**
 * Streams records into a new snapshot: canonical JSON, its sha256, and the RFC 9162 Merkle root over the
 * canonical JSON of every record in arrival order. Commits in chunks; the snapshot counts as taken only when
 * `finish` has run (an interrupted one stays incomplete and `snapshot prune --incomplete` removes it).
 */
export class SnapshotWriter {
  readonly id: string;
  private readonly n: number;
  private readonly merkle = new MerkleBuilder();
  private readonly insert;
  private pending = 0;
  private prepared = 0;

  constructor(
    private readonly db: DB,
    meta: {
      object: string;
      source: string;
      where: string | null;
      fields: string[];
      startedAt: string;
      incident: string | null;
    },
  ) {
    const next = db.prepare('SELECT COALESCE(MAX(n), 0) + 1 AS n FROM snapshots').get() as { n: number };
    this.n = next.n;
    this.id = `snap-${this.n}`;
    db.prepare(
      'INSERT INTO snapshots (n, id, object, source, where_clause, fields, started_at, incident) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(
      this.n,
      this.id,
      meta.object,
      meta.source,
      meta.where,
      JSON.stringify(meta.fields),
      meta.startedAt,
      meta.incident,
    );
    this.insert = db.prepare(
      'INSERT INTO snapshot_records (snap, pos, record_id, sha256, json) VALUES (?, ?, ?, ?, ?)',
    );
    db.exec('BEGIN');
  }

  /** Add one record (must carry `Id`; a repeated Id is an error the caller reports with its line). */
  add(rec: Rec): void {
    const id = rec.Id;
    if (typeof id !== 'string' || !id) throw new Error('record has no Id');
    const json = canonicalRecord(rec);
    const pos = this.merkle.size;
    try {
      this.insert.run(this.n, pos, id, sha256Text(json), json);
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw new Error(`duplicate Id ${id}`);
      throw e;
    }
    this.merkle.pushLeafHash(leafHash(json));
    this.pending += 1;
    if (this.pending >= COMMIT_EVERY) {
      this.db.exec('COMMIT');
      this.db.exec('BEGIN');
      this.pending = 0;
    }
  }

  /**
   * Add a record already canonicalized and hashed elsewhere (the snapshot worker thread, which also builds the
   * Merkle root and hands it to `finish`). Positions continue from the records added so far.
   */
  addPrepared(id: string, json: string, sha: string): void {
    try {
      this.insert.run(this.n, this.prepared, id, sha, json);
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw new Error(`duplicate Id ${id}`);
      throw e;
    }
    this.prepared += 1;
    this.pending += 1;
    if (this.pending >= COMMIT_EVERY) {
      this.db.exec('COMMIT');
      this.db.exec('BEGIN');
      this.pending = 0;
    }
  }

  get count(): number {
    return this.merkle.size + this.prepared;
  }

  /** Mark the snapshot complete; returns its root (`external`: count and root computed by the worker). */
  finish(
    takenAt: string,
    external?: { count: number; root: string; fields?: string[] },
  ): { id: string; count: number; merkleRoot: string } {
    const root = external?.root ?? this.merkle.root();
    const count = external?.count ?? this.merkle.size;
    if (count !== this.count) throw new Error(`snapshot ${this.id}: ${this.count} records stored, ${count} hashed`);
    this.db
      .prepare('UPDATE snapshots SET taken_at = ?, record_count = ?, merkle_root = ? WHERE n = ?')
      .run(takenAt, count, root, this.n);
    if (external?.fields)
      this.db.prepare('UPDATE snapshots SET fields = ? WHERE n = ?').run(JSON.stringify(external.fields), this.n);
    this.db.exec('COMMIT');
    return { id: this.id, count, merkleRoot: root };
  }

  /** Give up: commit what is there; the snapshot stays incomplete (no taken_at). */
  abort(): void {
    if (this.db.inTransaction) this.db.exec('COMMIT');
  }
}

export function listSnapshots(db: DB, object?: string): SnapshotMeta[] {
  const rows = (
    object
      ? db.prepare('SELECT * FROM snapshots WHERE object = ? ORDER BY n').all(object)
      : db.prepare('SELECT * FROM snapshots ORDER BY n').all()
  ) as SnapshotRow[];
  return rows.map((r) => {
    const { n: _n, ...meta } = toMeta(r);
    return meta;
  });
}

export function getSnapshot(db: DB, id: string): (SnapshotMeta & { n: number }) | undefined {
  const row = db.prepare('SELECT * FROM snapshots WHERE id = ?').get(id) as SnapshotRow | undefined;
  return row ? toMeta(row) : undefined;
}

/** The records of a snapshot in Merkle (arrival) order. */
export function* snapshotRecords(db: DB, n: number): Generator<{ id: string; sha256: string; json: string }> {
  const stmt = db.prepare('SELECT record_id AS id, sha256, json FROM snapshot_records WHERE snap = ? ORDER BY pos');
  for (const r of stmt.iterate(n)) yield r as { id: string; sha256: string; json: string };
}

/** Look up one record of a snapshot by Id. */
export function snapshotLookup(db: DB, n: number): (id: string) => { sha256: string; rec: Rec } | undefined {
  const stmt = db.prepare('SELECT sha256, json FROM snapshot_records WHERE snap = ? AND record_id = ?');
  return (id) => {
    const row = stmt.get(n, id) as { sha256: string; json: string } | undefined;
    return row ? { sha256: row.sha256, rec: JSON.parse(row.json) as Rec } : undefined;
  };
}

/**
 * Before-images for a rollback: for each record, its values in the newest complete snapshot of `object` taken
 * at or before `since`.
 */
export function beforeImageLookup(
  db: DB,
  object: string,
  since: string | null,
): (id: string) => BeforeImage | undefined {
  if (!since) return () => undefined;
  const stmt = db.prepare(
    `SELECT s.id AS snapshotId, s.taken_at AS takenAt, r.json AS json FROM snapshot_records r JOIN snapshots s ON s.n = r.snap
     WHERE s.object = ? AND s.taken_at IS NOT NULL AND s.taken_at <= ? AND r.record_id = ? ORDER BY s.taken_at DESC, s.n DESC LIMIT 1`,
  );
  const at = new Date(since).toISOString();
  return (id) => {
    const row = stmt.get(object, at, id) as { snapshotId: string; takenAt: string; json: string } | undefined;
    return row ? { snapshotId: row.snapshotId, takenAt: row.takenAt, fields: JSON.parse(row.json) as Rec } : undefined;
  };
}

/** Delete snapshots (records cascade). Returns the ids removed. */
export function deleteSnapshots(db: DB, ids: string[]): string[] {
  const del = db.prepare('DELETE FROM snapshots WHERE id = ?');
  const removed: string[] = [];
  db.transaction(() => {
    for (const id of ids) if (del.run(id).changes) removed.push(id);
  })();
  return removed;
}
