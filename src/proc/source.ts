// What the resolver needs to know about a process, whichever adapter reads it.

export interface ProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  /**
   * When the process started, as Railway's session files record it (`parent_btime`):
   * on /proc, clock ticks since boot (field 22 of /proc/<pid>/stat); from `ps`, the first
   * 8 bytes (big-endian) of SHA-256 of its `lstart` text; on Windows, its creation
   * FILETIME (100 ns since 1601). Undefined when unreadable.
   */
  readonly startTime: bigint | undefined;
  /** The command line as `ps -o command=` shows it: argv joined by single spaces. */
  readonly command: string;
  /** argv: exact from /proc; from `ps`, the command split on whitespace. */
  readonly argv: readonly string[];
  /** Whether argv is the real argv (true for /proc). */
  readonly argvExact: boolean;
  /**
   * Only the program is known, not its arguments (a Windows snapshot): argv is the
   * executable's path alone.
   */
  readonly argsUnknown?: boolean;
  /**
   * argv0 as Railway's CLI records it in the session key, where that is not the first word
   * of the lower-cased command line (Windows: the whole lower-cased executable name).
   */
  readonly argv0?: string;
}

export type ProcessSourceKind = "proc" | "ps" | "toolhelp";

export interface ProcessSource {
  /** Which source: also the clock its start times are on (a session file's `clock`). */
  readonly kind: ProcessSourceKind;
  /** The process, or undefined when it is gone or cannot be read. */
  get(pid: number): ProcessInfo | undefined;
  /** Only the start time: what the session sweep needs for every recorded anchor. */
  startTimeOf(pid: number): bigint | undefined;
  /**
   * When the process started, ms since the epoch (to within a second), where the source can
   * say: the agents' records are dated on the wall clock.
   */
  startedAt?(pid: number): number | undefined;
  /** This boot's id (Linux /proc/sys/kernel/random/boot_id), when known. */
  bootId(): string | undefined;
}
