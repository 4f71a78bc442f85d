// Every value stitch prints is printable (design §2.3): one value on one line, nothing that
// drives the terminal, in error lines, human outputs and JSON alike; and the odd command
// names (``, `..`, a directory) get the status a shell gives them (design §2.3's table).

import { afterEach, beforeEach, expect } from "bun:test";
import { mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { call, linuxDescribe, linuxTest, Sandbox, STITCH } from "./harness.ts";

let sb: Sandbox;
beforeEach(() => {
  sb = new Sandbox();
});
afterEach(() => sb.cleanup());

function run(argv: readonly string[], env: Record<string, string> = {}) {
  const r = Bun.spawnSync([...argv], { env: sb.env(env), stdin: "ignore", cwd: sb.work });
  return { status: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

/** What reaches a terminal raw and should not: C0 but the line ends, DEL, C1, U+2028/9, bidi controls. */
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;

/** A directory name that tries everything: a title-setting escape, a newline, U+2028, a bidi override. */
const HOSTILE = "s\u001b]0;pwned\u0007\nx\u2028y\u202ez";
const SHOWN = "s\\x1b]0;pwned\\x07\\x0ax\\u{2028}y\\u{202e}z";

const EXEC_MODES = ["ffi", "runtime", "spawn"] as const;

linuxDescribe("error lines", () => {
  linuxTest("a command name holding a newline and an escape sequence: one line, escaped, in every exec mode", () => {
    for (const mode of EXEC_MODES) {
      const searched = run([STITCH, "no\nsuch\u001b[2J"], { STITCH_EXEC: mode });
      expect({ mode, status: searched.status, stderr: searched.stderr }).toEqual({ mode, status: 127, stderr: "stitch: no\\x0asuch\\x1b[2J: command not found\n" });
      const path = run([STITCH, "./no\nsuch"], { STITCH_EXEC: mode });
      expect({ mode, status: path.status, stderr: path.stderr }).toEqual({ mode, status: 127, stderr: "stitch: ./no\\x0asuch: no such file or directory\n" });
    }
  });

  linuxTest("through a shim whose name holds control characters: the error line is escaped", () => {
    const shims = join(sb.dir, "shims");
    mkdirSync(shims);
    const name = "rail\u001b[31mway\n";
    symlinkSync(STITCH, join(shims, name));
    const r = run([join(shims, name)], { PATH: `${shims}:/usr/bin:/bin` });
    expect({ status: r.status, stderr: r.stderr }).toEqual({
      status: 127,
      stderr: "stitch: rail\\x1b[31mway\\x0a: command not found (no rail\\x1b[31mway\\x0a on PATH besides the shim)\n",
    });
  });

  linuxTest("a usage error quoting a hostile argument: one line, escaped", () => {
    const r = run([STITCH, "resolve", "--x\u001b]0;t\u0007\ny"]);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 2, stderr: "stitch: resolve: unexpected '--x\\x1b]0;t\\x07\\x0ay' (see 'stitch help')\n" });
  });
});

linuxDescribe("odd command names get a shell's status", () => {
  /** bash's own status for the name, run by search or as a path: what stitch must agree with. */
  const bashStatus = (name: string, path: string) => run(["bash", "-c", '"$0"', name], { PATH: path }).status;

  linuxTest("'', '..', a directory on PATH (127); a path to a directory (126); in every exec mode", () => {
    const bin = join(sb.dir, "bin");
    mkdirSync(join(bin, "deploy"), { recursive: true });
    const path = `${bin}:/usr/bin:/bin`;
    const cases: [string, string][] = [
      ["", "stitch: '': command not found\n"],
      ["..", "stitch: ..: command not found\n"],
      ["deploy", "stitch: deploy: command not found\n"],
      ["./", "stitch: ./: is a directory\n"],
      [bin, `stitch: ${bin}: is a directory\n`],
    ];
    for (const [name, stderr] of cases) {
      const expected = bashStatus(name, path);
      expect([127, 126]).toContain(expected);
      for (const mode of EXEC_MODES) {
        const r = run([STITCH, name], { PATH: path, STITCH_EXEC: mode });
        expect({ name, mode, status: r.status, stderr: r.stderr }).toEqual({ name, mode, status: expected, stderr });
      }
    }
  });
});

linuxDescribe("the session directory's path", () => {
  linuxTest("sessions: the human output escapes it on one line; --json keeps it exact and raw-free", () => {
    const dir = join(sb.dir, HOSTILE);
    for (const args of [["sessions"], ["sessions", "prune"], ["sessions", "clear"]]) {
      const r = run([STITCH, ...args], { RAILWAY_SESSIONS_DIR: dir });
      expect({ args, status: r.status }).toEqual({ args, status: 0 });
      expect(r.stdout).not.toMatch(RAW);
      expect(r.stdout.trimEnd().split("\n")).toHaveLength(1);
      expect(r.stdout).toContain(join(sb.dir, SHOWN));
      const j = run([STITCH, ...args, "--json"], { RAILWAY_SESSIONS_DIR: dir });
      expect(j.stdout).not.toMatch(RAW);
      expect(JSON.parse(j.stdout).dir).toBe(dir);
    }
  });

  for (const source of ["proc", "ps"]) {
    linuxTest(`resolve from inside an agent (${source}): the session file's path escaped; --json exact and raw-free`, async () => {
      const dir = join(sb.dir, HOSTILE);
      const env = { RAILWAY_SESSIONS_DIR: dir, STITCH_PROCESS_SOURCE: source };
      const a = await sb.agent("claude", [call("r", "stitch resolve"), call("j", "stitch resolve --json")].join("\n"), { env });
      const text = a.read("out.r");
      expect(text).not.toMatch(RAW);
      expect(text).toMatch(/^ {2}from {4}session file, (created|reused): .*$/m);
      expect(text).toContain(`${join(sb.dir, SHOWN)}/`);
      const raw = a.read("out.j");
      expect(raw).not.toMatch(RAW);
      const json = JSON.parse(raw);
      expect(json.session.source).toBe("store");
      expect(json.session.file.startsWith(`${dir}/`)).toBe(true);
    });
  }
});

linuxDescribe("shim dir", () => {
  linuxTest("a hostile STITCH_SHIM_DIR: escaped in the human output, exact in --json", () => {
    const dir = join(sb.dir, HOSTILE);
    const r = run([STITCH, "shim", "dir"], { STITCH_SHIM_DIR: dir });
    expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 0, stdout: `${join(sb.dir, SHOWN)}\n` });
    const j = run([STITCH, "shim", "dir", "--json"], { STITCH_SHIM_DIR: dir });
    expect(j.stdout).not.toMatch(RAW);
    expect(JSON.parse(j.stdout)).toEqual({ dir });
  });
});
