// stitch-windows-x64.exe run for real (`npm run smoke`): under Wine on Linux, natively on
// Windows (the windows-latest CI job). The Windows side of design §2, §3, §6, §10 and §11:
// version and resolve, the variables a command gets, one session id per agent process found
// by a Toolhelp32 walk, exit codes to all 32 bits, stdin, arguments and `.cmd` commands
// passed through. test/windows/ holds the setup (wine.ts) and the small C programs the
// cases run (each says what it is for); cases that need them skip without a compiler.
//
// Wine gives exit codes to Linux cut to 8 bits and knows only Windows processes (the first
// one started has parent pid 0), so 32-bit codes are read inside Windows (exitcode.exe) and
// every case that needs a parent or an agent runs stitch under cmd.exe or a copy of it
// named claude.exe, through a batch file (no quoting of a `cmd /c` string to get wrong).
// WINDOWS_STITCH=path runs the cases against another build than dist/stitch-windows-x64.exe.

import { afterAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import pkg from "../../package.json";
import { openWindowsHost, type Run, type RunOptions, type WindowsHost } from "../windows/wine.ts";

const ROOT = resolve(import.meta.dir, "../..");
const EXE = process.env.WINDOWS_STITCH ? resolve(process.env.WINDOWS_STITCH) : join(ROOT, "dist/stitch-windows-x64.exe");
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const FALLBACK_ID = /^cli_[A-Za-z0-9_-]{22}$/;
/** Not a named agent: what design §4.7 gives a caller nothing names. */
const UNNAMED = /^agent_unknown(:[a-z0-9_.-]+)?$/;

// Time budgets, as in smoke.test.ts (read its comment for the reasoning): one probe
// (`stitch.exe version`, which also brings the 110 MB binary into the page cache) is timed
// after the prefix is made, and a test that makes N runs of stitch or a helper gets
//
//   budget = (N + 1) × max(probe, FLOOR) × SAFETY,  within [5 s, 120 s]
//
// Measured under Wine 8.0 on a 2-core AMD EPYC VM, with the wineserver kept up: creating
// the prefix and building the helpers 4.5-5.5 s (before any test, outside the budgets);
// the probe 0.10-0.16 s; version 0.10 s, resolve --json 0.13 s (0.19-0.22 s under
// `cmd /c`, with the Toolhelp32 walk and the session file), a wrapped printenv.exe 0.17 s,
// exitwith.exe alone 0.014 s; the first run after a wineserver starts 0.44 s (with no
// server kept up, each run 0.5-2.5 s). FLOOR is that first run, rounded up; SAFETY = 3
// covers a resolve under a shell being twice the probe and load rising after it. The whole
// file took 13-14 s; with two busy loops on both cores 21 s, the longest test 4.2 s of its
// 32 s budget.
const FLOOR_MS = 600;
const SAFETY = 3;
const BUDGET_MIN_MS = 5_000;
const BUDGET_MAX_MS = 120_000;

const built = existsSync(EXE);
test(`${EXE.startsWith(ROOT) ? EXE.slice(ROOT.length + 1) : EXE} is built (\`node_modules/.bin/bun build.ts --only=windows-x64\`)`, () => {
  expect(built).toBe(true);
});

const setupStarted = Bun.nanoseconds();
const opened = built ? await openWindowsHost(EXE) : { skip: `${EXE} is missing` };
const setupMs = Math.round((Bun.nanoseconds() - setupStarted) / 1e6);

if ("skip" in opened) {
  test.skip(`stitch.exe under Windows (cannot: ${opened.skip})`, () => {});
} else {
  const host = opened.host;
  afterAll(() => host.close());
  windowsCases(host);
}

function windowsCases(host: WindowsHost) {
  const started = Bun.nanoseconds();
  const probeRun = host.run("stitch.exe", ["version"], { timeout: BUDGET_MAX_MS });
  const probe = probeRun.status === 0 ? (Bun.nanoseconds() - started) / 1e6 : undefined;
  const unit = Math.round(Math.max(probe ?? 0, FLOOR_MS));
  const budget = (runs: number) => Math.min(BUDGET_MAX_MS, Math.max(BUDGET_MIN_MS, (runs + 1) * unit * SAFETY));
  console.log(
    `smoke: stitch-windows-x64.exe ${host.wine ? `under ${host.how}` : "natively"}: setup ${setupMs} ms (${host.wine ? "a new prefix, " : ""}the C helpers); ` +
      `${probe === undefined ? "probe failed" : `probe \`version\` ${Math.round(probe)} ms`}, floor ${FLOOR_MS} ms; ` +
      `budget (N + 1) × ${unit} ms × ${SAFETY}, within [${BUDGET_MIN_MS}, ${BUDGET_MAX_MS}] ms`,
  );

  const stitch = (args: readonly string[], options?: RunOptions) => host.run("stitch.exe", args, options);
  /** A batch file in `dir` (CRLF lines, echo off), run by cmd.exe or a copy of it. */
  const batch = (dir: string, name: string, lines: readonly string[]) => {
    const file = join(dir, name);
    writeFileSync(file, ["@echo off", ...lines, ""].join("\r\n"));
    return file;
  };
  const runBatch = (shell: string, file: string, options: RunOptions = {}) =>
    host.run(shell, ["/c", host.win(file)], { cwd: join(file, ".."), ...options });
  const sessionsEnv = (dir: string) => ({ RAILWAY_SESSIONS_DIR: host.win(dir) });
  const sessionFiles = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".session")).sort() : []);
  /** `printenv.exe` output as a record; `NAME unset` lines give undefined. */
  const printed = (text: string) =>
    Object.fromEntries(
      text
        .split(/\r?\n/)
        .filter(Boolean)
        .map((line) => (line.endsWith(" unset") ? [line.slice(0, -6), undefined] : [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)])),
    );
  const json = (r: Run) => {
    expect(r.stderr).toBe("");
    return JSON.parse(r.stdout);
  };
  const needsHelpers = host.helpersMissing ? test.skip : test;
  const helperNote = host.helpersMissing ? ` (skipped: ${host.helpersMissing})` : "";
  const VARS = ["RAILWAY_AGENT_SESSION_ID", "RAILWAY_AGENT_SESSION", "RAILWAY_CALLER"];

  // An agent stand-in whose process is named like Claude Code's native binary: Windows'
  // own cmd.exe, copied. No agent variable is set anywhere below unless a case says so.
  host.cmdCopy("claude.exe");

  describe(`stitch.exe (${host.wine ? host.how : "Windows"})`, () => {
    test("version, -V, help", () => {
      const version = stitch(["version"]);
      expect(version.stderr).toBe("");
      expect(version.status).toBe(0);
      expect(version.stdout).toMatch(new RegExp(`^stitch ${pkg.version.replaceAll(".", "\\.")} \\([0-9a-f]{12}(-dirty)?\\)\\n$`));
      expect(stitch(["-V"]).stdout).toBe(version.stdout);
      const help = stitch(["help"]);
      expect(help.status).toBe(0);
      expect(help.stdout).toContain("stitch [--] COMMAND [ARGS...]");
    }, budget(3));

    needsHelpers(`resolve --json: an agent marker names the agent; the process tree comes from Toolhelp32${helperNote}`, () => {
      const dir = host.dir("resolve-marker");
      const sessions = host.dir("resolve-marker/sessions");
      const file = batch(dir, "resolve.cmd", ["parentpid.exe", "stitch.exe resolve --json"]);
      const r = runBatch("cmd.exe", file, { env: { CLAUDECODE: "1", ...sessionsEnv(sessions) } });
      expect(r.stderr).toBe("");
      const [pidLine, ...rest] = r.stdout.split("\n");
      const cmdPid = Number(pidLine);
      const out = JSON.parse(rest.join("\n"));
      expect(out).toMatchObject({ caller: "claude_code", agent_caller: true, caller_layer: "agent_env", process_source: "toolhelp" });
      // An agent with a parent to anchor on and a usable store: a persisted UUID v4.
      expect(out.session_id).toMatch(UUID_V4);
      expect(out.session).toMatchObject({ source: "store", how: "created" });
      expect(out.ancestry[0]).toMatchObject({ depth: 1, pid: cmdPid });
      expect(out.env).toEqual({ RAILWAY_AGENT_SESSION_ID: out.session_id, RAILWAY_AGENT_SESSION: out.session_id, RAILWAY_CALLER: "claude_code" });
      expect(sessionFiles(sessions)).toHaveLength(1);
    }, budget(3));

    test("resolve --json: no marker and no agent among the ancestors is not a named agent", () => {
      const dir = host.dir("resolve-plain");
      const file = batch(dir, "resolve.cmd", ["stitch.exe resolve --json"]);
      const out = json(runBatch("cmd.exe", file, { env: sessionsEnv(host.dir("resolve-plain/sessions")) }));
      expect(out.caller).toMatch(UNNAMED);
      expect(out).toMatchObject({ agent_caller: true, caller_layer: "fallback", process_source: "toolhelp" });
      expect(out.session_id).toEqual(expect.any(String));
      expect(out.ancestry.length).toBeGreaterThan(0);
      // Started with no Windows parent at all (under Wine: parent pid 0), it still answers.
      const orphan = json(stitch(["resolve", "--json"], { env: sessionsEnv(host.dir("resolve-plain/orphan")) }));
      expect(orphan.caller).toMatch(UNNAMED);
      expect(orphan.process_source).toBe("toolhelp");
      expect(orphan.session_id).toEqual(expect.any(String));
    }, budget(4));

    needsHelpers(`the command gets RAILWAY_AGENT_SESSION_ID, RAILWAY_AGENT_SESSION, RAILWAY_CALLER; one id per parent process${helperNote}`, () => {
      const dir = host.dir("vars");
      const sessions = join(dir, "sessions");
      const line = `stitch.exe printenv.exe ${VARS.join(" ")}`;
      const file = batch(dir, "vars.cmd", [line, line]);
      const conversation = () => {
        const r = runBatch("cmd.exe", file, { env: { CLAUDECODE: "1", ...sessionsEnv(sessions) } });
        expect(r.stderr).toBe("");
        const lines = r.stdout.split(/\r?\n/).filter(Boolean);
        expect(lines).toHaveLength(6);
        const [first, second] = [printed(lines.slice(0, 3).join("\n")), printed(lines.slice(3).join("\n"))];
        expect(first.RAILWAY_AGENT_SESSION_ID).toMatch(UUID_V4);
        expect(first).toEqual({ RAILWAY_AGENT_SESSION_ID: first.RAILWAY_AGENT_SESSION_ID, RAILWAY_AGENT_SESSION: first.RAILWAY_AGENT_SESSION_ID, RAILWAY_CALLER: "claude_code" });
        // Two calls from the same parent process: the same id.
        expect(second).toEqual(first);
        return first.RAILWAY_AGENT_SESSION_ID!;
      };
      const id1 = conversation();
      const ids = () => sessionFiles(sessions).map((f) => JSON.parse(readFileSync(join(sessions, f), "utf8")).agent_session_id);
      expect(ids()).toEqual([id1]);
      // Another parent: another id; creating its file swept the first, whose parent is gone.
      const id2 = conversation();
      expect(id2).not.toBe(id1);
      expect(ids()).toEqual([id2]);
    }, budget(6));

    needsHelpers(`a harness id is passed on, a RAILWAY_CALLER already set is kept; export${helperNote}`, () => {
      const codex = stitch(["printenv.exe", ...VARS], { env: { CODEX_THREAD_ID: "t-1" } });
      expect(codex.stderr).toBe("");
      expect(printed(codex.stdout)).toEqual({ RAILWAY_AGENT_SESSION_ID: "t-1", RAILWAY_AGENT_SESSION: "t-1", RAILWAY_CALLER: "codex" });
      const preset = stitch(["printenv.exe", ...VARS], { env: { CODEX_THREAD_ID: "t-2", RAILWAY_CALLER: "my_tool" } });
      expect(printed(preset.stdout)).toEqual({ RAILWAY_AGENT_SESSION_ID: "t-2", RAILWAY_AGENT_SESSION: "t-2", RAILWAY_CALLER: "my_tool" });
      // `stitch export` prints what the command would get.
      expect(json(stitch(["export", "--shell", "json"], { env: { CODEX_THREAD_ID: "t-3" } }))).toEqual({ RAILWAY_AGENT_SESSION_ID: "t-3", RAILWAY_AGENT_SESSION: "t-3", RAILWAY_CALLER: "codex" });
    }, budget(3));

    test("the environment: exactly the three variables added for an agent; untouched when opted out, and no file", () => {
      const sessions = join(host.dir("untouched"), "sessions");
      const agent = { CLAUDECODE: "1", ...sessionsEnv(sessions) };
      const setLines = (r: Run) => r.stdout.split(/\r?\n/).filter(Boolean);
      const direct = host.run("cmd.exe", ["/c", "set"], { env: agent });
      const wrapped = stitch(["cmd.exe", "/c", "set"], { env: agent });
      expect(wrapped.stderr).toBe("");
      expect(wrapped.status).toBe(0);
      const added = setLines(wrapped).filter((l) => !setLines(direct).includes(l));
      expect(added.map((l) => l.slice(0, l.indexOf("="))).sort()).toEqual([...VARS].sort());
      expect(setLines(wrapped).filter((l) => !added.includes(l))).toEqual(setLines(direct));
      // DO_NOT_TRACK: byte for byte what the command would have had, and nothing on disk
      // (not even the sessions directory).
      rmSync(sessions, { recursive: true, force: true });
      const optedOut = { ...agent, DO_NOT_TRACK: "1" };
      const plain = host.run("cmd.exe", ["/c", "set"], { env: optedOut });
      const through = stitch(["cmd.exe", "/c", "set"], { env: optedOut });
      expect(through.stdout).toBe(plain.stdout);
      expect(through.status).toBe(0);
      expect(existsSync(sessions)).toBe(false);
    }, budget(4));

    needsHelpers(`exit codes pass through whole: all 32 bits${helperNote}`, () => {
      const codes = ["0", "1", "255", "256", "300", "0xC0000005", "0xC000013A"];
      const dir = host.dir("exit");
      // exitcode.exe prints GetExitCodeProcess of what it ran: the direct run shows what
      // the program itself ends with, the run through stitch what stitch ends with.
      const file = batch(dir, "codes.cmd", codes.flatMap((c) => [`exitcode.exe exitwith.exe ${c}`, `exitcode.exe stitch.exe exitwith.exe ${c}`]));
      const r = runBatch("cmd.exe", file);
      expect(r.stderr).toBe("");
      const seen = r.stdout.split(/\r?\n/).filter(Boolean);
      const row = (c: string, direct: string | undefined, wrapped: string | undefined) => `${c}: direct ${direct}, through stitch ${wrapped}`;
      const want = codes.map((c) => row(c, `exit=${Number(c)}`, `exit=${Number(c)}`));
      expect(codes.map((c, i) => row(c, seen[2 * i], seen[2 * i + 1]))).toEqual(want);
      // What a batch file or an agent's cmd.exe reads: %ERRORLEVEL%, a signed 32-bit int.
      const levels = batch(dir, "levels.cmd", ["stitch.exe exitwith.exe 300", "echo %ERRORLEVEL%", "stitch.exe exitwith.exe 0xC0000005", "echo %ERRORLEVEL%"]);
      expect(runBatch("cmd.exe", levels).stdout.split(/\r?\n/).filter(Boolean)).toEqual(["300", "-1073741819"]);
    }, budget(2 + 7 * 2 + 2));

    test("a missing command: 127 and one line on stderr; a file that is not a program: 126", () => {
      const missing = stitch(["no-such-command-here", "arg"]);
      expect(missing.status).toBe(127);
      expect(missing.stdout).toBe("");
      expect(missing.stderr).toBe("stitch: no-such-command-here: command not found\n");
      writeFileSync(join(host.bin, "notaprogram.exe"), "this is text, not a PE image\r\n");
      const junk = stitch(["notaprogram.exe"]);
      expect(junk.status).toBe(126);
      expect(junk.stderr).toMatch(/^stitch: notaprogram\.exe: [^\n]+\n$/);
      expect(stitch([]).status).toBe(2);
    }, budget(3));

    needsHelpers(`stdin reaches the command unchanged: binary, CR LF, NUL, ^Z, over 64 KiB${helperNote}`, () => {
      const random = crypto.getRandomValues(new Uint8Array(300 * 1024));
      const input = Buffer.concat([Buffer.from("line one\r\nline two\n\0\x1a\r\r\n"), random, Buffer.from("\0end\r\n")]);
      // The same bytes through cat.exe alone: what the harness itself passes.
      const direct = host.run("cat.exe", [], { stdin: input });
      expect(Buffer.compare(Buffer.from(direct.bytes), input)).toBe(0);
      const r = stitch(["cat.exe"], { stdin: input, env: { CLAUDECODE: "1" } });
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      expect(r.bytes.length).toBe(input.length);
      expect(Buffer.compare(Buffer.from(r.bytes), input)).toBe(0);
    }, budget(2));

    test("a .cmd command found on PATH runs, with its arguments, status and the variables", () => {
      const tools = host.dir("tools");
      // (In a batch file an unset %VAR% expands to nothing.)
      writeFileSync(join(tools, "greet.cmd"), ["@echo off", "echo greet [%~1] [%~2] [%RAILWAY_CALLER%]", "exit /b 7", ""].join("\r\n"));
      const r = stitch(["greet", "a b", "c"], { path: [tools], env: { CLAUDECODE: "1" } });
      expect(r.stderr).toBe("");
      expect(r.stdout).toBe("greet [a b] [c] [claude_code]\r\n");
      expect(r.status).toBe(7);
      const named = stitch(["greet.cmd", "x"], { path: [tools], env: { DO_NOT_TRACK: "1" } });
      expect(named.stdout).toBe("greet [x] [] []\r\n");
      expect(named.status).toBe(7);
    }, budget(2));

    needsHelpers(`arguments reach the command unchanged; \`stitch run --\` and \`stitch --\`${helperNote}`, () => {
      const args = ["a b", 'say "hi"', "", "  lead and trail  ", "back\\slash\\", "tail\\\\", 'x\\"y', "%PATH%", "^&|<>()", "--", "-V", "résumé ü 日本"];
      const direct = host.run("args.exe", args);
      expect(direct.stdout).toBe(args.map((a) => `${a}\n`).join(""));
      expect(stitch(["args.exe", ...args]).stdout).toBe(direct.stdout);
      expect(stitch(["run", "--", "args.exe", "version"]).stdout).toBe("version\n");
      expect(stitch(["--", "args.exe", "help"]).stdout).toBe("help\n");
      expect(stitch(["run", "--", "cmd.exe", "/c", "exit 3"]).status).toBe(3);
    }, budget(5));

    needsHelpers(`the process tree: claude.exe is the agent and the anchor; one id per claude.exe${helperNote}`, () => {
      const sessions = host.dir("tree/sessions");
      const conversation = (name: string, shell = "claude.exe") => {
        const dir = host.dir(`tree/${name}`);
        // parentpid.exe prints the pid of the process running the batch file.
        const file = batch(dir, "agent.cmd", ["parentpid.exe > pid.txt", "stitch.exe resolve --json > a.json", "stitch.exe resolve --json > b.json"]);
        const r = runBatch(shell, file, { env: sessionsEnv(sessions) });
        expect(r.stderr).toBe("");
        expect(r.status).toBe(0);
        const read = (f: string) => readFileSync(join(dir, f), "utf8");
        return { pid: Number(read("pid.txt")), a: JSON.parse(read("a.json")), b: JSON.parse(read("b.json")) };
      };
      const checkAgent = ({ pid, a, b }: ReturnType<typeof conversation>) => {
        expect(a).toMatchObject({ caller: "claude_code", agent_caller: true, caller_layer: "process_tree", process_source: "toolhelp" });
        expect(a.anchor).toMatchObject({ pid, reason: "agent", argv0: "claude.exe" });
        expect(a.ancestry[0]).toMatchObject({ depth: 1, pid, agent: "claude_code" });
        expect(a.session_id).toMatch(UUID_V4);
        expect(a.session).toMatchObject({ source: "store", how: "created" });
        expect(b).toMatchObject({ caller: "claude_code", session_id: a.session_id, anchor: a.anchor, session: { source: "store", how: "reused" } });
        // The file: Railway's name and fields (design §6, §11), argv0 the lower-cased
        // executable name with .exe.
        const identity = Buffer.alloc(12);
        identity.writeUInt32BE(pid, 0);
        identity.writeBigUInt64BE(BigInt(a.anchor.start_time), 4);
        const name = `${createHash("sha256").update(Buffer.concat([identity, Buffer.from("claude.exe")])).digest("hex").slice(0, 16)}.session`;
        expect(sessionFiles(sessions)).toContain(name);
        const text = readFileSync(join(sessions, name), "utf8");
        expect(JSON.parse(text)).toMatchObject({ agent_session_id: a.session_id, parent_pid: pid, argv0: "claude.exe", caller: "claude_code" });
        // parent_btime is a u64 (a FILETIME does not fit a double): compared as text.
        expect(/"parent_btime":\s*(\d+)/.exec(text)?.[1]).toBe(a.anchor.start_time);
      };
      const first = conversation("first");
      checkAgent(first);
      const second = conversation("second");
      checkAgent(second);
      expect(second.a.session_id).not.toBe(first.a.session_id);
      expect(second.pid).not.toBe(first.pid);
      // Plain cmd.exe is not an agent, even with stitch's parent the same shape.
      const shell = conversation("plain", "cmd.exe");
      expect(shell.a.caller).toMatch(UNNAMED);
      expect(shell.a.caller_layer).toBe("fallback");
      expect(shell.a.ancestry[0]).toMatchObject({ depth: 1, pid: shell.pid, agent: null });
      // Every anchor has exited by now: prune (run with a live parent) removes every file.
      const pruneFile = batch(host.dir("tree/prune"), "prune.cmd", ["stitch.exe sessions prune --json"]);
      const pruned = json(runBatch("cmd.exe", pruneFile, { env: sessionsEnv(sessions) }));
      expect(pruned.removed.length).toBeGreaterThan(0);
      expect(sessionFiles(sessions)).toEqual([]);
    }, budget(3 * 4 + 2));

    test("copies of stitch.exe as shims (an old version's hard links): the real railway runs, no chain of processes (design §12)", () => {
      const [d1, d2, p1, p2, tools] = ["d1", "d2", "p1", "p2", "tools"].map((d) => host.dir(`copies/${d}`)) as [string, string, string, string, string];
      copyFileSync(EXE, join(d1, "railway.exe"));
      copyFileSync(EXE, join(d2, "railway.exe"));
      // Two stitches that cannot recognise each other (a future format): the module renamed.
      const bytes = new Uint8Array(readFileSync(EXE));
      const root = new TextEncoder().encode("B:/~BUN/root/stitch");
      for (let at = bytes.indexOf(root[0]!); at >= 0; at = bytes.indexOf(root[0]!, at + 1)) {
        if (root.every((b, i) => bytes[at + i] === b)) bytes[at + "B:/~BUN/root/".length] = "x".charCodeAt(0);
      }
      writeFileSync(join(p1, "railway.exe"), bytes);
      writeFileSync(join(p2, "railway.exe"), bytes);
      // Under Wine < 8.13 each copy needs the stand-in DLL beside it, as stitch.exe has.
      const dll = join(host.bin, "bcryptprimitives.dll");
      if (existsSync(dll)) for (const d of [d1, d2, p1, p2]) copyFileSync(dll, join(d, "bcryptprimitives.dll"));
      writeFileSync(join(tools, "railway.cmd"), ["@echo off", "echo real [%~1]", "exit /b 5", ""].join("\r\n"));
      const file = batch(host.dir("copies/run"), "run.cmd", ["railway up"]);
      // Through every copy in turn before the real one; then with no real one: 127, not a chain.
      for (const path of [[d1, d2, tools], [p1, p2, tools], [d1, p1, d2, p2, tools]]) {
        const r = runBatch("cmd.exe", file, { path, timeout: budget(5) });
        expect({ path, status: r.status, stdout: r.stdout }).toEqual({ path, status: 5, stdout: "real [up]\r\n" });
      }
      const none = runBatch("cmd.exe", file, { path: [p1, p2, d1], timeout: budget(4) });
      expect(none.stderr).toContain("stitch: railway: command not found");
    }, budget(25));

    test("without RAILWAY_SESSIONS_DIR the session file is in %USERPROFILE%\\.railway\\sessions", () => {
      const dir = host.dir("profile");
      const file = batch(dir, "agent.cmd", ["stitch.exe resolve --json"]);
      const out = json(runBatch("claude.exe", file));
      expect(out.session).toMatchObject({ source: "store", how: "created" });
      const name = String(out.session.file).split("\\").pop()!;
      const where = join(host.userProfile, ".railway", "sessions");
      expect(String(out.session.file).toLowerCase()).toBe(`${host.userProfileWin}\\.railway\\sessions\\${name}`.toLowerCase());
      expect(existsSync(join(where, name))).toBe(true);
      // On a Windows runner this is the real profile: leave nothing behind.
      rmSync(join(where, name), { force: true });
    }, budget(2));
  });
}
