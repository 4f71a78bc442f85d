// design §5.3: the agent's own record of the conversation running this call, per kind of
// record, through the resolver (a fake world, records in memory or, for SQLite, a real file).

import { Database } from "bun:sqlite";
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { query } from "../../src/records/files.ts";
import { piDirectoryName } from "../../src/records/transcript.ts";
import { resolutionOf as resolve } from "../../src/resolve/resolution.ts";
import { holdsArgv, shellScript, shellWords, thisCommand } from "../../src/resolve/this-command.ts";
import { FakeProcesses, fakeWorld, MemoryStore, memoryRecordFiles, NOW, type FakeProcess, type WorldOptions } from "../support/fake-world.ts";

const HOME = "/home/u";
const AGENT = 500;
const START = 700n;
const STARTED_AT = NOW - 60_000;

/** stitch ← `bash -c <script>` ← the agent ← init. */
function chain(agentArgv: string[], script = "stitch railway up", o: Partial<FakeProcess> = {}) {
  return new FakeProcesses([
    { pid: 999, ppid: AGENT, argv: ["/bin/bash", "-c", script] },
    { pid: AGENT, ppid: 1, argv: agentArgv, startTime: START, startedAt: STARTED_AT, ...o },
    { pid: 1, ppid: 0, argv: ["/sbin/init"] },
  ]);
}

function run(processes: FakeProcesses, o: WorldOptions = {}) {
  const store = new MemoryStore();
  const r = resolve(fakeWorld({ env: { HOME }, cwd: "/w/app", store, processes, ...o }));
  return { r, store, session: r.session };
}

const fromStore = (s: ReturnType<typeof run>) => {
  expect(s.session.source.kind).toBe("store");
  expect(s.store.files.size).toBe(1);
};

describe("which command this call runs", () => {
  test("a prefix line before the command is the agent's, not the command's", () => {
    const w = (script: string) => thisCommand([{ depth: 1, process: { pid: 9, ppid: 8, startTime: 1n, command: "", argv: ["bash", "-c", script], argvExact: true }, is: {} as never }], ["stitch"]);
    expect(w("set -e\nrailway up")("railway up")).toBe(true);
    expect(w("railway up")("railway up")).toBe(true);
    expect(w("railway up --detach")("railway up")).toBe(false);
    expect(w("echo x; railway up")("railway up")).toBe(false);
  });
  test("a shell's -c script, whatever its options", () => {
    expect(shellScript(["/bin/bash", "-c", "railway up"])).toBe("railway up");
    expect(shellScript(["bash", "-lc", "railway up"])).toBe("railway up");
    expect(shellScript(["/bin/sh", "-l", "-c", "railway up", "sh"])).toBe("railway up");
    expect(shellScript(["-bash", "-c", "x"])).toBe("x");
    expect(shellScript(["zsh", "--login", "-c", "x"])).toBe("x");
    // Not a -c, or not a shell: no script.
    expect(shellScript(["/bin/bash", "deploy.sh"])).toBeUndefined();
    expect(shellScript(["python3", "-c", "print(1)"])).toBeUndefined();
    expect(shellScript(["node", "-c", "x"])).toBeUndefined();
  });
  test("a command text's words, as a shell splits them", () => {
    expect(shellWords(`env -u A '/opt/my stitch' resolve --json > "out file"`)).toEqual(["env", "-u", "A", "/opt/my stitch", "resolve", "--json", ">", "out file"]);
    expect(shellWords(`cd /w && railway up;echo "a\\"b" 2>&1`)).toEqual(["cd", "/w", "&&", "railway", "up", ";", "echo", 'a"b', "2", ">&", "1"]);
  });
  test("stitch's argv among the words: in order, together, the program by its last segment", () => {
    expect(holdsArgv(shellWords("cd /w && /usr/bin/stitch railway up --detach"), ["stitch", "railway", "up"])).toBe(true);
    expect(holdsArgv(shellWords("railway whoami > out"), ["railway", "whoami"])).toBe(true);
    expect(holdsArgv(shellWords("stitch railway status"), ["stitch", "railway", "up"])).toBe(false);
    expect(holdsArgv(shellWords("echo stitch; railway up"), ["stitch", "railway", "up"])).toBe(false);
  });
});

