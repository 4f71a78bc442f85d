// The compiled binary under detached fake agents: the seed's test plan (Railway PR #894)
// and the cases the anchor and the store must get right.

import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { railwayCreatedAt, railwayFile } from "../support/railway.ts";
import { call, callInBackground, linuxDescribe, PRINT_ID, railwayName, Sandbox, shq, startTicks, STITCH, UUID_V4 } from "./harness.ts";

let sb: Sandbox;
beforeEach(() => {
  sb = new Sandbox();
});
afterEach(() => sb.cleanup());

linuxDescribe("seed test plan", () => {
  test("phase 1: an agent caller gets a fresh file with the agent's pid and a UUID v4", async () => {
    const a = await sb.agent("claude", call("1", PRINT_ID));
    const id = a.read("out.1").trim();
    expect(id).toMatch(UUID_V4);
    const files = sb.sessionFiles();
    expect(files).toEqual([railwayName(a.pid, BigInt(sb.readSession(files[0]!).parent_btime as number), "claude")]);
    expect(sb.readSession(files[0]!)).toMatchObject({ agent_session_id: id, parent_pid: a.pid, caller: "claude_code", argv0: "claude", v: 1 });
  });

  test("phase 2: the same agent twice keeps the id", async () => {
    const a = await sb.agent("claude", [call("1", PRINT_ID), call("2", PRINT_ID)].join("\n"));
    expect(a.read("out.1")).toBe(a.read("out.2"));
    expect(a.read("out.1").trim()).toMatch(UUID_V4);
    expect(sb.sessionFiles()).toHaveLength(1);
  });

  test("phase 3: three concurrent conversations get three ids", async () => {
    const body = [call("1", PRINT_ID), call("2", PRINT_ID), `touch "$OUT/ready"`, `while [ ! -e "$OUT/release" ]; do sleep 0.01; done`].join("\n");
    const agents = await Promise.all([1, 2, 3].map(() => sb.start("claude", body)));
    await Promise.all(agents.map((a) => a.waitFor("ready")));
    // All three alive: three files, three ids, three anchors.
    const ids = agents.map((a) => a.read("out.1").trim());
    for (const a of agents) expect(a.read("out.2").trim()).toBe(a.read("out.1").trim());
    expect(new Set(ids).size).toBe(3);
    expect(sb.sessionFiles()).toHaveLength(3);
    const pids = sb.sessionFiles().map((f) => sb.readSession(f).parent_pid);
    expect(new Set(pids)).toEqual(new Set(agents.map((a) => a.pid)));
    for (const a of agents) a.touch("release");
    await Promise.all(agents.map((a) => a.finished()));
  });

  test("phase 4: CODEX_THREAD_ID wins over disk and nothing is written", async () => {
    const thread = "0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
    const a = await sb.agent("codex", call("1", PRINT_ID), { env: { CODEX_THREAD_ID: thread } });
    expect(a.read("out.1").trim()).toBe(thread);
    expect(sb.sessionFiles()).toEqual([]);
  });

  test("phase 5: OPENCODE_RUN_ID wins over disk and nothing is written", async () => {
    const run = "4f1c2b9e-8d7a-4c3b-9e2f-1a0b9c8d7e6f";
    const a = await sb.agent("opencode", call("1", PRINT_ID), { env: { OPENCODE_RUN_ID: run } });
    expect(a.read("out.1").trim()).toBe(run);
    expect(sb.sessionFiles()).toEqual([]);
  });

  test("phase 6: a planted stale file (dead pid) is removed, a fresh file written", async () => {
    mkdirSync(sb.sessions, { mode: 0o700 });
    const deadPid = Number(readFileSync("/proc/sys/kernel/pid_max", "utf8")) + 1;
    writeFileSync(
      join(sb.sessions, "0000000000000000.session"),
      JSON.stringify({ agent_session_id: "stale-id", parent_pid: deadPid, parent_btime: 1, created_at: new Date().toISOString() }),
    );
    const a = await sb.agent("claude", call("1", PRINT_ID));
    expect(sb.sessionFiles()).not.toContain("0000000000000000.session");
    expect(sb.sessionFiles()).toHaveLength(1);
    expect(a.read("out.1").trim()).toMatch(UUID_V4);
  });

  test("phase 7: a human at a terminal writes nothing", async () => {
    // `script` gives stitch a pseudo-terminal as stdout; the child writes to a file itself.
    const a = await sb.agent("bash", `script -qec ${shq(`stitch sh -c 'echo "id:$RAILWAY_AGENT_SESSION_ID" > "$OUT/out.1"'`)} /dev/null > /dev/null`);
    expect(a.read("out.1")).toBe("id:\n");
    expect(sb.sessionFiles()).toEqual([]);
  });
});

