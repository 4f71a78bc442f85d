// design §4 "At a terminal": a human piping, capturing or redirecting output is still a
// human; an agent's tool, which captures every stream, is not. Trees as a real shell and
// real agents make them: pids, groups and sessions as getpgrp/getsid report them.

import { describe, expect, test } from "bun:test";
import { resolutionOf as resolve } from "../../src/resolve/resolution.ts";
import { FakeProcesses, fakeWorld } from "../support/fake-world.ts";

const sshd = { pid: 300, ppid: 1, argv: ["sshd: alice@pts/0"] };
const login = { pid: 400, ppid: 300, argv: ["-bash"] };
const init = { pid: 1, ppid: 0, argv: ["/sbin/init"] };

/** stitch is pid 1000; its parent and the rest of the table as given. */
function callerOf(table: ConstructorParameters<typeof FakeProcesses>[0], o: { ppid: number; group: number; groups?: Record<number, number>; sessions?: Record<number, number>; streams?: (0 | 1 | 2)[] }) {
  const streams = o.streams ?? [];
  const r = resolve(
    fakeWorld({
      env: { HOME: "/home/alice" },
      processes: new FakeProcesses(table),
      ppid: o.ppid,
      tty: streams.includes(1),
      terminalStreams: streams.filter((fd): fd is 0 | 2 => fd !== 1),
      processGroup: o.group,
      // Each process leads its own group unless said otherwise.
      groups: { ...Object.fromEntries((table ?? []).map((p) => [p.pid, p.pid])), ...o.groups },
      // One session, the login shell's, unless said otherwise.
      sessions: { 1000: 400, ...Object.fromEntries((table ?? []).map((p) => [p.pid, 400])), ...o.sessions },
    }),
  );
  return { caller: r.caller.caller, why: r.caller.why, id: r.session.id };
}

describe("a human whose stdout is not the terminal", () => {
  const table = [login, sshd, init];
  test("`railway logs | grep`: stdin and stderr are still the terminal", () => {
    expect(callerOf(table, { ppid: 400, group: 1000, streams: [0, 2] })).toEqual({ caller: "tty", why: "stderr is a terminal", id: undefined });
  });
  test("`x=$(railway status 2>&1)`: stdin is still the terminal", () => {
    expect(callerOf(table, { ppid: 400, group: 400, streams: [0] })).toMatchObject({ caller: "tty", why: "stdin is a terminal" });
  });
  test("`nohup railway up > log 2>&1 &`: no stream, but a job of the interactive shell", () => {
    const r = callerOf(table, { ppid: 400, group: 1000 });
    expect(r.caller).toBe("tty");
    expect(r.why).toContain("job (process group 1000) of the interactive shell pid 400");
  });
  test("`echo x | xargs railway ... 2>&1 | cat`: a sibling, gone already, led the job", () => {
    const r = callerOf([{ pid: 990, ppid: 400, argv: ["xargs", "railway"] }, ...table], { ppid: 990, group: 980, groups: { 990: 980 } });
    expect(r.caller).toBe("tty");
  });
  test("`timeout 9 railway up </dev/null >log 2>&1`: timeout made the group, not the shell: automated", () => {
    const r = callerOf([{ pid: 990, ppid: 400, argv: ["timeout", "9", "railway"] }, ...table], { ppid: 990, group: 1000 });
    expect(r.caller).toStartWith("agent_unknown");
  });
  test("`x=$(railway status </dev/null 2>&1)`: the shell's own group, as an agent's persistent shell's: automated", () => {
    expect(callerOf(table, { ppid: 400, group: 400 }).caller).toStartWith("agent_unknown");
  });
  test("`bash -c 'railway up' </dev/null >log 2>&1`: the job's leader is the shell running the string", () => {
    const r = callerOf([{ pid: 990, ppid: 400, argv: ["bash", "-c", "stitch railway up"] }, ...table], { ppid: 990, group: 990 });
    expect(r.caller).toBe("tty");
  });
  test("a subshell of the interactive shell in between: `(cd x; railway up) </dev/null >log 2>&1 &`", () => {
    const r = callerOf([{ pid: 990, ppid: 400, argv: ["-bash"] }, ...table], { ppid: 990, group: 990 });
    expect(r.caller).toBe("tty");
  });
});

describe("an unnamed agent is still an agent", () => {
  const agent = { pid: 500, ppid: 400, argv: ["node", "/home/alice/agentkit/bin/myagent.js"] };
  const shell = { pid: 990, ppid: 500, argv: ["/bin/bash", "-c", "stitch railway up"] };
  const table = [shell, agent, login, sshd, init];
  test("started from a terminal, its commands in its own job's group", () => {
    const r = callerOf(table, { ppid: 990, group: 500 });
    expect(r.caller).toBe("agent_unknown:node:myagent");
    expect(r.why).toContain("no stream is a terminal");
    expect(r.id).toBeDefined();
  });
  test("its shell tool in a group of its own (setpgid, detached spawn)", () => {
    expect(callerOf(table, { ppid: 990, group: 990 }).caller).toBe("agent_unknown:node:myagent");
  });
  test("a persistent shell it feeds commands to runs `setsid railway ...`: a group, but not the shell's job", () => {
    const persistent = { pid: 990, ppid: 500, argv: ["bash"] };
    const r = callerOf([persistent, agent, login, sshd, init], { ppid: 990, group: 1000, groups: { 990: 500 }, sessions: { 1000: 1000 } });
    expect(r.caller).toStartWith("agent_unknown");
  });
  test("a persistent shell it feeds commands to (no job control, no groups)", () => {
    const persistent = { pid: 990, ppid: 500, argv: ["bash"] };
    expect(callerOf([persistent, agent, login, sshd, init], { ppid: 990, group: 500, groups: { 990: 500 } }).caller).toStartWith("agent_unknown");
    expect(callerOf([persistent, agent, login, sshd, init], { ppid: 990, group: 990 }).caller).toStartWith("agent_unknown");
  });
  test("in a session of its own, no terminal anywhere", () => {
    const detached = { ...agent, ppid: 1 };
    expect(callerOf([shell, detached, init], { ppid: 990, group: 990 }).caller).toBe("agent_unknown:node:myagent");
  });
});

describe("the layers that ask: host, cloud IDE, CI, Kiro's marker", () => {
  test("a human piping in VS Code's terminal is tty:vscode, with CI=true exported still tty", () => {
    for (const env of [{ TERM_PROGRAM: "vscode" }, { CI: "true" }, { TERM_PROGRAM: "kiro" }]) {
      const r = resolve(fakeWorld({ env: { HOME: "/h", ...env }, processes: new FakeProcesses([login, sshd, init]), ppid: 400, terminalStreams: [0, 2], processGroup: 1000, groups: { 400: 400 } }));
      expect(r.caller.caller).toMatch(/^tty(:vscode|:kiro)?$/);
      expect(r.session.id).toBeUndefined();
    }
  });
});
