// The user's home from the user database, as Railway's CLI finds it when HOME is unset
// (Rust's home_dir, which the `dirs` crate uses: getpwuid_r(getuid())). Bound only when
// asked: HOME is set on nearly every run.

import { dlopen, FFIType as T, ptr, read, CString, type Pointer } from "bun:ffi";
import { libcCandidates } from "./libc.ts";

const SYMBOLS = {
  getuid: { args: [], returns: T.u32 },
  getpwuid_r: { args: [T.u32, T.ptr, T.ptr, T.u64, T.ptr], returns: T.i32 },
} as const;

/**
 * Where `pw_dir` sits in struct passwd on 64-bit ABIs: after pw_name, pw_passwd, pw_uid,
 * pw_gid, pw_gecos on Linux (glibc and musl); macOS and the BSDs add pw_change and
 * pw_class before pw_gecos.
 */
const PW_DIR_OFFSET: Readonly<Record<string, number>> = { linux: 32, darwin: 48, freebsd: 48, openbsd: 48, netbsd: 48 };

const ERANGE: Readonly<Record<string, number>> = { linux: 34, darwin: 34, freebsd: 34, openbsd: 34, netbsd: 34 };

/** The home directory of the user running stitch, or undefined. */
export function passwdHome(): string | undefined {
  const offset = PW_DIR_OFFSET[process.platform];
  if (offset === undefined) return undefined;
  for (const name of libcCandidates()) {
    let fn: { getuid: () => number; getpwuid_r: (...a: unknown[]) => number };
    try {
      fn = dlopen(name, SYMBOLS).symbols as unknown as typeof fn;
    } catch {
      continue;
    }
    const entry = new Uint8Array(128); // struct passwd is 48 to 72 bytes
    const result = new BigUint64Array(1);
    for (let size = 1024; size <= 1 << 20; size *= 4) {
      const buffer = new Uint8Array(size);
      const status = fn.getpwuid_r(fn.getuid(), ptr(entry), ptr(buffer), size, ptr(result));
      if (status === ERANGE[process.platform]) continue;
      if (status !== 0 || result[0] === 0n) return undefined;
      const dir = read.ptr(ptr(entry), offset);
      return dir ? new CString(dir as Pointer).toString() : undefined;
    }
    return undefined;
  }
  return undefined;
}
