// Every `sh` block of the README runs, as written, against the built binary, so the page
// cannot drift from the program. Each runs in bash -e in a fresh home, with `stitch` on
// PATH and a stand-in `railway` (it prints its arguments and the session it got), so that
// the README's `stitch railway up` examples are runnable here. The quick start runs in the
// repository itself (npm kept off the network); its `npm test` line is this very suite, so
// it is checked to be the test command CI runs instead of being run again.

import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, shellBlocks } from "../support/readme.ts";
import { linuxDescribe, STITCH } from "./harness.ts";


const work = mkdtempSync(join(tmpdir(), "stitch-readme-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let cases = 0;

/** A fresh sandbox: home, a bin directory with stitch and the stand-in railway, a release directory. */
function sandbox() {
  const dir = join(work, String(cases++));
  const bin = join(dir, "bin");
  const home = join(dir, "home");
  const release = join(dir, "release");
  for (const d of [bin, home, release]) mkdirSync(d, { recursive: true });
  symlinkSync(STITCH, join(bin, "stitch"));
  writeFileSync(join(bin, "railway"), `#!/bin/sh\nprintf 'railway %s session=%s\\n' "$*" "\${RAILWAY_AGENT_SESSION_ID-}"\n`);
  chmodSync(join(bin, "railway"), 0o755);
  // A release as downloaded: the binary and SHA256SUMS (with a line for a file not downloaded).
  copyFileSync(STITCH, join(release, "stitch-linux-x64"));
  const sum = Bun.spawnSync(["sha256sum", "stitch-linux-x64"], { cwd: release }).stdout.toString();
  writeFileSync(join(release, "SHA256SUMS"), `${sum}${"0".repeat(64)}  stitch-darwin-arm64\n`);
  const env = { PATH: `${bin}:/usr/local/bin:/usr/bin:/bin`, HOME: home, LANG: "C.UTF-8" };
  return { dir, bin, home, release, env };
}

function runBlock(block: string, cwd: string, env: Record<string, string>, after = "") {
  const r = Bun.spawnSync(["bash", "-e", "-c", `${block}\n${after}`], { cwd, env, stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 });
  return { status: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

const blocks = shellBlocks();

linuxDescribe("the README's shell blocks run", () => {
  test("the quick start is the first block: two commands, install-and-wrap and the tests", () => {
    const [first] = blocks;
    expect(first?.split("\n")).toHaveLength(2);
    const [install, tests] = first!.split("\n") as [string, string];
    expect(install).toStartWith("npm install && npm run build && ");
    expect(tests).toBe("npm test");
    // `npm test` is this suite; CI runs exactly it.
    expect(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts.test).toContain("bun test");
    expect(readFileSync(join(ROOT, ".ci/run"), "utf8")).toMatch(/^suite npm test$/m);
  });

  test("the quick start wraps a real command as Claude Code would: twice, one id", () => {
    const install = blocks[0]!.split("\n")[0]!;
    const s = sandbox();
    // npm off the network (everything is installed already), Bun's cache in the sandbox.
    const env = { ...s.env, PATH: `${process.env.PATH}`, npm_config_offline: "true", npm_config_audit: "false", npm_config_fund: "false", RAILWAY_SESSIONS_DIR: join(s.dir, "sessions") };
    const first = runBlock(install, ROOT, env);
    expect(first.stderr).not.toContain("stitch:");
    expect(first.status).toBe(0);
    const line = /caller (\S+), session (\S+)$/m.exec(first.stdout);
    expect(line?.[1]).toBe("claude_code");
    const again = runBlock(install, ROOT, env);
    expect(/caller (\S+), session (\S+)$/m.exec(again.stdout)?.[2]).toBe(line![2]!);
  }, 300_000);

  test("every other block exits 0 with nothing from stitch on stderr", () => {
    expect(blocks.length).toBeGreaterThan(4);
    for (const block of blocks.slice(1)) {
      const s = sandbox();
      const r = runBlock(block, s.release, s.env);
      if (r.status !== 0 || r.stderr !== "") throw new Error(`README block failed (${r.status}):\n${block}\n--- stderr:\n${r.stderr}`);
    }
  });

  test("the install block puts a working stitch in ~/.local/bin", () => {
    const block = blocks.find((b) => b.includes("SHA256SUMS"));
    expect(block).toBeDefined();
    const s = sandbox();
    expect(runBlock(block!, s.release, s.env).status).toBe(0);
    const installed = join(s.home, ".local/bin/stitch");
    expect(existsSync(installed)).toBe(true);
    expect(Bun.spawnSync([installed, "--version"]).stdout.toString()).toStartWith("stitch ");
    // A tampered download is refused, and nothing is installed.
    const t = sandbox();
    writeFileSync(join(t.release, "stitch-linux-x64"), "not stitch");
    expect(runBlock(block!, t.release, t.env).status).not.toBe(0);
    expect(existsSync(join(t.home, ".local/bin/stitch"))).toBe(false);
  });

  test("the shim block: afterwards plain `railway` goes through stitch", () => {
    const block = blocks.find((b) => b.includes("stitch shim add railway"));
    expect(block).toBeDefined();
    const s = sandbox();
    const r = runBlock(block!, s.release, s.env, "CLAUDECODE=1 railway up");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^railway up session=[0-9a-f-]{36}$/m);
  });

  test("the opt-out block: the command runs, with no session", () => {
    const block = blocks.find((b) => b.includes("DO_NOT_TRACK=1"));
    expect(block).toBeDefined();
    const s = sandbox();
    const r = runBlock(block!, s.release, { ...s.env, CLAUDECODE: "1" });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("railway up session=\n");
  });

  test("the block showing what the command gets prints the caller and the id", () => {
    const block = blocks.find((b) => b.includes("CLAUDECODE=1 stitch sh -c"));
    expect(block).toBeDefined();
    const s = sandbox();
    const r = runBlock(block!, s.release, s.env);
    expect(r.stdout).toMatch(/^claude_code [0-9a-f-]{36}$/m);
  });
});
