// What the readers of the agents' own records (design §5.3) may ask of the machine, and
// what they are told about the call. Everything here is read-only: a reader never writes,
// never holds a lock past one read, and reads a bounded amount of each file.

import type { Env } from "../env.ts";
import type { Place } from "../catalog/records.ts";
import type { ProcessSourceKind } from "../proc/source.ts";
import { absoluteDir, joinPath } from "../path.ts";

/** Part of a file, and whether it is the whole file. */
export interface FilePart {
  readonly text: string;
  readonly whole: boolean;
}

export interface RecordFiles {
  readonly platform: string;
  home(): string | undefined;
  /** The names in a directory, or undefined. */
  list(dir: string): readonly string[] | undefined;
  /** The first or the last `maxBytes` of a regular file (never through a FIFO), as text. */
  readPart(path: string, end: "head" | "tail", maxBytes: number): FilePart | undefined;
  /** Modification time in ms since the epoch, undefined when there is no such file. */
  mtimeMs(path: string): number | undefined;
  /** A process's working directory, where the platform shows it (Linux). */
  processCwd(pid: number): string | undefined;
  /** The paths of the files a process holds open, where the platform shows them (Linux). */
  openFiles(pid: number): readonly string[] | undefined;
  /** Rows of a read-only query on an SQLite file, undefined on any failure (busy, missing, corrupt). */
  query(file: string, sql: string, params: readonly (string | number)[]): readonly Record<string, unknown>[] | undefined;
}

/** One of the agent's processes, from the one nearest stitch to the anchor. */
export interface AgentProcess {
  readonly pid: number;
  /** Start time on the process source's clock (ProcessInfo.startTime). */
  readonly startTime: bigint | undefined;
  /** When it started, ms since the epoch, where the source can say (ProcessSource.startedAt). */
  readonly startedAt: number | undefined;
}

/** What a reader is told about the call it is asked about. */
export interface RecordCall {
  readonly env: Env;
  /** The agent's processes between stitch and the anchor, nearest first, the anchor last. */
  readonly processes: readonly AgentProcess[];
  /** Which clock the start times are on: only /proc's ticks can be compared with a record's. */
  readonly clock: ProcessSourceKind;
  readonly bootId: string | undefined;
  /** When the anchor started, ms since the epoch (to within a second), when known. */
  readonly anchorStartedAt: number | undefined;
  /** Whether a command text an agent recorded is the one running this call. */
  readonly isThisCommand: (text: string) => boolean;
  readonly cwd: string | undefined;
}

/**
 * What a reader found: the conversation; nothing to read at all (`absent`: no store, no
 * transcript written since the agent started, no lock of its process); or `undefined`,
 * records that do not answer (yet: a settling record is read again, design §5.3).
 */
export type RecordAnswer = RecordMatch | "absent" | undefined;

export interface RecordMatch {
  readonly id: string;
  /** The file that named it. */
  readonly file: string;
}

/** The first place that names an absolute directory. */
export function placeDirectory(places: readonly Place[], env: Env, files: RecordFiles): string | undefined {
  for (const place of places) {
    if ("env" in place) {
      const dir = absoluteDir(env[place.env], files.platform);
      if (dir) return place.join ? joinSegments(dir, place.join, files.platform) : dir;
      continue;
    }
    const home = absoluteDir(files.home(), files.platform);
    return home && joinSegments(home, place.home, files.platform);
  }
  return undefined;
}

/** `dir` joined with `a/b/c` a segment at a time, so the path has the platform's separators throughout. */
function joinSegments(dir: string, relative: string, platform: string): string {
  // A loop: this runs on an agent's every call, where reduce, a JavaScript-implemented
  // built-in, would cost its compilation first (docs/performance.md).
  let at = dir;
  for (const segment of relative.split("/")) at = joinPath(at, segment, platform);
  return at;
}

/** The one id all the matches agree on; none, or two different ones, is doubt. */
export function onlyOne(matches: readonly RecordMatch[]): RecordMatch | undefined {
  const first = matches[0];
  if (!first) return undefined;
  for (const m of matches) if (m.id !== first.id) return undefined;
  return first;
}

/** JSON.parse without throwing. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