describe("pid_file: Claude Code's ~/.claude/sessions/<pid>.json", () => {
  const file = `${HOME}/.claude/sessions/${AGENT}.json`;
  const record = (o: Record<string, unknown> = {}) => JSON.stringify({ pid: AGENT, sessionId: "5f0d9a43-7c1e-4a53-9a34-2f3d3c1a8b11", cwd: "/w/app", procStart: String(START), ...o });

  test("the record of the anchor, its start matching, names the conversation; the store is not opened", () => {
    const s = run(chain(["claude"]), { files: { [file]: record() } });
    expect(s.r.caller.caller).toBe("claude_code");
    expect(s.session).toEqual({ id: "5f0d9a43-7c1e-4a53-9a34-2f3d3c1a8b11", source: { kind: "agent_record", record: "pid_file", file } });
    expect(s.store.files.size).toBe(0);
  });
  test("CLAUDE_CONFIG_DIR moves it", () => {
    const moved = "/cfg/claude/sessions/500.json";
    expect(run(chain(["claude"]), { env: { HOME, CLAUDE_CONFIG_DIR: "/cfg/claude" }, files: { [moved]: record() } }).session.id).toBe("5f0d9a43-7c1e-4a53-9a34-2f3d3c1a8b11");
    fromStore(run(chain(["claude"]), { env: { HOME, CLAUDE_CONFIG_DIR: "/cfg/claude" }, files: { [file]: record() } }));
  });
  test("doubt falls to the store: another start (a reused pid), no start, an unsafe id, not JSON, a ps clock", () => {
    for (const text of [record({ procStart: "999" }), record({ procStart: undefined }), record({ sessionId: "a b" }), record({ sessionId: 7 }), "{"]) {
      fromStore(run(chain(["claude"]), { files: { [file]: text } }));
    }
    const ps = new FakeProcesses([...chain(["claude"]).table.values()], "ps");
    fromStore(run(ps, { files: { [file]: record() } }));
  });
  test("on macOS (ps): procStart is `LC_ALL=C TZ=UTC ps -o lstart=`, compared to the second", () => {
    const at = Date.UTC(2026, 11, 4, 21, 53, 22);
    const ps = (startedAt: number) => new FakeProcesses([...chain(["claude"], "stitch railway up", { startedAt }).table.values()], "ps");
    const mac = record({ procStart: "Fri Dec  4 21:53:22 2026" });
    expect(run(ps(at), { files: { [file]: mac } }).session.id).toBe("5f0d9a43-7c1e-4a53-9a34-2f3d3c1a8b11");
    fromStore(run(ps(at + 1000), { files: { [file]: mac } }));
    fromStore(run(ps(at), { files: { [file]: record({ procStart: "yesterday" }) } }));
  });
  test("on Windows (Toolhelp32): procStart is the creation FILETIME, or the same as .NET ticks", () => {
    const filetime = 134_091_116_020_000_000n;
    // The shell was created a second after the agent (an ancestor created after its child is a reused pid).
    const table = [...chain(["claude.exe"], "stitch railway up", { startTime: filetime }).table.values()].map((p) => (p.pid === 999 ? { ...p, startTime: filetime + 10_000_000n } : p));
    const win = () => new FakeProcesses(table, "toolhelp");
    const winFile = `C:\\Users\\u\\.claude\\sessions\\${AGENT}.json`;
    const o = (procStart: string) => ({ platform: "win32", env: { USERPROFILE: "C:\\Users\\u" }, files: { [winFile]: record({ procStart }) } });
    expect(run(win(), o(filetime.toString())).session.id).toBe("5f0d9a43-7c1e-4a53-9a34-2f3d3c1a8b11");
    expect(run(win(), o((filetime + 504_911_232_000_000_000n).toString())).session.id).toBe("5f0d9a43-7c1e-4a53-9a34-2f3d3c1a8b11");
    fromStore(run(win(), o((filetime + 1n).toString())));
  });
  test("an id in the environment still wins", () => {
    const s = run(chain(["claude"]), { env: { HOME, CLAUDE_CODE_SESSION_ID: "from-env" }, files: { [file]: record() } });
    expect(s.session.source).toEqual({ kind: "harness", variable: "CLAUDE_CODE_SESSION_ID" });
  });
  test("a human's command is never matched to a record, nor read", () => {
    const s = run(new FakeProcesses([{ pid: 999, ppid: 1, argv: ["-bash"] }, { pid: 1, ppid: 0, argv: ["/sbin/init"] }]), { tty: true, files: { [file]: record() } });
    expect(s.session.id).toBeUndefined();
  });
});