linuxDescribe("anchoring and the store", () => {
  test("16 concurrent first calls of one agent converge on one id and one file", async () => {
    const body = [...Array.from({ length: 16 }, (_, i) => callInBackground(String(i), PRINT_ID)), "wait"].join("\n");
    const a = await sb.agent("claude", body);
    const ids = new Set(Array.from({ length: 16 }, (_, i) => a.read(`out.${i}`).trim()));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toMatch(UUID_V4);
    expect(sb.sessionFiles()).toHaveLength(1);
  });

  test('nested bash -c "sh -c ..." keeps the id', async () => {
    const nested = `sh -c ${shq(`env X=1 ${PRINT_ID}`)}`;
    const a = await sb.agent("claude", [call("1", PRINT_ID), call("2", nested), call("3", `bash -ec ${shq(nested)}`)].join("\n"));
    expect(a.read("out.2")).toBe(a.read("out.1"));
    expect(a.read("out.3")).toBe(a.read("out.1"));
    expect(sb.sessionFiles()).toHaveLength(1);
  });

  test("an unknown harness's calls share one id, anchored on the harness", async () => {
    const a = await sb.agent("my-harness", [call("1", PRINT_ID), call("2", PRINT_ID), call("c", "stitch sh -c 'echo $RAILWAY_CALLER'")].join("\n"));
    expect(a.read("out.1").trim()).toMatch(UUID_V4);
    expect(a.read("out.2")).toBe(a.read("out.1"));
    // The anchor is the harness, of no known kind: `proc`, and its program's name (design §4.8).
    expect(a.read("out.c").trim()).toBe("agent_unknown:proc:my-harness");
    expect(sb.readSession(sb.sessionFiles()[0]!)).toMatchObject({ parent_pid: a.pid, argv0: "my-harness" });
  });

  test("a file written in Railway's format is reused", async () => {
    mkdirSync(sb.sessions, { mode: 0o700 });
    const railwayId = "3b241101-e2bb-4255-8caf-4136c566a962";
    const a = await sb.agent("claude", `while [ ! -e "$OUT/go" ]; do sleep 0.01; done\n${call("1", PRINT_ID)}`, {
      beforeFinish: async (h) => {
        const pid = h.pid;
        // Exactly what Railway's CLI writes (serde field order, chrono's RFC 3339).
        const text = railwayFile(pid, startTicks(pid), railwayId, railwayCreatedAt(Date.now() - 2 * 3600e3));
        writeFileSync(join(sb.sessions, railwayName(pid, startTicks(pid), "claude")), text, { mode: 0o600 });
        h.touch("go");
      },
    });
    expect(a.read("out.1").trim()).toBe(railwayId);
    expect(sb.sessionFiles()).toHaveLength(1);
  });

  test("the same scenarios through the ps source", async () => {
    const env = { STITCH_PROCESS_SOURCE: "ps" };
    const a = await sb.agent("claude", [call("1", PRINT_ID), call("2", PRINT_ID), call("j", "stitch resolve --json")].join("\n"), { env });
    const b = await sb.agent("claude", call("1", PRINT_ID), { env });
    expect(a.read("out.1").trim()).toMatch(UUID_V4);
    expect(a.read("out.2")).toBe(a.read("out.1"));
    expect(b.read("out.1")).not.toBe(a.read("out.1"));
    const json = JSON.parse(a.read("out.j"));
    expect(json).toMatchObject({ process_source: "ps", caller: "claude_code", anchor: { pid: a.pid, reason: "agent" } });
    expect(sb.readSession(sb.sessionFiles()[0]!)).toMatchObject({ clock: "ps" });
  });

  test("CLAUDE_PID names the anchor directly", async () => {
    const a = await sb.agent("/opt/renamed/agent-bin", [`export CLAUDE_PID=$$`, call("j", "stitch resolve --json")].join("\n"));
    const json = JSON.parse(a.read("out.j"));
    expect(json.caller).toBe("claude_code");
    expect(json.anchor).toMatchObject({ pid: a.pid, reason: "pid_variable", detail: "CLAUDE_PID" });
  });

  test("files and directory get modes 0600 and 0700", async () => {
    await sb.agent("claude", call("1", PRINT_ID));
    const { statSync } = await import("node:fs");
    expect(statSync(sb.sessions).mode & 0o777).toBe(0o700);
    expect(statSync(join(sb.sessions, sb.sessionFiles()[0]!)).mode & 0o777).toBe(0o600);
  });

  test("a world-writable sessions directory is refused: cli_ id, nothing written", async () => {
    mkdirSync(sb.sessions, { mode: 0o777 });
    const { chmodSync } = await import("node:fs");
    chmodSync(sb.sessions, 0o777);
    const a = await sb.agent("claude", call("1", PRINT_ID));
    expect(a.read("out.1").trim()).toMatch(/^cli_[A-Za-z0-9_-]{22}$/);
    expect(sb.sessionFiles()).toEqual([]);
  });

  test("a symbolic link planted at the session path is not followed", async () => {
    mkdirSync(sb.sessions, { mode: 0o700 });
    const target = join(sb.dir, "elsewhere.json");
    writeFileSync(target, "precious");
    const a = await sb.agent("claude", `while [ ! -e "$OUT/go" ]; do sleep 0.01; done\n${call("1", PRINT_ID)}`, {
      beforeFinish: async (h) => {
        const { symlinkSync } = await import("node:fs");
        symlinkSync(target, join(sb.sessions, railwayName(h.pid, startTicks(h.pid), "claude")));
        h.touch("go");
      },
    });
    expect(a.read("out.1").trim()).toMatch(UUID_V4);
    expect(readFileSync(target, "utf8")).toBe("precious");
  });

  test("a session file that is a link to a valid file recording this anchor is not followed: a new id, the link swept, its target untouched", async () => {
    mkdirSync(sb.sessions, { mode: 0o700 });
    const elsewhere = join(sb.dir, "planted.json");
    let planted = "";
    const a = await sb.agent("claude", `while [ ! -e "$OUT/go" ]; do sleep 0.01; done\n${call("1", PRINT_ID)}`, {
      beforeFinish: async (h) => {
        // Everything in it is right for this anchor: only following the link would use it.
        planted = railwayFile(h.pid, startTicks(h.pid), "planted-id", railwayCreatedAt(Date.now()));
        writeFileSync(elsewhere, planted);
        symlinkSync(elsewhere, join(sb.sessions, railwayName(h.pid, startTicks(h.pid), "claude")));
        h.touch("go");
      },
    });
    expect(a.read("err.1")).toBe("");
    expect(a.read("out.1").trim()).toMatch(UUID_V4);
    expect(readFileSync(elsewhere, "utf8")).toBe(planted);
    const files = sb.sessionFiles();
    expect(files).toHaveLength(1);
    expect(lstatSync(join(sb.sessions, files[0]!)).isFile()).toBe(true);
  });

  test("stitch sessions lists a linked session file as invalid, not the id it points at", async () => {
    mkdirSync(sb.sessions, { mode: 0o700 });
    const elsewhere = join(sb.dir, "planted.json");
    writeFileSync(elsewhere, railwayFile(process.pid, 1n, "planted-id", railwayCreatedAt(Date.now())));
    symlinkSync(elsewhere, join(sb.sessions, "x.session"));
    const r = Bun.spawnSync([STITCH, "sessions", "--json"], { env: sb.env(), stdin: "ignore" });
    expect(r.stderr.toString()).toBe("");
    const listed = JSON.parse(r.stdout.toString());
    expect(listed.sessions).toEqual([expect.objectContaining({ file: "x.session", status: "invalid", agent_session_id: null })]);
    expect(r.stdout.toString()).not.toContain("planted-id");
  });
});

