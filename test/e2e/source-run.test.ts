// `bun src/main.ts ARGS` runs as `dist/stitch ARGS` does (README, contributing): the
// runtime's argv0 (`bun`) is no shim's name, and the runtime is no stitch binary. Each
// answer here is compared with the binary's own, under the same environment and parent.

import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { linuxDescribe, STITCH } from "./harness.ts";

const MAIN = join(import.meta.dir, "../../src/main.ts");
const t = mkdtempSync(join(tmpdir(), "stitch-source-"));
afterAll(() => rmSync(t, { recursive: true, force: true }));

const env = {
  PATH: `${join(import.meta.dir, "../../node_modules/.bin")}:/usr/bin:/bin`,
  HOME: join(t, "home"),
  RAILWAY_SESSIONS_DIR: join(t, "sessions"),
  STITCH_SHIM_DIR: join(t, "shims"),
  CLAUDECODE: "1",
  CLAUDE_CODE_SESSION_ID: "3b241101-e2bb-4255-8caf-4136c566a962",
};

function run(argv: string[]) {
  const r = Bun.spawnSync(argv, { env, cwd: t, stdio: ["ignore", "pipe", "pipe"] });
  return { status: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}
const fromSource = (...args: string[]) => run([process.execPath, MAIN, ...args]);
const binary = (...args: string[]) => run([STITCH, ...args]);

linuxDescribe("run from source (bun src/main.ts)", () => {
  test("--version: the same version, the commit said to be `source`", () => {
    const built = binary("--version");
    expect(built.status).toBe(0);
    expect(fromSource("--version")).toEqual({ status: 0, stdout: built.stdout.replace(/\(.*\)/, "(source)"), stderr: "" });
  });
  test("help, a wrapped command, resolve --json: what the binary answers", () => {
    for (const args of [["--help"], ["help", "shim"], ["sh", "-c", 'echo ok "$RAILWAY_AGENT_SESSION_ID"'], ["resolve", "--json"], ["export"], ["sh", "-c", "exit 7"]]) {
      expect({ args, ...fromSource(...args) }).toEqual({ args, ...binary(...args) });
    }
    expect(fromSource("sh", "-c", "echo ok").stdout).toBe("ok\n");
  });
  test("the runtime on PATH is a command like any other, not stitch itself", () => {
    expect(fromSource("bun", "--version")).toEqual({ status: 0, stdout: `${Bun.version}\n`, stderr: "" });
  });
  test("shim add refuses: there is no stitch binary to link to", () => {
    const r = fromSource("shim", "add", "railway");
    expect(r).toEqual({ status: 1, stdout: "", stderr: "stitch: shim add: run from source, there is no stitch binary to link to (build one: npm run build)\n" });
  });
});