describe("pid_file, suffixed: Qwen Code's ACP records ~/.qwen/sessions/<pid>-<hex>.json", () => {
  const dir = `${HOME}/.qwen/sessions`;
  const qwen = () =>
    new FakeProcesses([
      { pid: 999, ppid: 600, argv: ["bash", "-c", "stitch railway up"] },
      { pid: 600, ppid: AGENT, argv: ["node", "/usr/lib/node_modules/@qwen-code/qwen-code/cli.js", "--acp"], startTime: 777n },
      { pid: AGENT, ppid: 1, argv: ["node", "/usr/lib/node_modules/@qwen-code/qwen-code/bin/qwen", "--acp"], startTime: START },
      { pid: 1, ppid: 0, argv: ["/sbin/init"] },
    ]);
  const rec = (id: string, start = "boot-1:777") => JSON.stringify({ sessionId: id, procStart: start });
  test("the one record of the agent process nearest stitch", () => {
    const files = { [`${dir}/600-a1b2.json`]: rec("8c1d2e3f-0000-4000-8000-000000000001"), [`${dir}/6000-ffff.json`]: rec("other") };
    expect(run(qwen(), { files }).session).toEqual({ id: "8c1d2e3f-0000-4000-8000-000000000001", source: { kind: "agent_record", record: "pid_file", file: `${dir}/600-a1b2.json` } });
  });
  test("two conversations in one process: no telling which runs this command", () => {
    fromStore(run(qwen(), { files: { [`${dir}/600-a1b2.json`]: rec("c-1"), [`${dir}/600-c3d4.json`]: rec("c-2") } }));
  });
  test("two conversations in one process: the transcript whose last run_shell_command is this command", () => {
    const chats = `${HOME}/.qwen/projects/-w-app/chats`;
    const chat = (id: string, command: string) =>
      [
        JSON.stringify({ uuid: "u1", sessionId: id, type: "user", cwd: "/w/app", message: { role: "user", parts: [{ text: "go" }] } }),
        JSON.stringify({ uuid: "u2", sessionId: id, type: "assistant", message: { role: "model", parts: [{ functionCall: { id: "call_0", name: "run_shell_command", args: { command } } }] } }),
      ].join("\n") + "\n";
    const files = {
      [`${dir}/600-a1b2.json`]: rec("c-1"),
      [`${dir}/600-c3d4.json`]: rec("c-2"),
      [`${chats}/c-1.jsonl`]: chat("c-1", "stitch railway status"),
      [`${chats}/c-2.jsonl`]: chat("c-2", "stitch railway up"),
    };
    expect(run(qwen(), { files }).session).toEqual({ id: "c-2", source: { kind: "agent_record", record: "transcript", file: `${chats}/c-2.jsonl` } });
  });
  test("a call written a moment after the command started (queued appends) is found by looking again, for 100 ms at most", () => {
    const chats = `${HOME}/.qwen/projects/-w-app/chats`;
    const line = (command: string) => JSON.stringify({ sessionId: "c-9", type: "assistant", message: { role: "model", parts: [{ functionCall: { name: "run_shell_command", args: { command } } }] } });
    const files: Record<string, string> = { [`${chats}/c-9.jsonl`]: `${line("ls")}\n` };
    const store = new MemoryStore();
    let pauses = 0;
    const w = fakeWorld({ env: { HOME }, cwd: "/w/app", store, processes: qwen(), files, onPause: () => ++pauses === 2 && (files[`${chats}/c-9.jsonl`] += `${line("stitch railway up")}\n`) });
    expect(resolve(w).session.id).toBe("c-9");
    expect(w.paused).toEqual([10, 20]);
    const never = fakeWorld({ env: { HOME }, cwd: "/w/app", store: new MemoryStore(), processes: qwen(), files: { [`${chats}/c-9.jsonl`]: `${line("ls")}\n` } });
    expect(resolve(never).session.source.kind).toBe("store");
    expect(never.paused).toEqual([10, 20, 40, 30]);
  });
  test("-p (no pid-keyed record), the call's line not written yet after 100 ms: the one transcript written since the process started", () => {
    const chats = `${HOME}/.qwen/projects/-w-app/chats`;
    const started = new FakeProcesses([...qwen().table.values()].map((p) => ({ ...p, startedAt: STARTED_AT })));
    const files = { [`${chats}/c-7.jsonl`]: `${JSON.stringify({ sessionId: "c-7", type: "user" })}\n`, [`${chats}/old.jsonl`]: `${JSON.stringify({ sessionId: "old" })}\n` };
    const w = fakeWorld({ env: { HOME }, cwd: "/w/app", store: new MemoryStore(), processes: started, files, mtimes: { [`${chats}/old.jsonl`]: STARTED_AT - 86_400_000 } });
    expect(resolve(w).session).toEqual({ id: "c-7", source: { kind: "agent_record", record: "transcript", file: `${chats}/c-7.jsonl` } });
    expect(w.paused).toEqual([10, 20, 40, 30]);
  });
  test("the TUI's one record, <pid>.json", () => {
    expect(run(qwen(), { files: { [`${dir}/600.json`]: rec("tui-1") } }).session.id).toBe("tui-1");
  });
  test("another boot's record does not count", () => {
    fromStore(run(qwen(), { files: { [`${dir}/600-a1b2.json`]: rec("c-1", "boot-0:777") } }));
  });
});

