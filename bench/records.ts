// The bench's rows for the agents' own records (design §5.3): one per kind, each with a
// store the size real ones reach, in a home of its own so no other row sees it. The anchor
// is either the bench itself, named by the agent's pid variable (Claude Code's CLAUDE_PID,
// OpenCode's OPENCODE_PID), or a stand-in agent process (bench/anchor.ts) whose process
// table entry carries the agent's name; stitch is its child, as under a real agent.

import { Database } from "bun:sqlite";
import { mkdirSync, openSync, closeSync, readFileSync, utimesSync, writeFileSync, writeSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Subprocess } from "bun";

const ROOT = resolve(import.meta.dir, "..");

/** A stand-in agent process: runs the commands it is sent as its children, times them. */
export class StandIn {
  private readonly proc: Subprocess<"pipe", "pipe", "ignore">;
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private buffered = "";

  constructor(
    readonly name: string,
    cwd: string,
    holdOpen: string[] = [],
  ) {
    this.proc = Bun.spawn(["bash", "-c", `exec -a ${name} "$0" "$@"`, process.execPath, join(ROOT, "bench/anchor.ts"), ...holdOpen], {
      cwd,
      stdin: "pipe",
      stdout: "pipe",
      stderr: "ignore",
    });
    this.reader = this.proc.stdout.getReader() as ReadableStreamDefaultReader<Uint8Array>;
  }

  get pid(): number {
    return this.proc.pid;
  }

  async run(argv: string[], env: Record<string, string>, cwd: string): Promise<number> {
    this.proc.stdin.write(`${JSON.stringify({ argv, env, cwd })}\n`);
    this.proc.stdin.flush();
    for (;;) {
      const nl = this.buffered.indexOf("\n");
      if (nl >= 0) {
        const ms = Number(this.buffered.slice(0, nl));
        this.buffered = this.buffered.slice(nl + 1);
        if (!(ms >= 0)) throw new Error(`${argv.join(" ")} failed under the ${this.name} stand-in`);
        return ms;
      }
      const { value, done } = await this.reader.read();
      if (done) throw new Error(`the ${this.name} stand-in exited`);
      this.buffered += new TextDecoder().decode(value);
    }
  }

  stop(): void {
    this.proc.kill("SIGKILL");
  }
}

/** The start of a process in /proc ticks (field 22 of its stat). */
export function startTicks(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]!;
}

/** What the running call's command is in every record below: stitch's own argv. */
export const RECORDED_COMMAND = "stitch true";

/** Claude Code: ~/.claude/sessions/<pid>.json of the anchor (the bench, named by CLAUDE_PID). */
export function claudeRecord(home: string, pid: number): void {
  const dir = join(home, ".claude/sessions");
  mkdirSync(dir, { recursive: true });
  // Other Claude processes' records beside it, as on a busy machine.
  for (let i = 0; i < 20; i++) writeFileSync(join(dir, `${900000 + i}.json`), JSON.stringify({ pid: 900000 + i, sessionId: crypto.randomUUID(), procStart: "1" }));
  writeFileSync(join(dir, `${pid}.json`), JSON.stringify({ pid, sessionId: crypto.randomUUID(), cwd: home, startedAt: Date.now(), procStart: startTicks(pid), version: "2.1.331", kind: "interactive", entrypoint: "cli" }));
}

/**
 * OpenCode: ~/.local/share/opencode/opencode.db in WAL mode, `parts` rows (≈ 6 KB of JSON
 * each, tens of MB in all) over many sessions, the running bash call the newest. `recent`:
 * every row written in the last minute (a busy `opencode serve` whose process started
 * before all of them), else one part every 0.7 s over the last hour (an `opencode run`).
 */
export function openCodeDatabase(home: string, parts: number, recent = false): number {
  const dir = join(home, ".local/share/opencode");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "opencode.db");
  const db = new Database(file, { create: true });
  db.run("PRAGMA journal_mode = WAL");
  db.run(
    "CREATE TABLE part (id text PRIMARY KEY, message_id text NOT NULL, session_id text NOT NULL, time_created integer NOT NULL, time_updated integer NOT NULL, data text NOT NULL)",
  );
  db.run("CREATE INDEX part_session_idx ON part (session_id)");
  const insert = db.prepare("INSERT INTO part VALUES (?, ?, ?, ?, ?, ?)");
  const output = "x".repeat(6000);
  const now = Date.now();
  const at = (i: number) => (recent ? now - (parts - i) * 10 : now - (parts - i) * 700);
  db.transaction(() => {
    for (let i = 0; i < parts; i++) {
      const session = `ses_${String(i % 97).padStart(26, "0")}`;
      const data = JSON.stringify({ type: "tool", tool: i % 3 === 0 ? "bash" : "read", callID: `call_${i}`, state: { status: "completed", input: { command: `ls ${i}` }, output } });
      insert.run(`prt_${String(i).padStart(26, "0")}`, `msg_${i}`, session, at(i), at(i), data);
    }
    const running = JSON.stringify({ type: "tool", tool: "bash", callID: "call_running", state: { status: "running", input: { command: RECORDED_COMMAND }, time: { start: 1 } } });
    insert.run("prt_running", "msg_running", "ses_running0000000000000000", now, now, running);
  })();
  db.close();
  return Bun.file(file).size;
}

