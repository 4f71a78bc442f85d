// The subcommands of the compiled binary (design §2).

import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { departures, PRUNED_ENTRY, resolveDepartures, SESSION_LIST_ENTRY } from "../support/documented-json.ts";
import { call, linuxDescribe, PRINT_ID, Sandbox, STITCH } from "./harness.ts";

let sb: Sandbox;
beforeEach(() => {
  sb = new Sandbox();
});
afterEach(() => sb.cleanup());

function run(args: string[], env: Record<string, string> = {}) {
  const r = Bun.spawnSync([STITCH, ...args], { env: sb.env(env), stdin: "ignore" });
  return { status: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

linuxDescribe("resolve", () => {
  test("--json from inside an agent: the documented object, the agent in the ancestry, the same id as the wrap", async () => {
    const a = await sb.agent("claude", [call("j", "stitch resolve --json"), call("1", PRINT_ID)].join("\n"));
    const json = JSON.parse(a.read("out.j"));
    expect(resolveDepartures(json, false)).toEqual([]);
    expect(json).toMatchObject({ caller: "claude_code", agent_caller: true, caller_layer: "process_tree", process_source: "proc" });
    expect(json.session_id).toBe(a.read("out.1").trim());
    expect(json.ancestry.map((h: { pid: number }) => h.pid)).toContain(a.pid);
    expect(json.ancestry.map((h: { pid: number }) => h.pid)).not.toContain(process.pid);
    expect(json.anchor).toMatchObject({ pid: a.pid, argv0: "claude", reason: "agent", detail: "claude_code" });
  });
  for (const source of ["proc", "ps"]) {
    test(`an ancestor's arguments are not shown unless asked for (--with-args), human and JSON (${source})`, async () => {
      const secret = "secret-TOKEN-4711";
      // sh holds the secret in its arguments; `; :` keeps it from exec'ing stitch in its place.
      const via = (tag: string, args: string) => call(tag, `sh -c 'stitch resolve ${args}; :' sh ${secret}`);
      const a = await sb.agent("claude", [via("h", ""), via("j", "--json"), via("hw", "--with-args"), via("jw", "--json --with-args")].join("\n"), {
        env: { STITCH_PROCESS_SOURCE: source },
      });
      for (const tag of ["h", "j"]) {
        expect({ tag, leaks: a.read(`out.${tag}`).includes(secret), err: a.read(`err.${tag}`) }).toEqual({ tag, leaks: false, err: "" });
      }
      for (const tag of ["hw", "jw"]) expect({ tag, shows: a.read(`out.${tag}`).includes(secret) }).toEqual({ tag, shows: true });
      // The hop is still there, by its program: `sh`, with its argument count where /proc tells it.
      expect(a.read("out.h")).toMatch(source === "proc" ? /^ {2}\s*1 {2}pid \d+ +sh {2}\(4 arguments\)$/m : /^ {2}\s*1 {2}pid \d+ +sh$/m);
      const json = JSON.parse(a.read("out.j"));
      expect(resolveDepartures(json, false)).toEqual([]);
      expect(json.ancestry[0]).toMatchObject({ depth: 1, argv0: "sh", program: "sh", arg_count: source === "proc" ? 4 : null });
      expect(json.ancestry.some((h: object) => "command" in h)).toBe(false);
      const withArgs = JSON.parse(a.read("out.jw"));
      expect(resolveDepartures(withArgs, true)).toEqual([]);
      expect(withArgs.ancestry[0].command).toBe(`sh -c stitch resolve --json --with-args; : sh ${secret}`);
    });
  }
  test("human form", async () => {
    const a = await sb.agent("claude", call("r", "stitch resolve"));
    const text = a.read("out.r");
    expect(text).toMatch(/^caller {4}claude_code {2}\(agent caller\)$/m);
    expect(text).toContain("session file, created");
    expect(text).toContain("← anchor");
  });
});

linuxDescribe("export", () => {
  test("eval in an agent's shell gives the same id as the wrap", async () => {
    const a = await sb.agent("claude", [call("e", `eval "$(stitch export)"; echo "$RAILWAY_AGENT_SESSION_ID $RAILWAY_CALLER"`), call("1", PRINT_ID)].join("\n"));
    expect(a.read("out.e").trim()).toBe(`${a.read("out.1").trim()} claude_code`);
  });
  test("fish and json shapes; nothing for a caller without an id", () => {
    expect(run(["export", "--shell", "json"], { CODEX_THREAD_ID: "t-1" }).stdout).toBe(
      '{"RAILWAY_AGENT_SESSION_ID":"t-1","RAILWAY_AGENT_SESSION":"t-1","RAILWAY_CALLER":"codex"}\n',
    );
    expect(run(["export", "--shell=fish"], { CODEX_THREAD_ID: "t-1" }).stdout).toContain("set -gx RAILWAY_AGENT_SESSION_ID 't-1';");
    expect(run(["export"], { CI: "true" }).stdout).toBe("");
  });
});

linuxDescribe("sessions", () => {
  test("list, prune and clear", async () => {
    await sb.agent("claude", call("1", PRINT_ID));
    mkdirSync(sb.sessions, { recursive: true });
    writeFileSync(join(sb.sessions, "ffffffffffffffff.session"), "not json");
    writeFileSync(join(sb.sessions, "keep-me.txt"), "other file");

    const list = JSON.parse(run(["sessions", "list", "--json"]).stdout);
    // The shapes of design §2.6, written out in test/support/documented-json.ts.
    expect(Object.keys(list)).toEqual(["dir", "sessions"]);
    expect(list.sessions.flatMap((s: unknown, i: number) => departures(s, SESSION_LIST_ENTRY, `sessions[${i}]`))).toEqual([]);
    expect(list.dir).toBe(sb.sessions);
    expect(list.sessions.map((s: { status: string }) => s.status).sort()).toEqual(["anchor_gone", "invalid"]);

    const prune = JSON.parse(run(["sessions", "prune", "--json"]).stdout);
    expect({ keys: Object.keys(prune), kept: typeof prune.kept }).toEqual({ keys: ["dir", "removed", "kept"], kept: "number" });
    expect(prune.removed.flatMap((r: unknown, i: number) => departures(r, PRUNED_ENTRY, `removed[${i}]`))).toEqual([]);
    expect(prune.removed.map((r: { reason: string }) => r.reason).sort()).toEqual(["anchor_gone", "invalid"]);
    expect(sb.sessionFiles()).toEqual(["keep-me.txt"]);

    writeFileSync(join(sb.sessions, "0000000000000001.session"), "{}");
    expect(JSON.parse(run(["sessions", "clear", "--json"]).stdout)).toStrictEqual({ dir: sb.sessions, removed: ["0000000000000001.session"] });
    writeFileSync(join(sb.sessions, "0000000000000001.session"), "{}");
    expect(run(["sessions", "clear"]).stdout).toBe(`removed 1 session file(s) from ${sb.sessions}\n`);
    expect(sb.sessionFiles()).toEqual(["keep-me.txt"]);
    expect(run(["sessions"]).stdout).toBe(`no session files in ${sb.sessions}\n`);
  });
  test("a refused directory is an error, one line", () => {
    mkdirSync(sb.sessions, { mode: 0o777 });
    require("node:fs").chmodSync(sb.sessions, 0o777);
    const r = run(["sessions", "list"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^stitch: .* is writable by group or others \(mode 777\)\n$/);
  });
});

linuxDescribe("help, version, usage", () => {
  test("help and version on stdout, exit 0", () => {
    for (const a of ["help", "--help", "-h"]) {
      const r = run([a]);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain("stitch [--] COMMAND [ARGS...]");
    }
    for (const a of ["version", "--version", "-V"]) {
      expect(run([a]).stdout).toMatch(/^stitch \d+\.\d+\.\d+/);
    }
  });
  test("a subcommand's help, and --help after the command is the command's", () => {
    for (const args of [["shim", "--help"], ["help", "shim"], ["shim", "add", "-h"]]) {
      const r = run(args);
      expect(r.status).toBe(0);
      expect(r.stdout).toStartWith("stitch shim add NAME...");
    }
    const r = run(["sh", "-c", "echo \"$1\"", "sh", "--help"]);
    expect(r.stdout).toBe("--help\n");
  });
  test("usage errors: exit 2, one line on stderr, nothing on stdout", () => {
    for (const args of [[], ["--bogus"], ["run"], ["resolve", "--yaml"], ["export", "--shell", "tcsh"]]) {
      const r = run(args);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(/^stitch: [^\n]+\n$/);
    }
  });
  test("`run` and `--` reach commands named like subcommands", () => {
    const dir = join(sb.dir, "bin");
    mkdirSync(dir);
    writeFileSync(join(dir, "resolve"), "#!/bin/sh\necho my-resolve \"$@\"\n", { mode: 0o755 });
    const env = { PATH: `${dir}:/usr/bin:/bin` };
    expect(run(["run", "resolve", "x"], env).stdout).toBe("my-resolve x\n");
    expect(run(["--", "resolve"], env).stdout).toBe("my-resolve\n");
  });
});