describe("pid_lock: Copilot CLI's session-state/<id>/inuse.<pid>.lock", () => {
  const dir = `${HOME}/.copilot/session-state`;
  const copilot = () => chain(["node", "/usr/lib/node_modules/@github/copilot/index.js"]);
  const id = "0b8e5f7e-1a2b-4c3d-8e9f-0123456789ab";
  test("the conversation whose directory holds the agent's lock", () => {
    const files = { [`${dir}/${id}/inuse.${AGENT}.lock`]: "", [`${dir}/${id}/events.jsonl`]: "", [`${dir}/other/inuse.4242.lock`]: "" };
    expect(run(copilot(), { files }).session).toEqual({ id, source: { kind: "agent_record", record: "pid_lock", file: `${dir}/${id}/inuse.${AGENT}.lock` } });
  });
  test("two conversations open in one process (--acp): the one whose events.jsonl's last call is this command", () => {
    const events = (command: string) =>
      [
        JSON.stringify({ type: "session.start", data: { sessionId: "x" } }),
        JSON.stringify({ type: "tool.execution_start", data: { toolCallId: "call_0", toolName: "bash", arguments: { command, description: "run" } } }),
      ].join("\n") + "\n";
    const files = {
      [`${dir}/a/inuse.${AGENT}.lock`]: `${AGENT}\n`,
      [`${dir}/a/events.jsonl`]: events("stitch railway up"),
      [`${dir}/b/inuse.${AGENT}.lock`]: `${AGENT}\n`,
      [`${dir}/b/events.jsonl`]: events("stitch railway status"),
    };
    expect(run(copilot(), { files }).session).toEqual({ id: "a", source: { kind: "agent_record", record: "pid_lock", file: `${dir}/a/inuse.${AGENT}.lock` } });
  });
  test("two conversations open in one process, or a lock older than the process: doubt", () => {
    fromStore(run(copilot(), { files: { [`${dir}/a/inuse.${AGENT}.lock`]: "", [`${dir}/b/inuse.${AGENT}.lock`]: "" } }));
    const stale = `${dir}/${id}/inuse.${AGENT}.lock`;
    fromStore(run(copilot(), { files: { [stale]: "" }, mtimes: { [stale]: STARTED_AT - 5000 } }));
  });
});

