import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';

/**
 * An append-only list that keeps memory bounded: items are kept as JSON text, and once more than `limit`
 * characters are held they move to a temporary file (removed by `close`). Read back once, in order, with `items`.
 * The scanner keeps its candidates here: a quarter of the records can carry a weak reason, and population verdicts
 * are only known at the end of the input.
 */
export class Spool<T> {
  private mem: string[] = [];
  private memChars = 0;
  private dir: string | null = null;
  private fd: number | null = null;
  /** Items pushed. */
  count = 0;
  constructor(private readonly limit = 8 * 1024 * 1024) {}

  /** Whether items went to the temporary file (for tests). */
  get spilled(): boolean {
    return this.fd !== null;
  }

  push(item: T): void {
    const s = JSON.stringify(item);
    this.mem.push(s);
    this.memChars += s.length;
    this.count += 1;
    if (this.memChars >= this.limit) this.flush();
  }

  private flush(): void {
    if (!this.mem.length) return;
    if (this.fd === null) {
      this.dir = mkdtempSync(path.join(tmpdir(), 'lockout-scan-'));
      this.fd = openSync(path.join(this.dir, 'candidates.jsonl'), 'w+', 0o600);
    }
    writeSync(this.fd, `${this.mem.join('\n')}\n`);
    this.mem = [];
    this.memChars = 0;
  }

  /** Every item, in the order pushed. */
  *items(): Generator<T> {
    if (this.fd !== null) {
      const buf = Buffer.allocUnsafe(1 << 20);
      const decoder = new StringDecoder('utf8');
      let pos = 0;
      let rest = '';
      for (;;) {
        const n = readSync(this.fd, buf, 0, buf.length, pos);
        if (n <= 0) break;
        pos += n;
        const text = rest + decoder.write(buf.subarray(0, n));
        const lines = text.split('\n');
        rest = lines.pop()!;
        for (const line of lines) if (line) yield JSON.parse(line) as T;
      }
      rest += decoder.end();
      if (rest) yield JSON.parse(rest) as T;
    }
    for (const s of this.mem) yield JSON.parse(s) as T;
  }

  /** Remove the temporary file, if any. Safe to call twice. */
  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = null;
    this.mem = [];
  }
}
