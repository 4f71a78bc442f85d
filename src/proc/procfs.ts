// ProcessSource over Linux /proc, read directly: for each ancestor actually walked, its
// `stat` (ppid, start time) and `cmdline` (argv); nothing else, and each at most once.

import { sys, type Sys } from "../sys/sys.ts";
import { commandLine, hasExited, parseCmdline, parseStat, type StatFields } from "./parse.ts";
import type { ProcessInfo, ProcessSource } from "./source.ts";

const decoder = new TextDecoder();

export class ProcfsSource implements ProcessSource {
  readonly kind = "proc" as const;
  private readonly stats = new Map<number, StatFields | undefined>();
  private readonly infos = new Map<number, ProcessInfo | undefined>();
  private btime: number | null | undefined;

  /** `root` is /proc; tests point it at a fake tree. */
  constructor(
    private readonly root = "/proc",
    private readonly files: () => Sys = sys,
  ) {}

  private readBytes(path: string): Uint8Array | undefined {
    return this.files().readWhole(path);
  }

  private stat(pid: number): StatFields | undefined {
    if (!this.stats.has(pid)) {
      const bytes = this.readBytes(`${this.root}/${pid}/stat`);
      const fields = bytes ? parseStat(decoder.decode(bytes)) : undefined;
      // A stat that names another pid is not this process's: unreadable. A zombie has
      // exited, though its pid is not free yet: gone.
      this.stats.set(pid, fields && fields.pid === pid && !hasExited(fields.state) ? fields : undefined);
    }
    return this.stats.get(pid);
  }

  get(pid: number): ProcessInfo | undefined {
    if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
    if (!this.infos.has(pid)) {
      const stat = this.stat(pid);
      let info: ProcessInfo | undefined;
      if (stat) {
        const argv = parseCmdline(this.readBytes(`${this.root}/${pid}/cmdline`) ?? new Uint8Array());
        info = {
          pid,
          ppid: stat.ppid,
          startTime: stat.startTime,
          argv,
          argvExact: argv.length > 0,
          command: commandLine(argv, stat.comm),
        };
      }
      this.infos.set(pid, info);
    }
    return this.infos.get(pid);
  }

  startTimeOf(pid: number): bigint | undefined {
    if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
    return this.stat(pid)?.startTime;
  }

  /**
   * The boot time (btime in /proc/stat, whole seconds) plus the start in ticks. USER_HZ, the
   * unit of those ticks, is 100 on every Linux architecture stitch is built for.
   */
  startedAt(pid: number): number | undefined {
    const ticks = this.startTimeOf(pid);
    if (ticks === undefined) return undefined;
    if (this.btime === undefined) {
      const bytes = this.readBytes(`${this.root}/stat`);
      const text = bytes ? decoder.decode(bytes) : "";
      const at = text.indexOf("\nbtime ");
      const value = at < 0 ? NaN : Number.parseInt(text.slice(at + 7), 10);
      this.btime = Number.isSafeInteger(value) && value > 0 ? value : null;
    }
    return this.btime === null ? undefined : this.btime * 1000 + Number(ticks) * 10;
  }

  bootId(): string | undefined {
    const bytes = this.readBytes(`${this.root}/sys/kernel/random/boot_id`);
    const id = bytes ? decoder.decode(bytes).trim() : "";
    return id === "" ? undefined : id;
  }
}
