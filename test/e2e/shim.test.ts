// Shims (design §12), through the compiled binary: a link named `railway` to stitch, in a
// directory on PATH, runs the real `railway` (the next one on PATH that is not stitch) with
// the session environment; `stitch shim` manages the links.

import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { chmodSync, copyFileSync, existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
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
  test("the real command in a directory whose name is not UTF-8: found, and PATH and a value reach it byte for byte", () => {
    // Real 0xff bytes (not U+00FF, which UTF-8 spells c3 bf): a Buffer path, and bash's $'\xff'.
    const dir = Buffer.concat([Buffer.from(join(t, "d")), Buffer.from([0xff])]);
    mkdirSync(dir);
    const real = Buffer.concat([dir, Buffer.from("/railway")]);
    writeFileSync(real, `#!/bin/sh\nprintf '%s' "$PATH" > "$OUT/path"\nprintf '%s' "$X" > "$OUT/x"\nprintf '%s' "\${RAILWAY_AGENT_SESSION_ID-none}" > "$OUT/id"\n`);
    chmodSync(real, 0o755);
    const r = Bun.spawnSync(["bash", "-c", `PATH=${shims}:${join(t, "d")}$'\\xff':/usr/bin:/bin X=$'a\\xffb' railway`], { env: env(), stdio: ["ignore", "pipe", "pipe"] });
    expect({ status: r.exitCode, stderr: r.stderr.toString() }).toEqual({ status: 0, stderr: "" });
    expect(readFileSync(join(t, "path"))).toEqual(Buffer.concat([Buffer.from(`${shims}:`), dir, Buffer.from(":/usr/bin:/bin")]));
    expect(readFileSync(join(t, "x"))).toEqual(Buffer.from([0x61, 0xff, 0x62]));
    expect(readFileSync(join(t, "id"), "utf8")).toBe("3b241101-e2bb-4255-8caf-4136c566a962");
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

// Copies of stitch (design §12): `cp -L`, `install`, package managers and Windows' hard links
// make stitch binaries that are not the running file. Each is recognised by what it carries,
// and a shim called by name only runs what comes after it on PATH, so no chain of shims can
// loop. Every run here is bounded, in its own process group killed afterwards: on 40de0d0,
// two copies exec'd each other forever (45 times a second), or spawned a growing chain.

/** Runs argv in a new process group; the group is killed after `limitMs` (a loop) and at the end. */
async function runBounded(argv: string[], extra: Record<string, string> = {}, limitMs = 15000) {
  const { spawn } = await import("node:child_process");
  const child = spawn(argv[0]!, argv.slice(1), { env: env(extra), stdio: ["ignore", "pipe", "pipe"], detached: true });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => (stderr += d));
  let looped = false;
  const killGroup = () => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // Already gone.
    }
  };
  const timer = setTimeout(() => {
    looped = true;
    killGroup();
  }, limitMs);
  const [status, signal] = await new Promise<[number | null, string | null]>((done) => child.on("close", (code, sig) => done([code, sig])));
  clearTimeout(timer);
  killGroup();
  return { status, signal, stdout, stderr, looped };
}

/** A copy of the binary under test in `dir` under `name`: another stitch binary, not the file running. */
function copyOfStitch(dir: string, name = "railway", from = STITCH): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  copyFileSync(from, path);
  chmodSync(path, 0o755);
  return path;
}

/**
 * A stitch that stitch cannot recognise (what a future runtime's format would be to this
 * version): the binary under test with its embedded module renamed (`/$bunfs/root/stitch` →
 * `/$bunfs/root/xtitch`, same length: it still runs).
 */