describe("tool_call_db: OpenCode's part table (a real SQLite file)", () => {
  const home = mkdtempSync(join(tmpdir(), "stitch-oc-"));
  afterAll(() => rmSync(home, { recursive: true, force: true }));
  const dbFile = join(home, ".local/share/opencode/opencode.db");
  require("node:fs").mkdirSync(join(home, ".local/share/opencode"), { recursive: true });
  const db = new Database(dbFile);
  db.run("PRAGMA journal_mode = WAL");
  db.run("CREATE TABLE part (id TEXT PRIMARY KEY, message_id TEXT NOT NULL, session_id TEXT NOT NULL, time_created INTEGER, time_updated INTEGER, data TEXT NOT NULL)");
  let n = 0;
  const part = (session: string, status: string, command: string, tool = "bash", updated = NOW) =>
    db.run("INSERT INTO part VALUES (?, ?, ?, ?, ?, ?)", [`prt_${++n}`, `msg_${n}`, session, updated, updated, JSON.stringify({ type: "tool", tool, callID: `call_${n}`, state: { status, input: { command, description: "run" } } })]);
  for (let i = 0; i < 40; i++) part("ses_old", "completed", "stitch railway up");
  // Running in an earlier process of OpenCode (it crashed mid-call): written before this one started.
  part("ses_crashed", "running", "stitch railway status", "bash", STARTED_AT - 60_000);
  part("ses_a", "running", "stitch railway up");
  part("ses_b", "running", "stitch railway status");
  part("ses_c", "running", "cat README.md", "read");

  const opencode = (script: string) => chain(["/usr/lib/node_modules/opencode-ai/bin/opencode", "serve"], script);

  test("the running call whose command is the shell's script names the conversation", () => {
    // memoryRecordFiles knows no real files: let mtime see the database.
    const files = { [dbFile]: "" };
    const s = run(opencode("stitch railway status"), { env: { HOME: home }, records: memoryRecordFiles({ home: () => home, query, files }) });
    expect(s.session).toEqual({ id: "ses_b", source: { kind: "agent_record", record: "tool_call_db", file: dbFile } });
    expect(s.store.files.size).toBe(0);
    expect(run(opencode("stitch railway up"), { env: { HOME: home }, records: memoryRecordFiles({ home: () => home, query, files }) }).session.id).toBe("ses_a");
  });
  test("no shell hop (the shell exec'd stitch): stitch's argv among the recorded command's words", () => {
    const files = { [dbFile]: "" };
    const direct = new FakeProcesses([
      { pid: AGENT, ppid: 1, argv: ["/usr/lib/node_modules/opencode-ai/bin/opencode"], startTime: START, startedAt: STARTED_AT },
      { pid: 1, ppid: 0, argv: ["/sbin/init"] },
    ]);
    const s = run(direct, { ppid: AGENT, argv: ["stitch", "railway", "status"], env: { HOME: home }, records: memoryRecordFiles({ home: () => home, query, files }) });
    expect(s.session.id).toBe("ses_b");
  });
  test("doubt: the same command running in two conversations, a command no call runs, no database", () => {
    part("ses_d", "running", "stitch railway status");
    const files = { [dbFile]: "" };
    fromStore(run(opencode("stitch railway status"), { env: { HOME: home }, records: memoryRecordFiles({ home: () => home, query, files }) }));
    fromStore(run(opencode("stitch railway logs"), { env: { HOME: home }, records: memoryRecordFiles({ home: () => home, query, files }) }));
    fromStore(run(opencode("stitch railway up"), { env: { HOME: "/nowhere" }, records: memoryRecordFiles({ home: () => "/nowhere", query }) }));
  });
  test("OPENCODE_DB names the file: absolute, or relative to the data directory", () => {
    const files = { [dbFile]: "" };
    const records = memoryRecordFiles({ home: () => "/elsewhere", query, files });
    expect(run(opencode("stitch railway up"), { env: { HOME: "/elsewhere", OPENCODE_DB: dbFile }, records }).session.id).toBe("ses_a");
    const relative = memoryRecordFiles({ home: () => home, query, files });
    expect(run(opencode("stitch railway up"), { env: { HOME: home, OPENCODE_DB: "opencode.db" }, records: relative }).session.id).toBe("ses_a");
    fromStore(run(opencode("stitch railway up"), { env: { HOME: home, OPENCODE_DB: ":memory:" }, records: relative }));
  });
  test("no database at all: the store at once, with no wait for a late write", () => {
    const w = fakeWorld({ env: { HOME: "/nowhere" }, cwd: "/w/app", store: new MemoryStore(), processes: opencode("stitch railway up"), records: memoryRecordFiles({ home: () => "/nowhere", query }) });
    expect(resolve(w).session.source.kind).toBe("store");
    expect(w.paused).toEqual([]);
  });
  test("only the newest rows are read", () => {
    for (let i = 0; i < 130; i++) part("ses_new", "completed", "ls");
    const files = { [dbFile]: "" };
    fromStore(run(opencode("stitch railway up"), { env: { HOME: home }, records: memoryRecordFiles({ home: () => home, query, files }) }));
  });
});

