// The Windows calls stitch makes, through bun:ffi (the Windows side of libc.ts):
// - the process table: one CreateToolhelp32Snapshot per run, each ancestor's creation
//   time (GetProcessTimes) and image path (QueryFullProcessImageNameW);
// - the child's whole exit code: Bun cuts a child's code and its own process.exit to 8
//   bits, so 300 would read 44 and 0xC0000005 would read 5; GetExitCodeProcess reads all
//   32 and ExitProcess leaves with them;
// - the profile folder, where Railway's CLI keeps ~/.railway (SHGetKnownFolderPath).
// Loaded on first use; undefined off Windows or where a call cannot be bound.

import { dlopen, FFIType, ptr, read, toArrayBuffer, type Pointer } from "bun:ffi";
import { WINDOWS_X64 } from "./abi.ts";

const T = FFIType;

const KERNEL32 = {
  CreateToolhelp32Snapshot: { args: [T.u32, T.u32], returns: T.ptr },
  Process32FirstW: { args: [T.ptr, T.ptr], returns: T.i32 },
  Process32NextW: { args: [T.ptr, T.ptr], returns: T.i32 },
  OpenProcess: { args: [T.u32, T.i32, T.u32], returns: T.ptr },
  GetProcessTimes: { args: [T.ptr, T.ptr, T.ptr, T.ptr, T.ptr], returns: T.i32 },
  QueryFullProcessImageNameW: { args: [T.ptr, T.u32, T.ptr, T.ptr], returns: T.i32 },
  GetExitCodeProcess: { args: [T.ptr, T.ptr], returns: T.i32 },
  CloseHandle: { args: [T.ptr], returns: T.i32 },
  ExitProcess: { args: [T.u32], returns: T.void },
} as const;

const SHELL32 = {
  SHGetKnownFolderPath: { args: [T.ptr, T.u32, T.ptr, T.ptr], returns: T.i32 },
} as const;

const OLE32 = {
  CoTaskMemFree: { args: [T.ptr], returns: T.void },
} as const;

type Symbols<D> = { [K in keyof D]: (...args: any[]) => any };

const { TH32CS_SNAPPROCESS, PROCESS_QUERY_LIMITED_INFORMATION, SYNCHRONIZE } = WINDOWS_X64.constants;
const INVALID_HANDLE_VALUE = BigInt.asUintN(64, BigInt(WINDOWS_X64.constants.INVALID_HANDLE_VALUE));
const ENTRY = WINDOWS_X64.layouts.PROCESSENTRY32W;

let loaded: Symbols<typeof KERNEL32> | undefined | null = null;

function kernel32(): Symbols<typeof KERNEL32> | undefined {
  if (loaded === null) {
    try {
      loaded = process.platform === "win32" ? (dlopen("kernel32.dll", KERNEL32).symbols as Symbols<typeof KERNEL32>) : undefined;
    } catch {
      loaded = undefined;
    }
  }
  return loaded;
}

const isHandle = (h: Pointer | null | number | bigint): h is Pointer => !!h && BigInt(h) !== INVALID_HANDLE_VALUE;

/**
 * Every PROCESSENTRY32W of one snapshot, as raw bytes (parsed by proc/toolhelp.ts, which
 * is pure and tested on recorded snapshots). undefined when no snapshot can be taken.
 */
export function processEntries(): Uint8Array[] | undefined {
  const k = kernel32();
  if (!k) return undefined;
  const snapshot = k.CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
  if (!isHandle(snapshot)) return undefined;
  try {
    const entries: Uint8Array[] = [];
    const entry = new Uint8Array(ENTRY.sizeof);
    new DataView(entry.buffer).setUint32(ENTRY.dwSize, ENTRY.sizeof, true);
    for (let ok = k.Process32FirstW(snapshot, ptr(entry)); ok; ok = k.Process32NextW(snapshot, ptr(entry))) {
      entries.push(entry.slice());
    }
    return entries;
  } finally {
    k.CloseHandle(snapshot);
  }
}

export interface ProcessDetails {
  /** Creation time, a FILETIME: 100 ns intervals since 1601-01-01 UTC. */
  readonly creationTime: bigint | undefined;
  /** The executable's full path, when the process lets us ask. */
  readonly imagePath: string | undefined;
}

const utf16 = new TextDecoder("utf-16le");

/** One process's creation time and image path; undefined when it cannot be opened. */
export function processDetails(pid: number): ProcessDetails | undefined {
  const k = kernel32();
  if (!k) return undefined;
  const handle = k.OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, 0, pid);
  if (!isHandle(handle)) return undefined;
  try {
    const times = new BigUint64Array(4); // creation, exit, kernel, user
    const timed = k.GetProcessTimes(handle, ptr(times), ptr(times, 8), ptr(times, 16), ptr(times, 24));
    const path = new Uint16Array(32768);
    const size = new Uint32Array([path.length]);
    const named = k.QueryFullProcessImageNameW(handle, 0, ptr(path), ptr(size));
    return {
      creationTime: timed && times[0]! > 0n ? times[0] : undefined,
      imagePath: named ? utf16.decode(path.subarray(0, size[0])) : undefined,
    };
  } finally {
    k.CloseHandle(handle);
  }
}

/**
 * A handle on a child that keeps its exit code readable after it has exited (and after
 * the runtime has closed its own handle). Open it right after the spawn: while the runtime
 * still holds its handle, the process object exists, exited or not.
 */
export function watchExitCode(pid: number): (() => number | undefined) | undefined {
  const k = kernel32();
  if (!k) return undefined;
  const handle = k.OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION | SYNCHRONIZE, 0, pid);
  if (!isHandle(handle)) return undefined;
  return () => {
    const code = new Uint32Array(1);
    const ok = k.GetExitCodeProcess(handle, ptr(code));
    k.CloseHandle(handle);
    return ok ? code[0] : undefined;
  };
}

/** Leaves with the whole 32-bit code (process.exit would keep 8 bits). */
export function exitProcess(code: number): never {
  const k = kernel32();
  if (k) k.ExitProcess(code >>> 0);
  process.exit(code);
}

/** A GUID as it lies in memory: Data1-3 little-endian, Data4 as written. */
export function guidBytes(text: string): Uint8Array {
  const hex = text.replaceAll("-", "");
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 16; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  bytes.subarray(0, 4).reverse();
  bytes.subarray(4, 6).reverse();
  bytes.subarray(6, 8).reverse();
  return bytes;
}

/**
 * The user's profile folder, as Railway's CLI finds its home on Windows (the `dirs` crate:
 * SHGetKnownFolderPath(FOLDERID_Profile)); undefined when it cannot be asked.
 */
export function profileFolder(): string | undefined {
  if (process.platform !== "win32") return undefined;
  try {
    const shell32 = dlopen("shell32.dll", SHELL32).symbols as Symbols<typeof SHELL32>;
    const ole32 = dlopen("ole32.dll", OLE32).symbols as Symbols<typeof OLE32>;
    const out = new BigUint64Array(1);
    const folder = guidBytes(WINDOWS_X64.guids.FOLDERID_Profile);
    if (shell32.SHGetKnownFolderPath(ptr(folder), 0, null, ptr(out)) !== 0 || out[0] === 0n) return undefined;
    const where = Number(out[0]) as Pointer;
    let length = 0;
    while (read.u16(where, length * 2) !== 0 && length < 32768) length++;
    const path = utf16.decode(new Uint8Array(toArrayBuffer(where, 0, length * 2)));
    ole32.CoTaskMemFree(where);
    return path;
  } catch {
    return undefined;
  }
}