/**
 * Pi: `count` transcripts of `bytes` each in ~/.pi/agent/sessions/--<cwd>--/, every one
 * written since the anchor started; the running call is the last line of one of them.
 */
export function piTranscripts(home: string, cwd: string, count: number, bytes: number): void {
  const dir = join(home, ".pi/agent/sessions", `--${cwd.slice(1).replaceAll("/", "-")}--`);
  mkdirSync(dir, { recursive: true });
  const filler = JSON.stringify({ type: "message", message: { role: "toolResult", toolName: "bash", content: [{ type: "text", text: "y".repeat(4000) }] } });
  for (let i = 0; i < count; i++) {
    const id = crypto.randomUUID();
    const fd = openSync(join(dir, `2026-12-04T10-${String(i).padStart(2, "0")}-00-000Z_${id}.jsonl`), "w");
    writeSync(fd, `${JSON.stringify({ type: "session", version: 3, id, timestamp: new Date().toISOString(), cwd })}\n`);
    for (let n = 0; n < bytes / filler.length; n++) writeSync(fd, `${filler}\n`);
    // The running call's transcript is among the last written (two other conversations wrote since).
    const command = i === count - 3 ? RECORDED_COMMAND : `ls ${i}`;
    writeSync(fd, `${JSON.stringify({ type: "message", message: { role: "assistant", content: [{ type: "toolCall", id: `t${i}`, name: "bash", arguments: { command } }] } })}\n`);
    closeSync(fd);
  }
}

/**
 * Gemini CLI: projects.json, and `count` chats of `bytes` each in
 * ~/.gemini/tmp/<project>/chats/, one written since the anchor started.
 */
export function geminiChats(home: string, cwd: string, count: number, bytes: number): void {
  const gemini = join(home, ".gemini");
  const chats = join(gemini, "tmp/project/chats");
  mkdirSync(chats, { recursive: true });
  writeFileSync(join(gemini, "projects.json"), JSON.stringify({ projects: { [cwd]: "project" } }));
  const filler = JSON.stringify({ type: "gemini", content: "z".repeat(4000) });
  const old = new Date(Date.now() - 86_400_000);
  for (let i = 0; i < count; i++) {
    const file = join(chats, `session-2026-12-04T10-${String(i).padStart(2, "0")}-${crypto.randomUUID().slice(0, 8)}.jsonl`);
    const fd = openSync(file, "w");
    writeSync(fd, `${JSON.stringify({ sessionId: crypto.randomUUID(), projectHash: "h", startTime: new Date().toISOString(), kind: "main" })}\n`);
    for (let n = 0; n < bytes / filler.length; n++) writeSync(fd, `${filler}\n`);
    closeSync(fd);
    if (i !== count - 1) utimesSync(file, old, old);
  }
}

/** Codex: a rollout to hold open, among a day's others. */
export function codexRollout(home: string): string {
  const dir = join(home, ".codex/sessions/2026/12/04");
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < 50; i++) writeFileSync(join(dir, `rollout-2026-12-04T09-${String(i).padStart(2, "0")}-00-${crypto.randomUUID()}.jsonl`), "{}\n");
  const file = join(dir, `rollout-2026-12-04T10-00-00-${crypto.randomUUID()}.jsonl`);
  writeFileSync(file, "{}\n");
  return file;
}

/** Copilot CLI: `count` conversations in ~/.copilot/session-state, one holding the anchor's lock. */
export function copilotState(home: string, pid: number, count: number): void {
  const dir = join(home, ".copilot/session-state");
  for (let i = 0; i < count; i++) {
    const conversation = join(dir, crypto.randomUUID());
    mkdirSync(conversation, { recursive: true });
    writeFileSync(join(conversation, "events.jsonl"), "{}\n");
    if (i === count - 1) writeFileSync(join(conversation, `inuse.${pid}.lock`), "");
  }
}

/** Cline: 32 task records, one running in the anchor (the hub daemon). */
export function clineTasks(home: string, pid: number, cwd: string): void {
  const dir = join(home, ".cline/data/sessions");
  for (let i = 0; i < 32; i++) {
    const name = `17956744${String(i).padStart(5, "0")}_t${String(i).padStart(4, "0")}`;
    mkdirSync(join(dir, name), { recursive: true });
    const running = i === 20;
    writeFileSync(join(dir, name, `${name}.json`), JSON.stringify({ version: 1, session_id: name, source: "cli", pid: running ? pid : 4242, status: running ? "running" : "completed", cwd }));
    writeFileSync(join(dir, name, `${name}.messages.json`), "[]");
  }
}
