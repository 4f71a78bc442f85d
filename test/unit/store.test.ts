import { describe, expect, test } from "bun:test";
import { sessionsCommand } from "../../src/cli/sessions.ts";
import { resolutionOf as resolve } from "../../src/resolve/resolution.ts";
import { sessionFileName } from "../../src/store/identity.ts";
import { MAX_FILES, sessionFor, staleReason, sweep, type LifecycleContext } from "../../src/store/lifecycle.ts";
import { parseRfc3339, parseSessionFile, serializeSessionFile } from "../../src/store/schema.ts";
import { agentChain, FakeProcesses, fakePlace, fakeWorld, MemoryStore, NOW } from "../support/fake-world.ts";
import { railwayCreatedAt, railwayFile as railwayFileText, railwayFileName } from "../support/railway.ts";

/** An hour before the injected clock's now, as Railway's CLI writes it. */
const AN_HOUR_AGO = railwayCreatedAt(NOW - 3600e3);

const railwayFile = (pid: number, btime: bigint | string, id = "3b241101-e2bb-4255-8caf-4136c566a962", created = AN_HOUR_AGO) =>
  railwayFileText(pid, btime, id, created);

describe("file name (design §6)", () => {
  test("matches Railway's algorithm", () => {
    for (const [pid, btime, argv0] of [
      [500, 50000n, "claude"],
      [4294967295, 18446744073709551615n, "/usr/bin/node"],
      [1, 0n, ""],
      [77, 123n, "ünïcode"],
    ] as const) {
      expect(sessionFileName({ pid, startTime: btime, argv0 })).toBe(railwayFileName(pid, btime, argv0));
    }
    expect(sessionFileName({ pid: 500, startTime: 50000n, argv0: "claude" })).toMatch(/^[0-9a-f]{16}\.session$/);
  });
});

describe("session file schema", () => {
  test("a file in Railway's exact format is valid", () => {
    expect(parseSessionFile(railwayFile(500, 50000n))).toEqual({
      agent_session_id: "3b241101-e2bb-4255-8caf-4136c566a962",
      parent_pid: 500,
      parent_btime: 50000n,
      created_at: AN_HOUR_AGO,
    });
  });
  test("an integer written with an exponent is that integer (a lenient read; Railway's serde would refuse it)", () => {
    expect(parseSessionFile(railwayFile(500, "1e3"))?.parent_btime).toBe(1000n);
  });
  test("parent_btime beyond 2^53 is read exactly", () => {
    expect(parseSessionFile(railwayFile(1, "18446744073709551615"))?.parent_btime).toBe(18446744073709551615n);
    expect(parseSessionFile(railwayFile(1, "9007199254740993"))?.parent_btime).toBe(9007199254740993n);
  });
  test("what stitch writes reads back, the u64 exact", () => {
    const text = serializeSessionFile({
      agent_session_id: "id-1",
      parent_pid: 7,
      parent_btime: 18446744073709551615n,
      created_at: "2026-11-24T12:00:00.000Z",
      boot_id: "b",
      clock: "ps",
      argv0: "claude",
      caller: "claude_code",
    });
    expect(parseSessionFile(text)).toMatchObject({ parent_btime: 18446744073709551615n, boot_id: "b", clock: "ps", v: 1 });
  });
  test("invalid files are rejected", () => {
    for (const text of [
      "",
      "null",
      "[]",
      "{",
      railwayFile(500, 50000n).replace('"parent_pid":500', '"parent_pid":-1'),
      railwayFile(500, 50000n).replace('"parent_pid":500', '"parent_pid":4294967296'),
      railwayFile(500, 50000n).replace('"parent_pid":500', '"parent_pid":5.5'),
      railwayFile(500, 50000n).replace('"parent_pid":500', '"parent_pid":"500"'),
      railwayFile(500, "18446744073709551616"),
      railwayFile(500, "1e30"),
      railwayFile(500, "1.5"),
      railwayFile(500, '"50000"'),
      railwayFile(500, 50000n, "has space"),
      railwayFile(500, 50000n, "x".repeat(257)),
      railwayFile(500, 50000n, undefined, "yesterday"),
      railwayFile(500, 50000n, undefined, "2026-02-30T00:00:00Z"),
      railwayFile(500, 50000n, undefined, "2026-11-24T25:00:00Z"),
      '{"agent_session_id":"a","parent_pid":1,"parent_btime":1}',
      railwayFile(500, 50000n).replace('"created_at"', '"v":"one","created_at"').replace("}", ',"v":"x"}'),
    ]) {
      expect(parseSessionFile(text)).toBeUndefined();
    }
  });
  test("RFC 3339 dates", () => {
    expect(parseRfc3339("2026-11-24T12:00:00Z")).toBe(Date.parse("2026-11-24T12:00:00Z"));
    expect(parseRfc3339("2026-11-24T13:30:00+01:30")).toBe(Date.parse("2026-11-24T12:00:00Z"));
    expect(parseRfc3339("2026-11-24t12:00:00.5z")).toBe(Date.parse("2026-11-24T12:00:00.500Z"));
    expect(parseRfc3339("2024-02-29T00:00:00Z")).toBe(Date.parse("2024-02-29T00:00:00Z"));
    // Years 0-99 are not read as 1900-1999 (Date.UTC's quirk).
    expect(parseRfc3339("0050-01-01T00:00:00Z")!).toBeLessThan(Date.parse("1000-01-01T00:00:00Z"));
    for (const bad of ["2025-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-24T12:00:00", "2026-11-24", "2026-11-24T12:60:00Z"]) {
      expect(parseRfc3339(bad)).toBeUndefined();
    }
  });
});

