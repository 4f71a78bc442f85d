// stitch's ancestors, walked lazily from its parent: only the hops a decision needs are
// read. design §4.3 and §6: at most 15 hops; stop on ppid 0, on a pid seen before (a cycle,
// which a hostile or racing process table can produce), on a process that is gone, or on
// one that started after its supposed child (the parent's pid, reused since).

import type { ProcessInfo, ProcessSource } from "../proc/source.ts";
import type { Classification } from "./classify.ts";

/** The catalog's verdicts, loaded with the first hop read: a path that walks no ancestor never loads them. */
let classifier: typeof import("./classify.ts").classify | undefined;

export const MAX_HOPS = 15;

export interface Hop {
  /** 1 for stitch's parent, 2 for its parent, ...; 0 for a process that is not an ancestor. */
  readonly depth: number;
  readonly process: ProcessInfo;
  /** What the catalog makes of it, worked out on demand. */
  readonly is: Classification;
}

/** A hop whose classification (and the catalog's modules) is worked out when first asked. */
export class ReadHop implements Hop {
  private verdict: Classification | undefined;
  constructor(
    readonly depth: number,
    readonly process: ProcessInfo,
  ) {}
  get is(): Classification {
    if (!this.verdict) {
      classifier ??= (require("./classify.ts") as typeof import("./classify.ts")).classify;
      this.verdict = classifier(this.process.argv, this.process.argvExact, this.process.argsUnknown);
    }
    return this.verdict;
  }
}

/**
 * When a process started, in an order the source can vouch for: /proc's clock ticks and
 * Windows' creation times as they are; `ps`'s start times are hashes of its text (design
 * §6.2), so its wall-clock start, to the second.
 */
function startOf(source: ProcessSource, pid: number, info: ProcessInfo | undefined): bigint | number | undefined {
  if (source.kind === "ps") return source.startedAt?.(pid);
  return info ? info.startTime : source.startTimeOf(pid);
}

/** Whether `parent` started after `child` forked it: then it is a later process that reused the pid. */
function startedAfter(source: ProcessSource, parent: ProcessInfo, child: { readonly pid: number; readonly info?: ProcessInfo }): boolean {
  const parentStart = startOf(source, parent.pid, parent);
  if (parentStart === undefined) return false;
  const childStart = startOf(source, child.pid, child.info);
  return childStart !== undefined && typeof childStart === typeof parentStart && parentStart > childStart;
}

export class Ancestry {
  private readonly hops: Hop[] = [];
  private readonly seen = new Set<number>();
  private next: number | undefined;
  /** The process whose parent `next` is: stitch, then each hop read. */
  private child: { readonly pid: number; readonly info?: ProcessInfo };

  private readonly source: () => ProcessSource | undefined;

  /** `source` may be a thunk: the process source is then chosen only when a hop is read. */
  constructor(
    source: ProcessSource | undefined | (() => ProcessSource | undefined),
    selfPid: number,
    parentPid: number,
    private readonly maxHops = MAX_HOPS,
    /** stitch's parent pid asked again, live (World.parentNow). */
    private readonly parentNow?: () => number,
  ) {
    this.source = typeof source === "function" ? source : () => source;
    // stitch itself counts as seen: a table that loops back to it is a cycle too.
    this.seen.add(selfPid);
    this.next = parentPid > 0 ? parentPid : undefined;
    this.child = { pid: selfPid };
  }

  /** Reads one more hop; false when the walk has ended. */
  private step(): boolean {
    const pid = this.next;
    if (pid === undefined || this.hops.length >= this.maxHops) return false;
    const source = this.source();
    if (source === undefined) return false;
    this.next = undefined;
    if (this.seen.has(pid)) return false;
    this.seen.add(pid);
    const info = source.get(pid);
    if (!info || this.notTheParent(source, info)) return false;
    this.child = { pid, info };
    this.hops.push(new ReadHop(this.hops.length + 1, info));
    if (info.ppid !== 0) this.next = info.ppid;
    return true;
  }

  /**
   * Whether the process read is a later one that reused the parent's pid. For stitch's own
   * parent on /proc, asking getppid again is exact and costs no read of stitch's own start:
   * a parent that exited before the read has made stitch an orphan, whose parent is now
   * another pid (its reaper).
   */
  private notTheParent(source: ProcessSource, info: ProcessInfo): boolean {
    if (this.hops.length === 0 && source.kind === "proc" && this.parentNow) return this.parentNow() !== info.pid;
    return startedAfter(source, info, this.child);
  }

  /** The nearest hop satisfying the predicate, reading no further than needed. */
  find(predicate: (hop: Hop) => boolean): Hop | undefined {
    for (let i = 0; ; i++) {
      if (i === this.hops.length && !this.step()) return undefined;
      const hop = this.hops[i]!;
      if (predicate(hop)) return hop;
    }
  }

  /** Hop `depth` (1 = the parent), read on demand. */
  at(depth: number): Hop | undefined {
    while (this.hops.length < depth && this.step()) {}
    return this.hops[depth - 1];
  }

  /** Walks to the end and returns every hop. */
  all(): readonly Hop[] {
    while (this.step()) {}
    return this.hops;
  }

  /** The hops read so far. */
  walked(): readonly Hop[] {
    return this.hops;
  }
}
