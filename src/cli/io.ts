import type { Readable, Writable } from 'node:stream';

/** Where a command reads and writes. Data goes to `out`; progress, spinners and colour go to `err`. */
export interface IO {
  in: Readable;
  out: Writable;
  err: Writable;
  /** Whether each stream is a terminal (progress and colour only on a TTY). */
  isTTY: { in: boolean; out: boolean; err: boolean };
  /** Colour on stderr: a TTY, and neither --no-color nor NO_COLOR. */
  color: boolean;
}

export function processIO(): IO {
  return {
    in: process.stdin,
    out: process.stdout,
    err: process.stderr,
    isTTY: { in: !!process.stdin.isTTY, out: !!process.stdout.isTTY, err: !!process.stderr.isTTY },
    color: false,
  };
}