const ctx = (processes: FakeProcesses, over: Partial<LifecycleContext> = {}): LifecycleContext => ({
  processes,
  bootId: "boot-1",
  now: NOW,
  nativeClock: "proc",
  place: fakePlace(),
  ...over,
});

const identity = { pid: 500, startTime: 50000n, argv0: "claude" };
const NAME = sessionFileName(identity);

describe("lifecycle", () => {
  const live = () => new FakeProcesses([{ pid: 500, ppid: 1, argv: ["claude"], startTime: 50000n }]);

  test("stale reasons", () => {
    const p = live();
    const rec = (over: Record<string, unknown> = {}) =>
      parseSessionFile(JSON.stringify({ agent_session_id: "a", parent_pid: 500, parent_btime: 1, created_at: new Date(NOW).toISOString(), ...over }).replace('"parent_btime":1', '"parent_btime":50000'));
    expect(staleReason(rec(), ctx(p))).toBeUndefined();
    expect(staleReason(undefined, ctx(p))).toBe("invalid");
    expect(staleReason(rec({ parent_pid: 501 }), ctx(p))).toBe("anchor_gone");
    expect(staleReason(parseSessionFile(railwayFile(500, 49999n, "a", new Date(NOW).toISOString())), ctx(p))).toBe("start_time_mismatch");
    expect(staleReason(rec({ boot_id: "boot-0" }), ctx(p))).toBe("boot_mismatch");
    expect(staleReason(rec({ boot_id: "boot-0" }), ctx(p, { bootId: undefined }))).toBeUndefined();
    expect(staleReason(rec({ created_at: new Date(NOW - 8 * 86400e3).toISOString() }), ctx(p))).toBe("too_old");
    expect(staleReason(rec({ created_at: new Date(NOW - 6 * 86400e3).toISOString() }), ctx(p))).toBeUndefined();
    // Another clock's start time cannot be compared: only liveness, boot and age count.
    expect(staleReason(parseSessionFile(railwayFile(500, 49999n, "a", new Date(NOW).toISOString())), ctx(p, { nativeClock: "ps" }))).toBeUndefined();
    const psFile = JSON.parse(JSON.stringify({ agent_session_id: "a", parent_pid: 500, parent_btime: 7, created_at: new Date(NOW).toISOString(), clock: "ps" }));
    expect(staleReason(parseSessionFile(JSON.stringify(psFile)), ctx(p))).toBeUndefined();
  });

  test("a Railway-format file of the live anchor is reused", () => {
    const store = new MemoryStore();
    store.put(NAME, railwayFile(500, 50000n, "railway-id", new Date(NOW - 3600e3).toISOString()));
    const out = sessionFor(store, { identity, caller: "claude_code", mint: () => "new" }, ctx(live()));
    expect(out).toEqual({ ok: true, id: "railway-id", how: "reused", file: `/sessions/${NAME}` });
  });

  test("sweep removes stale files, keeps live ones and never touches other names", () => {
    const store = new MemoryStore();
    const fresh = new Date(NOW).toISOString();
    store.put("live.session", railwayFile(500, 50000n, "keep", fresh));
    store.put("dead.session", railwayFile(31337, 1n, "dead", fresh));
    store.put("garbage.session", "{{{");
    store.put("unreadable.session", undefined);
    store.put("notes.txt", "not a session");
    store.put(".x.session.1234.tmp", "temporary");
    store.put("dir.session", undefined, { isDirectory: true });
    const { kept, removed } = sweep(store, ctx(live()));
    expect(kept.map((k) => k.file.name)).toEqual(["live.session"]);
    expect(removed.map((r) => [r.name, r.reason]).sort()).toEqual([
      ["dead.session", "anchor_gone"],
      ["garbage.session", "invalid"],
      ["unreadable.session", "invalid"],
    ]);
    expect([...store.files.keys()].sort()).toEqual([".x.session.1234.tmp", "dir.session", "live.session", "notes.txt"]);
  });

  test("the cap keeps the 100 newest by mtime", () => {
    const store = new MemoryStore();
    const processes = new FakeProcesses();
    for (let i = 0; i < 105; i++) {
      processes.add({ pid: 2000 + i, ppid: 1, argv: ["x"], startTime: 5n });
      store.put(`f${i}.session`, railwayFile(2000 + i, 5n, `id${i}`, new Date(NOW).toISOString()), { mtimeMs: 10_000 + i });
    }
    const { kept, removed } = sweep(store, ctx(processes));
    expect(kept).toHaveLength(MAX_FILES);
    expect(removed.map((r) => r.name).sort()).toEqual(["f0.session", "f1.session", "f2.session", "f3.session", "f4.session"]);
  });

  test("a new file over the cap evicts the oldest, not itself", () => {
    const store = new MemoryStore();
    const processes = live();
    for (let i = 0; i < MAX_FILES; i++) {
      processes.add({ pid: 2000 + i, ppid: 1, argv: ["x"], startTime: 5n });
      store.put(`f${i}.session`, railwayFile(2000 + i, 5n, `id${i}`, new Date(NOW).toISOString()), { mtimeMs: i });
    }
    const out = sessionFor(store, { identity, caller: "c", mint: () => "mine" }, ctx(processes));
    expect(out).toMatchObject({ ok: true, id: "mine", how: "created" });
    expect(store.files.has(NAME)).toBe(true);
    expect(store.files.has("f0.session")).toBe(false);
    expect(store.list()).toHaveLength(MAX_FILES);
  });

  test("a new file over the cap is kept even when every other file's mtime is ahead of it (a clock stepped back)", () => {
    const store = new MemoryStore();
    const processes = live();
    for (let i = 0; i < MAX_FILES; i++) {
      processes.add({ pid: 2000 + i, ppid: 1, argv: ["x"], startTime: 5n });
      store.put(`f${i}.session`, railwayFile(2000 + i, 5n, `id${i}`, new Date(NOW).toISOString()), { mtimeMs: store.clock + 86400e3 + i });
    }
    const out = sessionFor(store, { identity, caller: "c", mint: () => "mine" }, ctx(processes));
    expect(out).toMatchObject({ ok: true, id: "mine", how: "created" });
    expect(store.files.has(NAME)).toBe(true);
    expect(store.files.has("f0.session")).toBe(false);
    expect(store.list()).toHaveLength(MAX_FILES);
    // And the next call reuses it.
    expect(sessionFor(store, { identity, caller: "c", mint: () => "again" }, ctx(processes))).toMatchObject({ id: "mine", how: "reused" });
  });

  test("losing the race of first calls joins the winner's id", () => {
    const store = new MemoryStore();
    store.beforeCreate = (name) => {
      store.beforeCreate = undefined;
      store.put(name, railwayFile(500, 50000n, "winner", new Date(NOW).toISOString()));
    };
    expect(sessionFor(store, { identity, caller: "c", mint: () => "loser" }, ctx(live()))).toMatchObject({ ok: true, id: "winner", how: "joined" });
  });

  test("a live file at the anchor's name that records another process is not used", () => {
    const store = new MemoryStore();
    const processes = live().add({ pid: 600, ppid: 1, argv: ["y"], startTime: 6n });
    store.put(NAME, railwayFile(600, 6n, "planted", new Date(NOW).toISOString()));
    const out = sessionFor(store, { identity, caller: "c", mint: () => "new" }, ctx(processes));
    expect(out.ok).toBe(false);
    expect(store.read(NAME)?.text).toContain("planted");
  });

  test("a stale file at the anchor's name is replaced", () => {
    const store = new MemoryStore();
    store.put(NAME, railwayFile(500, 50000n, "old", new Date(NOW - 8 * 86400e3).toISOString()));
    expect(sessionFor(store, { identity, caller: "c", mint: () => "new" }, ctx(live()))).toMatchObject({ id: "new", how: "created" });
  });

  test("a racing first call that finds the winner's file still empty (no hard links, design §6.5) waits for it and joins", () => {
    const store = new MemoryStore();
    // The winner created the name in place; its one write lands while the loser waits.
    store.put(NAME, "", { mtimeMs: NOW });
    let waited = 0;
    store.onPause = () => {
      if (++waited === 3) store.put(NAME, railwayFile(500, 50000n, "winner", new Date(NOW).toISOString()), { mtimeMs: NOW });
    };
    expect(sessionFor(store, { identity, caller: "c", mint: () => "loser" }, ctx(live()))).toMatchObject({ ok: true, id: "winner", how: "joined" });
    expect(store.pauses).toBe(3);
    expect(store.removals).toEqual([]);
  });

  test("the winner's empty file dated on another clock (a shifted clock, a network file system's) is still waited for: it appeared just now", () => {
    const store = new MemoryStore();
    store.beforeCreate = (name) => {
      store.beforeCreate = undefined;
      store.put(name, "", { mtimeMs: NOW - 366 * 86400e3 });
    };
    store.onPause = () => {
      store.onPause = undefined;
      store.put(NAME, railwayFile(500, 50000n, "winner", new Date(NOW).toISOString()), { mtimeMs: NOW - 366 * 86400e3 });
    };
    expect(sessionFor(store, { identity, caller: "c", mint: () => "loser" }, ctx(live()))).toMatchObject({ ok: true, id: "winner", how: "joined" });
  });

  test("a file being written that never completes: a bounded wait, then no id from it, and it is not removed", () => {
    const store = new MemoryStore();
    store.put(NAME, '{"agent_session_id":"', { mtimeMs: NOW - 2000 });
    const out = sessionFor(store, { identity, caller: "c", mint: () => "loser" }, ctx(live()));
    expect(out.ok).toBe(false);
    expect(store.pauses).toBe(49);
    expect(store.read(NAME)?.text).toBe('{"agent_session_id":"');
    expect(store.removals).toEqual([]);
  });

  test("the sweep leaves files being written alone: fresh (either side of now), empty or an unfinished object; not old ones, nor other junk", () => {
    const store = new MemoryStore();
    store.put("0000000000000001.session", "", { mtimeMs: NOW - 9_000 });
    store.put("0000000000000002.session", '{"agent_se', { mtimeMs: NOW + 9_000 });
    store.put("0000000000000003.session", "", { mtimeMs: NOW - 11_000 });
    store.put("0000000000000004.session", '{"agent_se', { mtimeMs: NOW + 11_000 });
    store.put("0000000000000005.session", "not json", { mtimeMs: NOW });
    store.put("0000000000000006.session", undefined, { mtimeMs: NOW }); // unreadable: no write looks so
    const { removed, kept } = sweep(store, ctx(live()));
    expect(removed.map((r) => r.name).sort()).toEqual(["0000000000000003.session", "0000000000000004.session", "0000000000000005.session", "0000000000000006.session"]);
    expect(kept).toEqual([]);
    expect([...store.files.keys()].sort()).toEqual(["0000000000000001.session", "0000000000000002.session"]);
  });

  test("the same boot id is required where one was recorded", () => {
    const store = new MemoryStore();
    const p = live();
    const first = sessionFor(store, { identity, caller: "c", mint: () => "one" }, ctx(p));
    expect(first).toMatchObject({ id: "one" });
    expect(sessionFor(store, { identity, caller: "c", mint: () => "two" }, ctx(p, { bootId: "boot-2" }))).toMatchObject({ id: "two", how: "created" });
  });
});

