import { openDatabase, schemaVersion, type DB, type OpenOptions } from './db.js';
import {
  canonicalJson,
  ChainVerifier,
  GENESIS,
  hashEntry,
  type ChainBreak,
  type ChainedEntry,
  type ChainState,
} from './chain.js';

/** What a command appends; the store adds seq and the hashes. */
export interface EvidenceInput {
  kind: string;
  incident: string | null;
  actor: string;
  ts: string;
  payload: unknown;
}

interface Row {
  seq: number;
  ts: string;
  incident: string | null;
  actor: string;
  kind: string;
  payload: string;
  prev_hash: string;
  hash: string;
}

const toEntry = (r: Row): ChainedEntry => ({
  seq: r.seq,
  ts: r.ts,
  incident: r.incident,
  actor: r.actor,
  kind: r.kind,
  payload: JSON.parse(r.payload) as unknown,
  prevHash: r.prev_hash,
  hash: r.hash,
});

export interface EntryFilter {
  incident?: string;
  kinds?: readonly string[];
  /** Only entries with seq greater than this. */
  afterSeq?: number;
}

/** The evidence store: an append-only, hash-chained log in SQLite, plus the tables other modules add. */
export class Store {
  readonly db: DB;
  readonly path: string;

  private constructor(db: DB, path: string) {
    this.db = db;
    this.path = path;
  }

  static open(path: string, opts: OpenOptions): Store {
    return new Store(openDatabase(path, opts), path);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  origin(): string {
    const row = this.db.prepare("SELECT value FROM meta WHERE key = 'origin'").get() as { value: string } | undefined;
    return row?.value ?? 'lockout:unknown';
  }

  schemaVersion(): number {
    return schemaVersion(this.db);
  }

  /** Append one entry. Serialised across processes (BEGIN IMMEDIATE), so concurrent writers chain correctly. */
  append(input: EvidenceInput): ChainedEntry {
    return this.appendWith(() => input);
  }

  /**
   * Append an entry computed inside the write transaction, so `build` sees every earlier entry (e.g. to number
   * incidents without races). `build` must not write to the database itself.
   */
  appendWith(build: (store: Store) => EvidenceInput): ChainedEntry {
    const run = this.db.transaction(() => {
      const input = build(this);
      const last = this.db.prepare('SELECT seq, hash FROM evidence ORDER BY seq DESC LIMIT 1').get() as
        { seq: number; hash: string } | undefined;
      const seq = (last?.seq ?? 0) + 1;
      const prevHash = last?.hash ?? GENESIS;
      // Round-trip through canonical JSON so what is stored is exactly what was hashed.
      const payload = JSON.parse(canonicalJson(input.payload ?? {})) as unknown;
      const entry = { seq, ts: input.ts, incident: input.incident, actor: input.actor, kind: input.kind, payload };
      const hash = hashEntry(prevHash, entry);
      this.db
        .prepare(
          'INSERT INTO evidence (seq, ts, incident, actor, kind, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(seq, entry.ts, entry.incident, entry.actor, entry.kind, canonicalJson(payload), prevHash, hash);
      return { ...entry, prevHash, hash };
    });
    return run.immediate();
  }

  /** Entries in seq order, streamed. */
  *entries(filter: EntryFilter = {}): Generator<ChainedEntry> {
    const where: string[] = ['seq > ?'];
    const params: unknown[] = [filter.afterSeq ?? 0];
    if (filter.incident !== undefined) {
      where.push('incident = ?');
      params.push(filter.incident);
    }
    if (filter.kinds?.length) {
      where.push(`kind IN (${filter.kinds.map(() => '?').join(', ')})`);
      params.push(...filter.kinds);
    }
    const stmt = this.db.prepare(`SELECT * FROM evidence WHERE ${where.join(' AND ')} ORDER BY seq`);
    for (const row of stmt.iterate(...params)) yield toEntry(row as Row);
  }

  head(): ChainState {
    const last = this.db.prepare('SELECT seq, hash FROM evidence ORDER BY seq DESC LIMIT 1').get() as
      { seq: number; hash: string } | undefined;
    return { size: last?.seq ?? 0, head: last?.hash ?? GENESIS };
  }

  hashAt(seq: number): string | undefined {
    const row = this.db.prepare('SELECT hash FROM evidence WHERE seq = ?').get(seq) as { hash: string } | undefined;
    return row?.hash;
  }

  /** Walk the whole chain from the first entry; stops at the first break. */
  verify(): { break: ChainBreak | null; state: ChainState; count: number } {
    const v = new ChainVerifier();
    let count = 0;
    const stmt = this.db.prepare('SELECT * FROM evidence ORDER BY seq');
    for (const row of stmt.iterate()) {
      count += 1;
      let entry: ChainedEntry;
      try {
        entry = toEntry(row as Row);
      } catch {
        const r = row as Row;
        return {
          break: {
            seq: r.seq,
            reason: 'hash',
            expected: 'valid JSON payload',
            actual: 'unparseable payload',
            message: `entry ${r.seq} was altered: its payload is not valid JSON`,
          },
          state: v.state(),
          count,
        };
      }
      const b = v.push(entry);
      if (b) return { break: b, state: v.state(), count };
    }
    return { break: null, state: v.state(), count };
  }
}
