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

  bootId(): string | undefined {
    const bytes = this.readBytes(`${this.root}/sys/kernel/random/boot_id`);
    const id = bytes ? decoder.decode(bytes).trim() : "";
    return id === "" ? undefined : id;
  }
}
