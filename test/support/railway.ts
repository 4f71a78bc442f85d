// What Railway's CLI writes, computed here independently of src/: the session file's name
// (its own SHA-256 over pid, start time and argv0) and its `created_at` (chrono's RFC 3339:
// nanoseconds and `+00:00`).

import { createHash } from "node:crypto";

/** Railway's file name for a process. */
export function railwayFileName(pid: number, btime: bigint, argv0: string): string {
  const head = Buffer.alloc(12);
  head.writeUInt32BE(pid, 0);
  head.writeBigUInt64BE(btime, 4);
  return `${createHash("sha256").update(Buffer.concat([head, Buffer.from(argv0, "utf8")])).digest().subarray(0, 8).toString("hex")}.session`;
}

/**
 * `created_at` as Railway's CLI writes it for the instant `ms` (milliseconds since the
 * epoch): always taken from a clock, never a calendar date, so that no test's file turns
 * stale as the calendar moves on (design §6.4's 7 days).
 */
export function railwayCreatedAt(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 23)}456789+00:00`;
}

/** A whole file as Railway's CLI writes it (serde's field order). */
export function railwayFile(pid: number, btime: bigint | string, id: string, createdAt: string): string {
  return `{"agent_session_id":"${id}","parent_pid":${pid},"parent_btime":${btime},"created_at":"${createdAt}"}`;
}
