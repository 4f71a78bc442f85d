// Pure parsers for the text the process adapters read. They never throw: malformed input
// gives undefined (or skips the line), because a process table is hostile input too: any
// user can name a process anything.

import { isUint } from "../text.ts";

export interface StatFields {
  readonly pid: number;
  /** The command name (comm) as the kernel keeps it: at most 15 bytes, any characters. */
  readonly comm: string;
  /** Field 3: R, S, D, Z (zombie), X (dead), ... */
  readonly state: string;
  readonly ppid: number;
  /** Field 22: start time in clock ticks since boot. */
  readonly startTime: bigint;
}

/**
 * /proc/<pid>/stat: `pid (comm) state ppid ... starttime ...`. comm may contain spaces,
 * parentheses and newlines, so the fields after it are read from the *last* `)`.
 */
export function parseStat(text: string): StatFields | undefined {
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  if (open < 1 || close < open) return undefined;
  const pidText = text.slice(0, open).trim();
  if (!isUint(pidText)) return undefined;
  // After the comm: state (field 3), ppid (4), ..., starttime (22), one space apart.
  const fields: string[] = [];
  for (let at = close + 2; fields.length < 20 && at < text.length; ) {
    const end = text.indexOf(" ", at);
    fields.push(text.slice(at, end === -1 ? text.length : end).trim());
    if (end === -1) break;
    at = end + 1;
  }
  const ppidText = fields[1];
  const startText = fields[19];
  if (!isUint(ppidText) || !isUint(startText)) return undefined;
  const pid = Number(pidText);
  const ppid = Number(ppidText);
  if (pid > 0xffffffff || ppid > 0xffffffff) return undefined;
  const startTime = BigInt(startText);
  if (startTime > 0xffffffffffffffffn) return undefined;
  return { pid, comm: text.slice(open + 1, close), state: fields[0] ?? "", ppid, startTime };
}

const utf8 = new TextDecoder("utf-8");

/** /proc/<pid>/cmdline: NUL-separated argv, usually NUL-terminated. */
export function parseCmdline(bytes: Uint8Array): string[] {
  if (bytes.length === 0) return [];
  const text = utf8.decode(bytes);
  const parts = text.split("\0");
  if (parts[parts.length - 1] === "") parts.pop();
  return parts;
}

/**
 * The command line `ps` would show for a process: argv joined by spaces, or `[comm]` when
 * argv is empty (kernel threads, zombies).
 */
export function commandLine(argv: readonly string[], comm: string): string {
  return argv.length > 0 ? argv.join(" ") : `[${comm}]`;
}

export interface PsRow {
  readonly pid: number;
  readonly ppid: number;
  /** The `stat` column (`Ss+`, `Z`, ...). */
  readonly state: string;
  /** The `lstart` column exactly as printed, inner spacing kept (`Tue Nov  4 ...`). */
  readonly lstart: string;
  readonly command: string;
}

// `ps -A -ww -o pid=,ppid=,stat=,lstart=,command=` in the C locale, procps and macOS:
//   "  4242     1 Ss+  Tue Nov 24 17:35:01 2026 /usr/bin/claude --resume"
// lstart is fixed-width: the day of the month is padded with a space.
const PS_LINE = /^\s*(\d{1,10})\s+(\d{1,10})\s+(\S+)\s+([A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \d{4})(?:\s(.*))?$/;

export function parsePsLine(line: string): PsRow | undefined {
  const m = PS_LINE.exec(line);
  if (!m) return undefined;
  const pid = Number(m[1]);
  const ppid = Number(m[2]);
  if (pid > 0xffffffff || ppid > 0xffffffff) return undefined;
  return { pid, ppid, state: m[3]!, lstart: m[4]!, command: (m[5] ?? "").trim() };
}

/** A zombie (or dead) process has exited: its session is over, whatever its pid says. */
export const hasExited = (state: string) => state.startsWith("Z") || state.startsWith("X");

export function parsePsOutput(text: string): Map<number, PsRow> {
  const rows = new Map<number, PsRow>();
  for (const line of text.split("\n")) {
    const row = parsePsLine(line);
    if (row && !rows.has(row.pid)) rows.set(row.pid, row);
  }
  return rows;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * A C-locale `lstart` (`Thu Dec  4 21:53:22 2026`) as ms since the epoch: in this process's
 * time zone (`ps` printed it in the caller's, which is stitch's), or in UTC.
 */
export function lstartMs(text: string, zone: "local" | "utc"): number | undefined {
  const m = /^[A-Z][a-z]{2} ([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/.exec(text.trim());
  const month = m ? MONTHS.indexOf(m[1]!) : -1;
  if (!m || month < 0) return undefined;
  const [day, h, min, s, year] = [m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number];
  const ms = zone === "utc" ? Date.UTC(year, month, day, h, min, s) : new Date(year, month, day, h, min, s).getTime();
  return Number.isFinite(ms) ? ms : undefined;
}
