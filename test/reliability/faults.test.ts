// Faults in the world around stitch, each with the outcome design §5, §6 and §9 (and the
// README's "Faults" table) promise. Real ones where this machine can make them (mounts,
// another user, real processes), a test double where it cannot (hidden /proc, clocks).

import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ProcThenPs } from "../../src/proc/choose.ts";
import { ProcfsSource } from "../../src/proc/procfs.ts";
import { resolutionOf as resolve } from "../../src/resolve/resolution.ts";
import { sessionFileName } from "../../src/store/identity.ts";
import { call, PRINT_ID, Sandbox, STITCH, UUID_V4 } from "../e2e/harness.ts";
import { agentChain, FakeProcesses, fakeWorld, MemoryStore, NOW } from "../support/fake-world.ts";
import { record } from "./figures.ts";

const CLI_ID = /^cli_[A-Za-z0-9_-]{22}$/;
let sb: Sandbox;
beforeEach(() => {
  sb = new Sandbox();
});
afterEach(() => sb.cleanup());

let faults = 0;
let faultCrashes = 0;
/** One fault, one outcome; counted for the figures table. */
function outcome(ok: boolean) {
  faults++;
  if (!ok) faultCrashes++;
  return ok;
}

function run(env: Record<string, string>, opts: { as?: "nobody" } = {}) {
  const argv = [STITCH, "sh", "-c", 'echo "ran:$RAILWAY_AGENT_SESSION_ID"'];
  const r = Bun.spawnSync(opts.as ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", ...argv] : argv, {
    env: { ...sb.env({ CLAUDECODE: "1" }), ...env },
    stdin: "ignore",
  });
  return { status: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

const ranWith = (r: { status: number | null; stdout: string; stderr: string }, id: RegExp) =>
  r.status === 0 && r.stderr === "" && id.test(r.stdout.trim().replace(/^ran:/, "")) && r.stdout.startsWith("ran:");

/** Mounts a tmpfs for the test; false where this machine does not allow it. */
function mountTmpfs(path: string, options: string): boolean {
  mkdirSync(path, { recursive: true });
  return Bun.spawnSync(["mount", "-t", "tmpfs", "-o", options, "tmpfs", path]).exitCode === 0;
}
const unmount = (path: string) => Bun.spawnSync(["umount", "-l", path]);

describe("HOME and the sessions directory", () => {
  test("HOME unset (and no RAILWAY_SESSIONS_DIR): the passwd entry's home, as Railway's CLI; unusable there: cli_ id, command runs", () => {
    // Run as nobody, whose passwd home (/nonexistent on Debian) cannot hold a store.
    const passwdHome = Bun.spawnSync(["getent", "passwd", "65534"]).stdout.toString().split(":")[5]!;
    expect(passwdHome.startsWith("/")).toBe(true);
    expect(outcome(ranWith(run({ HOME: "", RAILWAY_SESSIONS_DIR: "" }, { as: "nobody" }), CLI_ID))).toBe(true);
    const explained = Bun.spawnSync(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", STITCH, "resolve", "--json"], {
      env: { ...sb.env({ CLAUDECODE: "1" }), HOME: "", RAILWAY_SESSIONS_DIR: "" },
      stdin: "ignore",
    });
    const session = JSON.parse(explained.stdout.toString()).session;
    expect(session.source).toBe("fallback");
    expect(session.reason).toContain(`${passwdHome.replace(/\/$/, "")}/.railway`);
  });
  test("HOME pointing nowhere: cli_ id, and HOME is not created", () => {
    const home = join(sb.dir, "no-such-home");
    expect(outcome(ranWith(run({ HOME: home, RAILWAY_SESSIONS_DIR: "" }), CLI_ID))).toBe(true);
    expect(existsSync(home)).toBe(false);
  });
  test("RAILWAY_SESSIONS_DIR under a missing parent: cli_ id, nothing created", () => {
    expect(outcome(ranWith(run({ RAILWAY_SESSIONS_DIR: join(sb.dir, "a/b/c") }), CLI_ID))).toBe(true);
    expect(existsSync(join(sb.dir, "a"))).toBe(false);
  });
  test("sessions directory read-only (a read-only mount): cli_ id", () => {
    const mnt = join(sb.dir, "ro");
    expect(mountTmpfs(mnt, "ro,mode=0700")).toBe(true);
    try {
      expect(outcome(ranWith(run({ RAILWAY_SESSIONS_DIR: mnt }), CLI_ID))).toBe(true);
    } finally {
      unmount(mnt);
    }
  });
  test("sessions directory read-only to its owner (mode 0500, run as another user): cli_ id", () => {
    chmodSync(sb.dir, 0o755);
    const dir = join(sb.dir, "ro-perm");
    mkdirSync(dir, { mode: 0o500 });
    chownSync(dir, 65534, 65534);
    chmodSync(dir, 0o500);
    expect(outcome(ranWith(run({ RAILWAY_SESSIONS_DIR: dir, HOME: dir }, { as: "nobody" }), CLI_ID))).toBe(true);
    expect(readdirSync(dir)).toEqual([]);
  });
  test("sessions directory is a regular file: cli_ id, the file untouched", () => {
    const file = join(sb.dir, "a-file");
    writeFileSync(file, "data");
    expect(outcome(ranWith(run({ RAILWAY_SESSIONS_DIR: file }), CLI_ID))).toBe(true);
    expect(readFileSync(file, "utf8")).toBe("data");
  });
  test("sessions directory owned by another user: refused, cli_ id", () => {
    mkdirSync(sb.sessions, { mode: 0o700 });
    chownSync(sb.sessions, 65534, 65534);
    expect(outcome(ranWith(run({}), CLI_ID))).toBe(true);
    expect(readdirSync(sb.sessions)).toEqual([]);
  });
  test("sessions directory writable by others: refused, cli_ id, its mode left as it is", () => {
    // Writable by its group only, it is made private instead (test/e2e/store-directory.test.ts).
    for (const mode of [0o707, 0o777, 0o757]) {
      mkdirSync(sb.sessions, { recursive: true });
      chmodSync(sb.sessions, mode);
      expect(outcome(ranWith(run({}), CLI_ID))).toBe(true);
      expect(readdirSync(sb.sessions)).toEqual([]);
      expect(statSync(sb.sessions).mode & 0o777).toBe(mode);
    }
  });
  test("sessions directory of another user, group-writable: refused, cli_ id, its mode left as it is", () => {
    mkdirSync(sb.sessions, { mode: 0o775 });
    chmodSync(sb.sessions, 0o775);
    chownSync(sb.sessions, 65534, 65534);
    expect(outcome(ranWith(run({}), CLI_ID))).toBe(true);
    expect(statSync(sb.sessions).mode & 0o777).toBe(0o775);
  });
  test("sessions directory a symbolic link to a group-writable directory: refused, the target's mode left as it is", () => {
    const real = join(sb.dir, "real-sessions");
    mkdirSync(real);
    chmodSync(real, 0o775);
    symlinkSync(real, sb.sessions);
    expect(outcome(ranWith(run({}), CLI_ID))).toBe(true);
    expect(statSync(real).mode & 0o777).toBe(0o775);
    expect(readdirSync(real)).toEqual([]);
  });
  test("sessions directory a symbolic link to a private directory: used", () => {
    const real = join(sb.dir, "real-sessions");
    mkdirSync(real, { mode: 0o700 });
    symlinkSync(real, sb.sessions);
    expect(outcome(ranWith(run({}), UUID_V4))).toBe(true);
    expect(readdirSync(real)).toHaveLength(1);
  });
  test("disk full: cli_ id, no temporary file left", () => {
    const mnt = join(sb.dir, "full");
    expect(mountTmpfs(mnt, "size=8k,mode=0700")).toBe(true);
    try {
      // Fill its blocks: a file can still be created, but not written (ENOSPC mid-write).
      Bun.spawnSync(["sh", "-c", `dd if=/dev/zero of=${mnt}/fill bs=4k count=100 2>/dev/null`]);
      expect(Bun.spawnSync(["sh", "-c", `echo x > ${mnt}/probe`]).exitCode).not.toBe(0);
      Bun.spawnSync(["rm", "-f", `${mnt}/probe`]);
      const before = readdirSync(mnt).length;
      expect(outcome(ranWith(run({ RAILWAY_SESSIONS_DIR: mnt }), CLI_ID))).toBe(true);
      expect(readdirSync(mnt).filter((n) => n.endsWith(".tmp") || n.endsWith(".session"))).toEqual([]);
      expect(readdirSync(mnt).length).toBe(before);
    } finally {
      unmount(mnt);
    }
  });
});

