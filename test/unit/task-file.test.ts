import { describe, expect, test } from "bun:test";
import { AGENTS } from "../../src/catalog/agents.ts";
import { resolutionOf as resolve } from "../../src/resolve/resolution.ts";
import { agentChain, FakeProcesses, fakeWorld, MemoryStore } from "../support/fake-world.ts";

// Cline's hub daemon runs every task's commands as `bash -c` directly under itself.
const DAEMON = 44;
const daemonChain = () =>
  new FakeProcesses([
    { pid: 999, ppid: DAEMON, argv: ["/bin/bash", "-c", "stitch railway up"] },
    {
      pid: DAEMON,
      ppid: 1,
      argv: ["/usr/lib/node_modules/cline/bin/.cline", "--cline-hub-daemon", "--cwd", "/w", "--host", "127.0.0.1", "--port", "25463"],
    },
    { pid: 1, ppid: 0, argv: ["/sbin/init"] },
  ]);

const SESSIONS = "/home/u/.cline/data/sessions";
const record = (name: string, fields: Record<string, unknown>, dir = SESSIONS) => ({
  [`${dir}/${name}/${name}.json`]: JSON.stringify({ version: 1, session_id: name, source: "cli", ...fields }),
  // Other files in a task's directory are never read.
  [`${dir}/${name}/${name}.messages.json`]: "[]",
});
const running = (name: string, cwd: string, pid = DAEMON, dir = SESSIONS) => record(name, { pid, status: "running", cwd }, dir);
const completed = (name: string, cwd: string, pid = DAEMON) => record(name, { pid, status: "completed", cwd });

function resolveIn(files: Record<string, string>, o: { cwd?: string; env?: Record<string, string>; processes?: FakeProcesses } = {}) {
  const store = new MemoryStore();
  const r = resolve(fakeWorld({ env: { HOME: "/home/u", ...o.env }, processes: o.processes ?? daemonChain(), files, cwd: o.cwd ?? "/w/a", store }));
  return { r, store };
}

