// ProcessSource over one `ps` snapshot: macOS, and Linux when /proc is unusable. One spawn
// per run, taken lazily, in the C locale so `lstart` has one fixed format.

import { firstU64, sha256 } from "../hash.ts";
import { hasExited, parsePsOutput, type PsRow } from "./parse.ts";
import type { ProcessInfo, ProcessSource } from "./source.ts";

export const PS_ARGS = ["-A", "-ww", "-o", "pid=,ppid=,stat=,lstart=,command="] as const;

/**
 * Railway's macOS start time: SHA-256 of `ps -o lstart= -p <pid>` (trimmed), first 8
 * bytes as a big-endian u64. Hashed so the file format does not depend on the text.
 */
export function startTimeFromLstart(lstart: string): bigint {
  return firstU64(sha256(lstart.trim()));
}

export type RunPs = () => string | undefined;

export class PsSource implements ProcessSource {
  readonly kind = "ps" as const;
  private snapshot: Map<number, PsRow> | undefined;

  constructor(
    private readonly runPs: RunPs,
    private readonly readBootId: () => string | undefined = () => undefined,
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

  get(pid: number): ProcessInfo | undefined {
    const row = this.rows().get(pid);
    if (!row) return undefined;
    const argv = row.command === "" ? [] : row.command.split(/\s+/);
    return { pid, ppid: row.ppid, startTime: startTimeFromLstart(row.lstart), command: row.command, argv, argvExact: false };
  }

  startTimeOf(pid: number): bigint | undefined {
    const row = this.rows().get(pid);
    return row ? startTimeFromLstart(row.lstart) : undefined;
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

/** Spawns `ps`, found by psSearchPath; undefined when it is missing or fails. */
export function spawnPs(path: string | undefined): string | undefined {
  try {
    const search = psSearchPath(path);
    // Resolved here, so that the spawn gets an absolute path and nothing is looked up again.
    const ps = Bun.which("ps", { PATH: search });
    if (!ps?.startsWith("/")) return undefined;
    const result = Bun.spawnSync([ps, ...PS_ARGS], {
      env: { PATH: search, LC_ALL: "C" },
      stdin: "ignore",
      stdout: "pipe",
      stderr: "ignore",
    });
    return result.exitCode === 0 ? result.stdout.toString() : undefined;
  } catch {
    return undefined;
  }
}
