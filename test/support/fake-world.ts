// Test doubles for the World: a process table, a session directory in memory, a clock.

import type { ProcessInfo, ProcessSource, ProcessSourceKind } from "../../src/proc/source.ts";
import type { CreateResult, SessionStore, StoredFile, StoreOpening } from "../../src/store/store.ts";
import { homeDirectory } from "../../src/store/location.ts";
import { INITIAL_PID_NAMESPACE, type Place } from "../../src/store/place.ts";
import type { World } from "../../src/world.ts";
import type { RecordFiles } from "../../src/records/io.ts";
import { readRecord } from "../../src/records/read.ts";

export interface FakeProcess {
  pid: number;
  ppid: number;
  /** argv; the command line is argv joined by spaces. */
  argv: string[];
  startTime?: bigint;
  /** false: the process is seen as `ps` shows it (command only). */
  exact?: boolean;
  /** When it started, ms since the epoch (ProcessSource.startedAt). */
  startedAt?: number;
}

export class FakeProcesses implements ProcessSource {
  readonly table = new Map<number, FakeProcess>();
  /** Every pid asked for, in order: lets tests check that only the needed hops are read. */
  readonly reads: number[] = [];
  bootIdValue: string | undefined = "boot-1";

  constructor(
    processes: FakeProcess[] = [],
    readonly kind: ProcessSourceKind = "proc",
  ) {
    for (const p of processes) this.table.set(p.pid, p);
  }

  add(p: FakeProcess): this {
    this.table.set(p.pid, p);
    return this;
  }

  get(pid: number): ProcessInfo | undefined {
    this.reads.push(pid);
    const p = this.table.get(pid);
    if (!p) return undefined;
    return { pid, ppid: p.ppid, startTime: p.startTime ?? BigInt(pid * 100), command: p.argv.join(" "), argv: p.argv, argvExact: p.exact ?? true };
  }

  startTimeOf(pid: number): bigint | undefined {
    const p = this.table.get(pid);
    return p ? (p.startTime ?? BigInt(pid * 100)) : undefined;
  }

  startedAt(pid: number): number | undefined {
    return this.table.get(pid)?.startedAt;
  }

  bootId(): string | undefined {
    return this.bootIdValue;
  }
}

/** Where a fake stitch runs: by default a host's initial pid namespace. */
export function fakePlace(pidNamespace: string | undefined = INITIAL_PID_NAMESPACE, host: string | undefined = "host-1"): Place & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    pidNamespace: () => (asked.push("pidNamespace"), pidNamespace),
    host: () => (asked.push("host"), host),
  };
}

export interface MemoryFilesOptions {
  files?: Record<string, string>;
  /** A file's mtime (default NOW). */
  mtimes?: Record<string, number>;
  /** What each pid holds open. */
  openFiles?: Record<number, string[]>;
  /** Each pid's working directory. */
  processCwds?: Record<number, string>;
  platform?: string;
  home?: () => string | undefined;
  /** Queries go to the real SQLite (the path must be a real file). */
  query?: RecordFiles["query"];
}

/** The agents' records in memory: a directory's names are the next segment of every file below it. */
export function memoryRecordFiles(o: MemoryFilesOptions): RecordFiles {
  const files = o.files ?? {};
  return {
    platform: o.platform ?? "linux",
    home: o.home ?? (() => "/home/u"),
    list: (dir) => {
      const names = new Set<string>();
      for (const path of Object.keys(files)) {
        if (path.startsWith(`${dir}/`)) names.add(path.slice(dir.length + 1).split("/")[0]!);
      }
      return names.size > 0 ? [...names] : undefined;
    },
    readPart: (path, end, maxBytes) => {
      const text = files[path];
      if (text === undefined) return undefined;
      const whole = text.length <= maxBytes;
      return { text: whole ? text : end === "head" ? text.slice(0, maxBytes) : text.slice(-maxBytes), whole };
    },
    mtimeMs: (path) => (path in files || Object.keys(files).some((p) => p.startsWith(`${path}/`)) ? (o.mtimes?.[path] ?? NOW) : undefined),
    processCwd: (pid) => o.processCwds?.[pid],
    openFiles: (pid) => o.openFiles?.[pid],
    query: o.query ?? (() => undefined),
  };
}

interface MemoryFile {
  text: string | undefined;
  mtimeMs: number;
  isDirectory: boolean;
  generation: number;
}

/** A session directory in memory, with the same first-writer-wins create as the real one. */
export class MemoryStore implements SessionStore {
  readonly files = new Map<string, MemoryFile>();
  private generation = 0;
  clock = 1_000;
  /** Called just before create() decides: lets a test land a rival file in the race. */
  beforeCreate: ((name: string) => void) | undefined;
  failCreates = false;
  /**
   * The name of every file whose contents were handed out, in order (a list() reads them
   * all): lets tests check that the reuse path opens only the anchor's own file.
   */
  readonly reads: string[] = [];
  /** The name of every file removed, in order. */
  readonly removals: string[] = [];
  /** How many times a caller waited for a file being written; onPause lets a test land it. */
  pauses = 0;
  onPause: (() => void) | undefined;

  constructor(readonly dir = "/sessions") {}

  pathOf(name: string): string {
    return `${this.dir}/${name}`;
  }

  put(name: string, text: string | undefined, opts: { mtimeMs?: number; isDirectory?: boolean } = {}): void {
    this.files.set(name, {
      text,
      mtimeMs: opts.mtimeMs ?? this.clock++,
      isDirectory: opts.isDirectory ?? false,
      generation: ++this.generation,
    });
  }

