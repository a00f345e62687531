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
  { version: 3, name: 'org (reserved)', sql: '' },
  { version: 4, name: 'isolate (reserved)', sql: '' },
  { version: 5, name: 'snapshot and rollback (reserved)', sql: '' },
  { version: 6, name: 'report (reserved)', sql: '' },
  { version: 7, name: 'playbook (reserved)', sql: '' },
];
