// design §6.1 "Adopted": a call that outlived the shell that started it (`cmd &`, nohup,
// setsid, a double fork) is re-parented to init or a subreaper, which is no part of any
// conversation. It anchors on what survives of its conversation, or on nothing.

import { describe, expect, test } from "bun:test";
import { resolutionOf as resolve } from "../../src/resolve/resolution.ts";
import { FakeProcesses, fakeWorld, MemoryStore, type FakeProcess } from "../support/fake-world.ts";

const init = { pid: 1, ppid: 0, argv: ["/sbin/init"], startedAt: 0 };
const userManager = { pid: 50, ppid: 1, argv: ["/usr/lib/systemd/systemd", "--user"], startedAt: 1 };
const gemini = { pid: 500, ppid: 400, argv: ["node", "/usr/lib/node_modules/@google/gemini-cli/dist/index.js"], startedAt: 100 };
const login = { pid: 400, ppid: 300, argv: ["-bash"], startedAt: 50 };
const self = { pid: 1000, ppid: 1, argv: ["stitch", "railway", "up"], startedAt: 200 };

function run(o: { ppid: number; group: number; sessions: Record<number, number>; env?: Record<string, string>; table?: object[]; store?: MemoryStore }) {
  const table = (o.table ?? [init, userManager, gemini, login]) as FakeProcess[];
  return resolve(
    fakeWorld({
      env: { HOME: "/h", GEMINI_CLI: "1", ...o.env },
      processes: new FakeProcesses([...table, { ...self, ppid: o.ppid }]),
      ppid: o.ppid,
      processGroup: o.group,
      sessions: o.sessions,
      store: o.store,
    }),
  );
}

describe("adopted by init or a subreaper: never the anchor", () => {
  for (const [name, adopter] of [["init", 1], ["systemd --user (a subreaper)", 50]] as const) {
    test(`${name}: the shell's group is gone, nothing survives: a one-call cli_ id`, () => {
      const store = new MemoryStore();
      const r = run({ ppid: adopter, group: 990, sessions: { 1000: 990, 1: 1, 50: 50, 400: 400, 500: 400 }, store });
      expect(r.anchor).toBeUndefined();
      expect(r.session.id).toMatch(/^cli_/);
      expect(r.session.source).toEqual({ kind: "fallback", reason: expect.stringContaining(`adopted by pid ${adopter}`) });
      expect(store.files.size).toBe(0);
    });
    test(`${name}: the agent leads stitch's process group: anchored on it, as its foreground calls are`, () => {
      const r = run({ ppid: adopter, group: 500, sessions: { 1000: 400, 1: 1, 50: 50, 400: 400, 500: 400 } });
      expect(r.anchor).toMatchObject({ hop: { depth: 0, process: { pid: 500 } }, reason: { kind: "agent", slug: "gemini_cli" }, adoptedBy: adopter });
      expect(r.session.source.kind).toBe("store");
      // Named by the agent that survives, as its foreground calls are by the process tree.
      const unmarked = run({ ppid: adopter, group: 500, sessions: { 1000: 400, 1: 1, 50: 50, 400: 400, 500: 400 }, env: { GEMINI_CLI: "" } });
      expect(unmarked.caller).toMatchObject({ caller: "gemini_cli", layer: "process_tree", why: expect.stringContaining(`adopted by pid ${adopter}`) });
    });
  }
  test("a pid variable naming a live agent that started before stitch survives; one started after does not", () => {
    const claude = { pid: 600, ppid: 400, argv: ["/opt/tool/bin/thing"], startedAt: 150 };
    const env = { CLAUDE_PID: "600" };
    const sessions = { 1000: 990, 1: 1, 600: 400 };
    expect(run({ ppid: 1, group: 990, sessions, env, table: [init, claude, login] }).anchor).toMatchObject({ hop: { depth: 0, process: { pid: 600 } }, reason: { kind: "pid_variable", variable: "CLAUDE_PID" } });
    expect(run({ ppid: 1, group: 990, sessions, env, table: [init, { ...claude, startedAt: 300 }, login] }).anchor).toBeUndefined();
  });
  test("`setsid -f`: stitch leads a session of its own under init; init is a known adopter", () => {
    const r = run({ ppid: 1, group: 1000, sessions: { 1000: 1000, 1: 1 } });
    expect(r.anchor).toBeUndefined();
    expect(r.session.id).toMatch(/^cli_/);
  });
});

describe("not adopted: unchanged", () => {
  const agent = { pid: 1, ppid: 0, argv: ["python3", "/app/agent.py"], startedAt: 0 };
  const shell = { pid: 990, ppid: 1, argv: ["/bin/sh", "-c", "stitch railway up"], startedAt: 150 };
  test("an uncatalogued agent that is pid 1 of its container, its shell in its session", () => {
    const r = run({ ppid: 990, group: 990, sessions: { 1000: 1, 990: 1, 1: 1 }, env: { GEMINI_CLI: "" }, table: [agent, shell] });
    expect(r.anchor).toMatchObject({ hop: { depth: 2, process: { pid: 1 } }, reason: { kind: "non_transient" } });
    expect(r.anchor?.adoptedBy).toBeUndefined();
  });
  test("the documented cost: the same agent starting its shell in a new session looks adopted (one-call ids)", () => {
    const r = run({ ppid: 990, group: 990, sessions: { 1000: 990, 990: 990, 1: 1 }, env: { GEMINI_CLI: "" }, table: [agent, shell] });
    expect(r.anchor).toBeUndefined();
    expect(r.session.id).toMatch(/^cli_/);
  });
  test("an agent's foreground call: its shell in the agent's session", () => {
    const shell = { pid: 990, ppid: 500, argv: ["/bin/bash", "-c", "stitch railway up"], startedAt: 150 };
    const r = run({ ppid: 990, group: 500, sessions: { 1000: 400, 990: 400, 500: 400, 400: 400, 1: 1 }, table: [init, gemini, login, shell] });
    expect(r.anchor).toMatchObject({ hop: { depth: 2, process: { pid: 500 } }, reason: { kind: "agent" } });
  });
});