describe("transcript, latest_call: Pi's sessions/--<cwd>--/<time>_<id>.jsonl", () => {
  const dir = `${HOME}/.pi/agent/sessions/${piDirectoryName("/w/app")}`;
  const pi = (script = "stitch railway up") => chain(["pi"], script);
  const transcript = (id: string, ...commands: string[]) =>
    [
      JSON.stringify({ type: "session", version: 3, id, timestamp: "2026-12-04T10:00:00.000Z", cwd: "/w/app" }),
      JSON.stringify({ type: "message", message: { role: "user", content: [{ type: "text", text: "deploy" }] } }),
      ...commands.map((c, i) => JSON.stringify({ type: "message", message: { role: "assistant", content: [{ type: "toolCall", id: `t${i}`, name: "bash", arguments: { command: c } }] } })),
    ].join("\n") + "\n";
  test("the directory name", () => {
    expect(piDirectoryName("/w/app")).toBe("--w-app--");
  });
  test("the transcript whose latest bash call is this command", () => {
    const a = `${dir}/2026-12-04T10-00-00-000Z_aaaa.jsonl`;
    const b = `${dir}/2026-12-04T10-05-00-000Z_bbbb.jsonl`;
    const files = { [a]: transcript("aaaa", "ls", "stitch railway up"), [b]: transcript("bbbb", "stitch railway up", "stitch railway status") };
    expect(run(pi(), { files }).session).toEqual({ id: "aaaa", source: { kind: "agent_record", record: "transcript", file: a } });
    expect(run(pi("stitch railway status"), { files }).session.id).toBe("bbbb");
    // Written before the anchor started: not this process's.
    fromStore(run(pi(), { files, mtimes: { [a]: STARTED_AT - 10_000, [b]: STARTED_AT - 10_000 } }));
    // PI_CODING_AGENT_SESSION_DIR holds them directly.
    const flat = { "/s/a.jsonl": transcript("aaaa", "stitch railway up") };
    expect(run(pi(), { env: { HOME, PI_CODING_AGENT_SESSION_DIR: "/s" }, files: flat }).session.id).toBe("aaaa");
    // A settings prefix line before the command in the shell's script; the record keeps the command.
    expect(run(pi("shopt -s expand_aliases\nstitch railway up"), { files }).session.id).toBe("aaaa");
    // Both latest calls are this command: doubt.
    fromStore(run(pi(), { files: { [a]: transcript("aaaa", "stitch railway up"), [b]: transcript("bbbb", "stitch railway up") } }));
  });
});

