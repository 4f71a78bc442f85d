// A process's identity and the session file name derived from it (design §6), computed as
// Railway's CLI computes it so both find the same file.

import { hexOf, sha256 } from "../hash.ts";
import { argv0Of } from "../proc/command.ts";
import type { ProcessInfo } from "../proc/source.ts";

export interface Identity {
  readonly pid: number;
  /** parent_btime: start time on the source's clock (see ProcessInfo.startTime). */
  readonly startTime: bigint;
  /**
   * First whitespace-separated token of the lower-cased command line; on Windows the
   * lower-cased executable name (`claude.exe`).
   */
  readonly argv0: string;
}

/** argv0 as Railway's CLI records it for this process (ProcessInfo.argv0 on Windows). */
export function recordedArgv0(p: ProcessInfo): string {
  return p.argv0 ?? argv0Of(p.command);
}

export function identityOf(p: ProcessInfo): Identity | undefined {
  if (p.startTime === undefined) return undefined;
  return { pid: p.pid, startTime: p.startTime, argv0: recordedArgv0(p) };
}

const utf8 = new TextEncoder();

/**
 * The first 8 bytes, lower-case hex, of SHA-256(pid as u32 BE ‖ start time as u64 BE ‖
 * argv0 bytes), plus `.session`.
 */
export function sessionFileName(id: Identity): string {
  const argv0 = utf8.encode(id.argv0);
  const bytes = new Uint8Array(12 + argv0.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, id.pid >>> 0, false);
  view.setBigUint64(4, BigInt.asUintN(64, id.startTime), false);
  bytes.set(argv0, 12);
  return `${hexOf(sha256(bytes), 8)}.session`;
}
