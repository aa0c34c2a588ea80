/**
 * Reading input files: regular files only, so that a FIFO, a device or a folder named as a
 * file is a clear problem instead of a hang or a misleading "does not exist".
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';

export type ReadResult =
  | { readonly ok: true; readonly text: string; readonly size: number }
  | { readonly ok: false; readonly reason: 'missing' | 'not-a-file' | 'too-big' | 'unreadable'; readonly message: string };

/** What a path is, in words, when it is not a regular file. */
export function describeNonFile(st: Stats): string {
  if (st.isDirectory()) return 'is a directory';
  if (st.isFIFO()) return 'is a named pipe (FIFO), not a regular file';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'is a device, not a regular file';
  if (st.isSocket()) return 'is a socket, not a regular file';
  return 'is not a regular file';
}

/** Why `path` cannot be read as a file, or undefined when it is a regular file. */
export function notAFile(path: string): ReadResult & { ok: false } | undefined {
  let st: Stats;
  try {
    st = statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, reason: 'missing', message: 'does not exist' };
    return { ok: false, reason: 'unreadable', message: `cannot be read (${code ?? (e as Error).message})` };
  }
  return st.isFile() ? undefined : { ok: false, reason: 'not-a-file', message: describeNonFile(st) };
}

/**
 * The text of a regular file of at most `limit` bytes. Opened with O_NONBLOCK and checked again
 * on the open descriptor, so a path swapped for a FIFO between the checks cannot block.
 */
export function readRegularFile(path: string, limit: number): ReadResult {
  const bad = notAFile(path);
  if (bad) return bad;
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    return { ok: false, reason: 'unreadable', message: `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { ok: false, reason: 'not-a-file', message: describeNonFile(st) };
    if (st.size > limit) return { ok: false, reason: 'too-big', message: `is ${st.size} bytes, over the ${limit}-byte limit` };
    const buf = Buffer.allocUnsafe(st.size);
    let n = 0;
    while (n < st.size) {
      const got = readSync(fd, buf, n, st.size - n, null);
      if (got === 0) break;
      n += got;
    }
    return { ok: true, text: buf.toString('utf8', 0, n), size: n };
  } catch (e) {
    return { ok: false, reason: 'unreadable', message: `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  } finally {
    closeSync(fd);
  }
}

/**
 * The most SQL one run reads, all files together. The statements' trees and the catalog take
 * about 50 bytes of memory per byte of table DDL (16 MiB peaked at 0.96 GB RSS, 20 MB at
 * 1.16 GB, and 50 MB ran out of memory): past this the rest is reported as not read.
 */
export const MAX_SQL_BYTES = 12 * 1024 * 1024;

/** The problem text for SQL past the budget. */
export function overBudget(bytes: number): string {
  return `not read: with it the SQL of this run comes to ${(bytes / 1024 / 1024).toFixed(1)} MiB, over the ${MAX_SQL_BYTES / 1024 / 1024} MiB one run reads (about 1 GB of memory); check the files in parts`;
}
