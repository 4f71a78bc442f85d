// Everything the resolver may learn about the world, handed to it as one value. The real
// world is built in real-world.ts; tests build their own.

import type { Env } from "./env.ts";
import type { ConversationRecord } from "./catalog/records.ts";
import type { RecordAnswer, RecordCall } from "./records/io.ts";
import type { ProcessSource } from "./proc/source.ts";
import type { SessionsLocation } from "./store/location.ts";
import type { Place } from "./store/place.ts";
import type { StoreOpening } from "./store/store.ts";

export interface World {
  readonly env: Env;
  /** process.platform: linux, darwin, win32, ... */
  readonly platform: string;
  readonly pid: number;
  readonly ppid: number;
  /**
   * stitch's parent pid asked again (getppid, live): when it still is `ppid`, the parent was
   * alive after it was read, so the process read was the parent (design §4.3). Optional:
   * without it, the parent's start is compared with stitch's own.
   */
  parentNow?(): number;
  /** stitch's own argv as it was exec'd: argv[0] as given, then the arguments. */
  readonly argv: readonly string[];
  /** Whether stitch's stdin (0), stdout (1) or stderr (2) is a terminal. Asked lazily: on some paths never. */
  isTerminal(fd: 0 | 1 | 2): boolean;
  /** A process's group (getpgid; 0 is stitch itself); undefined where there are none (Windows), or when unknown or gone. */
  processGroup(pid: number): number | undefined;
  /** The session a process belongs to (getsid; 0 is stitch itself); undefined when unknown or gone. */
  sessionOf(pid: number): number | undefined;
  /** undefined where no process tree can be read (Windows). */
  readonly processes: ProcessSource | undefined;
  /** Clock, ms since the epoch. */
  now(): number;
  /** Blocks for `ms` (an agent's record that may not be written yet, design §5.3). */
  pause(ms: number): void;
  /** A fresh random UUID v4. */
  randomUUID(): string;
  randomBytes(n: number): Uint8Array;
  /**
   * The user's home directory as Railway's CLI finds it (store/location.ts): asked only
   * when no RAILWAY_SESSIONS_DIR is set, or for the preferences file.
   */
  home(): string | undefined;
  /** The text of a small file (Railway's preferences), or undefined. */
  readText(path: string): string | undefined;
  /** The working directory, or undefined when it cannot be named. */
  cwd(): string | undefined;
  openStore(location: SessionsLocation): StoreOpening;
  /**
   * Where stitch runs: its pid namespace and host, which a session file records (design
   * §6.2). Absent: unknown, and files are judged as if from here.
   */
  readonly place?: Place;
  /** What an agent's own record (design §5.3) says about this call, read-only; undefined on any doubt. */
  readRecord(record: ConversationRecord, call: RecordCall): RecordAnswer;
}
