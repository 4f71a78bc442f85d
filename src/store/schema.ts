// The session file (design §6), Railway-compatible: Railway's CLI reads and writes the same
// files, so a shimmed and an unshimmed `railway` call from one agent share one id. Every
// file is validated; one that fails is stale, whatever it holds.

import * as v from "valibot";
import type { ProcessSourceKind } from "../proc/source.ts";
import { safeValue } from "../safe.ts";

const U32_MAX = 0xffffffffn;
const U64_MAX = 0xffffffffffffffffn;

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** `n` decimal digits at `at` as a number, or -1. */
function digitsAt(text: string, at: number, n: number): number {
  let value = 0;
  for (let i = at; i < at + n; i++) {
    const c = text.charCodeAt(i);
    if (!(c >= 0x30 && c <= 0x39)) return -1;
    value = value * 10 + (c - 0x30);
  }
  return value;
}

/**
 * RFC 3339 date-time → epoch ms, or undefined. Checks the ranges Date would roll over.
 * `YYYY-MM-DD[Tt ]HH:MM:SS(.fraction)?(Z|z|±HH:MM)`, read by char codes (no RegExp on
 * the reuse path).
 */
export function parseRfc3339(text: string): number | undefined {
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return undefined;
  const t = text.charCodeAt(10);
  if (text[4] !== "-" || text[7] !== "-" || !(t === 0x54 || t === 0x74 || t === 0x20) || text[13] !== ":" || text[16] !== ":") {
    return undefined;
  }
  let at = 19;
  let fraction = 0;
  if (text[at] === ".") {
    const start = ++at;
    while (at < text.length && text.charCodeAt(at) >= 0x30 && text.charCodeAt(at) <= 0x39) at++;
    if (at === start) return undefined;
    fraction = Math.floor(Number(`0.${text.slice(start, at)}`) * 1000);
  }
  let offsetMinutes = 0;
  const zone = text[at];
  if (zone === "Z" || zone === "z") {
    if (at + 1 !== text.length) return undefined;
  } else if ((zone === "+" || zone === "-") && at + 6 === text.length && text[at + 3] === ":") {
    const oh = digitsAt(text, at + 1, 2);
    const om = digitsAt(text, at + 4, 2);
    if (oh < 0 || om < 0 || oh > 23 || om > 59) return undefined;
    offsetMinutes = (zone === "-" ? -1 : 1) * (oh * 60 + om);
  } else return undefined;
  if (month < 1 || month > 12) return undefined;
  const monthDays = month === 2 && isLeap(year) ? 29 : DAYS_IN_MONTH[month - 1]!;
  if (day < 1 || day > monthDays || hour > 23 || minute > 59 || second > 60) return undefined;
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0-99 as 1900-1999.
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, Math.min(second, 59), 0);
  const ms = date.getTime() + fraction - offsetMinutes * 60_000;
  return Number.isFinite(ms) ? ms : undefined;
}

/** The clocks parent_btime may be on: /proc ticks, a hash of `ps` lstart, a Windows FILETIME. */
const CLOCKS: readonly string[] = ["proc", "ps", "toolhelp"] satisfies ProcessSourceKind[];

// One object-level check instead of a pipe per field (nor a picklist, which builds its
// message with Array.prototype.map): every valibot function that runs
// for the first time costs start-up, and this schema runs on every reused session.
function buildSchema() {
  return v.pipe(
    v.looseObject({
      agent_session_id: v.string(),
      parent_pid: v.bigint(),
      parent_btime: v.bigint(),
      created_at: v.string(),
      // Fields stitch adds; Railway's files lack them, and that is fine.
      v: v.optional(v.number()),
      boot_id: v.optional(v.string()),
      clock: v.optional(v.custom<ProcessSourceKind>((x) => typeof x === "string" && CLOCKS.includes(x))),
      argv0: v.optional(v.string()),
      caller: v.optional(v.string()),
      pid_ns: v.optional(v.string()),
      host: v.optional(v.string()),
    }),
    v.check(
      (r) =>
        safeValue(r.agent_session_id) === r.agent_session_id && // design §7
        r.parent_pid >= 0n &&
        r.parent_pid <= U32_MAX &&
        r.parent_btime >= 0n &&
        r.parent_btime <= U64_MAX &&
        parseRfc3339(r.created_at) !== undefined,
      "a safe id, a u32 pid, a u64 start time and an RFC 3339 date-time",
    ),
    v.transform((r) => ({ ...r, parent_pid: Number(r.parent_pid) })),
  );
}

/** Built on first use: constructing a schema at start-up costs every run, even those that read no file. */
let schema: ReturnType<typeof buildSchema> | undefined;
export const sessionFileSchema = () => (schema ??= buildSchema());

export type SessionRecord = v.InferOutput<ReturnType<typeof buildSchema>>;

const INTEGER_FIELD_NAMES = ["parent_pid", "parent_btime"] as const;
const INTEGER_FIELDS = new Set<string>(INTEGER_FIELD_NAMES);

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
      for (const key of INTEGER_FIELD_NAMES) {
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
  readonly pid_ns?: string | undefined;
  readonly host?: string | undefined;
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
  if (r.pid_ns !== undefined) fields.push(`"pid_ns":${JSON.stringify(r.pid_ns)}`);
  if (r.host !== undefined) fields.push(`"host":${JSON.stringify(r.host)}`);
  return `{${fields.join(",")}}\n`;
}
