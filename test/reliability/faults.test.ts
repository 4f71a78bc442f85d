// Faults in the world around stitch, each with the outcome design §5, §6 and §9 (and the
// README's "Faults" table) promise. Real ones where this machine can make them (mounts,
// another user, real processes), a test double where it cannot (hidden /proc, clocks).

import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
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
/**
 * One fault, one outcome, counted for the figures table: `checks` asserts each part of the
 * outcome on its own, with a message naming it, so a failure says which part failed.
 */
function outcome(checks: () => void) {
  faults++;
  try {
    checks();
  } catch (e) {
    faultCrashes++;
    throw e;
  }
}

// What needs root here: chown to another user, setpriv to run as one, mount a tmpfs. Without
// it those cases skip, with the reason in their names, instead of failing.
const ROOT = process.getuid?.() === 0;
const AS_NOBODY = ROOT && Bun.which("setpriv") !== null ? "" : ": skipped, needs root and setpriv to run stitch as another user";
const CHOWN = ROOT ? "" : ": skipped, needs root to give a directory to another user";
/** Whether a tmpfs can be mounted here (root with CAP_SYS_ADMIN, outside a locked-down container). */
function canMount(): boolean {
  if (!ROOT) return false;
  const probe = mkdtempSync(join(tmpdir(), "stitch-mount-probe-"));
  try {
    const ok = Bun.spawnSync(["mount", "-t", "tmpfs", "-o", "size=4k", "tmpfs", probe], { stdio: ["ignore", "ignore", "ignore"] }).exitCode === 0;
    if (ok) unmount(probe);
    return ok;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

function run(env: Record<string, string>, opts: { as?: "nobody" } = {}) {
  const argv = [STITCH, "sh", "-c", 'echo "ran:$RAILWAY_AGENT_SESSION_ID"'];
  const r = Bun.spawnSync(opts.as ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", ...argv] : argv, {
    env: { ...sb.env({ CLAUDECODE: "1" }), ...env },
    stdin: "ignore",
  });
  return { status: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

/** The command ran (status 0, nothing on stderr) and got an id of the given form: each part asserted on its own. */
function expectRanWith(r: { status: number | null; stdout: string; stderr: string }, id: RegExp) {
  expect(r.stderr, "stitch printed nothing on stderr").toBe("");
  expect(r.status, "the command ran and its status passed through").toBe(0);
  expect(r.stdout, "the command ran and printed its line").toStartWith("ran:");
  expect(r.stdout.trim().replace(/^ran:/, ""), `the command's RAILWAY_AGENT_SESSION_ID is of the form ${id}`).toMatch(id);
}

/** Mounts a tmpfs for the test; false where this machine does not allow it. */
function mountTmpfs(path: string, options: string): boolean {
  mkdirSync(path, { recursive: true });
  return Bun.spawnSync(["mount", "-t", "tmpfs", "-o", options, "tmpfs", path]).exitCode === 0;
}
const unmount = (path: string) => Bun.spawnSync(["umount", "-l", path]);
const MOUNT = canMount() ? "" : ": skipped, cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN)";

describe("HOME and the sessions directory", () => {
  test.skipIf(AS_NOBODY !== "")(`HOME unset (and no RAILWAY_SESSIONS_DIR): the passwd entry's home, as Railway's CLI; unusable there: cli_ id, command runs${AS_NOBODY}`, () => {
    // Run as nobody, whose passwd home (/nonexistent on Debian) cannot hold a store.
    const passwdHome = Bun.spawnSync(["getent", "passwd", "65534"]).stdout.toString().split(":")[5]!;
    expect(passwdHome, "nobody's passwd entry names an absolute home").toStartWith("/");
    outcome(() => expectRanWith(run({ HOME: "", RAILWAY_SESSIONS_DIR: "" }, { as: "nobody" }), CLI_ID));
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
    outcome(() => expectRanWith(run({ HOME: home, RAILWAY_SESSIONS_DIR: "" }), CLI_ID));
    expect(existsSync(home)).toBe(false);
  });
  test("RAILWAY_SESSIONS_DIR under a missing parent: cli_ id, nothing created", () => {
    outcome(() => expectRanWith(run({ RAILWAY_SESSIONS_DIR: join(sb.dir, "a/b/c") }), CLI_ID));
    expect(existsSync(join(sb.dir, "a"))).toBe(false);
  });
  test.skipIf(MOUNT !== "")(`sessions directory read-only (a read-only mount): cli_ id${MOUNT}`, () => {
    const mnt = join(sb.dir, "ro");
    expect(mountTmpfs(mnt, "ro,mode=0700"), "a read-only tmpfs mounted").toBe(true);
    try {
      outcome(() => expectRanWith(run({ RAILWAY_SESSIONS_DIR: mnt }), CLI_ID));
    } finally {
      unmount(mnt);
    }
  });
  test.skipIf(AS_NOBODY !== "")(`sessions directory read-only to its owner (mode 0500, run as another user): cli_ id${AS_NOBODY}`, () => {
    chmodSync(sb.dir, 0o755);
    const dir = join(sb.dir, "ro-perm");
    mkdirSync(dir, { mode: 0o500 });
    chownSync(dir, 65534, 65534);
    chmodSync(dir, 0o500);
    outcome(() => expectRanWith(run({ RAILWAY_SESSIONS_DIR: dir, HOME: dir }, { as: "nobody" }), CLI_ID));
    expect(readdirSync(dir)).toEqual([]);
  });
  test("sessions directory is a regular file: cli_ id, the file untouched", () => {
    const file = join(sb.dir, "a-file");
    writeFileSync(file, "data");
    outcome(() => expectRanWith(run({ RAILWAY_SESSIONS_DIR: file }), CLI_ID));
    expect(readFileSync(file, "utf8")).toBe("data");
  });
  test.skipIf(CHOWN !== "")(`sessions directory owned by another user: refused, cli_ id${CHOWN}`, () => {
    mkdirSync(sb.sessions, { mode: 0o700 });
    chownSync(sb.sessions, 65534, 65534);
    outcome(() => expectRanWith(run({}), CLI_ID));
    expect(readdirSync(sb.sessions)).toEqual([]);
  });
  test("sessions directory writable by others: refused, cli_ id, its mode left as it is", () => {
    // Writable by its group only, it is made private instead (test/e2e/store-directory.test.ts).
    for (const mode of [0o707, 0o777, 0o757]) {
      mkdirSync(sb.sessions, { recursive: true });
      chmodSync(sb.sessions, mode);
      outcome(() => expectRanWith(run({}), CLI_ID));
      expect(readdirSync(sb.sessions)).toEqual([]);
      expect(statSync(sb.sessions).mode & 0o777).toBe(mode);
    }
  });
  test.skipIf(CHOWN !== "")(`sessions directory of another user, group-writable: refused, cli_ id, its mode left as it is${CHOWN}`, () => {
    mkdirSync(sb.sessions, { mode: 0o775 });
    chmodSync(sb.sessions, 0o775);
    chownSync(sb.sessions, 65534, 65534);
    outcome(() => expectRanWith(run({}), CLI_ID));
    expect(statSync(sb.sessions).mode & 0o777).toBe(0o775);
  });
  test("sessions directory a symbolic link to a group-writable directory: refused, the target's mode left as it is", () => {
    const real = join(sb.dir, "real-sessions");
    mkdirSync(real);
    chmodSync(real, 0o775);
    symlinkSync(real, sb.sessions);
    outcome(() => expectRanWith(run({}), CLI_ID));
    expect(statSync(real).mode & 0o777).toBe(0o775);
    expect(readdirSync(real)).toEqual([]);
  });
  test("sessions directory a symbolic link to a private directory: used", () => {
    const real = join(sb.dir, "real-sessions");
    mkdirSync(real, { mode: 0o700 });
    symlinkSync(real, sb.sessions);
    outcome(() => expectRanWith(run({}), UUID_V4));
    expect(readdirSync(real)).toHaveLength(1);
  });
  test.skipIf(MOUNT !== "")(`disk full: cli_ id, no temporary file left${MOUNT}`, () => {
    const mnt = join(sb.dir, "full");
    expect(mountTmpfs(mnt, "size=8k,mode=0700"), "a small tmpfs mounted").toBe(true);
    try {
      // Fill its blocks: a file can still be created, but not written (ENOSPC mid-write).
      Bun.spawnSync(["sh", "-c", `dd if=/dev/zero of=${mnt}/fill bs=4k count=100 2>/dev/null`]);
      expect(Bun.spawnSync(["sh", "-c", `echo x > ${mnt}/probe`]).exitCode).not.toBe(0);
      Bun.spawnSync(["rm", "-f", `${mnt}/probe`]);
      const before = readdirSync(mnt).length;
      outcome(() => expectRanWith(run({ RAILWAY_SESSIONS_DIR: mnt }), CLI_ID));
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
    outcome(() => expectRanWith({ status: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString() }, CLI_ID));
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
    outcome(() => {
      expect(r.ancestry.map((h) => h.process.pid), "the walk ends at the first hidden ancestor").toEqual([999, 500]);
      expect(r.anchor?.hop.process.pid, "the anchor is the last visible ancestor, the agent").toBe(500);
      expect(r.session.id ?? "", "the agent gets a persisted UUID v4").toMatch(UUID_V4);
    });
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
    outcome(() => {
      expect(r.caller.caller, "the agent is found through ps").toBe("claude_code");
      expect(r.session.source.kind, "the session comes from the store").toBe("store");
      expect(psRuns, "ps ran exactly once").toBe(1);
    });
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
    outcome(() => {
      expect(first.session.id ?? "", "the call whose anchor exits mid-run still gets a UUID v4").toMatch(UUID_V4);
      expect(survivor.session.id, "a later call under another anchor gets another id").not.toBe(first.session.id);
      expect(store.list().length, "the sweep removed the dead anchor's file: one file left").toBe(1);
    });
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
    outcome(() => {
      expect(a.read("out.1").trim(), "a new UUID v4 is minted").toMatch(UUID_V4);
      expect(files.length, "one session file left").toBe(1);
      expect(files, "the old process's file is removed").not.toContain(sessionFileName({ pid: a.pid, startTime: 12345n, argv0: "claude" }));
    });
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
    outcome(() => {
      expect(a.read("out.1").trim(), "a new UUID v4 is minted, not the other boot's id").toMatch(UUID_V4);
      expect(a.read("out.1").trim(), "the other boot's id is not reused").not.toBe("from-another-boot");
    });
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
    outcome(() => {
      expect(first.session.id ?? "", "a UUID v4 is minted far in the future").toMatch(UUID_V4);
      expect(again.session.id, "back in the present, the file 'from the future' is reused").toBe(first.session.id);
    });
  });
  test("far in the past: a file from the present is 'in the future' and kept; from the past, too old and replaced", () => {
    const store = new MemoryStore();
    const first = resolve(fakeWorld({ processes: processes(), store, now: Date.parse("1971-01-01T00:00:00Z") }));
    const later = resolve(fakeWorld({ processes: processes(), store, now: NOW }));
    outcome(() => {
      expect(first.session.id ?? "", "a UUID v4 is minted far in the past").toMatch(UUID_V4);
      expect(later.session.id, "in the present, the file from 1971 is too old and replaced").not.toBe(first.session.id);
      expect(later.session.source.kind, "the replacement comes from the store").toBe("store");
    });
  });
  test("the figures", () => {
    record({ area: "faults: HOME, dir, disk, /proc, ps, pid reuse, boot, clock", cases: faults, crashes: faultCrashes, filesLost: 0 });
    expect(faultCrashes).toBe(0);
  });
});
