// The user's home from the user database, as Railway's CLI finds it when HOME is unset
// (Rust's home_dir, which the `dirs` crate uses: getpwuid_r(getuid())). Bound only when
// asked: HOME is set on nearly every run.

import { dlopen, FFIType as T, ptr, read, CString, type Pointer } from "bun:ffi";
import { posixAbi } from "./abi.ts";
import { libcCandidates } from "./libc.ts";

const SYMBOLS = {
  getuid: { args: [], returns: T.u32 },
  getpwuid_r: { args: [T.u32, T.ptr, T.ptr, T.u64, T.ptr], returns: T.i32 },
} as const;

/** The home directory of the user running stitch, or undefined. */
export function passwdHome(): string | undefined {
  const abi = posixAbi();
  if (!abi) return undefined;
  const { sizeof, pw_dir } = abi.layouts["struct passwd"];
  for (const name of libcCandidates()) {
    let fn: { getuid: () => number; getpwuid_r: (...a: unknown[]) => number };
    try {
      fn = dlopen(name, SYMBOLS).symbols as unknown as typeof fn;
    } catch {
      continue;
    }
    const entry = new Uint8Array(sizeof);
    const result = new BigUint64Array(1);
    for (let size = 1024; size <= 1 << 20; size *= 4) {
      const buffer = new Uint8Array(size);
      const status = fn.getpwuid_r(fn.getuid(), ptr(entry), ptr(buffer), size, ptr(result));
      if (status === abi.errno.ERANGE) continue;
      if (status !== 0 || result[0] === 0n) return undefined;
      const dir = read.ptr(ptr(entry), pw_dir);
      return dir ? new CString(dir as Pointer).toString() : undefined;
    }
    return undefined;
  }
  return undefined;
}