linuxDescribe("opt-out (design §8)", () => {
  for (const env of [{ DO_NOT_TRACK: "1" }, { RAILWAY_NO_TELEMETRY: "true" }] as Record<string, string>[]) {
    test(`${Object.keys(env)[0]}: environment untouched, nothing written`, async () => {
      const a = await sb.agent("claude", call("1", "stitch env"), { env: { ...env, CLAUDE_CODE_SESSION_ID: "abc" } });
      expect(a.read("out.1")).toContain("CLAUDE_CODE_SESSION_ID=abc");
      expect(a.read("out.1")).not.toMatch(/RAILWAY_AGENT_SESSION|RAILWAY_CALLER/);
      expect(sb.sessionFiles()).toEqual([]);
    });
  }
  test("preferences.json with telemetryDisabled: true", async () => {
    mkdirSync(join(sb.home, ".railway"));
    writeFileSync(join(sb.home, ".railway/preferences.json"), '{"telemetryDisabled":true}');
    const a = await sb.agent("claude", call("1", "stitch env"));
    expect(a.read("out.1")).toContain("HOME=");
    expect(a.read("out.1")).not.toMatch(/RAILWAY_AGENT_SESSION|RAILWAY_CALLER/);
    expect(sb.sessionFiles()).toEqual([]);
  });
});
