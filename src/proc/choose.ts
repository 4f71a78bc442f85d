// Which process source a run uses (design §11): /proc on Linux, falling back to one `ps`
// snapshot when /proc cannot show stitch's own parent (not mounted, or hidden); `ps` on
// macOS and other Unixes; a Toolhelp32 snapshot on Windows. STITCH_PROCESS_SOURCE=proc|ps
// forces one (Unix).

import { ProcfsSource } from "./procfs.ts";
import type { ProcessInfo, ProcessSource } from "./source.ts";

// The `ps` and Toolhelp sources are loaded only where they are used: on Linux, nearly
// every run reads /proc and nothing else.
const psModule = () => require("./ps.ts") as typeof import("./ps.ts");

/** /proc first; on the first sign it is unusable, `ps` for the rest of the run. */
export class ProcThenPs implements ProcessSource {
  private chosen: ProcessSource | undefined;

  constructor(
    private readonly procfs: ProcessSource,
    private readonly ps: () => ProcessSource,
    private readonly probePid: number,
  ) {}

  /** Decided on first use: a run that needs no process information reads none. */
  private active(): ProcessSource {
    this.chosen ??= this.procfs.get(this.probePid) ? this.procfs : this.ps();
    return this.chosen;
  }

  get kind() {
    return this.active().kind;
  }
  get(pid: number): ProcessInfo | undefined {
    return this.active().get(pid);
  }
  startTimeOf(pid: number): bigint | undefined {
    return this.active().startTimeOf(pid);
  }
  startedAt(pid: number): number | undefined {
    return this.active().startedAt?.(pid);
  }
  bootId(): string | undefined {
    return this.active().bootId();
  }
}

/** Windows: one Toolhelp32 snapshot through kernel32 (sys/kernel32.ts). */
function toolhelp(): ProcessSource {
  const kernel32 = require("../sys/kernel32.ts") as typeof import("../sys/kernel32.ts");
  const { ToolhelpSource } = require("./toolhelp.ts") as typeof import("./toolhelp.ts");
  return new ToolhelpSource({ entries: kernel32.processEntries, details: kernel32.processDetails });
}

/**
 * `env`: the caller's environment, for `ps` (its PATH's absolute directories, the time zone
 * and locale its start times are printed in) and STITCH_PROCESS_SOURCE.
 */
export function chooseProcessSource(env: Readonly<Record<string, string | undefined>>, platform: string, ppid: number): ProcessSource | undefined {
  if (platform === "win32") return toolhelp();
  const forced = env.STITCH_PROCESS_SOURCE;
  const procfs = () => new ProcfsSource();
  // In ps mode on Linux, /proc's boot id is still used where it can be read; elsewhere
  // (macOS) there is none (design §11).
  const bootId = platform === "linux" ? () => new ProcfsSource().bootId() : () => undefined;
  const ps = () => psModule().psSource(env, bootId);
  if (forced === "ps") return ps();
  if (forced === "proc") return procfs();
  if (platform !== "linux") return ps();
  return new ProcThenPs(procfs(), ps, ppid);
}
