// design §5.3 on the compiled binary: detached fake agents (argv0 claude, opencode, codex, pi,
// gemini) keep their records where the real agents do, written the way the real agents
// write them, and run stitch through `bash -c` as their shell tools do. The promise: one id
// per conversation, across processes (a resume) and within one process hosting several.

import { afterEach, beforeEach, expect } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { call, linuxDescribe, linuxTest, PRINT_ID, Sandbox, shq } from "./harness.ts";

let sb: Sandbox;
beforeEach(() => {
  sb = new Sandbox();
});
afterEach(() => sb.cleanup());

/** Field 22 of /proc/$$/stat (the start in ticks), in bash, for the fake agent's own record. */
const START_TICKS = `s=$(cat /proc/$$/stat); s=\${s##*) }; set -- $s; START=\${20}`;

/** The bun running this test: the fake agents use it to write SQLite as OpenCode does. */
const BUN = process.execPath;

const idOf = (a: { read(n: string): string }, tag: string) => a.read(`out.${tag}`).trim();

linuxDescribe("the agent's own record (design §5.3), end to end", () => {
  linuxTest("Claude Code: ~/.claude/sessions/<pid>.json names the conversation, across /clear and a resume in a new process", async () => {
    const record = (id: string) =>
      `${START_TICKS}; mkdir -p "$HOME/.claude/sessions"; printf '{"pid":%s,"sessionId":"%s","cwd":"%s","startedAt":1,"procStart":"%s"}' $$ ${id} "$PWD" "$START" > "$HOME/.claude/sessions/$$.json.tmp" && mv "$HOME/.claude/sessions/$$.json.tmp" "$HOME/.claude/sessions/$$.json"`;
    const A = "5f0d9a43-7c1e-4a53-9a34-2f3d3c1a8b11";
    const B = "9e8d7c6b-5a49-4382-8716-a5b4c3d2e1f0";
    const first = await sb.agent("claude", [record(A), call("1", PRINT_ID), call("2", PRINT_ID), record(B), call("3", PRINT_ID)].join("\n"));
    expect([idOf(first, "1"), idOf(first, "2"), idOf(first, "3")]).toEqual([A, A, B]);
    // `claude --resume A`: a new process, the same conversation.
    const resumed = await sb.agent("claude", [record(A), call("1", PRINT_ID)].join("\n"));
    expect(idOf(resumed, "1")).toBe(A);
    expect(sb.sessionFiles()).toEqual([]);
    // A record whose start is not this process's (a crashed Claude's, pid reused): the store.
    const stale = await sb.agent("claude", [`mkdir -p "$HOME/.claude/sessions"; printf '{"sessionId":"%s","procStart":"1"}' ${A} > "$HOME/.claude/sessions/$$.json"`, call("1", PRINT_ID)].join("\n"));
    expect(idOf(stale, "1")).not.toBe(A);
    expect(sb.sessionFiles()).toHaveLength(1);
  });

  linuxTest("OpenCode serve: two conversations interleaved in one process, each its own id, read from its SQLite store in WAL mode", async () => {
    const db = join(sb.home, ".local/share/opencode/opencode.db");
    mkdirSync(join(sb.home, ".local/share/opencode"), { recursive: true });
    const sql = join(sb.dir, "part.ts");
    // What OpenCode does around a bash call: a `part` row, running, with the command text,
    // then completed. The database stays open (a live writer) for the whole conversation.
    writeFileSync(
      sql,
      `import { Database } from "bun:sqlite";
const [file, session, command, status] = process.argv.slice(2);
const db = new Database(file, { create: true });
db.run("PRAGMA journal_mode = WAL");
db.run("CREATE TABLE IF NOT EXISTS part (id text PRIMARY KEY, message_id text NOT NULL, session_id text NOT NULL, time_created integer NOT NULL, time_updated integer NOT NULL, data text NOT NULL)");
const data = JSON.stringify({ type: "tool", tool: "bash", callID: "call_" + command.length, state: { status, input: { command }, time: { start: 1 } } });
db.run("INSERT OR REPLACE INTO part VALUES (?, 'msg', ?, ?, ?, ?)", ["prt_" + session + command.length, session, Date.now(), Date.now(), data]);
`,
    );
    const turn = (tag: string, session: string) => {
      const command = `${PRINT_ID} > "$OUT/out.${tag}"`;
      return [
        `${shq(BUN)} ${shq(sql)} ${shq(db)} ${session} ${shq(command)} running`,
        `bash -c ${shq(command)}`,
        `${shq(BUN)} ${shq(sql)} ${shq(db)} ${session} ${shq(command)} completed`,
      ].join("\n");
    };
    const serve = await sb.agent(
      "opencode",
      [turn("a1", "ses_A1b2C3d4E5f6G7h8I9j0K1l2"), turn("b1", "ses_Z9y8X7w6V5u4T3s2R1q0P9o8"), turn("a2", "ses_A1b2C3d4E5f6G7h8I9j0K1l2"), turn("b2", "ses_Z9y8X7w6V5u4T3s2R1q0P9o8")].join("\n"),
    );
    expect([idOf(serve, "a1"), idOf(serve, "b1"), idOf(serve, "a2"), idOf(serve, "b2")]).toEqual([
      "ses_A1b2C3d4E5f6G7h8I9j0K1l2",
      "ses_Z9y8X7w6V5u4T3s2R1q0P9o8",
      "ses_A1b2C3d4E5f6G7h8I9j0K1l2",
      "ses_Z9y8X7w6V5u4T3s2R1q0P9o8",
    ]);
    expect(sb.sessionFiles()).toEqual([]);
  }, 60_000);

  linuxTest("Codex: the rollout it holds open names the thread; with two open, the store", async () => {
    const thread = "019a7c3e-5b2d-7e41-9c0a-3f5e6d7c8b9a";
    const dir = `"$HOME/.codex/sessions/2026/12/04"`;
    const one = await sb.agent("codex", [`mkdir -p ${dir}; exec 7>>${dir}/rollout-2026-12-04T10-00-00-${thread}.jsonl`, call("1", PRINT_ID), call("2", PRINT_ID)].join("\n"));
    expect([idOf(one, "1"), idOf(one, "2")]).toEqual([thread, thread]);
    const two = await sb.agent(
      "codex",
      [`mkdir -p ${dir}; exec 7>>${dir}/rollout-a-${thread}.jsonl 8>>${dir}/rollout-b-019a7c3e-5b2d-7e41-9c0a-000000000000.jsonl`, call("1", PRINT_ID)].join("\n"),
    );
    expect(idOf(two, "1")).not.toBe(thread);
    expect(sb.sessionFiles()).toHaveLength(1);
  });

  linuxTest("Pi: the transcript whose latest bash call is this command, two conversations in one RPC process", async () => {
    const dir = join(sb.home, ".pi/agent/sessions", `--${sb.work.slice(1).replaceAll("/", "-")}--`);
    mkdirSync(dir, { recursive: true });
    const turn = (tag: string, id: string) => {
      const command = `${PRINT_ID} > "$OUT/out.${tag}"`;
      const line = JSON.stringify({ type: "message", message: { role: "assistant", content: [{ type: "toolCall", id: `t-${tag}`, name: "bash", arguments: { command } }] } });
      const file = join(dir, `2026-12-04T10-00-00-000Z_${id}.jsonl`);
      return [
        `[ -e ${shq(file)} ] || printf '%s\\n' ${shq(JSON.stringify({ type: "session", version: 3, id, cwd: sb.work }))} > ${shq(file)}`,
        `printf '%s\\n' ${shq(line)} >> ${shq(file)}`,
        `bash -c ${shq(command)}`,
      ].join("\n");
    };
    const A = "0b2c4d6e-8f10-4a3b-9c5d-7e9f1a3b5c7d";
    const B = "1c3d5e7f-9a1b-4c4d-8e6f-8a0b2c4d6e8f";
    const rpc = await sb.agent("pi", [turn("a1", A), turn("b1", B), turn("a2", A)].join("\n"));
    expect([idOf(rpc, "a1"), idOf(rpc, "b1"), idOf(rpc, "a2")]).toEqual([A, B, A]);
  });

  linuxTest("a record that cannot be read (a FIFO, no permission) never blocks or stops the command", async () => {
    const a = await sb.agent(
      "claude",
      [`mkdir -p "$HOME/.claude/sessions"; mkfifo "$HOME/.claude/sessions/$$.json"`, call("1", PRINT_ID), call("2", "stitch sh -c 'echo ran'")].join("\n"),
    );
    expect(a.read("out.2").trim()).toBe("ran");
    expect(idOf(a, "1")).toMatch(/^[0-9a-f-]{36}$/);
    expect(sb.sessionFiles()).toHaveLength(1);
  });
});