describe("Cline's task records (a harness running many conversations from one process)", () => {
  test("the catalog names the records for Cline only", () => {
    expect(AGENTS.filter((row) => row.records?.some((r) => r.kind === "task_file")).map((row) => row.slug)).toEqual(["cline"]);
  });

  test("the daemon's one running task gives the id; the store is not opened", () => {
    const { r, store } = resolveIn({ ...completed("1795674472916_t45ar", "/w/a"), ...running("1795674481246_g9vgh", "/w/b") });
    expect(r.caller.caller).toBe("cline");
    expect(r.session).toEqual({
      id: "1795674481246_g9vgh",
      source: { kind: "agent_record", record: "task_file", file: `${SESSIONS}/1795674481246_g9vgh/1795674481246_g9vgh.json` },
    });
    expect(store.files.size).toBe(0);
  });

  test("two tasks running at once: the one in stitch's working directory", () => {
    const files = { ...running("1795674472916_aaaaa", "/w/a"), ...running("1795674481246_bbbbb", "/w/b") };
    expect(resolveIn(files, { cwd: "/w/a" }).r.session.id).toBe("1795674472916_aaaaa");
    expect(resolveIn(files, { cwd: "/w/b" }).r.session.id).toBe("1795674481246_bbbbb");
  });

  test("two tasks running at once in one directory: the one whose latest run_commands call holds this command", () => {
    const messages = (name: string, commands: string[]) => ({
      [`${SESSIONS}/${name}/${name}.messages.json`]: JSON.stringify(
        { version: 1, sessionId: name, messages: [{ role: "user", content: [{ type: "text", text: "go" }] }, { role: "assistant", content: [{ type: "tool_use", id: "call_0", name: "run_commands", input: { commands } }] }] },
        null,
        2,
      ),
    });
    const files = {
      ...running("1795674472916_aaaaa", "/w/a"),
      ...running("1795674481246_bbbbb", "/w/a"),
      ...messages("1795674472916_aaaaa", ["ls", "stitch railway up"]),
      ...messages("1795674481246_bbbbb", ["stitch railway status"]),
    };
    expect(resolveIn(files, { cwd: "/w/a" }).r.session.id).toBe("1795674472916_aaaaa");
    const status = new FakeProcesses([...daemonChain().table.values()].map((p) => (p.pid === 999 ? { ...p, argv: ["/bin/bash", "-c", "stitch railway status"] } : p)));
    expect(resolveIn(files, { cwd: "/w/a", processes: status }).r.session.id).toBe("1795674481246_bbbbb");
  });

  test("doubt gives no task id: the anchor's persisted session instead", () => {
    const cases: Record<string, string>[] = [
      {},
      // Two running in the same directory.
      { ...running("1795674472916_aaaaa", "/w/a"), ...running("1795674481246_bbbbb", "/w/a") },
      // Running, but in another process (an earlier daemon, an in-process run).
      running("1795674481246_bbbbb", "/w/a", 4242),
      // Finished.
      completed("1795674481246_bbbbb", "/w/a"),
      // Not JSON, or the fields of another shape.
      { [`${SESSIONS}/1795674481246_bbbbb/1795674481246_bbbbb.json`]: "{ not json" },
      record("1795674481246_bbbbb", { pid: String(DAEMON), status: "running", cwd: "/w/a" }),
      record("1795674481246_bbbbb", { pid: DAEMON, status: "running", cwd: "/w/a", session_id: 7 }),
      // An id that is not safe to pass on (design §7).
      record("1795674481246_bbbbb", { pid: DAEMON, status: "running", cwd: "/w/a", session_id: "a b;c" }),
    ];
    for (const files of cases) {
      const { r, store } = resolveIn(files);
      expect(r.caller.caller).toBe("cline");
      expect(r.session.source).toMatchObject({ kind: "store", how: "created" });
      expect(store.files.size).toBe(1);
    }
  });

  test("only the newest 32 tasks are read", () => {
    const files: Record<string, string> = running("1795674400000_old00", "/w/a");
    for (let i = 0; i < 32; i++) Object.assign(files, completed(`17956745${String(i).padStart(5, "0")}_newer`, "/w/a"));
    expect(resolveIn(files).r.session.source.kind).toBe("store");
    delete files[`${SESSIONS}/1795674500031_newer/1795674500031_newer.json`];
    delete files[`${SESSIONS}/1795674500031_newer/1795674500031_newer.messages.json`];
    expect(resolveIn(files).r.session.id).toBe("1795674400000_old00");
  });

  test("where the records are: CLINE_SESSION_DATA_DIR, CLINE_DATA_DIR/sessions, ~/.cline/data/sessions; relative values skipped", () => {
    const mine = running("1795674481246_g9vgh", "/w/a", DAEMON, "/sandbox/s");
    expect(resolveIn(mine, { env: { CLINE_SESSION_DATA_DIR: "/sandbox/s" } }).r.session.id).toBe("1795674481246_g9vgh");
    const data = running("1795674481246_g9vgh", "/w/a", DAEMON, "/sandbox/data/sessions");
    expect(resolveIn(data, { env: { CLINE_DATA_DIR: "/sandbox/data" } }).r.session.id).toBe("1795674481246_g9vgh");
    const home = running("1795674481246_g9vgh", "/w/a");
    expect(resolveIn(home, { env: { CLINE_SESSION_DATA_DIR: "s", CLINE_DATA_DIR: "./data" } }).r.session.id).toBe("1795674481246_g9vgh");
    // Set, it is where they are: ~/.cline is not searched as well.
    expect(resolveIn(home, { env: { CLINE_SESSION_DATA_DIR: "/sandbox/s" } }).r.session.source.kind).toBe("store");
  });

  test("an id handed over or exported still wins; other agents' anchors never read Cline's records", () => {
    const files = running("1795674481246_g9vgh", "/w/a", 500);
    expect(resolveIn(running("1795674481246_g9vgh", "/w/a"), { env: { RAILWAY_AGENT_SESSION_ID: "given" } }).r.session.id).toBe("given");
    const claude = resolveIn(files, { processes: agentChain(["claude"]) });
    expect(claude.r.caller.caller).toBe("claude_code");
    expect(claude.r.session.source.kind).toBe("store");
    const clineInProcess = resolveIn(files, { processes: agentChain(["/usr/lib/node_modules/cline/bin/.cline", "fix it"]) });
    expect(clineInProcess.r.session.id).toBe("1795674481246_g9vgh");
  });
});
