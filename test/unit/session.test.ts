import { describe, expect, test } from "bun:test";
import { HARNESS_SESSION_VARIABLES } from "../../src/catalog/session-variables.ts";
import { commandToRun } from "../../src/cli/run.ts";
import { resolutionOf as resolve } from "../../src/resolve/resolution.ts";
import { rawEnvironment } from "../../src/sys/raw.ts";
import { cliFallbackId } from "../../src/resolve/session.ts";
import { sessionFileName } from "../../src/store/identity.ts";
import { sessionsLocation } from "../../src/store/location.ts";
import { parseSessionFile } from "../../src/store/schema.ts";
import { agentChain, FakeProcesses, fakeWorld, MemoryStore, NOW } from "../support/fake-world.ts";

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** design §5.5, written out here (not imported from src): `cli_` and 22 base64url characters. */
const CLI_FALLBACK_PATTERN = /^cli_[A-Za-z0-9_-]{22}$/;
const claude = () => agentChain(["claude"]);

describe("§5.1 explicit ids", () => {
  test("RAILWAY_AGENT_SESSION_ID first, then RAILWAY_AGENT_SESSION", () => {
    const w = fakeWorld({ env: { RAILWAY_AGENT_SESSION_ID: "a1", RAILWAY_AGENT_SESSION: "b2", CLAUDE_CODE_SESSION_ID: "c3" } });
    expect(resolve(w).session).toEqual({ id: "a1", source: { kind: "explicit", variable: "RAILWAY_AGENT_SESSION_ID" } });
    const w2 = fakeWorld({ env: { RAILWAY_AGENT_SESSION: "b2", CLAUDE_CODE_SESSION_ID: "c3" } });
    expect(resolve(w2).session.id).toBe("b2");
  });
  test("apply to any caller, a human at a terminal included", () => {
    const r = resolve(fakeWorld({ env: { RAILWAY_AGENT_SESSION_ID: "given" }, tty: true }));
    expect(r.caller.caller).toBe("tty");
    expect(r.session.id).toBe("given");
  });
});

describe("§5.2 harness variables", () => {
  // The order itself is pinned against design §5.2 in catalog.test.ts.
  const order = HARNESS_SESSION_VARIABLES.map((v) => v.name);
  test("precedence follows the table", () => {
    for (let i = 0; i < order.length; i++) {
      const env = Object.fromEntries(order.slice(i).map((name) => [name, `id-${name.toLowerCase()}`]));
      expect(resolve(fakeWorld({ env })).session).toEqual({
        id: `id-${order[i]!.toLowerCase()}`,
        source: { kind: "harness", variable: order[i]! },
      });
    }
  });
  test("an unsafe value is skipped, not truncated", () => {
    const env = { CLAUDE_CODE_SESSION_ID: "abc def", CODEX_THREAD_ID: "0199a" };
    expect(resolve(fakeWorld({ env })).session.id).toBe("0199a");
    for (const bad of ["", " ", "a\nb", "x".repeat(257), "ü", "a$b", "a;b"]) {
      expect(resolve(fakeWorld({ env: { AGENT_THREAD_ID: bad }, tty: true })).session.id).toBeUndefined();
    }
    expect(resolve(fakeWorld({ env: { CODEX_THREAD_ID: "x".repeat(256) } })).session.id).toBe("x".repeat(256));
  });
  test("Letta's `default` conversation is shared by every run: not an id, so the persisted session is used", () => {
    const store = new MemoryStore();
    const env = { HOME: "/h", LETTA_CONVERSATION_ID: "default", LETTA_AGENT_ID: "agent-7" };
    const r = resolve(fakeWorld({ env, processes: agentChain(["letta"]), store }));
    expect(r.caller.caller).toBe("letta_code");
    expect(r.session.source).toMatchObject({ kind: "store", how: "created" });
    expect(r.session.id).toMatch(UUID_V4);
    const named = resolve(fakeWorld({ env: { ...env, LETTA_CONVERSATION_ID: "conv-0a1b2c" } }));
    expect(named.session).toEqual({ id: "conv-0a1b2c", source: { kind: "harness", variable: "LETTA_CONVERSATION_ID" } });
    // The local backend numbers conversations from 1 in every store: local-conv-1 everywhere.
    for (const local of ["local-conv-1", "local-conv-27"]) {
      const r = resolve(fakeWorld({ env: { ...env, LETTA_CONVERSATION_ID: local }, processes: agentChain(["letta"]) }));
      expect(r.session.source).toMatchObject({ kind: "store", how: "created" });
    }
    // Only the prefix: an id that merely contains it is an id.
    expect(resolve(fakeWorld({ env: { ...env, LETTA_CONVERSATION_ID: "conv-local-conv-1" } })).session.id).toBe("conv-local-conv-1");
  });
  test("an env id wins over disk and writes nothing", () => {
    const store = new MemoryStore();
    const w = fakeWorld({ env: { HOME: "/h", CODEX_THREAD_ID: "0199-t" }, processes: claude(), store });
    expect(resolve(w).session.id).toBe("0199-t");
    expect(store.files.size).toBe(0);
    expect(w.opened).toEqual([]);
  });
});

