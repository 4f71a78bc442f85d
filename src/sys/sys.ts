// The file-system calls stitch makes, behind one small interface with two implementations:
// libc through FFI on Linux (libc-sys.ts), and node:fs everywhere else (node-sys.ts).
// Why not node:fs everywhere: loading it costs ~2.4 ms of start-up, more than all the rest
// of stitch's work; a handful of libc calls cost microseconds.

export interface FileInfo {
  readonly kind: "file" | "directory" | "symlink" | "other";
  /** Identifies the file (device and inode), to check a path still holds it. */
  readonly token: string;
  /** Permission bits (mode & 0o7777). */
  readonly perm: number;
  readonly uid: number;
  readonly size: number;
  readonly mtimeMs: number;
  /**
   * The inode change time, as exact as the file system keeps it: any write, link, chmod or
   * rename changes it, a read never does. With `token`, tells a file from a fresh one that
   * reused a freed inode number (a sweep must not delete the fresh one).
   */
  readonly changed: string;
}

/** `length` bytes of an open file at `offset`: fewer at its end, undefined on an error. */
export type ReadAt = (offset: number, length: number) => Uint8Array | undefined;

/** An errno name (`ENOENT`, `EEXIST`, ...); undefined means success. */
export type Failure = string | undefined;

export interface Sys {
  /** All of a small kernel file (/proc/...): undefined when it cannot be read. */
  readWhole(path: string): Uint8Array | undefined;
  /**
   * A file someone else may have shaped: opened without blocking (a FIFO) and, with
   * `noFollow`, without following a symbolic link (then the link itself is described).
   * `bytes` only for a regular file of at most `maxBytes`. undefined when nothing is there.
   */
  readBounded(path: string, maxBytes: number, noFollow: boolean): { bytes: Uint8Array | undefined; info: FileInfo } | undefined;
  /** Names in a directory, without `.` and `..`. */
  list(dir: string): string[] | undefined;
  /**
   * The first or the last `maxBytes` of a regular file (opened without blocking, so a FIFO
   * is refused, not waited on), and whether that is the whole file; undefined when unreadable.
   */
  readPart(path: string, end: "head" | "tail", maxBytes: number): { bytes: Uint8Array; whole: boolean } | undefined;
  /**
   * Reads chosen ranges of a regular file through one descriptor (opened without blocking,
   * so a FIFO is refused, not waited on): `use` gets a reader of `length` bytes at `offset`
   * (fewer at the end of the file, undefined on an error) and the file's size. undefined
   * when the file cannot be opened or is not a regular file.
   */
  readRanges<T>(path: string | Uint8Array, use: (read: ReadAt, size: number) => T): T | undefined;
  /** A path as a string, or as bytes (a PATH entry need not be UTF-8). */
  stat(path: string | Uint8Array): FileInfo | undefined;
  lstat(path: string | Uint8Array): FileInfo | undefined;
  readlink(path: string | Uint8Array): string | undefined;
  mkdir(path: string, mode: number): Failure;
  /** Creates the file (never through a link, failing if it exists) and writes all bytes. */
  createExclusive(path: string, bytes: Uint8Array, mode: number): Failure;
  link(existing: string, newPath: string): Failure;
  /**
   * Sets the mode of the directory at `path`, if `owner` owns it, through one descriptor:
   * the directory checked is the one changed. A symbolic link there is not followed
   * (ELOOP); not a directory: ENOTDIR; another owner, or a mode that did not change when
   * read back (a file system that ignores chmod): EPERM.
   */
  chmodDirectory(path: string, mode: number, owner: number): Failure;
  unlink(path: string): Failure;
  /**
   * Writes all bytes to an open descriptor (stitch's own stdout or stderr), synchronously:
   * a short write continues, EINTR and EAGAIN (a descriptor someone made non-blocking) are
   * waited out; any other error is returned.
   */
  writeAll(fd: number, bytes: Uint8Array): Failure;
}

let chosen: Sys | undefined;

/** libc through FFI where it is available (Linux), node:fs otherwise. */
export function sys(): Sys {
  if (!chosen) {
    if (process.platform === "linux") chosen = require("./libc-sys.ts").libcSys() as Sys | undefined;
    chosen ??= require("./node-sys.ts").nodeSys() as Sys;
  }
  return chosen;
}
