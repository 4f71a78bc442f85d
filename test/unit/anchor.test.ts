import { describe, expect, test } from "bun:test";
import { Ancestry, MAX_HOPS } from "../../src/resolve/ancestry.ts";
import { anchorOf } from "../../src/resolve/anchor.ts";
import { FakeProcesses, type FakeProcess } from "../support/fake-world.ts";

const chain = (...argvs: string[][]): FakeProcesses =>
  new FakeProcesses(argvs.map((argv, i) => ({ pid: 999 - i, ppid: i === argvs.length - 1 ? 0 : 998 - i, argv })));

const anchor = (processes: FakeProcesses, env: Record<string, string> = {}) =>
  anchorOf(new Ancestry(processes, 1000, 999), env);

describe("anchor (design §6)", () => {
  test("the nearest recognised agent, past transient shells", () => {
    const p = chain(["sh", "-c", "stitch x"], ["/bin/bash", "-lc", "sh -c 'stitch x'"], ["/usr/bin/codex", "exec"], ["/sbin/init"]);
    expect(anchor(p)).toMatchObject({ hop: { process: { pid: 997 } }, reason: { kind: "agent", slug: "codex" } });
  });
  test("stops reading at the anchor", () => {
    const p = chain(["bash", "-c", "x"], ["claude"], ["login"], ["/sbin/init"]);
    anchor(p);
    expect(p.reads).toEqual([999, 998]);
  });
  test("a pid variable names the anchor once it is confirmed as an ancestor", () => {
    const p = chain(["bash", "-c", "x"], ["/opt/renamed-agent"], ["/sbin/init"]);
    expect(anchor(p, { OPENCODE_PID: "998" })).toMatchObject({
      hop: { process: { pid: 998 } },
      reason: { kind: "pid_variable", variable: "OPENCODE_PID" },
    });
  });
  test("Qwen Code's launcher pid names the anchor", () => {
    const p = chain(["bash", "-c", "x"], ["/usr/bin/node", "/opt/harness.js"], ["node", "/x/.bin/some-launcher"], ["/sbin/init"]);
    expect(anchor(p, { QWEN_CODE_LAUNCHER_PID: "997" })).toMatchObject({ hop: { process: { pid: 997 } }, reason: { kind: "pid_variable", variable: "QWEN_CODE_LAUNCHER_PID" } });
  });
  test("a pid variable naming a non-ancestor is ignored", () => {
    const p = chain(["bash", "-c", "x"], ["/usr/bin/my-harness"], ["/sbin/init"]);
    p.add({ pid: 4242, ppid: 1, argv: ["claude"] });
    expect(anchor(p, { CLAUDE_PID: "4242" })).toMatchObject({ hop: { process: { pid: 998 } }, reason: { kind: "non_transient" } });
  });
  test("an unsafe or non-numeric pid variable is ignored", () => {
    const p = chain(["bash", "-c", "x"], ["/usr/bin/my-harness"]);
    for (const value of ["998 ", "0x3e6", "-998", "998;", ""]) {
      const r = anchor(p, { CLAUDE_PID: value });
      if (value === "998 ") expect(r?.reason.kind).toBe("pid_variable"); // trimmed, then safe
      else expect(r?.reason.kind).toBe("non_transient");
    }
  });
  test("without an agent, the nearest non-transient ancestor", () => {
    const p = chain(["bash", "-c", "x"], ["env", "FOO=1", "bash", "-c", "y"], ["nohup", "z"], ["node", "/srv/harness.js"], ["/sbin/init"]);
    expect(anchor(p)).toMatchObject({ hop: { process: { pid: 996 } }, reason: { kind: "non_transient" } });
  });
  test("a shell running a script or an interactive shell is not transient", () => {
    expect(anchor(chain(["bash", "-c", "x"], ["bash", "./loop.sh"]))?.hop.process.pid).toBe(998);
    expect(anchor(chain(["bash", "-c", "x"], ["-zsh"]))?.hop.process.pid).toBe(998);
    expect(anchor(chain(["bash", "-c", "x"], ["bash", "-o", "pipefail", "run.sh"]))?.hop.process.pid).toBe(998);
  });
  test("npx, npm exec, bunx, pnpm dlx, uvx are transient", () => {
    for (const argv of [
      ["node", "/usr/lib/node_modules/npm/bin/npx-cli.js", "tsx"],
      ["npm", "exec", "tsx"],
      ["node", "/usr/local/bin/npx", "tsx"],
      ["bunx", "tsx"],
      ["bun", "x", "tsx"],
      ["pnpm", "dlx", "tsx"],
      ["uvx", "ruff"],
      ["timeout", "10", "x"],
      ["xargs", "-n1"],
    ]) {
      expect(anchor(chain(["bash", "-c", "x"], argv, ["/usr/bin/harness"]))?.hop.process.pid).toBe(997);
    }
    expect(anchor(chain(["bash", "-c", "x"], ["npm", "run", "dev"], ["/usr/bin/harness"]))?.hop.process.pid).toBe(998);
  });
  test("all transient: the immediate parent", () => {
    expect(anchor(chain(["bash", "-c", "x"], ["sh", "-c", "y"]))).toMatchObject({ hop: { process: { pid: 999 } }, reason: { kind: "parent" } });
  });
  test("nothing readable: no anchor", () => {
    expect(anchor(new FakeProcesses())).toBeUndefined();
    expect(anchorOf(new Ancestry(undefined, 1000, 999), {})).toBeUndefined();
  });
});

describe("ancestry walk", () => {
  test("a cycle ends the walk", () => {
    const p = new FakeProcesses([
      { pid: 999, ppid: 998, argv: ["bash", "-c", "x"] },
      { pid: 998, ppid: 999, argv: ["sh", "-c", "y"] },
    ]);
    expect(new Ancestry(p, 1000, 999).all().map((h) => h.process.pid)).toEqual([999, 998]);
  });
  test("a self-parented process ends the walk", () => {
    const p = new FakeProcesses([{ pid: 999, ppid: 999, argv: ["x"] }]);
    expect(new Ancestry(p, 1000, 999).all()).toHaveLength(1);
  });
  test("a table that loops back to stitch itself ends the walk", () => {
    const p = new FakeProcesses([
      { pid: 999, ppid: 1000, argv: ["x"] },
      { pid: 1000, ppid: 999, argv: ["stitch"] },
    ]);
    expect(new Ancestry(p, 1000, 999).all().map((h) => h.process.pid)).toEqual([999]);
  });
  test(`at most ${MAX_HOPS} hops`, () => {
    const long: FakeProcess[] = Array.from({ length: 40 }, (_, i) => ({ pid: 999 - i, ppid: 998 - i, argv: ["sh", "-c", "x"] }));
    const p = new FakeProcesses(long);
    expect(new Ancestry(p, 1000, 999).all()).toHaveLength(MAX_HOPS);
    expect(p.reads).toHaveLength(MAX_HOPS);
  });
  test("ppid 0 and a vanished process end the walk", () => {
    expect(new Ancestry(chain(["a"], ["b"]), 1000, 999).all()).toHaveLength(2);
    const gone = new FakeProcesses([{ pid: 999, ppid: 555, argv: ["a"] }]);
    expect(new Ancestry(gone, 1000, 999).all()).toHaveLength(1);
  });
});
