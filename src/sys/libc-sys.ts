// Sys on Linux, through libc (FFI): open/read/close, opendir/readdir, statx, mkdir, link,
// unlink, readlink, fchmod. Every flag, syscall number and struct offset comes from this target's
// row of abi.ts (x86-64 and AArch64 number some differently).

import { CString, ptr } from "bun:ffi";
import { linuxAbi, type LinuxAbi } from "./abi.ts";
import { errnoName } from "./errno.ts";
import { libc, type Libc } from "./libc.ts";
import type { FileInfo, Sys } from "./sys.ts";

/** struct statx → FileInfo. */
function info(abi: LinuxAbi, buf: Uint8Array): FileInfo {
  const { S_IFMT, S_IFREG, S_IFDIR, S_IFLNK } = abi.constants;
  const at = abi.layouts["struct statx"];
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const mode = v.getUint16(at.stx_mode, true);
  const type = mode & S_IFMT;
  const mtime = Number(v.getBigInt64(at["stx_mtime.tv_sec"], true)) * 1000 + v.getUint32(at["stx_mtime.tv_nsec"], true) / 1e6;
  return {
    kind: type === S_IFREG ? "file" : type === S_IFDIR ? "directory" : type === S_IFLNK ? "symlink" : "other",
    token: `${v.getUint32(at.stx_dev_major, true)}:${v.getUint32(at.stx_dev_minor, true)}:${v.getBigUint64(at.stx_ino, true)}`,
    perm: mode & 0o7777,
    uid: v.getUint32(at.stx_uid, true),
    size: Number(v.getBigUint64(at.stx_size, true)),
    mtimeMs: mtime,
    changed: `${v.getBigInt64(at["stx_ctime.tv_sec"], true)}.${v.getUint32(at["stx_ctime.tv_nsec"], true)}`,
  };
}

function make(c: Libc, abi: LinuxAbi): Sys | undefined {
  const { O_RDONLY, O_WRONLY, O_CREAT, O_EXCL, O_NONBLOCK, O_NOFOLLOW, O_CLOEXEC } = abi.constants;
  const { AT_FDCWD, AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH, STATX_BASIC_STATS, SYS_statx } = abi.constants;
  const STATX_SIZE = abi.layouts["struct statx"].sizeof;
  const D_NAME = abi.layouts["struct dirent"].d_name;
  const f = c.fn;
  const { open, read: readFd, pread, write, close, opendir, readdir, closedir, readlink, mkdir, link, unlink, fchmod, syscall } = f;
  if (!open || !readFd || !pread || !write || !close || !opendir || !readdir || !closedir || !readlink || !mkdir || !link || !unlink || !fchmod || !syscall) {
    return undefined;
  }
  const fail = (rc: number | bigint): string | undefined => (Number(rc) < 0 ? errnoName(c.errno()) : undefined);
  const statx = (dirfd: number, path: Uint8Array, flags: number): FileInfo | undefined => {
    const buf = new Uint8Array(STATX_SIZE);
    return Number(syscall(SYS_statx, dirfd, ptr(path), flags, STATX_BASIC_STATS, ptr(buf))) === 0 ? info(abi, buf) : undefined;
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

    readPart(path, end, maxBytes) {
      const fd = open(c.cstring(path), O_RDONLY | O_NONBLOCK | O_CLOEXEC, 0);
      if (fd < 0) return undefined;
      try {
        const entry = statx(fd, EMPTY, AT_EMPTY_PATH);
        if (!entry || entry.kind !== "file") return undefined;
        const whole = entry.size <= maxBytes;
        const size = Math.min(entry.size, maxBytes);
        const from = end === "tail" ? entry.size - size : 0;
        const buf = new Uint8Array(size);
        let len = 0;
        while (len < size) {
          const n = Number(pread(fd, ptr(buf, len), size - len, from + len));
          if (n < 0) return undefined;
          if (n === 0) break;
          len += n;
        }
        return { bytes: buf.subarray(0, len), whole };
      } finally {
        close(fd);
      }
    },

    readRanges(path, use) {
      const fd = open(c.cstring(path), O_RDONLY | O_NONBLOCK | O_CLOEXEC, 0);
      if (fd < 0) return undefined;
      try {
        const entry = statx(fd, EMPTY, AT_EMPTY_PATH);
        if (!entry || entry.kind !== "file") return undefined;
        return use((offset, length) => {
          const buf = new Uint8Array(Math.max(0, Math.min(length, entry.size - offset)));
          let len = 0;
          while (len < buf.length) {
            const n = Number(pread(fd, ptr(buf, len), buf.length - len, offset + len));
            if (n < 0) return undefined;
            if (n === 0) break;
            len += n;
          }
          return buf.subarray(0, len);
        }, entry.size);
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
          const name = new CString(e, D_NAME).toString();
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

    writeAll(fd, bytes) {
      for (let off = 0; off < bytes.length; ) {
        const n = Number(write(fd, ptr(bytes, off), bytes.length - off));
        if (n > 0) off += n;
        else if (n === 0) return "EIO";
        else {
          const e = errnoName(c.errno());
          if (e === "EAGAIN") Bun.sleepSync(1);
          else if (e !== "EINTR") return e;
        }
      }
      return undefined;
    },

    link: (existing, newPath) => fail(link(c.cstring(existing), c.cstring(newPath))),
    unlink: (path) => fail(unlink(c.cstring(path))),

    chmodDirectory(path, mode, owner) {
      const fd = open(c.cstring(path), O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC, 0);
      if (fd < 0) return errnoName(c.errno());
      try {
        const before = statx(fd, EMPTY, AT_EMPTY_PATH);
        if (!before) return "EIO";
        if (before.kind !== "directory") return "ENOTDIR";
        if (before.uid !== owner) return "EPERM";
        const failed = fail(fchmod(fd, mode));
        if (failed) return failed;
        return statx(fd, EMPTY, AT_EMPTY_PATH)?.perm === mode ? undefined : "EPERM";
      } finally {
        close(fd);
      }
    },
  };
}

export function libcSys(): Sys | undefined {
  const c = libc();
  const abi = linuxAbi();
  return c && abi ? make(c, abi) : undefined;
}
