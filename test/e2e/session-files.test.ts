// design §6 on the compiled binary: "The reuse path opens only the anchor's own file, so its
// cost does not grow with the number of files. The sweep runs when stitch creates a new
// session file (and in `stitch sessions prune`): stale files deleted, the directory capped
// at 100 session files, oldest by mtime evicted first."
//
// 1,000 valid session files of live anchors (idle `sleep`s), one stale file of every kind
// and a fake agent's own file; the agent's call runs under `strace`, which counts the
// session files stitch opens: exactly one. Then a second agent's first call creates its
// file, and that creation sweeps: the stale files go and the cap applies.

import { afterEach, beforeEach, expect, test } from "bun:test";
import { mkdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { call, linuxTest, PRINT_ID, railwayName, Sandbox, shq, startTicks, UUID_V4 } from "./harness.ts";

const LIVE = 1000;
const CAP = 100;
const STRACE = Bun.which("strace");

let sb: Sandbox;
let idle: { pids: number[]; stop: () => void } | undefined;
beforeEach(() => {
  sb = new Sandbox();
});
afterEach(() => {
  idle?.stop();
  idle = undefined;
  sb.cleanup();
});

const record = (id: string, pid: number, btime: bigint | number, created = new Date().toISOString(), extra = "") =>
  `{"agent_session_id":"${id}","parent_pid":${pid},"parent_btime":${btime},"created_at":"${created}"${extra}}`;

/** `n` idle processes in a process group of their own (killed whole at the end). */
async function spawnIdle(n: number): Promise<{ pids: number[]; stop: () => void }> {
  const pidFile = join(sb.dir, "idle-pids");
  const p = Bun.spawn(["sh", "-c", `i=0; while [ $i -lt ${n} ]; do sleep 3600 & echo $! >> ${shq(pidFile)}; i=$((i+1)); done; wait`], {
    stdio: ["ignore", "ignore", "ignore"],
    detached: true,
  });
  const stop = () => {
    if (p.pid > 1) {
      try {
        process.kill(-p.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    let pids: number[] = [];
    try {
      pids = readFileSync(pidFile, "utf8").trim().split("\n").map(Number);
    } catch {
      // Not written yet.
    }
    if (pids.length >= n) return { pids: pids.slice(0, n), stop };
    if (Date.now() > deadline) {
      stop();
      throw new Error(`only ${pids.length} of ${n} idle processes started`);
    }
    await Bun.sleep(20);
  }
}

/** Every path opened (one entry per open), from an `strace -f -e trace=openat,open` log. */
function openedPaths(trace: string): string[] {
  const paths: string[] = [];
  for (const line of trace.split("\n")) {
    // `pid openat(AT_FDCWD, "path", ...) = fd`, or `... <unfinished ...>` (the path is in this
    // half; the `<... openat resumed>` half names none).
    const m = /\bopen(?:at)?\((?:[^,]*, )?"((?:[^"\\]|\\.)*)"/.exec(line);
    if (m) paths.push(m[1]!);
  }
  return paths;
}

linuxTest("reuse opens only the anchor's own file among 1,000; a new anchor's create sweeps and caps", async () => {
  if (!STRACE) {
    throw new Error("strace is not installed: this test counts the session files stitch opens with it (.ci/run installs it; apt-get install strace)");
  }
  mkdirSync(sb.sessions, { mode: 0o700 });
  const now = Math.floor(Date.now() / 1000);

  // 1,000 live sessions, their mtimes a permutation of 1,000 distinct seconds in the past
  // (379 is prime to 1,000): name order and age differ.
  idle = await spawnIdle(LIVE);
  const age = new Map<string, number>();
  for (const [i, pid] of idle.pids.entries()) {
    const btime = startTicks(pid);
    const name = railwayName(pid, btime, "sleep");
    const path = join(sb.sessions, name);
    writeFileSync(path, record(crypto.randomUUID(), pid, btime), { mode: 0o600 });
    const mtime = now - 100_000 + ((i * 379) % LIVE);
    utimesSync(path, mtime, mtime);
    age.set(name, mtime);
  }
  expect(age.size).toBe(LIVE);

  // One stale file of every kind, newer than every live one: the cap alone would keep them.
  const some = idle.pids[0]!;
  const deadPid = Number(readFileSync("/proc/sys/kernel/pid_max", "utf8")) + 1;
  const stale: Record<string, string> = {
    "00000000000000a1.session": record("gone", deadPid, 1), // anchor gone
    "00000000000000a2.session": record("restarted", some, startTicks(some) + 1n), // start time mismatch
    "00000000000000a3.session": record("other-boot", some, startTicks(some), undefined, ',"boot_id":"not-this-boot"'), // boot mismatch
    "00000000000000a4.session": record("old", some, startTicks(some), new Date(Date.now() - 8 * 86400e3).toISOString()), // too old
    "00000000000000a5.session": "{not json", // invalid
  };
  for (const [k, [name, text]] of Object.entries(stale).entries()) {
    writeFileSync(join(sb.sessions, name), text, { mode: 0o600 });
    utimesSync(join(sb.sessions, name), now - 50 + k, now - 50 + k);
  }

  // The agent: its own file is planted once it runs; it calls stitch under strace, then
  // stays alive (a live conversation) until released.
  const ownId = "3b241101-e2bb-4255-8caf-4136c566a962";
  let ownName = "";
  const traced = `${shq(STRACE)} -f -s 4096 -e trace=openat,open -o "$OUT/trace" ${PRINT_ID}`;
  const a = await sb.start("claude", [`while [ ! -e "$OUT/go" ]; do sleep 0.01; done`, call("1", traced), `touch "$OUT/called"`, `while [ ! -e "$OUT/release" ]; do sleep 0.01; done`].join("\n"));
  try {
    const btime = startTicks(a.pid);
    ownName = railwayName(a.pid, btime, "claude");
    writeFileSync(join(sb.sessions, ownName), record(ownId, a.pid, btime), { mode: 0o600 });
    utimesSync(join(sb.sessions, ownName), now - 10, now - 10); // the newest file
    const before = sb.sessionFiles();
    expect(before).toHaveLength(LIVE + 1 + Object.keys(stale).length);
    a.touch("go");
    await a.waitFor("called");

    expect({ rc: a.read("rc.1").trim(), err: a.read("err.1") }).toEqual({ rc: "0", err: "" });
    expect(a.read("out.1").trim()).toBe(ownId);
    const opened = openedPaths(a.read("trace"));
    // The trace did see stitch at work (it reads its ancestors' /proc entries).
    expect(opened.some((p) => p.startsWith("/proc/"))).toBe(true);
    const sessionOpens = opened.filter((p) => p.endsWith(".session"));
    expect(sessionOpens).toEqual([join(sb.sessions, ownName)]);
    // Nor is the directory listed.
    expect(opened.filter((p) => p.replace(/\/+$/, "") === sb.sessions)).toEqual([]);
    // Nothing swept: the 1,000, the stale ones and the agent's own are all still there.
    expect(sb.sessionFiles()).toEqual(before);

    // A second agent's first call creates its file: the sweep runs before it.
    const b = await sb.agent("claude", call("1", PRINT_ID));
    const bId = b.read("out.1").trim();
    expect(bId).toMatch(UUID_V4);
    expect(bId).not.toBe(ownId);
    const after = sb.sessionFiles();
    const bName = after.find((name) => sb.readSession(name).agent_session_id === bId);
    expect(bName).toBeDefined();
    expect(sb.readSession(bName!)).toMatchObject({ parent_pid: b.pid });
    // Stale files deleted.
    for (const name of Object.keys(stale)) expect(after).not.toContain(name);
    // The cap: at most 100, the oldest by mtime evicted. 1,001 live files capped to the
    // 100 newest (the first agent's and the 99 newest of the 1,000), then the new file
    // lands and the oldest of those goes: the first agent's, the 98 newest, the new one.
    expect(after.length).toBeLessThanOrEqual(CAP);
    const newest98 = [...age].sort((x, y) => y[1] - x[1]).slice(0, CAP - 2).map(([name]) => name);
    expect(after).toEqual([...newest98, ownName, bName!].sort());
  } finally {
    a.touch("go");
    a.touch("release");
    await a.finished();
  }
}, 30_000);