let unrecognisable: Uint8Array | undefined;
function unrecognisedStitch(dir: string, name = "railway"): string {
  if (!unrecognisable) {
    const bytes = new Uint8Array(readFileSync(STITCH));
    const from = new TextEncoder().encode("/$bunfs/root/stitch");
    let patched = 0;
    for (let at = bytes.indexOf(from[0]!); at >= 0; at = bytes.indexOf(from[0]!, at + 1)) {
      if (from.every((b, i) => bytes[at + i] === b)) {
        bytes[at + "/$bunfs/root/".length] = "x".charCodeAt(0);
        patched++;
      }
    }
    expect(patched).toBeGreaterThan(0);
    unrecognisable = bytes;
  }
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, unrecognisable, { mode: 0o755 });
  return path;
}

/** The stitch binaries a traced run exec'd successfully, and the last file it exec'd. */
async function traced(argv: string[], extra: Record<string, string> = {}) {
  const trace = join(t, "trace");
  const r = await runBounded(["strace", "-f", "-qq", "-e", "trace=execve", "-o", trace, ...argv], extra);
  const ran = (await Bun.file(trace).text())
    .split("\n")
    .filter((l) => l.includes("execve(") && !l.includes("= -1"))
    .map((l) => /execve\("([^"]*)"/.exec(l)?.[1] ?? "");
  return { ...r, ran };
}
const HAS_STRACE = Bun.which("strace") !== null;

linuxDescribe("copies of stitch as shims (design §12)", () => {
  test("two copies on PATH: `railway` reaches the real one in one exec", async () => {
    realRailway();
    const d1 = copyOfStitch(join(t, "d1"));
    const d2 = copyOfStitch(join(t, "d2"));
    const PATH = `${join(t, "d1")}:${join(t, "d2")}:${bin}:/usr/bin:/bin`;
    const r = await runBounded(["railway", "up"], { PATH });
    expect(r).toMatchObject({ status: 0, stderr: "", looped: false });
    expect(await read("id")).toBe("3b241101-e2bb-4255-8caf-4136c566a962");
    if (!HAS_STRACE) return console.warn("skipped the exec count: no strace");
    const { ran, status } = await traced(["railway", "up"], { PATH });
    expect(status).toBe(0);
    // The first copy, then the real railway: the second copy never ran.
    expect(ran.filter((path) => path.endsWith("/railway"))).toEqual([d1, join(bin, "railway")]);
    expect(ran).not.toContain(d2);
  });
  test("links to copies, hard links of copies, and no real command: 127, not a loop", async () => {
    // A package manager's bin file: a copy of stitch under the command's name.
    const elsewhere = copyOfStitch(join(t, "installs", "a"), "railway");
    const other = copyOfStitch(join(t, "installs", "b"), "some-name");
    mkdirSync(join(t, "d1"));
    mkdirSync(join(t, "d2"));
    symlinkSync(elsewhere, join(t, "d1", "railway"));
    linkSync(other, join(t, "d2", "railway"));
    const PATH = `${join(t, "d1")}:${join(t, "d2")}:${bin}:/usr/bin:/bin`;
    const none = await runBounded(["railway", "up"], { PATH });
    expect(none).toMatchObject({ status: 127, stdout: "", stderr: "stitch: railway: command not found (no railway on PATH besides the shim)\n", looped: false });
    realRailway();
    expect(await runBounded(["railway", "up"], { PATH })).toMatchObject({ status: 0, stderr: "", looped: false });
  });
  test("under spawn (as on Windows): the real command is the first copy's child", async () => {
    realRailway();
    writeFileSync(join(bin, "railway"), `#!/bin/sh\nprintf '%s' "$PPID" > "$OUT/ppid"\n`);
    copyOfStitch(join(t, "d1"));
    copyOfStitch(join(t, "d2"));
    const PATH = `${join(t, "d1")}:${join(t, "d2")}:${bin}:/usr/bin:/bin`;
    const r = await runBounded(["sh", "-c", `echo $$ > "$OUT/shell"; exec railway up`], { PATH, STITCH_EXEC: "spawn" });
    expect(r).toMatchObject({ status: 0, stderr: "", looped: false });
    // The shell exec'd the first copy; its child is the real railway, not the second copy.
    expect(await read("ppid")).toBe((await read("shell")).trim());
  });
  test("stitches that cannot recognise each other still end: each runs only what comes after it on PATH", async () => {
    realRailway();
    unrecognisedStitch(join(t, "p1"));
    unrecognisedStitch(join(t, "p2"));
    mkdirSync(join(t, "p3"));
    linkSync(join(t, "p1", "railway"), join(t, "p3", "railway"));
    const dirs = ["p1", "p2", "p3"].map((d) => join(t, d));
    for (const mode of ["ffi", "spawn"]) {
      const found = await runBounded(["railway", "up"], { PATH: `${dirs.join(":")}:${bin}:/usr/bin:/bin`, STITCH_EXEC: mode });
      expect({ mode, ...found }).toMatchObject({ mode, status: 0, looped: false });
      const none = await runBounded(["railway", "up"], { PATH: `${dirs.join(":")}:/usr/bin:/bin`, STITCH_EXEC: mode });
      expect({ mode, ...none }).toMatchObject({ mode, status: 127, looped: false });
    }
  });
  test("`stitch shim list` tells a copy (another stitch binary) from this stitch and from other programs", () => {
    mkdirSync(shims, { mode: 0o700 });
    copyOfStitch(shims, "railway");
    symlinkSync(copyOfStitch(join(t, "installs"), "stitch"), join(shims, "gh"));
    symlinkSync("/bin/sh", join(shims, "python3"));
    realRailway();
    const { shims: listed } = JSON.parse(shim("list", "--json").stdout) as { shims: { name: string; status: string; real: string | null }[] };
    expect(listed.map(({ name, status, real }) => ({ name, status, real }))).toEqual([
      { name: "gh", status: "other_stitch", real: null },
      { name: "python3", status: "not_stitch", real: join(shims, "python3") },
      { name: "railway", status: "other_stitch", real: join(bin, "railway") },
    ]);
    // `add` replaces a copy (an older version's hard link) with a link to this stitch.
    expect(shim("add", "railway").stdout).toContain("updated");
    expect(readlinkSync(join(shims, "railway"))).toBe(STITCH);
  });
});