// design §6: "The reuse path opens only the anchor's own file, so its cost does not grow with
// the number of files. The sweep runs when stitch creates a new session file (and in
// `stitch sessions prune`): stale files deleted, the directory capped at 100 session files,
// oldest by mtime evicted first."
describe("design §6: reuse opens one file, the sweep runs on create", () => {
  const fresh = new Date(NOW).toISOString();
  const request = (mint = "new") => ({ identity, caller: "claude_code", mint: () => mint });

  /**
   * `n` valid files of live anchors (pids 3000...), their mtimes a permutation of 0..n-1
   * (379 is prime to 1,000), so that name order, insertion order and age all differ.
   */
  function liveFiles(store: MemoryStore, processes: FakeProcesses, n: number): Map<string, number> {
    const mtimes = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const pid = 3000 + i;
      processes.add({ pid, ppid: 1, argv: ["sleep", "3600"], startTime: 7n });
      const name = sessionFileName({ pid, startTime: 7n, argv0: "sleep" });
      const mtimeMs = (i * 379) % n;
      store.put(name, railwayFile(pid, 7n, `live-${i}`, fresh), { mtimeMs });
      mtimes.set(name, mtimeMs);
    }
    return mtimes;
  }

  /** One stale file for every reason, each newer than any live file (the cap alone would keep them). */
  function staleFiles(store: MemoryStore, processes: FakeProcesses): Map<string, string> {
    processes.add({ pid: 4000, ppid: 1, argv: ["x"], startTime: 40n });
    const files: [string, string | undefined, string][] = [
      ["gone.session", railwayFile(31337, 1n, "gone", fresh), "anchor_gone"],
      ["restarted.session", railwayFile(4000, 41n, "restarted", fresh), "start_time_mismatch"],
      ["other-boot.session", `{"agent_session_id":"ob","parent_pid":4000,"parent_btime":40,"created_at":"${fresh}","boot_id":"boot-0"}`, "boot_mismatch"],
      ["old.session", railwayFile(4000, 40n, "old", new Date(NOW - 8 * 86400e3).toISOString()), "too_old"],
      ["garbage.session", "{{{", "invalid"],
      ["unreadable.session", undefined, "invalid"],
    ];
    for (const [i, [name, text, reason]] of files.entries()) {
      store.put(name, text, { mtimeMs: 900_000 + i });
      // The fixture is stale for the reason it is named after.
      expect(staleReason(text === undefined ? undefined : parseSessionFile(text), ctx(processes))).toBe(reason as never);
    }
    return new Map(files.map(([name, , reason]) => [name, reason]));
  }

  const anchor = () => new FakeProcesses([{ pid: 500, ppid: 1, argv: ["claude"], startTime: 50000n }]);

  test("a reuse with 1,000 files in the directory reads exactly one file and removes none", () => {
    const store = new MemoryStore();
    const processes = anchor();
    liveFiles(store, processes, 1000);
    staleFiles(store, processes);
    store.put(NAME, railwayFile(500, 50000n, "mine", fresh));
    const before = [...store.files.keys()].sort();
    expect(store.reads).toEqual([]);

    const out = sessionFor(store, request(), ctx(processes));
    expect(out).toEqual({ ok: true, id: "mine", how: "reused", file: `/sessions/${NAME}` });
    expect(store.reads).toEqual([NAME]);
    expect(store.removals).toEqual([]);
    // Stale files and the 1,000 over the cap are all still there: nothing swept.
    expect([...store.files.keys()].sort()).toEqual(before);
    expect(before).toHaveLength(1007);
  });

  test("the same through resolve(): the second call of an agent reads its own file only", () => {
    const store = new MemoryStore();
    const processes = agentChain(["claude"]);
    const first = sessionFor(store, request("first"), ctx(processes, {}));
    expect(first).toMatchObject({ how: "created" });
    liveFiles(store, processes, 1000);
    store.reads.length = 0;
    // agentChain's anchor is pid 500 started at 50000: the same identity as above.
    const r = resolve(fakeWorld({ processes, store }));
    expect(r.session).toMatchObject({ id: "first", source: { kind: "store", how: "reused" } });
    expect(store.reads).toEqual([NAME]);
    expect(store.removals).toEqual([]);
    expect(store.files.size).toBe(1001);
  });

  test("a create sweeps every stale file first: anchor gone, start time mismatch, boot mismatch, too old, invalid", () => {
    const store = new MemoryStore();
    const processes = anchor();
    const live = liveFiles(store, processes, 10);
    const stale = staleFiles(store, processes);
    store.clock = 1_000_000; // the new file is the newest

    expect(sessionFor(store, request(), ctx(processes))).toMatchObject({ ok: true, id: "new", how: "created" });
    expect([...store.removals].sort()).toEqual([...stale.keys()].sort());
    expect([...store.files.keys()].sort()).toEqual([...live.keys(), NAME].sort());
    expect(parseSessionFile(store.files.get(NAME)!.text!)).toMatchObject({ agent_session_id: "new", parent_pid: 500, parent_btime: 50000n });
  });

  test("a create applies the cap: at most 100 remain, the oldest by mtime evicted, the new file kept", () => {
    const store = new MemoryStore();
    const processes = anchor();
    const live = liveFiles(store, processes, 1000);
    staleFiles(store, processes);
    store.clock = 1_000_000;

    expect(sessionFor(store, request(), ctx(processes))).toMatchObject({ ok: true, id: "new", how: "created" });
    const newest99 = [...live].filter(([, mtime]) => mtime >= 1000 - (MAX_FILES - 1)).map(([name]) => name);
    expect(newest99).toHaveLength(MAX_FILES - 1);
    expect([...store.files.keys()].sort()).toEqual([...newest99, NAME].sort());
    expect(store.files.size).toBe(MAX_FILES);
  });

  test("below the cap a create evicts nothing", () => {
    const store = new MemoryStore();
    const processes = anchor();
    const live = liveFiles(store, processes, MAX_FILES - 1);
    store.clock = 1_000_000;
    expect(sessionFor(store, request(), ctx(processes))).toMatchObject({ how: "created" });
    expect(store.removals).toEqual([]);
    expect([...store.files.keys()].sort()).toEqual([...live.keys(), NAME].sort());
  });

  test("the anchor's own stale file is replaced on create", () => {
    const own: [string | undefined, string][] = [
      [railwayFile(500, 50000n, "old", new Date(NOW - 8 * 86400e3).toISOString()), "too_old"],
      [`{"agent_session_id":"ob","parent_pid":500,"parent_btime":50000,"created_at":"${fresh}","boot_id":"boot-0"}`, "boot_mismatch"],
      [railwayFile(500, 49999n, "restarted", fresh), "start_time_mismatch"],
      [railwayFile(31337, 1n, "gone", fresh), "anchor_gone"],
      ["{{{", "invalid"],
      [undefined, "invalid"],
    ];
    for (const [text, reason] of own) {
      const store = new MemoryStore();
      const processes = anchor();
      const live = liveFiles(store, processes, 5);
      store.put(NAME, text);
      expect(staleReason(text === undefined ? undefined : parseSessionFile(text), ctx(processes))).toBe(reason as never);
      expect(sessionFor(store, request(), ctx(processes))).toMatchObject({ ok: true, id: "new", how: "created" });
      expect(store.removals).toEqual([NAME]);
      expect(parseSessionFile(store.files.get(NAME)!.text!)).toMatchObject({ agent_session_id: "new" });
      expect([...store.files.keys()].sort()).toEqual([...live.keys(), NAME].sort());
    }
  });

  test("`stitch sessions prune` still sweeps: stale files deleted, the cap applied", () => {
    const store = new MemoryStore();
    // The world's ppid (999) must be in the table, or prune refuses to judge liveness.
    const processes = agentChain(["claude"]);
    const live = liveFiles(store, processes, 150);
    const stale = staleFiles(store, processes);
    const w = fakeWorld({ env: { HOME: "/h" }, processes, store });
    const result = sessionsCommand(w, "prune", true);
    expect(result.status).toBe(0);
    const json = JSON.parse(result.stdout) as { removed: { file: string; reason: string }[]; kept: number };
    const oldest50 = [...live].filter(([, mtime]) => mtime < 50).map(([name]) => name);
    expect(json.removed.filter((r) => r.reason !== "over_cap").map((r) => [r.file, r.reason]).sort()).toEqual([...stale].sort());
    expect(json.removed.filter((r) => r.reason === "over_cap").map((r) => r.file).sort()).toEqual(oldest50.sort());
    expect(json.kept).toBe(MAX_FILES);
    expect([...store.files.keys()].sort()).toEqual([...live.keys()].filter((n) => !oldest50.includes(n)).sort());
  });
});

