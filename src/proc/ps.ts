// ProcessSource over one `ps` snapshot: macOS, and Linux when /proc is unusable. One spawn
// per run, taken lazily, in the C locale so that the table parses whatever the user's
// language. Start times are Railway's: SHA-256 of the `lstart` text as the user's own `ps`
// prints it (design §6.2), which depends on their locale and time zone; where the locale
// prints times as C does, the snapshot's text is that text, else one more `ps` lists the
// start times in the user's locale, only when a start time is first asked for.

import { firstU64, sha256 } from "../hash.ts";
import { isDigit, rustTrim } from "../text.ts";
import { hasExited, parsePsOutput, type PsRow, lstartMs } from "./parse.ts";
import type { ProcessInfo, ProcessSource } from "./source.ts";

export const PS_ARGS = ["-A", "-ww", "-o", "pid=,ppid=,stat=,lstart=,command="] as const;
/** Every process's start time, printed in the user's locale: `pid` first, `lstart` the rest. */
export const PS_START_ARGS = ["-A", "-ww", "-o", "pid=,lstart="] as const;

/**
 * Railway's macOS start time: SHA-256 of `ps -o lstart= -p <pid>` (trimmed as Rust trims),
 * first 8 bytes as a big-endian u64. Hashed so the file format does not depend on the text.
 */
export function startTimeFromLstart(lstart: string): bigint {
  return firstU64(sha256(rustTrim(lstart)));
}

/**
 * `ps -A -o pid=,lstart=` → pid → lstart text. The pid is the first word; the rest of the
 * line is the text, whatever words the locale prints (`金 12/ 4 19:39:40 2026`).
 */
export function parsePsStarts(text: string): Map<number, string> {
  const starts = new Map<number, string>();
  for (const line of text.split("\n")) {
    let at = 0;
    while (line.charCodeAt(at) === 0x20) at++;
    const digits = at;
    while (isDigit(line.charCodeAt(at))) at++;
    if (at === digits || at - digits > 10 || line.charCodeAt(at) !== 0x20) continue;
    const pid = Number(line.slice(digits, at));
    if (!starts.has(pid)) starts.set(pid, line.slice(at + 1));
  }
  return starts;
}

export type RunPs = () => string | undefined;

export class PsSource implements ProcessSource {
  readonly kind = "ps" as const;
  private snapshot: Map<number, PsRow> | undefined;
  private localStarts: Map<number, string> | undefined;

  /**
   * `runLocalStarts`: PS_START_ARGS in the user's locale and time zone, where that locale
   * prints start times otherwise than the C locale the snapshot is taken in.
   */
  constructor(
    private readonly runPs: RunPs,
    private readonly readBootId: () => string | undefined = () => undefined,
    private readonly runLocalStarts?: RunPs,
  ) {}

  private rows(): Map<number, PsRow> {
    if (!this.snapshot) {
      const rows = parsePsOutput(this.runPs() ?? "");
      // A zombie has exited, though its pid is not free yet: gone.
      for (const [pid, row] of rows) if (hasExited(row.state)) rows.delete(pid);
      this.snapshot = rows;
    }
    return this.snapshot;
  }

  /** A live process's start time; undefined when its text is not in the user's listing. */
  private startTime(pid: number, row: PsRow): bigint | undefined {
    if (!this.runLocalStarts) return startTimeFromLstart(row.lstart);
    this.localStarts ??= parsePsStarts(this.runLocalStarts() ?? "");
    const text = this.localStarts.get(pid);
    return text === undefined ? undefined : startTimeFromLstart(text);
  }

  get(pid: number): ProcessInfo | undefined {
    const row = this.rows().get(pid);
    if (!row) return undefined;
    const argv = row.command === "" ? [] : row.command.split(/\s+/);
    const source = this;
    return {
      pid,
      ppid: row.ppid,
      // Computed when asked: a human's call walks ancestors but needs no start time, and
      // in a non-C locale it would cost a second `ps`.
      get startTime() {
        return source.startTime(pid, row);
      },
      command: row.command,
      argv,
      argvExact: false,
    };
  }