linuxDescribe("`stitch shim list` names the file the shim runs (design §10, §12)", () => {
  /** `shim list --json`'s real command for `name`, and what running the shim gave, under the same environment. */
  const listed = (name: string, environment: Record<string, string>) => {
    const r = Bun.spawnSync([STITCH, "shim", "list", "--json"], { env: environment, cwd: t, stdio: ["ignore", "pipe", "pipe"] });
    const { shims: all } = JSON.parse(r.stdout.toString()) as { shims: { name: string; real: string | null }[] };
    return all.find((s) => s.name === name)?.real;
  };
  test("PATH unset: the shim searches execvp's default, and the list says so", () => {
    expect(shim("add", "sh").status).toBe(0);
    const { PATH: _, ...noPath } = env();
    const ran = Bun.spawnSync([join(shims, "sh"), "-c", "echo ran"], { env: noPath, cwd: t, stdio: ["ignore", "pipe", "pipe"] });
    expect({ status: ran.exitCode, stdout: ran.stdout.toString() }).toEqual({ status: 0, stdout: "ran\n" });
    // 42e4686 searched nothing there (null): not what the shim ran.
    expect(listed("sh", noPath)).toBe(existsSync("/bin/sh") ? "/bin/sh" : "/usr/bin/sh");
  });
  test("called by name, a shim runs only what comes after it on PATH; the list names that one", async () => {
    expect(shim("add", "railway").status).toBe(0);
    const [first, later] = [join(t, "first"), join(t, "later")];
    for (const dir of [first, later]) {
      mkdirSync(dir);
      writeFileSync(join(dir, "railway"), `#!/bin/sh\nprintf '%s' "${dir}" > "$OUT/which"\n`, { mode: 0o755 });
    }
    // A launcher that found the shim under another PATH than the one it gives it.
    const environment = env({ PATH: `${first}:${shims}:${later}:/usr/bin:/bin` });
    const r = Bun.spawnSync([join(shims, "railway"), "up"], { env: environment, argv0: "railway", stdio: ["ignore", "pipe", "pipe"] });
    expect(r.exitCode).toBe(0);
    expect(await read("which")).toBe(later);
    // 42e4686 listed the first match that is not stitch: not what the shim ran.
    expect(listed("railway", environment)).toBe(join(later, "railway"));
  });
});

