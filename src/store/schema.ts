// The session file (SPEC §6), Railway-compatible: Railway's CLI reads and writes the same
// files, so a shimmed and an unshimmed `railway` call from one agent share one id. Every
// file is validated; one that fails is stale, whatever it holds.

import * as v from "valibot";
import type { ProcessSourceKind } from "../proc/source.ts";
import { safeValue } from "../resolve/safe.ts";

const U32_MAX = 0xffffffffn;
const U64_MAX = 0xffffffffffffffffn;

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** RFC 3339 date-time → epoch ms, or undefined. Checks the ranges Date would roll over. */
export function parseRfc3339(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12) return undefined;
  const monthDays = month === 2 && isLeap(year) ? 29 : DAYS_IN_MONTH[month - 1]!;
  if (day < 1 || day > monthDays || hour > 23 || minute > 59 || second > 60) return undefined;
  const zone = m[8]!;
  let offsetMinutes = 0;
  if (zone !== "Z" && zone !== "z") {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = (zone[0] === "-" ? -1 : 1) * (oh * 60 + om);
  }
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0-99 as 1900-1999.
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, Math.min(second, 59), 0);
  const fraction = m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0;
  const ms = date.getTime() + fraction - offsetMinutes * 60_000;
  return Number.isFinite(ms) ? ms : undefined;
}

const integerInRange = (max: bigint) =>
  v.pipe(
    v.bigint("must be a non-negative integer"),
    v.check((n) => n >= 0n && n <= max, "out of range"),
  );

function buildSchema() {
  return v.looseObject({
    agent_session_id: v.pipe(
      v.string(),
      v.check((s) => safeValue(s) === s, "not a safe id (SPEC §7)"),
    ),
    parent_pid: v.pipe(integerInRange(U32_MAX), v.transform(Number)),
    parent_btime: integerInRange(U64_MAX),
    created_at: v.pipe(
      v.string(),
      v.check((s) => parseRfc3339(s) !== undefined, "not an RFC 3339 date-time"),
    ),
    // Fields stitch adds; Railway's files lack them, and that is fine.
    v: v.optional(v.number()),
    boot_id: v.optional(v.string()),
    /** Which clock parent_btime is on: /proc ticks, a hash of `ps` lstart, a Windows FILETIME. */
    clock: v.optional(v.picklist(["proc", "ps", "toolhelp"])),
    argv0: v.optional(v.string()),
    caller: v.optional(v.string()),
  });
}

/** Built on first use: constructing a schema at start-up costs every run, even those that read no file. */
let schema: ReturnType<typeof buildSchema> | undefined;
export const sessionFileSchema = () => (schema ??= buildSchema());

export type SessionRecord = v.InferOutput<ReturnType<typeof buildSchema>>;

const INTEGER_FIELDS = new Set(["parent_pid", "parent_btime"]);

/**
 * Parses a session file's text. parent_btime is a u64 and on macOS a hash, far beyond
 * what a JS number holds exactly, so integer fields are read from their source text.
 */
export function parseSessionFile(text: string): SessionRecord | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
    const fields = raw as Record<string, unknown> | null;
    if (fields && typeof fields === "object" && !Array.isArray(fields)) {
      for (const key of INTEGER_FIELDS) {
        const n = fields[key];
        if (typeof n !== "number") continue;
        // Most files hold small integers: converted directly. Anything a double cannot
        // hold exactly is read again from its source text (a parse about 5× slower).
        if (Number.isSafeInteger(n) && n >= 0) fields[key] = BigInt(n);
        else return parseExactly(text);
      }
    }
  } catch {
    return undefined;
  }
  const result = v.safeParse(sessionFileSchema(), raw);
  return result.success ? result.output : undefined;
}

function parseExactly(text: string): SessionRecord | undefined {
  const raw = JSON.parse(text, function (key, value, context?: { source?: string }) {
    if (INTEGER_FIELDS.has(key) && typeof value === "number") {
      const source = context?.source ?? "";
      return /^\d{1,20}$/.test(source) ? BigInt(source) : value;
    }
    return value;
  });
  const result = v.safeParse(sessionFileSchema(), raw);
  return result.success ? result.output : undefined;
}

export interface NewRecord {
  readonly agent_session_id: string;
  readonly parent_pid: number;
  readonly parent_btime: bigint;
  readonly created_at: string;
  readonly boot_id?: string | undefined;
  readonly clock: ProcessSourceKind;
  readonly argv0: string;
  readonly caller: string;
}

export const FORMAT_VERSION = 1;

/** The file's text. Written by hand so that the u64 stays an exact JSON integer. */
export function serializeSessionFile(r: NewRecord): string {
  const fields: string[] = [
    `"agent_session_id":${JSON.stringify(r.agent_session_id)}`,
    `"parent_pid":${r.parent_pid}`,
    `"parent_btime":${r.parent_btime.toString()}`,
    `"created_at":${JSON.stringify(r.created_at)}`,
    `"v":${FORMAT_VERSION}`,
    `"clock":${JSON.stringify(r.clock)}`,
    `"argv0":${JSON.stringify(r.argv0)}`,
    `"caller":${JSON.stringify(r.caller)}`,
  ];
  if (r.boot_id !== undefined) fields.push(`"boot_id":${JSON.stringify(r.boot_id)}`);
  return `{${fields.join(",")}}\n`;
}