  startTimeOf(pid: number): bigint | undefined {
    const row = this.rows().get(pid);
    return row ? this.startTime(pid, row) : undefined;
  }

  /** From the snapshot's C-locale lstart, printed in the caller's time zone, which is stitch's. */
  startedAt(pid: number): number | undefined {
    const row = this.rows().get(pid);
    return row ? lstartMs(row.lstart, "local") : undefined;
  }

  bootId(): string | undefined {
    return this.readBootId();
  }
}

/** Where `ps` is looked for when PATH is unset or names no absolute directory. */
export const DEFAULT_PS_PATH = "/usr/bin:/bin";

/**
 * The directories searched for `ps`: PATH's absolute entries, in order. An empty entry,
 * `.` or any other relative entry names the working directory, where a repository the
 * agent cloned could plant a `ps` (design §10); those are skipped. PATH rather than fixed
 * paths (/bin/ps, /usr/bin/ps): some systems have `ps` in neither (NixOS, Guix), and the
 * caller's PATH decides which `ps` they run anyway, as it decides the command; on macOS
 * /bin is always on it. Without any absolute entry, as without PATH: /usr/bin:/bin.
 */
export function psSearchPath(path: string | undefined): string {
  const dirs = (path ?? "").split(":").filter((dir) => dir.startsWith("/"));
  return dirs.length > 0 ? dirs.join(":") : DEFAULT_PS_PATH;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The locale `ps` prints times in, as setlocale(LC_ALL, "") picks it for LC_TIME: the first
 * of LC_ALL, LC_TIME, LANG that is set and not empty. A value holding `/` names a directory
 * of locale data (the working directory's, perhaps), not a locale: it is not passed on.
 */
export function timeLocale(env: Env): string | undefined {
  for (const name of ["LC_ALL", "LC_TIME", "LANG"]) {
    const value = env[name];
    if (value) return value.includes("/") ? undefined : value;
  }
  return undefined;
}

/** Whether that locale prints times as C does (then the C snapshot's text is the user's). */
export const printsLikeC = (locale: string | undefined) => locale === undefined || locale === "C" || locale === "POSIX";

/**
 * What `ps` gets of the caller's environment for start times: the time zone (Railway's `ps`
 * prints local time), and for the localized listing the locale. Nothing else: it is run
 * with PATH set to the search path, nothing from the working directory.
 */
function psEnvironment(env: Env, search: string, locale: "C" | "user"): Record<string, string> {
  const out: Record<string, string> = { PATH: search, LC_ALL: locale === "C" ? "C" : (timeLocale(env) ?? "C") };
  if (env.TZ !== undefined) out.TZ = env.TZ;
  return out;
}

/** Spawns `ps`, found by psSearchPath; undefined when it is missing or fails. */
export function spawnPs(env: Env, args: readonly string[] = PS_ARGS, locale: "C" | "user" = "C"): string | undefined {
  try {
    const search = psSearchPath(env.PATH);
    // Resolved here, so that the spawn gets an absolute path and nothing is looked up again.
    const ps = Bun.which("ps", { PATH: search });
    if (!ps?.startsWith("/")) return undefined;
    const result = Bun.spawnSync([ps, ...args], {
      env: psEnvironment(env, search, locale),
      stdin: "ignore",
      stdout: "pipe",
      stderr: "ignore",
    });
    return result.exitCode === 0 ? result.stdout.toString() : undefined;
  } catch {
    return undefined;
  }
}

/** The ps source for a caller's environment: the C snapshot, and their locale's start times. */
export function psSource(env: Env, readBootId: () => string | undefined): PsSource {
  const localStarts = printsLikeC(timeLocale(env)) ? undefined : () => spawnPs(env, PS_START_ARGS, "user");
  return new PsSource(() => spawnPs(env), readBootId, localStarts);
}