  private stored(name: string, f: MemoryFile): StoredFile {
    return { name, text: f.text, mtimeMs: f.mtimeMs, isDirectory: f.isDirectory, token: String(f.generation) };
  }

  list(): StoredFile[] {
    return [...this.files].filter(([n]) => n.endsWith(".session")).map(([n, f]) => {
      this.reads.push(n);
      return this.stored(n, f);
    });
  }

  read(name: string): StoredFile | undefined {
    const f = this.files.get(name);
    if (!f) return undefined;
    this.reads.push(name);
    return this.stored(name, f);
  }

  create(name: string, text: string): CreateResult {
    this.beforeCreate?.(name);
    if (this.failCreates) return "failed";
    if (this.files.has(name)) return "exists";
    this.put(name, text);
    return "created";
  }

  pause(): void {
    this.pauses++;
    this.onPause?.();
  }

  remove(file: StoredFile): boolean {
    const f = this.files.get(file.name);
    if (!f || f.isDirectory || String(f.generation) !== file.token) return false;
    this.files.delete(file.name);
    this.removals.push(file.name);
    return true;
  }
}

export interface WorldOptions {
  env?: Record<string, string | undefined>;
  /** Whether stdout is a terminal. */
  tty?: boolean;
  /** The other streams that are terminals (0: stdin, 2: stderr). */
  terminalStreams?: (0 | 2)[];
  /** stitch's process group. */
  processGroup?: number;
  /** pid → its process group (getpgid), for processes other than stitch. */
  groups?: Record<number, number>;
  /** pid → its session (getsid). */
  sessions?: Record<number, number>;
  processes?: FakeProcesses | undefined;
  store?: MemoryStore | { refused: string };
  now?: number;
  pid?: number;
  ppid?: number;
  files?: Record<string, string>;
  /** The working directory (default /work). */
  cwd?: string;
  platform?: string;
  /** What the user database says the home is (HOME unset). */
  passwdHome?: string;
  /** The Windows profile folder. */
  profileFolder?: string;
  /** Called on each pause (lets a test land the agent's late write). */
  onPause?: (ms: number) => void;
  /** stitch's own argv (default `stitch railway up`). */
  argv?: string[];
  /** The agents' records (default: `files` in memory, with `mtimes` and `openFiles`). */
  records?: RecordFiles;
  mtimes?: Record<string, number>;
  openFiles?: Record<number, string[]>;
  processCwds?: Record<number, string>;
  /** Where stitch runs (default fakePlace()). */
  place?: Place;
}

export const NOW = Date.parse("2026-11-24T12:00:00Z");

/** Distinct across worlds, as real minted ids are. */
let uuids = 0;

export function fakeWorld(o: WorldOptions = {}): World & { ttyAsked: () => number; opened: string[]; paused: number[] } {
  let ttyAsked = 0;
  const opened: string[] = [];
  const paused: number[] = [];
  const store = o.store ?? new MemoryStore();
  return {
    env: o.env ?? { HOME: "/home/u" },
    platform: o.platform ?? "linux",
    pid: o.pid ?? 1000,
    ppid: o.ppid ?? 999,
    argv: o.argv ?? ["stitch", "railway", "up"],
    isTerminal: (fd) => {
      ttyAsked++;
      return fd === 1 ? (o.tty ?? false) : (o.terminalStreams?.includes(fd) ?? false);
    },
    processGroup: (pid) => (pid === 0 || pid === (o.pid ?? 1000) ? o.processGroup : o.groups?.[pid]),
    sessionOf: (pid) => o.sessions?.[pid === 0 ? (o.pid ?? 1000) : pid],
    processes: "processes" in o ? o.processes : new FakeProcesses(),
    now: () => o.now ?? NOW,
    pause: (ms) => {
      paused.push(ms);
      o.onPause?.(ms);
    },
    randomUUID: () => `00000000-0000-4000-8000-${String(++uuids).padStart(12, "0")}`,
    randomBytes: (n) => new Uint8Array(n).map((_, i) => i * 7 + 1),
    home: () => homeDirectory(o.env ?? { HOME: "/home/u" }, o.platform ?? "linux", { passwd: () => o.passwdHome, profileFolder: () => o.profileFolder }),
    readText: (path) => o.files?.[path],
    cwd: () => o.cwd ?? "/work",
    place: o.place ?? fakePlace(),
    openStore: ({ dir }): StoreOpening => {
      opened.push(dir);
      return "refused" in store ? { ok: false, reason: store.refused } : { ok: true, store };
    },
    readRecord: (record, call) => {
      const home = () => homeDirectory(o.env ?? { HOME: "/home/u" }, o.platform ?? "linux", { passwd: () => o.passwdHome, profileFolder: () => o.profileFolder });
      return readRecord(record, call, o.records ?? memoryRecordFiles({ files: o.files, mtimes: o.mtimes, openFiles: o.openFiles, processCwds: o.processCwds, platform: o.platform, home }));
    },
    ttyAsked: () => ttyAsked,
    opened,
    paused,
  };
}

/** A typical agent chain: stitch(1000) ← bash -c (999) ← the agent (500) ← init (1). */
export function agentChain(agentArgv: string[], opts: { shell?: string[] } = {}): FakeProcesses {
  return new FakeProcesses([
    { pid: 999, ppid: 500, argv: opts.shell ?? ["/bin/bash", "-c", "stitch railway up"] },
    { pid: 500, ppid: 1, argv: agentArgv },
    { pid: 1, ppid: 0, argv: ["/sbin/init"] },
  ]);
}
