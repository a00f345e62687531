import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { main } from '../../src/main.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  stdin?: string;
  /** Pretend stdout/stderr/stdin are terminals. */
  tty?: boolean;
  now?: () => Date;
}

/** Run the real CLI in-process (same main() as bin/lockout.js) with in-memory streams. */
export async function runCli(argv: string[], opts: CliOptions = {}): Promise<CliResult> {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c: Buffer) => (stdout += c.toString()));
  err.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await main(argv, {
    io: {
      in: Readable.from(opts.stdin !== undefined ? [Buffer.from(opts.stdin)] : []),
      out,
      err,
      isTTY: { in: !!opts.tty, out: !!opts.tty, err: !!opts.tty },
      color: false,
    },
    env: { LOCKOUT_ACTOR: 'tester', ...(opts.env ?? {}) },
    cwd: opts.cwd ?? tempDir(),
    now: opts.now,
  });
  return { code, stdout, stderr };
}

/** A fresh empty directory under the OS temp dir. */
export function tempDir(prefix = 'lockout-test-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}
