// Shims (design §12), through the compiled binary: a link named `railway` to stitch, in a
// directory on PATH, runs the real `railway` (the next one on PATH that is not stitch) with
// the session environment; `stitch shim` manages the links.

import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { linuxDescribe, linuxTest, STITCH, UUID_V4 } from "./harness.ts";

let t: string;
let shims: string;
let bin: string;
beforeEach(() => {
  t = mkdtempSync(join(tmpdir(), "stitch-shim-"));
  shims = join(t, "shims");
  bin = join(t, "bin");
  mkdirSync(bin);
});
afterEach(() => rmSync(t, { recursive: true, force: true }));

/** A `railway` that prints what it got: argv (NUL-separated), its id, its parent pid. */
function realRailway(dir = bin, name = "railway"): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\nprintf '%s\\0' "$@" > "$OUT/argv"\nprintf '%s' "\${RAILWAY_AGENT_SESSION_ID-none}" > "$OUT/id"\nprintf '%s' "$PPID" > "$OUT/ppid"\nexit "\${EXIT_WITH:-0}"\n`);
  chmodSync(path, 0o755);
  return path;
}

const env = (extra: Record<string, string> = {}) => ({
  PATH: `${shims}:${bin}:/usr/bin:/bin`,
  HOME: join(t, "home"),
  RAILWAY_SESSIONS_DIR: join(t, "sessions"),
  STITCH_SHIM_DIR: shims,
  OUT: t,
  CLAUDECODE: "1",
  CLAUDE_CODE_SESSION_ID: "3b241101-e2bb-4255-8caf-4136c566a962",
  ...extra,
});

function run(argv: string[], extra: Record<string, string> = {}) {
  const r = Bun.spawnSync(argv, { env: env(extra), stdio: ["ignore", "pipe", "pipe"] });
  return { status: r.exitCode, signal: r.signalCode, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}
const shim = (...args: string[]) => run([STITCH, "shim", ...args]);
const read = (name: string) => Bun.file(join(t, name)).text();

linuxDescribe("stitch shim", () => {
  test("add: a link to the running stitch, in an owner-only directory; idempotent; list, dir, remove", () => {
    expect(shim("add", "railway").status).toBe(0);
    expect(readlinkSync(join(shims, "railway"))).toBe(STITCH);
    expect(statSync(shims).mode & 0o777).toBe(0o700);
    const again = shim("add", "railway");
    expect(again).toMatchObject({ status: 0 });
    expect(again.stdout).toContain("already there");
    realRailway();
    const listed = JSON.parse(shim("list", "--json").stdout);
    expect(listed).toEqual({ dir: shims, shims: [{ name: "railway", path: join(shims, "railway"), target: STITCH, status: "ok", real: join(bin, "railway") }] });
    expect(shim("dir").stdout).toBe(`${shims}\n`);
    expect(shim("remove", "railway")).toMatchObject({ status: 0, stdout: "removed railway\n" });
    expect(existsSync(join(shims, "railway"))).toBe(false);
  });
  test("refuses stitch itself, names that are not plain file names, and anything it did not make", () => {
    for (const name of ["stitch", "stitch-linux-x64", "a/b", "..", "-x"]) {
      const r = shim("add", name);
      expect({ name, status: r.status, oneLine: r.stderr.split("\n").length === 2 && r.stderr.startsWith("stitch: ") }).toEqual({ name, status: 2, oneLine: true });
    }
    mkdirSync(shims, { mode: 0o700 });
    writeFileSync(join(shims, "railway"), "#!/bin/sh\n", { mode: 0o755 });
    expect(shim("add", "railway").status).toBe(1);
    expect(shim("remove", "railway").status).toBe(1);
    expect(lstatSync(join(shims, "railway")).isFile()).toBe(true);
    // A planted link to something else is not followed, nor replaced.
    symlinkSync("/usr/bin/env", join(shims, "gh"));
    expect(shim("add", "gh").status).toBe(1);
    expect(readlinkSync(join(shims, "gh"))).toBe("/usr/bin/env");
  });
  test("refuses a shim directory others can write to", () => {
    mkdirSync(shims, { mode: 0o777 });
    chmodSync(shims, 0o777);
    const r = shim("add", "railway");
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("writable by group or others");
  });
});

linuxDescribe("a shim runs the real command", () => {
  beforeEach(() => {
    expect(shim("add", "railway").status).toBe(0);
  });
  test("called by name: the real command, with the session id, its argv byte for byte, its status", () => {
    realRailway();
    const args = ["up", "a b", "it's", "new\nline", "", "--", "ünï"];
    const r = run(["railway", ...args], { EXIT_WITH: "42" });
    expect(r).toMatchObject({ status: 42, stderr: "" });
    return Promise.all([read("argv"), read("id")]).then(([argv, id]) => {
      expect(argv).toBe(args.map((a) => `${a}\0`).join(""));
      expect(id).toBe("3b241101-e2bb-4255-8caf-4136c566a962");
    });
  });
  test("bytes that are not UTF-8 reach the command exactly", async () => {
    realRailway();
    const r = Bun.spawnSync(["bash", "-c", `railway $'\\xff\\xfe' ok`], { env: env(), stdio: ["ignore", "pipe", "pipe"] });
    expect(r.exitCode).toBe(0);
    expect(new Uint8Array(await Bun.file(join(t, "argv")).arrayBuffer())).toEqual(new Uint8Array([0xff, 0xfe, 0, 0x6f, 0x6b, 0]));
  });
  test("through a chain of symbolic links, and with the shim directory on PATH twice", async () => {
    realRailway();
    const chain = join(t, "chain");
    mkdirSync(chain);
    symlinkSync(join(shims, "railway"), join(chain, "railway"));
    const r = run(["railway", "x"], { PATH: `${chain}:${shims}:${shims}:${bin}:/usr/bin:/bin` });
    expect(r.status).toBe(0);
    expect(await read("id")).toBe("3b241101-e2bb-4255-8caf-4136c566a962");
  });
  test("no real command: 127, one line; one added later is found without re-running anything", () => {
    const missing = run(["railway", "up"]);
    expect(missing).toMatchObject({ status: 127, stdout: "", stderr: "stitch: railway: command not found (no railway on PATH besides the shim)\n" });
    realRailway();
    expect(run(["railway", "up"]).status).toBe(0);
  });
  test("the shim directory later on PATH than the real command: the real command runs directly", async () => {
    realRailway();
    const r = run(["railway", "up"], { PATH: `${bin}:${shims}:/usr/bin:/bin` });
    expect(r.status).toBe(0);
    // Found first: stitch never ran, so nothing was added.
    expect(await read("id")).toBe("none");
    const human = Bun.spawnSync(["railway", "up"], {
      env: { PATH: `${bin}:${shims}:/usr/bin:/bin`, OUT: t, HOME: join(t, "home") },
      stdio: ["ignore", "pipe", "pipe"],
    });
    expect(human.exitCode).toBe(0);
    expect(await read("id")).toBe("none");
  });
  test("`stitch railway` with the shim directory on PATH: one exec into the real command, whose parent is stitch's", async () => {
    realRailway();
    const trace = join(t, "trace");
    const r = Bun.spawnSync(["strace", "-f", "-qq", "-e", "trace=execve", "-o", trace, "bash", "-c", `${STITCH} railway up; echo "$$" > "$OUT/shell"`], {
      env: env(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    expect(r.exitCode).toBe(0);
    // The file each successful execve ran: bash, stitch once, then the real railway.
    const ran = (await Bun.file(trace).text())
      .split("\n")
      .filter((l) => l.includes("execve(") && !l.includes("= -1"))
      .map((l) => /execve\("([^"]*)"/.exec(l)?.[1]);
    expect(ran.filter((path) => path === STITCH || path === join(shims, "railway"))).toEqual([STITCH]);
    expect(ran.at(-1)).toBe(join(bin, "railway"));
    expect(await read("ppid")).toBe((await read("shell")).trim());
  });
});

linuxTest("a human through a shim: the command runs, its environment untouched", async () => {
  expect(shim("add", "railway").status).toBe(0);
  realRailway();
  const r = Bun.spawnSync(["script", "-qec", "railway up", "/dev/null"], {
    env: { PATH: `${shims}:${bin}:/usr/bin:/bin`, OUT: t, HOME: join(t, "home"), RAILWAY_SESSIONS_DIR: join(t, "sessions") },
    stdio: ["ignore", "pipe", "pipe"],
  });
  expect(r.exitCode).toBe(0);
  expect(await read("id")).toBe("none");
  expect(existsSync(join(t, "sessions"))).toBe(false);
});

linuxTest("an agent through a shim gets a persisted session id", async () => {
  expect(shim("add", "railway").status).toBe(0);
  realRailway();
  const r = run(["railway", "up"], { CLAUDE_CODE_SESSION_ID: "", CLAUDECODE: "1" });
  expect(r.status).toBe(0);
  expect(await read("id")).toMatch(UUID_V4);
});
