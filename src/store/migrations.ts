/**
 * Schema migrations, applied in order inside one transaction each. Append new ones at the end; never edit or
 * reorder an applied one. `version` is the position (1-based) and is recorded in `schema_version`.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'evidence log',
    sql: `
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE evidence (
        seq INTEGER PRIMARY KEY,
        ts TEXT NOT NULL,
        incident TEXT,
        actor TEXT NOT NULL,
        kind TEXT NOT NULL,
        payload TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE INDEX evidence_incident ON evidence (incident, seq);
      CREATE INDEX evidence_kind ON evidence (kind, seq);
      CREATE TRIGGER evidence_no_update BEFORE UPDATE ON evidence
        BEGIN SELECT RAISE(ABORT, 'evidence is append-only: UPDATE refused'); END;
      CREATE TRIGGER evidence_no_delete BEFORE DELETE ON evidence
        BEGIN SELECT RAISE(ABORT, 'evidence is append-only: DELETE refused'); END;
    `,
  },
  // Reserved slots, one per module, so that modules built at the same time never take the same number.
  // Each owner replaces its own `sql` (and name); an unused slot stays a no-op.
  { version: 2, name: 'scan (reserved)', sql: '' },
  {
    version: 3,
    name: 'org scan watermarks',
    // `lockout scan --org --since-last`: the newest SystemModstamp seen by the last successful scan of an object.
    sql: `
      CREATE TABLE org_scan_watermark (
        org_id TEXT NOT NULL,
        object TEXT NOT NULL,
        watermark TEXT NOT NULL,
        records INTEGER NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (org_id, object)
      );
    `,
  },
  {
    version: 4,
    name: 'isolate: index of isolations (the evidence log holds what was done)',
    sql: `
      CREATE TABLE isolation (
        id TEXT PRIMARY KEY,
        incident TEXT,
        created_at TEXT NOT NULL,
        actor TEXT NOT NULL,
        integrations TEXT NOT NULL,
        trigger TEXT NOT NULL,
        state TEXT NOT NULL,
        changes INTEGER NOT NULL DEFAULT 0,
        failed INTEGER NOT NULL DEFAULT 0,
        planned_seq INTEGER NOT NULL,
        finished_seq INTEGER,
        undone_seq INTEGER
      );
    `,
  },
  {
    version: 5,
    name: 'snapshot and rollback',
    sql: `
      CREATE TABLE snapshots (
        n INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        object TEXT NOT NULL,
        source TEXT NOT NULL,
        where_clause TEXT,
        fields TEXT NOT NULL,
        started_at TEXT NOT NULL,
        taken_at TEXT,
        record_count INTEGER NOT NULL DEFAULT 0,
        merkle_root TEXT,
        incident TEXT
      );
      CREATE INDEX snapshots_object ON snapshots (object, taken_at);
      CREATE TABLE snapshot_records (
        snap INTEGER NOT NULL REFERENCES snapshots (n) ON DELETE CASCADE,
        pos INTEGER NOT NULL,
        record_id TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        json TEXT NOT NULL,
        PRIMARY KEY (snap, record_id)
      );
      CREATE TABLE rollback_runs (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        undo_of TEXT,
        incident TEXT,
        actor TEXT NOT NULL,
        created_at TEXT NOT NULL,
        status TEXT NOT NULL,
        instance_url TEXT,
        org_id TEXT,
        scope TEXT NOT NULL,
        options TEXT NOT NULL,
        summary TEXT NOT NULL,
        plan TEXT NOT NULL,
        finished_at TEXT
      );
      CREATE TABLE rollback_journal (
        run_id TEXT NOT NULL REFERENCES rollback_runs (id),
        seq INTEGER NOT NULL,
        object TEXT NOT NULL,
        record_id TEXT NOT NULL,
        action TEXT NOT NULL,
        fields TEXT NOT NULL,
        before_image TEXT NOT NULL,
        state TEXT NOT NULL,
        batch INTEGER,
        channel TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        error TEXT,
        updated_at TEXT,
        PRIMARY KEY (run_id, seq)
      );
      CREATE INDEX rollback_journal_state ON rollback_journal (run_id, state);
      CREATE TABLE rollback_lock (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        run_id TEXT NOT NULL,
        pid INTEGER NOT NULL,
        host TEXT NOT NULL,
        acquired_at TEXT NOT NULL
      );
    `,
  },
  { version: 6, name: 'report (reserved)', sql: '' },
  { version: 7, name: 'playbook (reserved)', sql: '' },
];