linuxDescribe("the agent's own record, dated by the anchor's start (design §5.3)", () => {
  linuxTest("Gemini CLI: the one chat of this directory written since the agent started; an older one is not this conversation's", async () => {
    const chats = join(sb.home, ".gemini/tmp/app/chats");
    mkdirSync(chats, { recursive: true });
    writeFileSync(join(sb.home, ".gemini/projects.json"), JSON.stringify({ projects: { [sb.work]: "app" } }));
    const chat = (name: string, id: string) => `printf '%s\\n' ${shq(JSON.stringify({ sessionId: id, projectHash: "h", startTime: "2026-12-04T10:00:00.000Z" }))} > ${shq(join(chats, name))}`;
    const old = "3c5e7a9b-1d2f-4a6b-8c0d-2e4f6a8b0c1d";
    const now = "7a9b1c3d-5e6f-4a8b-9c0d-1e2f3a4b5c6d";
    // An earlier conversation of the same directory, written before this agent started (an
    // absolute date: `npm run test:clock` runs the tests, not the kernel, a year ahead).
    await sb.agent("gemini", chat(`session-2026-12-03T10-00-${old.slice(0, 8)}.jsonl`, old));
    Bun.spawnSync(["touch", "-d", "2020-01-01T00:00:00Z", join(chats, `session-2026-12-03T10-00-${old.slice(0, 8)}.jsonl`)]);
    const a = await sb.agent("gemini", [`sleep 1.2`, chat(`session-2026-12-04T10-00-${now.slice(0, 8)}.jsonl`, now), call("1", PRINT_ID)].join("\n"));
    expect(idOf(a, "1")).toBe(now);
    expect(sb.sessionFiles()).toEqual([]);
  });
});