describe("§5.4 persisted session", () => {
  test("an agent caller gets a UUID v4 persisted under the anchor's file name", () => {
    const store = new MemoryStore();
    const processes = claude();
    const r = resolve(fakeWorld({ processes, store }));
    expect(r.session.id).toMatch(UUID_V4);
    expect(r.session.source).toMatchObject({ kind: "store", how: "created" });
    const name = sessionFileName({ pid: 500, startTime: 50000n, argv0: "claude" });
    const rec = parseSessionFile(store.files.get(name)!.text!);
    expect(rec).toMatchObject({ agent_session_id: r.session.id, parent_pid: 500, parent_btime: 50000n, caller: "claude_code" });
    expect(rec!.created_at).toBe(new Date(NOW).toISOString());
  });
  test("the second call of the same agent reuses it", () => {
    const store = new MemoryStore();
    const processes = claude();
    const first = resolve(fakeWorld({ processes, store })).session.id;
    const second = resolve(fakeWorld({ processes, store }));
    expect(second.session).toMatchObject({ id: first, source: { kind: "store", how: "reused" } });
  });
  test("humans and CI never get a file", () => {
    const store = new MemoryStore();
    expect(resolve(fakeWorld({ tty: true, processes: new FakeProcesses([{ pid: 999, ppid: 1, argv: ["-bash"] }]), store })).session.id).toBeUndefined();
    expect(resolve(fakeWorld({ env: { CI: "true", HOME: "/h" }, store })).session.id).toBeUndefined();
    expect(store.files.size).toBe(0);
  });
  test("what may be created: ~/.railway and its sessions, never HOME; only the override itself", () => {
    const location = (env: Record<string, string>) => sessionsLocation(env, () => env.HOME, "linux");
    expect(location({ HOME: "/home/u/" })).toEqual({ dir: "/home/u/.railway/sessions", creatable: ["/home/u/.railway", "/home/u/.railway/sessions"] });
    expect(location({ HOME: "/h", RAILWAY_SESSIONS_DIR: "/a/b" })).toEqual({ dir: "/a/b", creatable: ["/a/b"] });
    expect(location({ HOME: "" })).toBeUndefined();
  });
  test("RAILWAY_SESSIONS_DIR overrides ~/.railway/sessions", () => {
    const w = fakeWorld({ env: { HOME: "/home/u/" }, processes: claude() });
    resolve(w);
    expect(w.opened).toEqual(["/home/u/.railway/sessions"]);
    const w2 = fakeWorld({ env: { HOME: "/home/u", RAILWAY_SESSIONS_DIR: "/tmp/s" }, processes: claude() });
    resolve(w2);
    expect(w2.opened).toEqual(["/tmp/s"]);
  });
});

describe("§5.5 per-process fallback", () => {
  test("no process information: cli_ id, nothing opened", () => {
    const w = fakeWorld({ env: { CLAUDECODE: "1", HOME: "/h" }, processes: undefined });
    const r = resolve(w);
    expect(r.session.id).toMatch(CLI_FALLBACK_PATTERN);
    expect(r.session.source.kind).toBe("fallback");
    expect(w.opened).toEqual([]);
  });
  test("store refused: cli_ id with the reason", () => {
    const r = resolve(fakeWorld({ processes: claude(), store: { refused: "/s is writable by group or others" } }));
    expect(r.session.id).toMatch(CLI_FALLBACK_PATTERN);
    expect(r.session.source).toEqual({ kind: "fallback", reason: "/s is writable by group or others" });
  });
  test("store unwritable: cli_ id", () => {
    const store = new MemoryStore();
    store.failCreates = true;
    expect(resolve(fakeWorld({ processes: claude(), store })).session.id).toMatch(CLI_FALLBACK_PATTERN);
  });
  test("no HOME and no RAILWAY_SESSIONS_DIR: cli_ id", () => {
    expect(resolve(fakeWorld({ env: {}, processes: claude() })).session.id).toMatch(CLI_FALLBACK_PATTERN);
  });
  test("the id is cli_ + 22 base64url characters of 16 bytes", () => {
    const id = cliFallbackId((n) => new Uint8Array(n).fill(0xff));
    expect(id).toBe("cli______________________w");
    expect(id).toMatch(CLI_FALLBACK_PATTERN);
  });
  test("a minted UUID v4 never matches the cli_ pattern", () => {
    for (let i = 0; i < 1000; i++) {
      const id = crypto.randomUUID();
      expect(id).toMatch(UUID_V4);
      expect(CLI_FALLBACK_PATTERN.test(id)).toBe(false);
    }
  });
});

