// The walk's end at a process that started after its supposed child (design §4.3): the
// parent's pid, reused while the table was read. Start times are compared as the source
// orders them: ticks (/proc), creation times (Windows), whole seconds (`ps`).

import { describe, expect, test } from "bun:test";
import { Ancestry } from "../../src/resolve/ancestry.ts";
import { FakeProcesses, type FakeProcess } from "../support/fake-world.ts";

const SELF = 1000;
const pids = (source: FakeProcesses) => new Ancestry(source, SELF, 900).all().map((h) => h.process.pid);

/** stitch (1000) ← 900 ← 800 ← 1, with start times (ticks) in `starts`. */
function tree(starts: Record<number, bigint>, kind: "proc" | "toolhelp" = "proc"): FakeProcesses {
  const row = (pid: number, ppid: number): FakeProcess => ({ pid, ppid, argv: [`p${pid}`], startTime: starts[pid] });
  return new FakeProcesses([row(SELF, 900), row(900, 800), row(800, 1), row(1, 0)], kind);
}

describe("a parent started after its child is not its parent", () => {
  test("in order: the whole chain", () => {
    expect(pids(tree({ 1: 1n, 800: 50n, 900: 60n, [SELF]: 70n }))).toEqual([900, 800, 1]);
  });
  test("the same tick as its child: still its parent (a fork within one tick)", () => {
    expect(pids(tree({ 1: 1n, 800: 60n, 900: 60n, [SELF]: 60n }))).toEqual([900, 800, 1]);
  });
  test("stitch's parent started after stitch: no ancestor at all", () => {
    expect(pids(tree({ 1: 1n, 800: 50n, 900: 71n, [SELF]: 70n }))).toEqual([]);
  });
  test("a grandparent started after the parent: the walk ends at the parent", () => {
    expect(pids(tree({ 1: 1n, 800: 61n, 900: 60n, [SELF]: 70n }))).toEqual([900]);
  });
  test("Windows' creation times alike (a parent's pid is reused once it exits: nothing reparents)", () => {
    expect(pids(tree({ 1: 1n, 800: 134_091_116_020_000_000n, 900: 134_091_116_010_000_000n, [SELF]: 134_091_116_030_000_000n }, "toolhelp"))).toEqual([900]);
  });
  test("ps: start times are hashes, so its wall-clock starts, to the second, decide", () => {
    const at = Date.UTC(2026, 11, 5, 3, 0, 0);
    const row = (pid: number, ppid: number, startedAt: number): FakeProcess => ({ pid, ppid, argv: [`p${pid}`], startTime: BigInt(10_000 - pid), startedAt });
    const ps = (parentAt: number) => new FakeProcesses([row(SELF, 900, at), row(900, 800, parentAt), row(800, 1, at - 5000), row(1, 0, at - 9000)], "ps");
    expect(pids(ps(at))).toEqual([900, 800, 1]);
    expect(pids(ps(at - 1000))).toEqual([900, 800, 1]);
    expect(pids(ps(at + 1000))).toEqual([]);
  });
  test("/proc, stitch's own parent: asked again with getppid instead (no read of stitch's own start)", () => {
    const walk = (now: number) => new Ancestry(tree({ 1: 1n, 800: 50n, 900: 60n, [SELF]: 70n }), SELF, 900, undefined, () => now).all().map((h) => h.process.pid);
    // Still stitch's parent after it was read: it was the parent.
    expect(walk(900)).toEqual([900, 800, 1]);
    // stitch was orphaned meanwhile (its parent now the reaper): the process read under the
    // old pid may be a newcomer's.
    expect(walk(1)).toEqual([]);
  });
});
