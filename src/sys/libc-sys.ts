// Sys on Linux, through libc (FFI): open/read/close, opendir/readdir, statx, mkdir, link,
// unlink, readlink. Struct layouts used: `struct dirent` of glibc and musl on 64-bit
// Linux (d_type at 18, d_name at 19) and `struct statx`, the same on every architecture.

import { CString, ptr } from "bun:ffi";
import { errnoName } from "./errno.ts";
import { libc, type Libc } from "./libc.ts";
import type { FileInfo, Sys } from "./sys.ts";

const O_RDONLY = 0;
const O_WRONLY = 1;
const O_CREAT = 0o100;
const O_EXCL = 0o200;
const O_NONBLOCK = 0o4000;
const O_NOFOLLOW = 0o400000;
const O_CLOEXEC = 0o2000000;
const AT_FDCWD = -100;
const AT_SYMLINK_NOFOLLOW = 0x100;
const AT_EMPTY_PATH = 0x1000;
const STATX_BASIC_STATS = 0x7ff;
const SYS_STATX = process.arch === "arm64" ? 291 : 332;
const S_IFMT = 0o170000;
const KINDS: Record<number, FileInfo["kind"]> = { 0o100000: "file", 0o040000: "directory", 0o120000: "symlink" };

/** struct statx → FileInfo. */
function info(buf: Uint8Array): FileInfo {
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const mode = v.getUint16(28, true);
  const mtime = Number(v.getBigInt64(112, true)) * 1000 + v.getUint32(120, true) / 1e6;
  return {
    kind: KINDS[mode & S_IFMT] ?? "other",
    token: `${v.getUint32(136, true)}:${v.getUint32(140, true)}:${v.getBigUint64(32, true)}`,
    perm: mode & 0o7777,
    uid: v.getUint32(20, true),
    size: Number(v.getBigUint64(40, true)),
    mtimeMs: mtime,
  };
}

function make(c: Libc): Sys | undefined {
  const f = c.fn;
  const { open, read: readFd, write, close, opendir, readdir, closedir, readlink, mkdir, link, unlink, syscall } = f;
  if (!open || !readFd || !write || !close || !opendir || !readdir || !closedir || !readlink || !mkdir || !link || !unlink || !syscall) {
    return undefined;
  }
  const fail = (rc: number | bigint): string | undefined => (Number(rc) < 0 ? errnoName(c.errno()) : undefined);
  const statx = (dirfd: number, path: Uint8Array, flags: number): FileInfo | undefined => {
    const buf = new Uint8Array(256);
    return Number(syscall(SYS_STATX, dirfd, ptr(path), flags, STATX_BASIC_STATS, ptr(buf))) === 0 ? info(buf) : undefined;
  };
  const EMPTY = c.cstring("");

  /** Reads from fd until EOF or `limit` bytes (then one more, to tell "too large"). */
  const readAll = (fd: number, limit: number): Uint8Array | undefined => {
    let buf = new Uint8Array(Math.min(limit + 1, 4096));
    let len = 0;
    for (;;) {
      if (len === buf.length) {
        if (len > limit) return undefined;
        const bigger = new Uint8Array(Math.min(buf.length * 2, limit + 1));
        bigger.set(buf);
        buf = bigger;
      }
      const n = Number(readFd(fd, ptr(buf, len), buf.length - len));
      if (n < 0) return undefined;
      if (n === 0) return len > limit ? undefined : buf.subarray(0, len);
      len += n;
    }
  };

  return {
    readWhole(path) {
      const fd = open(c.cstring(path), O_RDONLY | O_CLOEXEC, 0);
      if (fd < 0) return undefined;
      try {
        // /proc files report size 0: read to EOF (a command line is at most a few MiB).
        return readAll(fd, 16 << 20);
      } finally {
        close(fd);
      }
    },

    readBounded(path, maxBytes, noFollow) {
      const p = c.cstring(path);
      const fd = open(p, O_RDONLY | O_NONBLOCK | O_CLOEXEC | (noFollow ? O_NOFOLLOW : 0), 0);
      if (fd < 0) {
        const why = errnoName(c.errno());
        if (why === "ENOENT" || why === "ENOTDIR") return undefined;
        // A refused link (ELOOP) or an unreadable entry: describe the entry itself.
        const entry = statx(AT_FDCWD, p, AT_SYMLINK_NOFOLLOW);
        return entry && { bytes: undefined, info: entry };
      }
      try {
        const entry = statx(fd, EMPTY, AT_EMPTY_PATH);
        if (!entry) return undefined;
        if (entry.kind !== "file" || entry.size > maxBytes) return { bytes: undefined, info: entry };
        return { bytes: readAll(fd, maxBytes), info: entry };
      } finally {
        close(fd);
      }
    },

    list(dir) {
      const d = opendir(c.cstring(dir));
      if (!d) return undefined;
      const names: string[] = [];
      try {
        for (let e = readdir(d); e; e = readdir(d)) {
          const name = new CString(e, 19).toString();
          if (name !== "." && name !== "..") names.push(name);
        }
      } finally {
        closedir(d);
      }
      return names;
    },

    stat: (path) => statx(AT_FDCWD, c.cstring(path), 0),
    lstat: (path) => statx(AT_FDCWD, c.cstring(path), AT_SYMLINK_NOFOLLOW),

    readlink(path) {
      const buf = new Uint8Array(4096);
      const n = Number(readlink(c.cstring(path), ptr(buf), buf.length));
      return n < 0 ? undefined : new TextDecoder().decode(buf.subarray(0, n));
    },

    mkdir: (path, mode) => fail(mkdir(c.cstring(path), mode)),

    createExclusive(path, bytes, mode) {
      const fd = open(c.cstring(path), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
      if (fd < 0) return errnoName(c.errno());
      try {
        for (let off = 0; off < bytes.length; ) {
          const n = Number(write(fd, ptr(bytes, off), bytes.length - off));
          if (n <= 0) return n < 0 ? errnoName(c.errno()) : "EIO";
          off += n;
        }
        return undefined;
      } finally {
        close(fd);
      }
    },

    link: (existing, newPath) => fail(link(c.cstring(existing), c.cstring(newPath))),
    unlink: (path) => fail(unlink(c.cstring(path))),
  };
}

export function libcSys(): Sys | undefined {
  const c = libc();
  return c ? make(c) : undefined;
}