describe("transcript, written_since_start: Gemini CLI's chats", () => {
  const projects = { [`${HOME}/.gemini/projects.json`]: JSON.stringify({ projects: { "/w/app": "app" } }) };
  const chats = `${HOME}/.gemini/tmp/app/chats`;
  const chat = (id: string) => `${JSON.stringify({ sessionId: id, projectHash: "x", startTime: "2026-12-04T10:00:00.000Z" })}\n`;
  const gemini = () => chain(["node", "/usr/lib/node_modules/@google/gemini-cli/dist/index.js"]);
  test("the one transcript of this directory written since the agent started", () => {
    const files = { ...projects, [`${chats}/session-2026-12-04T10-00-1a2b3c4d.jsonl`]: chat("1a2b3c4d-0000-4000-8000-000000000000"), [`${chats}/session-2026-12-01T10-00-99999999.jsonl`]: chat("old") };
    const mtimes = { [`${chats}/session-2026-12-01T10-00-99999999.jsonl`]: STARTED_AT - 86_400_000 };
    expect(run(gemini(), { files, mtimes }).session.id).toBe("1a2b3c4d-0000-4000-8000-000000000000");
  });
  test("two written since start (one process hosting two), none, or no start time: doubt", () => {
    fromStore(run(gemini(), { files: { ...projects, [`${chats}/session-a.jsonl`]: chat("a"), [`${chats}/session-b.jsonl`]: chat("b") } }));
    fromStore(run(gemini(), { files: projects }));
    const noStart = chain(["node", "/usr/lib/node_modules/@google/gemini-cli/dist/index.js"], "stitch railway up", { startedAt: undefined });
    fromStore(run(noStart, { files: { ...projects, [`${chats}/session-a.jsonl`]: chat("a") } }));
  });
  test("a resume that started a second file of the same conversation (the minute changed): its id", () => {
    const files = { ...projects, [`${chats}/session-2026-12-04T10-00-1a2b3c4d.jsonl`]: chat("1a2b3c4d-1"), [`${chats}/session-2026-12-04T10-01-1a2b3c4d.jsonl`]: chat("1a2b3c4d-1") };
    expect(run(gemini(), { files }).session.id).toBe("1a2b3c4d-1");
  });
  test("GEMINI_CLI_HOME moves it; a command run in a subdirectory finds the agent's own directory", () => {
    const moved = { [`/g/.gemini/projects.json`]: JSON.stringify({ projects: { "/w/app": "app" } }), [`/g/.gemini/tmp/app/chats/session-x.jsonl`]: chat("moved") };
    expect(run(gemini(), { env: { HOME, GEMINI_CLI_HOME: "/g" }, files: moved }).session.id).toBe("moved");
    const files = { ...projects, [`${chats}/session-a.jsonl`]: chat("a") };
    fromStore(run(gemini(), { cwd: "/w/app/sub", files }));
    expect(run(gemini(), { cwd: "/w/app/sub", files, processCwds: { [AGENT]: "/w/app" } }).session.id).toBe("a");
  });
  test("a project name that would leave the directory is refused", () => {
    const evil = { [`${HOME}/.gemini/projects.json`]: JSON.stringify({ projects: { "/w/app": "../../x" } }), [`${HOME}/.gemini/x/chats/session-a.jsonl`]: chat("a") };
    fromStore(run(gemini(), { files: evil }));
  });
});