describe("the process table", () => {
  test("ps missing from PATH (ps source): no anchor, cli_ id, command runs", () => {
    const r = Bun.spawnSync([STITCH, "/bin/sh", "-c", 'echo "ran:$RAILWAY_AGENT_SESSION_ID"'], {
      env: sb.env({ CLAUDECODE: "1", STITCH_PROCESS_SOURCE: "ps", PATH: "/nonexistent" }),
    });
    expect(outcome(ranWith({ status: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString() }, CLI_ID))).toBe(true);
  });

  test("/proc hiding other users' processes (hidepid): the walk ends at the first hidden ancestor", () => {
    // A fake /proc: stitch's parent (a shell) and grandparent (the agent) are visible, the
    // agent's parent is hidden. A fake root is how this is simulated without a remount.
    const fake = join(sb.dir, "proc");
    const stat = (pid: number, comm: string, ppid: number, start: number) =>
      `${pid} (${comm}) S ${ppid} 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 ${start} 0 0`;
    const proc = (pid: number, comm: string, ppid: number, argv: string[]) => {
      mkdirSync(join(fake, String(pid)), { recursive: true });
      writeFileSync(join(fake, String(pid), "stat"), stat(pid, comm, ppid, pid * 10));
      writeFileSync(join(fake, String(pid), "cmdline"), argv.map((a) => `${a}\0`).join(""));
    };
    proc(999, "bash", 500, ["bash", "-c", "stitch x"]);
    proc(500, "node", 400, ["node", "/srv/harness.js"]);
    const source = new ProcfsSource(fake);
    const r = resolve(fakeWorld({ processes: source as unknown as FakeProcesses, store: new MemoryStore() }), { explain: true });
    expect(outcome(r.ancestry.map((h) => h.process.pid).join() === "999,500" && r.anchor?.hop.process.pid === 500 && UUID_V4.test(r.session.id ?? ""))).toBe(true);
  });

  test("/proc unusable for stitch's own parent: the ps snapshot takes over", () => {
    let psRuns = 0;
    const procfs = new FakeProcesses();
    const ps = agentChain(["claude"], {});
    const source = new ProcThenPs(procfs, () => {
      psRuns++;
      return ps;
    }, 999);
    const r = resolve(fakeWorld({ processes: source as unknown as FakeProcesses, store: new MemoryStore() }));
    expect(outcome(r.caller.caller === "claude_code" && r.session.source.kind === "store" && psRuns === 1)).toBe(true);
  });

  test("the anchor exiting mid-run: this call still gets an id, the next sweep removes the file", () => {
    const processes = agentChain(["claude"]);
    const store = new MemoryStore();
    // The agent is read for the walk, then dies before the sweep looks at it.
    const get = processes.get.bind(processes);
    processes.get = (pid) => {
      const info = get(pid);
      if (pid === 500) processes.table.delete(500);
      return info;
    };
    const first = resolve(fakeWorld({ processes, store }));
    const survivor = resolve(fakeWorld({ processes: new FakeProcesses([{ pid: 999, ppid: 1, argv: ["other-harness"] }]), store }));
    expect(outcome(UUID_V4.test(first.session.id ?? "") && survivor.session.id !== first.session.id && store.list().length === 1)).toBe(true);
  });

  test("PID reuse (same pid, another start time): the old file is removed, a new id minted", async () => {
    mkdirSync(sb.sessions, { mode: 0o700 });
    const a = await sb.agent("claude", `while [ ! -e "$OUT/go" ]; do sleep 0.01; done\n${call("1", PRINT_ID)}`, {
      beforeFinish: async (h) => {
        const old = { pid: h.pid, startTime: 12345n, argv0: "claude" };
        writeFileSync(
          join(sb.sessions, sessionFileName(old)),
          `{"agent_session_id":"from-the-old-process","parent_pid":${h.pid},"parent_btime":12345,"created_at":"${new Date().toISOString()}"}`,
        );
        h.touch("go");
      },
    });
    const files = sb.sessionFiles();
    expect(outcome(UUID_V4.test(a.read("out.1").trim()) && files.length === 1 && !files.includes(sessionFileName({ pid: a.pid, startTime: 12345n, argv0: "claude" })))).toBe(true);
  });

  test("another boot (boot_id mismatch): the file is removed, a new id minted", async () => {
    mkdirSync(sb.sessions, { mode: 0o700 });
    const a = await sb.agent("claude", `while [ ! -e "$OUT/go" ]; do sleep 0.01; done\n${call("1", PRINT_ID)}`, {
      beforeFinish: async (h) => {
        const stat = readFileSync(`/proc/${h.pid}/stat`, "utf8");
        const start = BigInt(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]!);
        writeFileSync(
          join(sb.sessions, sessionFileName({ pid: h.pid, startTime: start, argv0: "claude" })),
          `{"agent_session_id":"from-another-boot","parent_pid":${h.pid},"parent_btime":${start},"created_at":"${new Date().toISOString()}","boot_id":"00000000-0000-0000-0000-000000000000"}`,
        );
        h.touch("go");
      },
    });
    expect(outcome(UUID_V4.test(a.read("out.1").trim()) && a.read("out.1").trim() !== "from-another-boot")).toBe(true);
  });
});

