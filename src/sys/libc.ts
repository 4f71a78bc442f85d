// The few libc calls stitch makes directly, through bun:ffi. Why not the runtime's own:
// - execve with byte strings: process.execve takes JS strings, which cannot carry
//   arguments or environment values that are not valid UTF-8 (SPEC §10 wants them exact);
// - isatty(1): asking process.stdout costs ~9 ms of start-up, this costs nothing;
// - signal(): Bun sets SIGPIPE and SIGXFSZ to "ignore" at start-up, and ignored signals
//   survive execve, so without a reset `stitch yes | head -1` would never end by SIGPIPE.
// Loaded on first use; undefined where FFI or libc is unavailable (callers fall back).

import { dlopen, FFIType, ptr, read } from "bun:ffi";

const T = FFIType;
const F_SETFD = 2;

interface Libc {
  execve(path: Uint8Array, argv: readonly Uint8Array[], envp: readonly Uint8Array[]): number;
  isatty(fd: number): boolean;
  /** Sets a signal's disposition back to the default (SIG_DFL). */
  resetSignal(signo: number): void;
  /** Clears FD_CLOEXEC on a descriptor. */
  keepOnExec(fd: number): void;
}

function candidates(): string[] {
  if (process.platform === "darwin") return ["libSystem.B.dylib", "/usr/lib/libSystem.B.dylib"];
  const arch = process.arch === "arm64" ? "aarch64" : "x86_64";
  return ["libc.so.6", `libc.musl-${arch}.so.1`, `/lib/ld-musl-${arch}.so.1`, "libc.so"];
}

function open(): Libc | undefined {
  if (process.platform === "win32") return undefined;
  const errnoSymbol = process.platform === "darwin" ? "__error" : "__errno_location";
  for (const name of candidates()) {
    try {
      const lib = dlopen(name, {
        execve: { args: [T.ptr, T.ptr, T.ptr], returns: T.i32 },
        isatty: { args: [T.i32], returns: T.i32 },
        signal: { args: [T.i32, T.ptr], returns: T.ptr },
        // fcntl is variadic; called with one int argument it is safe on the Linux ABIs,
        // the only place it is used.
        fcntl: { args: [T.i32, T.i32, T.i32], returns: T.i32 },
        [errnoSymbol]: { args: [], returns: T.ptr },
      });
      const s = lib.symbols;
      const errnoLocation = s[errnoSymbol] as () => number | null;
      return {
        execve(path, argv, envp) {
          // The pointer arrays refer to the byte strings, which stay referenced here
          // until execve returns (it only returns on failure).
          const pointers = (list: readonly Uint8Array[]) => {
            const table = new BigUint64Array(list.length + 1);
            list.forEach((bytes, i) => (table[i] = BigInt(ptr(bytes))));
            return table;
          };
          const argvTable = pointers(argv);
          const envTable = pointers(envp);
          s.execve(ptr(path), ptr(argvTable), ptr(envTable));
          const where = errnoLocation();
          return where ? read.i32(where, 0) : -1;
        },
        isatty: (fd) => s.isatty(fd) === 1,
        resetSignal: (signo) => void s.signal(signo, null),
        keepOnExec: (fd) => void s.fcntl(fd, F_SETFD, 0),
      };
    } catch {
      // Try the next name.
    }
  }
  return undefined;
}

let loaded: Libc | undefined | null = null;

export function libc(): Libc | undefined {
  if (loaded === null) loaded = open();
  return loaded;
}