describe("§8 opt-out", () => {
  for (const [name, value] of [
    ["DO_NOT_TRACK", "1"],
    ["DO_NOT_TRACK", "TRUE"],
    ["RAILWAY_NO_TELEMETRY", "true"],
  ] as const) {
    test(`${name}=${value}: no id, no store`, () => {
      const w = fakeWorld({ env: { HOME: "/h", [name]: value, CODEX_THREAD_ID: "t1" }, processes: claude() });
      const r = resolve(w);
      expect(r.session.id).toBeUndefined();
      expect(r.childEnv).toEqual({});
      expect(w.opened).toEqual([]);
      expect(r.optedOut).toEqual({ by: "variable", name });
    });
  }
  test("DO_NOT_TRACK=0 is not an opt-out", () => {
    expect(resolve(fakeWorld({ env: { HOME: "/h", DO_NOT_TRACK: "0" }, processes: claude() })).session.id).toMatch(UUID_V4);
  });
  test("preferences.json telemetryDisabled: true", () => {
    const files = { "/h/.railway/preferences.json": '{"telemetryDisabled":true,"autoUpdateDisabled":false}' };
    const w = fakeWorld({ env: { HOME: "/h" }, processes: claude(), files });
    expect(resolve(w).session.id).toBeUndefined();
    expect(w.opened).toEqual([]);
    for (const text of ['{"telemetryDisabled":"true"}', "{not json", '{"telemetryDisabled":false}']) {
      const w2 = fakeWorld({ env: { HOME: "/h" }, processes: claude(), files: { "/h/.railway/preferences.json": text } });
      expect(resolve(w2).session.id).toMatch(UUID_V4);
    }
  });
});

describe("§3 what the child gets", () => {
  test("both session variables and RAILWAY_CALLER", () => {
    const r = resolve(fakeWorld({ env: { HOME: "/h", CODEX_THREAD_ID: "t1" } }));
    expect(r.childEnv).toEqual({ RAILWAY_AGENT_SESSION_ID: "t1", RAILWAY_AGENT_SESSION: "t1", RAILWAY_CALLER: "codex" });
  });
  test("RAILWAY_CALLER is kept when already set", () => {
    const r = resolve(fakeWorld({ env: { HOME: "/h", CODEX_THREAD_ID: "t1", RAILWAY_CALLER: "bad value" } }));
    expect(r.childEnv).toEqual({ RAILWAY_AGENT_SESSION_ID: "t1", RAILWAY_AGENT_SESSION: "t1" });
  });
  test("untouched when there is no id", () => {
    expect(resolve(fakeWorld({ tty: true })).childEnv).toEqual({});
  });
});

describe("laziness", () => {
  test("an env-only answer reads no process and asks no terminal", () => {
    const processes = claude();
    const w = fakeWorld({ env: { HOME: "/h", CLAUDECODE: "1", CLAUDE_CODE_SESSION_ID: "s" }, processes });
    resolve(w);
    expect(processes.reads).toEqual([]);
    expect(w.ttyAsked()).toBe(0);
  });
  test("explain walks every ancestor", () => {
    const processes = claude();
    const r = resolve(fakeWorld({ env: { HOME: "/h", CLAUDECODE: "1", CLAUDE_CODE_SESSION_ID: "s" }, processes }), { explain: true });
    expect(r.ancestry.map((h) => h.process.pid)).toEqual([999, 500, 1]);
    expect(r.anchor?.hop.process.pid).toBe(500);
  });
});

describe("§9 fail open", () => {
  test("a store that throws gives the agent caller a cli_ id", () => {
    const store = new MemoryStore();
    store.list = () => {
      throw new Error("EIO");
    };
    const r = resolve(fakeWorld({ processes: claude(), store }));
    expect(r.session.id).toMatch(CLI_FALLBACK_PATTERN);
    expect(r.session.source).toEqual({ kind: "fallback", reason: "session store failed: EIO" });
  });
  test("an exception anywhere else in the resolver: the command runs, its environment untouched", () => {
    const env = { CLAUDECODE: "1", HOME: "/h" };
    const world = (processes: FakeProcesses) => () => fakeWorld({ env, processes });
    const untouched = rawEnvironment(env).texts();
    // The process table throws when the walk reads it.
    const broken = claude();
    broken.get = () => {
      throw new Error("boom");
    };
    const failed = commandToRun(world(broken), env, ["railway", "up"]);
    expect(failed.argv.texts()).toEqual(["railway", "up"]);
    expect(failed.env.texts()).toEqual(untouched);
    // The same call with a table that answers gets its variables: the check can tell.
    const fine = commandToRun(world(claude()), env, ["railway", "up"]);
    expect(fine.env.texts().filter((e) => e.startsWith("RAILWAY_AGENT_SESSION_ID="))).toHaveLength(1);
  });
});