// design §6.2, §6.4: one directory shared by many pid namespaces (containers mounting one
// ~/.railway) and hosts (one NFS home). A file records its anchor's place; only files from
// here are judged alive or dead, others go by age; a name held elsewhere sends this anchor
// to its placed name.
describe("a store shared by many places (design §6.2, §6.4)", () => {
  const fresh = new Date(NOW).toISOString();
  const CONTAINER_A = "pid:[4026532175]";
  const CONTAINER_B = "pid:[4026532180]";
  /** A file as stitch writes it, from the given place. */
  const placed = (pid: number, btime: bigint, id: string, place: { boot?: string; ns?: string; host?: string }, created = fresh) =>
    JSON.stringify({
      agent_session_id: id,
      parent_pid: pid,
      parent_btime: Number(btime),
      created_at: created,
      v: 1,
      clock: "proc",
      argv0: "claude",
      caller: "claude_code",
      ...(place.boot === undefined ? {} : { boot_id: place.boot }),
      ...(place.ns === undefined ? {} : { pid_ns: place.ns }),
      ...(place.host === undefined ? {} : { host: place.host }),
    });
  /** stitch in a container: pid namespace B, the host's boot. */
  const inContainer = (processes: FakeProcesses, over: Partial<LifecycleContext> = {}) => ctx(processes, { place: fakePlace(CONTAINER_B, "container-b"), ...over });
  const request = (mint: string) => ({ identity, caller: "claude_code", mint: () => mint });
  // In every namespace the agent is pid 500 started at tick 50000: one Railway name.
  const anchor = () => new FakeProcesses([{ pid: 500, ppid: 1, argv: ["claude"], startTime: 50000n }]);

  test("another namespace's files are never judged dead here: anchor not seen, or its pid another process's; only age removes them", () => {
    const store = new MemoryStore();
    const processes = anchor().add({ pid: 7, ppid: 1, argv: ["bash"], startTime: 9n });
    store.put("gone-there.session", placed(31337, 1n, "a1", { boot: "boot-1", ns: CONTAINER_A, host: "container-a" }));
    store.put("pid-reused-there.session", placed(7, 12n, "a2", { boot: "boot-1", ns: CONTAINER_A, host: "container-a" }));
    store.put("old-there.session", placed(31337, 1n, "a3", { boot: "boot-1", ns: CONTAINER_A }, new Date(NOW - 8 * 86400e3).toISOString()));
    store.put("gone-here.session", placed(31337, 1n, "b1", { boot: "boot-1", ns: CONTAINER_B }));
    const { kept, removed } = sweep(store, inContainer(processes));
    expect(kept.map((k) => k.file.name).sort()).toEqual(["gone-there.session", "pid-reused-there.session"]);
    expect(removed.map((r) => [r.name, r.reason]).sort()).toEqual([
      ["gone-here.session", "anchor_gone"],
      ["old-there.session", "too_old"],
    ]);
  });

  test("the cap still evicts files from elsewhere, oldest first", () => {
    const store = new MemoryStore();
    for (let i = 0; i < MAX_FILES + 3; i++) store.put(`f${i}.session`, placed(31337, 1n, `id${i}`, { boot: "boot-1", ns: CONTAINER_A }), { mtimeMs: 10 + i });
    const { kept, removed } = sweep(store, inContainer(anchor()));
    expect(kept).toHaveLength(MAX_FILES);
    expect(removed.map((r) => [r.name, r.reason])).toEqual([["f0.session", "over_cap"], ["f1.session", "over_cap"], ["f2.session", "over_cap"]]);
  });

  test("another host's file (another boot id and host name) survives a sweep; this host's earlier boot is stale", () => {
    const store = new MemoryStore();
    const processes = anchor();
    // Live-looking: its pid and start time are those of a process here.
    store.put("other-host.session", placed(500, 50000n, "h", { boot: "boot-of-b", ns: "pid:[4026531836]", host: "host-2" }));
    store.put("earlier-boot.session", placed(500, 50000n, "e", { boot: "boot-0", ns: "pid:[4026531836]", host: "host-1" }));
    store.put("earlier-boot-no-host.session", placed(500, 50000n, "n", { boot: "boot-0" }));
    const { kept, removed } = sweep(store, ctx(processes));
    expect(kept.map((k) => k.file.name)).toEqual(["other-host.session"]);
    expect(removed.map((r) => [r.name, r.reason]).sort()).toEqual([
      ["earlier-boot-no-host.session", "boot_mismatch"],
      ["earlier-boot.session", "boot_mismatch"],
    ]);
  });

  test("without boot ids (macOS), the host name tells: another host's file at the anchor's name is kept and not reused", () => {
    const store = new MemoryStore();
    const processes = anchor();
    processes.bootIdValue = undefined;
    const mac = (host: string) => ctx(processes, { bootId: undefined, place: fakePlace(undefined, host), nativeClock: "ps" });
    store.put(NAME, placed(500, 50000n, "mac-2", { host: "mac-2" }));
    const first = sessionFor(store, request("mine"), mac("mac-1"));
    expect(first).toMatchObject({ ok: true, id: "mine", how: "created" });
    expect(store.read(NAME)?.text).toContain("mac-2");
    expect(sessionFor(store, request("again"), mac("mac-1"))).toMatchObject({ id: "mine", how: "reused" });
    // On mac-2 itself its own file is reused.
    expect(sessionFor(store, request("x"), mac("mac-2"))).toMatchObject({ id: "mac-2", how: "reused", file: `/sessions/${NAME}` });
  });

  test("colliding anchors in two namespaces: two files, two ids, each stable; neither file touched by the other", () => {
    const store = new MemoryStore();
    const inA = ctx(anchor(), { place: fakePlace(CONTAINER_A, "container-a") });
    const a1 = sessionFor(store, request("id-a"), inA);
    expect(a1).toMatchObject({ ok: true, id: "id-a", how: "created", file: `/sessions/${NAME}` });
    const b1 = sessionFor(store, request("id-b"), inContainer(anchor()));
    expect(b1).toMatchObject({ ok: true, id: "id-b", how: "created" });
    if (!b1.ok) throw new Error("unreachable");
    const placedName = b1.file.slice("/sessions/".length);
    expect(placedName).toMatch(new RegExp(`^${NAME.slice(0, 16)}-[0-9a-f]{8}\\.session$`));
    expect(parseSessionFile(store.files.get(placedName)!.text!)).toMatchObject({ agent_session_id: "id-b", pid_ns: CONTAINER_B, boot_id: "boot-1", host: "container-b" });
    // Second calls: each its own id, nothing removed.
    expect(sessionFor(store, request("x"), inA)).toMatchObject({ id: "id-a", how: "reused" });
    expect(sessionFor(store, request("y"), inContainer(anchor()))).toMatchObject({ id: "id-b", how: "reused", file: `/sessions/${placedName}` });
    expect(store.removals).toEqual([]);
  });

  test("a conversation moved to its placed name keeps its id once the other place's file is gone", () => {
    const store = new MemoryStore();
    sessionFor(store, request("id-a"), ctx(anchor(), { place: fakePlace(CONTAINER_A, "container-a") }));
    const b1 = sessionFor(store, request("id-b"), inContainer(anchor()));
    store.files.delete(NAME); // container A's agent ended and its own sweep removed its file
    const b2 = sessionFor(store, request("new"), inContainer(anchor()));
    expect(b2).toEqual(b1.ok ? { ...b1, how: "reused" } : b1);
  });

  test("losing the first-call race to another namespace's colliding anchor: this one goes to its placed name", () => {
    const store = new MemoryStore();
    store.beforeCreate = (name) => {
      store.beforeCreate = undefined;
      store.put(name, placed(500, 50000n, "id-a", { boot: "boot-1", ns: CONTAINER_A, host: "container-a" }));
    };
    const out = sessionFor(store, request("id-b"), inContainer(anchor()));
    expect(out).toMatchObject({ ok: true, id: "id-b", how: "created" });
    expect(store.read(NAME)?.text).toContain("id-a");
    expect(sessionFor(store, request("x"), inContainer(anchor()))).toMatchObject({ id: "id-b", how: "reused" });
  });

  test("a file without pid_ns (Railway's CLI) is the initial namespace's: judged there as before; from a container, kept while its anchor cannot be seen, and shared while it can", () => {
    const host = new MemoryStore();
    host.put("dead.session", railwayFile(31337, 1n, "dead", fresh));
    host.put(NAME, railwayFile(500, 50000n, "railway-id", fresh));
    expect(sessionFor(host, request("new"), ctx(anchor()))).toMatchObject({ id: "railway-id", how: "reused" });
    expect(sweep(host, ctx(anchor())).removed).toEqual([{ name: "dead.session", reason: "anchor_gone" }]);

    const store = new MemoryStore();
    store.put("dead.session", railwayFile(31337, 1n, "dead", fresh));
    store.put("restarted.session", railwayFile(500, 49999n, "restarted", fresh));
    // An unshimmed railway in this container wrote the anchor's file: stitch shares its id.
    store.put(NAME, railwayFile(500, 50000n, "railway-id", fresh));
    expect(sessionFor(store, request("new"), inContainer(anchor()))).toMatchObject({ id: "railway-id", how: "reused" });
    const { removed } = sweep(store, inContainer(anchor()));
    expect(removed).toEqual([]);
    expect(store.files.size).toBe(3);
  });

  test("the reuse path reads the pid namespace and never the host name", () => {
    const store = new MemoryStore();
    const place = fakePlace(CONTAINER_B, "container-b");
    sessionFor(store, request("mine"), ctx(anchor(), { place }));
    place.asked.length = 0;
    store.reads.length = 0;
    expect(sessionFor(store, request("x"), ctx(anchor(), { place }))).toMatchObject({ id: "mine", how: "reused" });
    expect(place.asked).toEqual(["pidNamespace"]);
    expect(store.reads).toEqual([NAME]);
  });

  test("`stitch sessions list` shows another place's file as elsewhere", () => {
    const store = new MemoryStore();
    store.put("there.session", placed(31337, 1n, "a", { boot: "boot-1", ns: CONTAINER_A }));
    const w = fakeWorld({ env: { HOME: "/h" }, processes: agentChain(["claude"]), store, place: fakePlace(CONTAINER_B) });
    const json = JSON.parse(sessionsCommand(w, "list", true).stdout) as { sessions: { file: string; status: string }[] };
    expect(json.sessions).toEqual([expect.objectContaining({ file: "there.session", status: "elsewhere" })]);
  });
});
