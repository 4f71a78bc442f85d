// The libc calls stitch makes directly, through bun:ffi. Why not the runtime's own:
// - execve with byte strings: process.execve takes JS strings, which cannot carry
//   arguments or environment values that are not valid UTF-8 (design §10 wants them exact);
// - isatty(): asking process.stdout costs ~9 ms of start-up, this costs nothing;
// - getpgid(), getsid(): the runtime has neither;
// - signal(): Bun sets SIGPIPE and SIGXFSZ to "ignore" at start-up, and ignored signals
//   survive execve, so without a reset `stitch yes | head -1` would never end by SIGPIPE;
// - fcntl(): Bun marks inherited descriptors close-on-exec (see descriptors.ts);
// - gethostname() on macOS and BSD: node:os costs ~1 ms of start-up (store/place.ts);
// - on Linux, the file-system calls of libc-sys.ts, instead of loading node:fs.
// Loaded on first use; undefined where FFI or libc is unavailable, or where abi.ts has no
// row for the target (callers fall back to the runtime's own calls).

import { dlopen, FFIType, read } from "bun:ffi";
import { posixAbi } from "./abi.ts";

const T = FFIType;

const PORTABLE = {
  execve: { args: [T.ptr, T.ptr, T.ptr], returns: T.i32 },
  isatty: { args: [T.i32], returns: T.i32 },
  // The job a call belongs to (design §4 "At a terminal", §6.1 "Adopted"): no process
  // table reports another process's session on macOS, getsid(2) does on both.
  getpgid: { args: [T.i32], returns: T.i32 },
  getsid: { args: [T.i32], returns: T.i32 },
  signal: { args: [T.i32, T.ptr], returns: T.ptr },
  // fcntl and open are variadic; called with int arguments they are safe on the Linux
  // ABIs (x86-64, AArch64), the only place these two are used.
  fcntl: { args: [T.i32, T.i32, T.i32], returns: T.i32 },
  // The host a session file's anchor lives on, where there is no /proc to read it from.
  gethostname: { args: [T.ptr, T.u64], returns: T.i32 },
} as const;

const LINUX_FILES = {
  open: { args: [T.ptr, T.i32, T.u32], returns: T.i32 },
  read: { args: [T.i32, T.ptr, T.u64], returns: T.i64 },
  pread: { args: [T.i32, T.ptr, T.u64, T.i64], returns: T.i64 },
  write: { args: [T.i32, T.ptr, T.u64], returns: T.i64 },
  close: { args: [T.i32], returns: T.i32 },
  opendir: { args: [T.ptr], returns: T.ptr },
  readdir: { args: [T.ptr], returns: T.ptr },
  closedir: { args: [T.ptr], returns: T.i32 },
  readlink: { args: [T.ptr, T.ptr, T.u64], returns: T.i64 },
  mkdir: { args: [T.ptr, T.u32], returns: T.i32 },
  link: { args: [T.ptr, T.ptr], returns: T.i32 },
  unlink: { args: [T.ptr], returns: T.i32 },
  fchmod: { args: [T.i32, T.u32], returns: T.i32 },
  // statx through syscall(2): its struct layout is the same on every architecture, and
  // the raw call needs no particular glibc or musl version.
  syscall: { args: [T.i64, T.i32, T.ptr, T.i32, T.u32, T.ptr], returns: T.i64 },
} as const;

type Symbols<D> = { [K in keyof D]: (...args: any[]) => any };
export type LibcSymbols = Symbols<typeof PORTABLE> & Partial<Symbols<typeof LINUX_FILES>>;

export interface Libc {
  readonly fn: LibcSymbols;
  /** errno after a failed call. */
  errno(): number;
  /** A NUL-terminated copy, ready to pass as `const char *`. */
  cstring(text: string | Uint8Array): Uint8Array;
}

/** The names under which this platform's libc can be opened, most likely first. */
export function libcCandidates(): string[] {
  if (process.platform === "darwin") return ["libSystem.B.dylib", "/usr/lib/libSystem.B.dylib"];
  const arch = process.arch === "arm64" ? "aarch64" : "x86_64";
  return ["libc.so.6", `libc.musl-${arch}.so.1`, `/lib/ld-musl-${arch}.so.1`, "libc.so"];
}

const encoder = new TextEncoder();

function load(): Libc | undefined {
  // No FFI where abi.ts has no numbers for this target: a guessed flag fails silently.
  if (process.platform === "win32" || !posixAbi()) return undefined;
  const errnoSymbol = process.platform === "darwin" ? "__error" : "__errno_location";
  // Object.assign, not a spread: a spread costs a JavaScript-implemented built-in's
  // compilation on the first call of the process (docs/performance.md).
  const symbols = Object.assign({}, PORTABLE, process.platform === "linux" ? LINUX_FILES : {}, { [errnoSymbol]: { args: [], returns: T.ptr } });
  for (const name of libcCandidates()) {
    try {
      const fn = dlopen(name, symbols).symbols as unknown as LibcSymbols & Record<string, () => number | null>;
      const errnoLocation = fn[errnoSymbol]!;
      return {
        fn,
        errno: () => {
          const where = errnoLocation();
          return where ? read.i32(where, 0) : -1;
        },
        cstring: (text) => {
          const bytes = typeof text === "string" ? encoder.encode(text) : text;
          const out = new Uint8Array(bytes.length + 1);
          out.set(bytes);
          return out;
        },
      };
    } catch {
      // Try the next name.
    }
  }
  return undefined;
}

let loaded: Libc | undefined | null = null;

export function libc(): Libc | undefined {
  if (loaded === null) loaded = load();
  return loaded;
}