linuxDescribe("`stitch shim remove` removes only what runs stitch (design §12)", () => {
  test("a link to another program stays; a copy of stitch and a dangling link to a stitch go", () => {
    mkdirSync(shims, { mode: 0o700 });
    const python = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "/bin/sh";
    symlinkSync(python, join(shims, "python3"));
    const refused = shim("remove", "python3");
    expect(refused).toMatchObject({ status: 1, stdout: "", stderr: `stitch: ${join(shims, "python3")} is not a stitch shim: left alone\n` });
    expect(readlinkSync(join(shims, "python3"))).toBe(python);
    // Dangling: removed when its text names a stitch file (its stitch uninstalled), else left.
    symlinkSync(join(t, "gone", "stitch"), join(shims, "railway"));
    symlinkSync(join(t, "gone", "python3"), join(shims, "pip"));
    expect(shim("remove", "railway")).toMatchObject({ status: 0, stdout: "removed railway\n" });
    expect(shim("remove", "pip").status).toBe(1);
    expect(lstatSync(join(shims, "pip")).isSymbolicLink()).toBe(true);
    copyOfStitch(shims, "gh");
    expect(shim("remove", "gh")).toMatchObject({ status: 0, stdout: "removed gh\n" });
    expect(existsSync(join(shims, "railway")) || existsSync(join(shims, "gh"))).toBe(false);
  });
});

linuxDescribe("stitch's own names (design §2, §12)", () => {
  test("a file kept under its version is stitch, not a shim of a command so named", () => {
    for (const name of ["stitch-0.1.0", "stitch-1.2.3", "stitch.old", "stitch_v2", "STITCH-V2"]) {
      const path = copyOfStitch(join(t, "keep"), name);
      const version = run([path, "--version"]);
      expect({ name, status: version.status, out: version.stdout.startsWith("stitch ") }).toEqual({ name, status: 0, out: true });
      const ran = run([path, "sh", "-c", "echo ran"]);
      expect({ name, ...ran }).toMatchObject({ name, status: 0, stdout: "ran\n" });
    }
    // A name that merely starts with the letters is a shim: it runs its own command.
    const stitcher = copyOfStitch(join(t, "keep"), "stitcher");
    writeFileSync(join(bin, "stitcher"), "#!/bin/sh\necho stitcher \"$@\"\n", { mode: 0o755 });
    expect(run([stitcher, "--version"])).toMatchObject({ status: 0, stdout: "stitcher --version\n" });
  });
  test("`stitch stitch ARGS` is `stitch ARGS`; another program called stitch on PATH runs as any command", () => {
    expect(run([STITCH, "stitch", "echo", "hi"])).toMatchObject({ status: 0, stdout: "hi\n", stderr: "" });
    expect(run([STITCH, "stitch", "stitch", "--version"]).stdout).toStartWith("stitch ");
    expect(run([STITCH, "stitch"])).toMatchObject({ status: 2, stderr: "stitch: missing command to run (see 'stitch help')\n" });
    // A copy of stitch named stitch on PATH is still stitch.
    copyOfStitch(bin, "stitch");
    expect(run([STITCH, "stitch", "echo", "hi"])).toMatchObject({ status: 0, stdout: "hi\n" });
    writeFileSync(join(bin, "stitch"), "#!/bin/sh\necho other stitch \"$@\"\n", { mode: 0o755 });
    expect(run([STITCH, "stitch", "echo", "hi"])).toMatchObject({ status: 0, stdout: "other stitch echo hi\n" });
  });
});