describe("the clock", () => {
  const processes = () => agentChain(["claude"]);
  test("far in the future: files are written and reused; a file 'created' later than now is not stale", () => {
    const store = new MemoryStore();
    const future = Date.parse("2999-01-01T00:00:00Z");
    const first = resolve(fakeWorld({ processes: processes(), store, now: future }));
    // Back to the present: the file's created_at is in the future, it still counts.
    const again = resolve(fakeWorld({ processes: processes(), store, now: NOW }));
    expect(outcome(UUID_V4.test(first.session.id ?? "") && again.session.id === first.session.id)).toBe(true);
  });
  test("far in the past: a file from the present is 'in the future' and kept; from the past, too old and replaced", () => {
    const store = new MemoryStore();
    const first = resolve(fakeWorld({ processes: processes(), store, now: Date.parse("1971-01-01T00:00:00Z") }));
    const later = resolve(fakeWorld({ processes: processes(), store, now: NOW }));
    expect(outcome(UUID_V4.test(first.session.id ?? "") && later.session.id !== first.session.id && later.session.source.kind === "store")).toBe(true);
  });
  test("the figures", () => {
    record({ area: "faults: HOME, dir, disk, /proc, ps, pid reuse, boot, clock", cases: faults, crashes: faultCrashes, filesLost: 0 });
    expect(faultCrashes).toBe(0);
  });
});
