// design §6.5 on the compiled binary: the sessions directory as Railway's CLI leaves it
// under umask 002 (0775, made private), files of another user, and a file system without
// hard links (link(2) failing for real, injected by strace into the system call).

import { afterEach, beforeEach, expect, test } from "bun:test";
import { chownSync, mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { railwayCreatedAt, railwayFile } from "../support/railway.ts";
import { call, callInBackground, linuxDescribe, PRINT_ID, railwayName, Sandbox, shq, startTicks, STITCH, UUID_V4 } from "./harness.ts";

const CLI_ID = /^cli_[A-Za-z0-9_-]{22}$/;
const STRACE = Bun.which("strace");
const modeOf = (path: string) => statSync(path).mode & 0o777;
/** Why a case that gives a file to another user cannot run here. */
const CHOWN = process.getuid?.() === 0 ? "" : ": skipped, needs root to give a file to another user";

let sb: Sandbox;
beforeEach(() => {
  sb = new Sandbox();
});
afterEach(() => sb.cleanup());

/** `mkdir -p` under umask 002, as Rust's create_dir_all makes Railway's directories. */
function mkdirUmask002(path: string): void {
  expect(Bun.spawnSync(["sh", "-c", `umask 002 && mkdir -p ${shq(path)}`]).exitCode).toBe(0);
  expect(modeOf(path)).toBe(0o775);
}

function sessions(args: string[], env: Record<string, string> = {}) {
  const r = Bun.spawnSync([STITCH, "sessions", ...args], { env: sb.env(env), stdin: "ignore" });
  return { status: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

linuxDescribe("Railway's umask-002 directory (design §6.5)", () => {
  for (const source of ["proc", "ps"] as const) test(`RAILWAY_SESSIONS_DIR group-writable (0775) and the user's: made 0700, the agent keeps one id (${source})`, async () => {
    mkdirUmask002(sb.sessions);
    const a = await sb.agent("claude", [call("1", PRINT_ID), call("2", PRINT_ID)].join("\n"), { env: { STITCH_PROCESS_SOURCE: source } });
    expect(a.read("out.1").trim()).toMatch(UUID_V4);
    expect(a.read("out.2")).toBe(a.read("out.1"));
    expect(modeOf(sb.sessions)).toBe(0o700);
    expect(sb.sessionFiles()).toHaveLength(1);
    expect(sb.readSession(sb.sessionFiles()[0]!)).toMatchObject({ agent_session_id: a.read("out.1").trim(), parent_pid: a.pid });
  });

  test("the default location as Railway's CLI creates it (~/.railway and ~/.railway/sessions 0775): both made 0700, one id", async () => {
    const dir = join(sb.home, ".railway", "sessions");
    mkdirUmask002(dir);
    expect(modeOf(join(sb.home, ".railway"))).toBe(0o775);
    const env = { RAILWAY_SESSIONS_DIR: "" };
    const a = await sb.agent("claude", [call("1", PRINT_ID), call("2", PRINT_ID)].join("\n"), { env });
    expect(a.read("out.1").trim()).toMatch(UUID_V4);
    expect(a.read("out.2")).toBe(a.read("out.1"));
    expect(modeOf(join(sb.home, ".railway"))).toBe(0o700);
    expect(modeOf(dir)).toBe(0o700);
    expect(readdirSync(dir)).toHaveLength(1);
  });

  test("stitch sessions works on a 0775 directory: list shows the file, prune sweeps it, exit 0", async () => {
    mkdirUmask002(sb.sessions);
    const deadPid = 4_000_000_000;
    writeFileSync(join(sb.sessions, "00000000000000d1.session"), railwayFile(deadPid, 1n, "gone-id", railwayCreatedAt(Date.now())));
    const list = sessions(["list", "--json"]);
    expect({ status: list.status, stderr: list.stderr }).toEqual({ status: 0, stderr: "" });
    expect(JSON.parse(list.stdout).sessions).toEqual([expect.objectContaining({ file: "00000000000000d1.session", status: "anchor_gone" })]);
    expect(modeOf(sb.sessions)).toBe(0o700);
    const prune = sessions(["prune", "--json"]);
    expect(prune.status).toBe(0);
    expect(JSON.parse(prune.stdout).removed).toEqual([{ file: "00000000000000d1.session", reason: "anchor_gone" }]);
  });

  test.skipIf(CHOWN !== "")(`a valid file for the agent planted by another user while the directory was group-writable is not trusted: a new id, the file replaced${CHOWN}`, async () => {
    mkdirUmask002(sb.sessions);
    const planted = "chosen-by-a-group-member";
    const a = await sb.agent("claude", `while [ ! -e "$OUT/go" ]; do sleep 0.01; done\n${call("1", PRINT_ID)}`, {
      beforeFinish: async (h) => {
        const name = railwayName(h.pid, startTicks(h.pid), "claude");
        const path = join(sb.sessions, name);
        writeFileSync(path, railwayFile(h.pid, startTicks(h.pid), planted, railwayCreatedAt(Date.now())));
        chownSync(path, 65534, 65534);
        h.touch("go");
      },
    });
    const id = a.read("out.1").trim();
    expect(id).toMatch(UUID_V4);
    const files = sb.sessionFiles();
    expect(files).toHaveLength(1);
    expect(sb.readSession(files[0]!).agent_session_id).toBe(id);
    expect(statSync(join(sb.sessions, files[0]!)).uid).toBe(process.getuid!());
  });

  test("~/.railway writable by others is refused (whoever can write it can replace sessions): cli_ id, nothing changed", async () => {
    const railway = join(sb.home, ".railway");
    mkdirSync(join(railway, "sessions"), { recursive: true, mode: 0o700 });
    Bun.spawnSync(["chmod", "0777", railway]);
    const a = await sb.agent("claude", call("1", PRINT_ID), { env: { RAILWAY_SESSIONS_DIR: "" } });
    expect(a.read("out.1").trim()).toMatch(CLI_ID);
    expect(modeOf(railway)).toBe(0o777);
    expect(readdirSync(join(railway, "sessions"))).toEqual([]);
  });
});

/**
 * Runs PRINT_ID's stitch with link(2) and linkat(2) failing EPERM, as on FAT (strace injects
 * the error into the system call itself: an LD_PRELOAD shim would not reach it, since the FFI
 * looks `link` up in libc's own handle). strace stays out of the anchor's way: the agent is
 * found by name above it.
 */
const WITHOUT_LINKS = STRACE ? `${shq(STRACE)} -f -qq -o /dev/null -e trace=link,linkat -e inject=link,linkat:error=EPERM ${PRINT_ID}` : "";

const withStrace = STRACE ? linuxDescribe : (name: string, body: () => void) => linuxDescribe(`${name}: skipped, strace is not installed (it injects the link failure)`, body);

withStrace("a file system without hard links (design §6.5)", () => {
  for (const source of ["proc", "ps"]) {
    test(`link fails EPERM (${source} source): the file is created in place, whole, and the agent keeps one id`, async () => {
      mkdirSync(sb.sessions, { mode: 0o700 });
      const env = { STITCH_PROCESS_SOURCE: source };
      const a = await sb.agent("claude", [call("1", WITHOUT_LINKS), call("2", WITHOUT_LINKS), call("3", PRINT_ID)].join("\n"), { env });
      expect({ rc: a.read("rc.1").trim(), err: a.read("err.1") }).toEqual({ rc: "0", err: "" });
      const id = a.read("out.1").trim();
      expect(id).toMatch(UUID_V4);
      expect(a.read("out.2").trim()).toBe(id);
      expect(a.read("out.3").trim()).toBe(id);
      // One file, no temporary left, mode 0600, the whole record.
      expect(readdirSync(sb.sessions)).toEqual(sb.sessionFiles().filter((f) => f.endsWith(".session")));
      expect(sb.sessionFiles()).toHaveLength(1);
      expect(modeOf(join(sb.sessions, sb.sessionFiles()[0]!))).toBe(0o600);
      expect(sb.readSession(sb.sessionFiles()[0]!)).toMatchObject({ agent_session_id: id, parent_pid: a.pid, caller: "claude_code", v: 1 });
    });
  }

  test("16 racing first calls without hard links agree on one id and one file", async () => {
    mkdirSync(sb.sessions, { mode: 0o700 });
    const n = 16;
    const a = await sb.agent("claude", [...Array.from({ length: n }, (_, i) => callInBackground(String(i), WITHOUT_LINKS)), "wait"].join("\n"));
    const ids = Array.from({ length: n }, (_, i) => a.read(`out.${i}`).trim());
    for (const id of ids) expect(id).toMatch(UUID_V4);
    expect(new Set(ids).size).toBe(1);
    expect(readdirSync(sb.sessions)).toEqual(sb.sessionFiles().filter((f) => f.endsWith(".session")));
    expect(sb.sessionFiles()).toHaveLength(1);
    expect(sb.readSession(sb.sessionFiles()[0]!).agent_session_id).toBe(ids[0]!);
  }, 60_000);
});

linuxDescribe("a file that may be being written (design §6.5)", () => {
  test("a fresh empty file is neither swept nor trusted; ten seconds old, it is an invalid file, swept", async () => {
    mkdirSync(sb.sessions, { mode: 0o700 });
    const old = Date.now() / 1000 - 60;
    writeFileSync(join(sb.sessions, "00000000000000e1.session"), ""); // fresh, empty
    writeFileSync(join(sb.sessions, "00000000000000e2.session"), '{"agent_session_id":"'); // fresh, cut short
    writeFileSync(join(sb.sessions, "00000000000000e3.session"), ""); // empty, a minute old
    utimesSync(join(sb.sessions, "00000000000000e3.session"), old, old);
    writeFileSync(join(sb.sessions, "00000000000000e4.session"), "not json"); // fresh, but no write in progress looks so
    // "Fresh" on stitch's clock: under test:clock the kernel dates a new file on the real
    // clock, a year behind the shifted one both this test and stitch read.
    const now = Date.now() / 1000;
    for (const name of ["e1", "e2", "e4"]) utimesSync(join(sb.sessions, `00000000000000${name}.session`), now, now);
    const a = await sb.agent("claude", call("1", PRINT_ID));
    expect(a.read("out.1").trim()).toMatch(UUID_V4);
    const files = sb.sessionFiles();
    expect(files).toContain("00000000000000e1.session");
    expect(files).toContain("00000000000000e2.session");
    expect(files).not.toContain("00000000000000e3.session");
    expect(files).not.toContain("00000000000000e4.session");
    expect(files).toHaveLength(3);
  });

  test("at the agent's own name, a fresh empty file is not replaced (cli_ id); once old, it is", async () => {
    mkdirSync(sb.sessions, { mode: 0o700 });
    let path = "";
    const a = await sb.agent("claude", [`while [ ! -e "$OUT/go" ]; do sleep 0.01; done`, call("1", PRINT_ID), `touch "$OUT/called"`, `while [ ! -e "$OUT/again" ]; do sleep 0.01; done`, call("2", PRINT_ID)].join("\n"), {
      beforeFinish: async (h) => {
        path = join(sb.sessions, railwayName(h.pid, startTicks(h.pid), "claude"));
        writeFileSync(path, "");
        utimesSync(path, Date.now() / 1000, Date.now() / 1000); // fresh on the (perhaps shifted) clock
        h.touch("go");
        await h.waitFor("called");
        expect(statSync(path).size).toBe(0);
        const old = Date.now() / 1000 - 60;
        utimesSync(path, old, old);
        h.touch("again");
      },
    });
    expect(a.read("out.1").trim()).toMatch(CLI_ID);
    const id = a.read("out.2").trim();
    expect(id).toMatch(UUID_V4);
    expect(sb.sessionFiles()).toEqual([path.slice(sb.sessions.length + 1)]);
    expect(sb.readSession(sb.sessionFiles()[0]!).agent_session_id).toBe(id);
  });
});
