import { spawn } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Store } from '../../src/store/evidence.js';
import { GENESIS } from '../../src/store/chain.js';
import { tempDir } from '../helpers/cli.js';

function freshStore(entries = 5): { store: Store; file: string } {
  const file = path.join(tempDir(), 'ev', 'lockout.db');
  const store = Store.open(file, { create: true });
  for (let i = 1; i <= entries; i++) {
    store.append({
      kind: 'test.entry',
      incident: 'INC-2026-0001',
      actor: 'alice',
      ts: `2026-11-26T08:00:0${i}.000Z`,
      payload: { n: i, text: `entry ${i}` },
    });
  }
  return { store, file };
}

/** Tamper from outside lockout: a raw connection with the append-only triggers dropped. */
function tamper(file: string, sql: string): void {
  const db = new Database(file);
  db.exec('DROP TRIGGER IF EXISTS evidence_no_update; DROP TRIGGER IF EXISTS evidence_no_delete;');
  db.exec(sql);
  db.close();
}

describe('Store', () => {
  it('creates the database 0600 in a 0700 directory, in WAL mode, migrated', () => {
    const { store, file } = freshStore(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.schemaVersion()).toBeGreaterThanOrEqual(1);
    expect(store.origin()).toMatch(/^lockout:[0-9a-f-]{36}$/);
    expect(store.head()).toEqual({ size: 0, head: GENESIS });
    store.close();
  });

  it('refuses UPDATE and DELETE on evidence', () => {
    const { store } = freshStore(2);
    expect(() => store.db.prepare("UPDATE evidence SET kind = 'x' WHERE seq = 1").run()).toThrow(/append-only/);
    expect(() => store.db.prepare('DELETE FROM evidence WHERE seq = 2').run()).toThrow(/append-only/);
    store.close();
  });

  it('chains entries and verifies an intact log', () => {
    const { store } = freshStore(5);
    const result = store.verify();
    expect(result.break).toBeNull();
    expect(result.state.size).toBe(5);
    expect(result.state.head).toBe(store.head().head);
    const rows = [...store.entries()];
    expect(rows[0]!.prevHash).toBe(GENESIS);
    expect(rows[3]!.prevHash).toBe(rows[2]!.hash);
    store.close();
  });

  it('does not create a database for read-only use', () => {
    const file = path.join(tempDir(), 'missing', 'lockout.db');
    expect(() => Store.open(file, { create: false })).toThrow(/no evidence database/);
    expect(existsSync(path.dirname(file))).toBe(false);
  });

  it('leaves nothing behind when the path cannot be created', () => {
    const base = tempDir();
    const blocker = path.join(base, 'file');
    writeFileSync(blocker, 'x'); // a plain file where a directory is expected
    expect(() => Store.open(path.join(blocker, 'sub', 'lockout.db'), { create: true })).toThrow(
      /cannot open evidence database/,
    );
    expect(existsSync(path.join(blocker, 'sub'))).toBe(false);
  });

  describe('tampering from outside', () => {
    it('one changed payload byte breaks at that entry (hash)', () => {
      const { store, file } = freshStore(5);
      store.close();
      tamper(file, `UPDATE evidence SET payload = replace(payload, 'entry 3', 'entry 8') WHERE seq = 3`);
      const s = Store.open(file, { create: false });
      expect(s.verify().break).toMatchObject({ seq: 3, reason: 'hash' });
      s.close();
    });

    it('two reordered entries break at the first of them', () => {
      const { store, file } = freshStore(5);
      store.close();
      tamper(
        file,
        `UPDATE evidence SET seq = -2 WHERE seq = 2; UPDATE evidence SET seq = 2 WHERE seq = 4; UPDATE evidence SET seq = 4 WHERE seq = -2;`,
      );
      const s = Store.open(file, { create: false });
      const b = s.verify().break;
      expect(b?.seq).toBe(2);
      expect(['hash', 'link']).toContain(b?.reason);
      s.close();
    });

    it('a deleted middle entry is a gap at its sequence number', () => {
      const { store, file } = freshStore(5);
      store.close();
      tamper(file, 'DELETE FROM evidence WHERE seq = 3');
      const s = Store.open(file, { create: false });
      expect(s.verify().break).toMatchObject({ seq: 3, reason: 'gap' });
      s.close();
    });

    it('a re-hashed rewrite of one entry breaks the link of the next', () => {
      const { store, file } = freshStore(5);
      store.close();
      tamper(file, `UPDATE evidence SET hash = '${'a'.repeat(64)}' WHERE seq = 2`);
      const s = Store.open(file, { create: false });
      expect(s.verify().break).toMatchObject({ seq: 2, reason: 'hash' });
      s.close();
    });
  });

  it('two processes appending at once produce one valid chain with every entry', async () => {
    const { store, file } = freshStore(0);
    store.close();
    // Each child process appends 60 entries through the built store (npm test builds dist first).
    const child = (tag: string) =>
      new Promise<number>((resolve, reject) => {
        const p = spawn(
          process.execPath,
          [
            '--input-type=module',
            '-e',
            `import { Store } from ${JSON.stringify(path.resolve('dist/store/evidence.js'))};
             const s = Store.open(${JSON.stringify(file)}, { create: true });
             for (let i = 0; i < 60; i++) s.append({ kind: 'test.concurrent', incident: null, actor: '${tag}', ts: new Date().toISOString(), payload: { i } });
             s.close();`,
          ],
          { stdio: 'inherit' },
        );
        p.on('exit', (code) => resolve(code ?? -1));
        p.on('error', reject);
      });
    const codes = await Promise.all([child('a'), child('b')]);
    expect(codes).toEqual([0, 0]);
    const s = Store.open(file, { create: false });
    const result = s.verify();
    expect(result.break).toBeNull();
    expect(result.state.size).toBe(120);
    const byActor = [...s.entries()].reduce<Record<string, number>>(
      (m, e) => ({ ...m, [e.actor]: (m[e.actor] ?? 0) + 1 }),
      {},
    );
    expect(byActor).toEqual({ a: 60, b: 60 });
    s.close();
  });
});
