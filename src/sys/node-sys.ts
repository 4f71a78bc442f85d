// Sys through node:fs: macOS, and wherever libc cannot be reached through FFI. node:fs is
// fetched when nodeSys() is called, never imported: the bundler hoists a module's static
// imports to the top of the executable, where loading node:fs costs ~1 ms of every run's
// start-up, on Linux too, where it is never used.

import type { Stats } from "node:fs";
import type { FileInfo, Sys } from "./sys.ts";

/** node:fs takes a path's bytes as a Buffer. */
const asPath = (path: string | Uint8Array) => (typeof path === "string" ? path : Buffer.from(path));

const code = (e: unknown): string => (e as { code?: string } | null)?.code ?? "EIO";

function info(st: Stats): FileInfo {
  return {
    kind: st.isFile() ? "file" : st.isDirectory() ? "directory" : st.isSymbolicLink() ? "symlink" : "other",
    token: `${st.dev}:${st.ino}`,
    perm: st.mode & 0o7777,
    uid: st.uid,
    size: st.size,
    mtimeMs: st.mtimeMs,
    // Microseconds at best through a double: enough for a file written since it was read.
    changed: String(st.ctimeMs),
  };
}

const attempt = <T>(f: () => T): T | undefined => {
  try {
    return f();
  } catch {
    return undefined;
  }
};
const failure = (f: () => void): string | undefined => {
  try {
    f();
    return undefined;
  } catch (e) {
    return code(e);
  }
};

export function nodeSys(): Sys {
  const {
    closeSync,
    constants,
    fchmodSync,
    fstatSync,
    linkSync,
    lstatSync,
    mkdirSync,
    openSync,
    readdirSync,
    readFileSync,
    readlinkSync,
    readSync,
    statSync,
    unlinkSync,
    writeSync,
  } = process.getBuiltinModule("node:fs") as typeof import("node:fs");
  return {
    readWhole: (path) => attempt(() => readFileSync(path)),

    readBounded(path, maxBytes, noFollow) {
      let fd: number;
      try {
        fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | (noFollow ? constants.O_NOFOLLOW : 0));
      } catch (e) {
        if (code(e) === "ENOENT" || code(e) === "ENOTDIR") return undefined;
        const st = attempt(() => lstatSync(path));
        return st && { bytes: undefined, info: info(st) };
      }
      try {
        const st = info(fstatSync(fd));
        if (st.kind !== "file" || st.size > maxBytes) return { bytes: undefined, info: st };
        const buf = new Uint8Array(st.size + 1);
        let len = 0;
        for (let n; len < buf.length && (n = readSync(fd, buf, len, buf.length - len, null)) > 0; ) len += n;
        // Filling the extra byte means the file grew while being read.
        return { bytes: len === buf.length ? undefined : buf.subarray(0, len), info: st };
      } catch {
        return undefined;
      } finally {
        closeSync(fd);
      }
    },

    readPart(path, end, maxBytes) {
      let fd: number;
      try {
        fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
      } catch {
        return undefined;
      }
      try {
        const st = fstatSync(fd);
        if (!st.isFile()) return undefined;
        const size = Math.min(st.size, maxBytes);
        const from = end === "tail" ? st.size - size : 0;
        const buf = new Uint8Array(size);
        let len = 0;
        for (let n; len < size && (n = readSync(fd, buf, len, size - len, from + len)) > 0; ) len += n;
        return { bytes: buf.subarray(0, len), whole: st.size <= maxBytes };
      } catch {
        return undefined;
      } finally {
        closeSync(fd);
      }
    },

    readRanges(path, use) {
      let fd: number;
      try {
        fd = openSync(asPath(path), constants.O_RDONLY | constants.O_NONBLOCK);
      } catch {
        return undefined;
      }
      try {
        const st = fstatSync(fd);
        if (!st.isFile()) return undefined;
        return use((offset, length) => {
          const buf = new Uint8Array(Math.max(0, Math.min(length, st.size - offset)));
          let len = 0;
          try {
            for (let n; len < buf.length && (n = readSync(fd, buf, len, buf.length - len, offset + len)) > 0; ) len += n;
          } catch {
            return undefined;
          }
          return buf.subarray(0, len);
        }, st.size);
      } catch {
        return undefined;
      } finally {
        closeSync(fd);
      }
    },

    list: (dir) => attempt(() => readdirSync(dir)),
    stat: (path) => attempt(() => info(statSync(asPath(path)))),
    lstat: (path) => attempt(() => info(lstatSync(asPath(path)))),
    readlink: (path) => attempt(() => readlinkSync(asPath(path), "utf8")),
    mkdir: (path, mode) => failure(() => mkdirSync(path, { mode })),

    createExclusive(path, bytes, mode) {
      let fd: number;
      try {
        fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode);
      } catch (e) {
        return code(e);
      }
      return failure(() => {
        try {
          for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off);
        } finally {
          closeSync(fd);
        }
      });
    },

    writeAll(fd, bytes) {
      for (let off = 0; off < bytes.length; ) {
        try {
          off += writeSync(fd, bytes, off, bytes.length - off);
        } catch (e) {
          const name = code(e);
          if (name === "EAGAIN") Bun.sleepSync(1);
          else if (name !== "EINTR") return name;
        }
      }
      return undefined;
    },

    link: (existing, newPath) => failure(() => linkSync(existing, newPath)),
    unlink: (path) => failure(() => unlinkSync(path)),

    chmodDirectory(path, mode, owner) {
      let fd: number;
      try {
        fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
      } catch (e) {
        return code(e);
      }
      try {
        const before = fstatSync(fd);
        if (!before.isDirectory()) return "ENOTDIR";
        if (before.uid !== owner) return "EPERM";
        fchmodSync(fd, mode);
        return (fstatSync(fd).mode & 0o7777) === mode ? undefined : "EPERM";
      } catch (e) {
        return code(e);
      } finally {
        closeSync(fd);
      }
    },
  };
}
