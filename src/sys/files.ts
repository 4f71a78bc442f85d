// Reading a small file that someone else may have shaped: never blocking on a FIFO,
// optionally refusing a symbolic link, and never reading more than a bound.

import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, type Stats } from "node:fs";

export interface BoundedRead {
  /** undefined when the entry is not a regular file, is too large, or cannot be read. */
  readonly bytes: Uint8Array | undefined;
  /** The entry's own status (of the link itself when it is a refused link). */
  readonly stat: Stats;
}

export const errnoOf = (e: unknown): string | undefined => (e as { code?: string } | null)?.code;

/** undefined when nothing is at the path. */
export function readBounded(path: string, maxBytes: number, noFollow: boolean): BoundedRead | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | (noFollow ? constants.O_NOFOLLOW : 0));
  } catch (e) {
    if (errnoOf(e) === "ENOENT" || errnoOf(e) === "ENOTDIR") return undefined;
    // A refused link (ELOOP) or an unreadable entry: report the entry, unread.
    try {
      return { bytes: undefined, stat: lstatSync(path) };
    } catch {
      return undefined;
    }
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size > maxBytes) return { bytes: undefined, stat };
    // One byte more than the file claims: filling it means the file grew while being read.
    const buf = new Uint8Array(stat.size + 1);
    let len = 0;
    for (let n; len < buf.length && (n = readSync(fd, buf, len, buf.length - len, null)) > 0; ) len += n;
    return { bytes: len === buf.length ? undefined : buf.subarray(0, len), stat };
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}
