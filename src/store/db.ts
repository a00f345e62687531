import { chmodSync, closeSync, existsSync, mkdirSync, openSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { missingDirs } from '../util/fs.js';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { UsageError } from '../errors.js';
import { migrations as allMigrations, type Migration } from './migrations.js';

export type DB = Database.Database;

export interface OpenOptions {
  /** Create the file (and its directory) when missing. Read-only commands pass false. */
  create: boolean;
  migrations?: readonly Migration[];
}

/** Directories from `dir` upwards that do not exist yet (deepest last). */
/**
 * Open (and on first use create) the evidence database: 0600 file in a 0700 directory, WAL, migrated.
 * On any failure nothing half-created is left behind, and the error is a UsageError naming the path.
 */
export function openDatabase(file: string, opts: OpenOptions): DB {
  const dbPath = path.resolve(file);
  const exists = existsSync(dbPath);
  if (!exists && !opts.create) {
    throw new UsageError(`no evidence database at ${dbPath}`, {
      hint: 'open an incident first (lockout incident open --title ...) or pass --db',
    });
  }
  if (exists) {
    const st = statSync(dbPath);
    if (st.isDirectory()) throw new UsageError(`--db ${dbPath} is a directory, not a file`);
    // A device or pipe (e.g. --db /dev/null) is no database, and SQLite would leave a journal beside it.
    if (!st.isFile()) throw new UsageError(`--db ${dbPath} is not a regular file`);
  }

  const createdDirs = exists ? [] : missingDirs(path.dirname(dbPath));
  let db: DB | undefined;
  const made: string[] = [];
  try {
    if (!exists) {
      for (const d of createdDirs) {
        mkdirSync(d, { mode: 0o700 });
        made.push(d);
      }
      closeSync(openSync(dbPath, 'wx', 0o600));
      made.push(dbPath);
    }
    db = new Database(dbPath);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 15000');
    db.pragma('foreign_keys = ON');
    migrate(db, opts.migrations ?? allMigrations);
    for (const f of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
    return db;
  } catch (e) {
    db?.close();
    // Remove exactly what this call created, newest first; best effort, the original error is what matters.
    if (made.includes(dbPath)) made.push(`${dbPath}-wal`, `${dbPath}-shm`);
    for (const p of made.reverse()) {
      try {
        if (createdDirs.includes(p)) rmdirSync(p);
        else rmSync(p, { force: true });
      } catch {
        /* already gone or not ours to remove */
      }
    }
    if (e instanceof UsageError) throw e;
    const err = e as NodeJS.ErrnoException;
    const reason =
      err.code === 'EACCES' || err.code === 'EPERM' || err.code === 'EROFS'
        ? 'permission denied'
        : err.code === 'ENOTDIR'
          ? 'a parent path is not a directory'
          : err.message;
    throw new UsageError(`cannot open evidence database ${dbPath}: ${reason}`, {
      hint: 'choose a writable path with --db or LOCKOUT_DB',
      cause: e,
    });
  }
}

export function schemaVersion(db: DB): number {
  return (db.pragma('user_version', { simple: true }) as number) ?? 0;
}

function migrate(db: DB, migrations: readonly Migration[]): void {
  // IMMEDIATE: two processes creating the same database serialise here instead of both migrating.
  db.transaction(() => {
    db.exec(
      'CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
    );
    const current = schemaVersion(db);
    const known = migrations.length;
    if (current > known) {
      throw new UsageError(`database schema version ${current} is newer than this lockout (${known})`, {
        hint: 'upgrade lockout',
      });
    }
    for (const m of migrations.slice(current)) {
      if (m.sql.trim()) db.exec(m.sql);
      db.prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        new Date().toISOString(),
      );
      db.pragma(`user_version = ${m.version}`);
    }
    if (current === 0) {
      db.prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('origin', ?)").run(`lockout:${randomUUID()}`);
    }
  }).immediate();
}
