import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';

/**
 * An output file written as a stream but atomically, like writeFileAtomic: text goes to a temporary file next to
 * the target, which is renamed over it by `commit`; `abort` removes it. Nobody ever sees a partial `--out` file.
 */
export class AtomicStream {
  private fd: number | null;
  private readonly tmp: string;
  private readonly dest: string;
  private buf: string[] = [];
  private chars = 0;
  private committed = false;
  constructor(
    file: string,
    private readonly flag = '--out',
  ) {
    this.dest = path.resolve(file);
    this.tmp = path.join(path.dirname(this.dest), `.${path.basename(this.dest)}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      this.fd = openSync(this.tmp, 'wx', 0o644);
    } catch (e) {
      throw new UsageError(
        `${flag}: cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      );
    }
  }

  write(text: string): void {
    this.buf.push(text);
    this.chars += text.length;
    if (this.chars >= 1 << 20) this.flush();
  }

  private flush(): void {
    if (this.fd === null || !this.buf.length) return;
    writeSync(this.fd, this.buf.join(''));
    this.buf = [];
    this.chars = 0;
  }

  /** Flush, sync and rename over the target. */
  commit(): void {
    const fd = this.fd;
    if (this.committed || fd === null) return;
    try {
      this.flush();
      fsyncSync(fd);
      closeSync(fd);
      this.fd = null;
      renameSync(this.tmp, this.dest);
      this.committed = true;
    } catch (e) {
      this.abort();
      throw new UsageError(
        `${this.flag}: cannot write ${this.dest}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      );
    }
  }

  /** Remove the temporary file (nothing is written to the target). Safe after commit. */
  abort(): void {
    if (this.committed) return;
    if (this.fd !== null) {
      try {
        closeSync(this.fd);
      } catch {
        /* already closed */
      }
      this.fd = null;
    }
    rmSync(this.tmp, { force: true });
  }
}
