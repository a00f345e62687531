import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { UsageError } from '../errors.js';

/**
 * Write a file atomically: a temporary file in the same directory, fsync, then rename.
 * A failure leaves the destination untouched. `flag` names the option in the error.
 */
export function writeFileAtomic(
  file: string,
  data: string | Buffer,
  opts: { mode?: number; flag?: string } = {},
): void {
  const dest = path.resolve(file);
  const tmp = path.join(path.dirname(dest), `.${path.basename(dest)}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', opts.mode ?? 0o644);
    writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, dest);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    // Name the destination and the reason, not the temporary file the system call failed on.
    const code = (e as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? `no directory ${path.dirname(dest)}`
        : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'it is a directory'
            : code === 'ENOTDIR'
              ? 'a parent path is not a directory'
              : (e as Error).message;
    throw new UsageError(`${opts.flag ?? 'output'}: cannot write ${dest}: ${reason}`, { cause: e });
  }
}

/** The directories `dir` needs that do not exist yet, outermost first. */
export function missingDirs(dir: string): string[] {
  const missing: string[] = [];
  let d = path.resolve(dir);
  while (!existsSync(d)) {
    missing.unshift(d);
    const parent = path.dirname(d);
    if (parent === d) break;
    d = parent;
  }
  return missing;
}

/**
 * `mkdir -p`, one level at a time. Not `mkdirSync(dir, { recursive: true })`: on Node 20 that never returns for a
 * path under /proc (it retries ENOENT forever); here the first level that cannot be made throws.
 */
export function makeDirs(dir: string, mode?: number): void {
  for (const d of missingDirs(dir)) mkdirSync(d, mode === undefined ? {} : { mode });
}