describe("open_file: Codex's rollout held open", () => {
  const thread = "019a7c3e-5b2d-7e41-9c0a-3f5e6d7c8b9a";
  const rollout = `${HOME}/.codex/sessions/2026/12/04/rollout-2026-12-04T10-00-00-${thread}.jsonl`;
  const codex = () => chain(["/usr/lib/node_modules/@openai/codex/vendor/x86_64-unknown-linux-musl/codex/codex", "exec"]);
  test("the one thread whose rollout the agent holds open", () => {
    const openFiles = { [AGENT]: ["/dev/null", "pipe:[1234]", rollout, `${HOME}/.codex/log/codex-tui.log`] };
    expect(run(codex(), { openFiles }).session).toEqual({ id: thread, source: { kind: "agent_record", record: "open_file", file: rollout } });
  });
  test("two threads open (an app-server): the rollout whose latest exec_command is this command, else doubt", () => {
    const other = rollout.replace(thread, "019a7c3e-5b2d-7e41-9c0a-000000000000");
    fromStore(run(codex(), { openFiles: { [AGENT]: [rollout, other] } }));
    const call = (cmd: string) =>
      `${JSON.stringify({ type: "session_meta", payload: { id: "x" } })}\n${JSON.stringify({ type: "response_item", payload: { type: "function_call", status: "completed", name: "exec_command", arguments: JSON.stringify({ cmd }), call_id: "call_0" } })}\n${JSON.stringify({ type: "token_usage_record", payload: {} })}\n`;
    const files = { [rollout]: call("stitch railway status"), [other]: call("stitch railway up") };
    expect(run(codex(), { openFiles: { [AGENT]: [rollout, other] }, files }).session.id).toBe("019a7c3e-5b2d-7e41-9c0a-000000000000");
  });
});

describe("ids and markers added on evidence from the agents' own packages and source (issue 19, item 6)", () => {
  const human = () => new FakeProcesses([{ pid: 999, ppid: 1, argv: ["bash"] }, { pid: 1, ppid: 0, argv: ["/sbin/init"] }]);
  test("Claude Code on the web's session, only where Claude Code's own id is missing", () => {
    const env = { HOME, CLAUDECODE: "1", CLAUDE_CODE_REMOTE_SESSION_ID: "cse_01AbCdEf" };
    expect(run(human(), { env }).session).toEqual({ id: "cse_01AbCdEf", source: { kind: "harness", variable: "CLAUDE_CODE_REMOTE_SESSION_ID" } });
    expect(run(human(), { env: { ...env, CLAUDE_CODE_SESSION_ID: "local" } }).session.id).toBe("local");
  });
  test("Hermes Agent: its marker and its session id", () => {
    const s = run(human(), { env: { HOME, HERMES_SESSION_ID: "20261204_101500_a1b2c3" } });
    expect(s.r.caller.caller).toBe("hermes");
    expect(s.session).toEqual({ id: "20261204_101500_a1b2c3", source: { kind: "harness", variable: "HERMES_SESSION_ID" } });
  });
  test("OpenClaw's exec tool is the agent; a person's `!` in its TUI is not marked", () => {
    expect(run(human(), { env: { HOME, OPENCLAW_SHELL: "exec" } }).r.caller.caller).toBe("openclaw");
    expect(run(human(), { env: { HOME, OPENCLAW_SHELL: "tui-local" }, tty: true }).r.caller.caller).toBe("tty");
  });
  test("Goose's markers; its AGENT_SESSION_ID is not taken as an id", () => {
    const s = run(human(), { env: { HOME, AGENT: "goose", AGENT_SESSION_ID: "20261204_1" } });
    expect(s.r.caller.caller).toBe("goose");
    expect(s.session.id).not.toBe("20261204_1");
    expect(run(human(), { env: { HOME, GOOSE_TERMINAL: "1" } }).r.caller.caller).toBe("goose");
  });
});
