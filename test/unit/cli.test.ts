import { describe, expect, test } from "bun:test";
import { helpText } from "../../src/cli/help.ts";
import { parseArgs } from "../../src/cli/args.ts";
import { renderExport } from "../../src/cli/export.ts";
import { resolveOutput } from "../../src/cli/resolve-command.ts";
import { CStrings, withVariables } from "../../src/sys/cstrings.ts";
import { resolutionOf as resolve } from "../../src/resolve/resolution.ts";
import { resolveDepartures } from "../support/documented-json.ts";
import { agentChain, fakeWorld, MemoryStore } from "../support/fake-world.ts";

describe("command line (design §2)", () => {
  test("the main job, with and without --", () => {
    expect(parseArgs(["railway", "up"])).toEqual({ kind: "run", start: 0 });
    expect(parseArgs(["--", "resolve"])).toEqual({ kind: "run", start: 1 });
    expect(parseArgs(["run", "resolve", "--json"])).toEqual({ kind: "run", start: 1 });
    expect(parseArgs(["run", "--", "-x"])).toEqual({ kind: "run", start: 2 });
    expect(parseArgs(["railway", "--json"])).toEqual({ kind: "run", start: 0 });
  });
  test("subcommands", () => {
    expect(parseArgs(["resolve"])).toEqual({ kind: "resolve", json: false, withArgs: false });
    expect(parseArgs(["resolve", "--json"])).toEqual({ kind: "resolve", json: true, withArgs: false });
    expect(parseArgs(["resolve", "--with-args", "--json"])).toEqual({ kind: "resolve", json: true, withArgs: true });
    expect(parseArgs(["export"])).toEqual({ kind: "export", shell: "sh" });
    expect(parseArgs(["export", "--shell", "fish"])).toEqual({ kind: "export", shell: "fish" });
    expect(parseArgs(["export", "--shell=json"])).toEqual({ kind: "export", shell: "json" });
    expect(parseArgs(["sessions"])).toEqual({ kind: "sessions", action: "list", json: false });
    expect(parseArgs(["sessions", "prune", "--json"])).toEqual({ kind: "sessions", action: "prune", json: true });
    expect(parseArgs(["sessions", "--json", "clear"])).toEqual({ kind: "sessions", action: "clear", json: true });
    for (const a of ["help", "--help", "-h"]) expect(parseArgs([a])).toEqual({ kind: "help", topic: "main" });
    for (const a of ["version", "--version", "-V"]) expect(parseArgs([a])).toEqual({ kind: "version" });
  });
  test("each subcommand's help: stitch help NAME, or NAME --help / -h", () => {
    for (const topic of ["run", "resolve", "export", "sessions", "shim"] as const) {
      expect(parseArgs(["help", topic])).toEqual({ kind: "help", topic });
      expect(parseArgs([topic, "--help"])).toEqual({ kind: "help", topic });
      expect(parseArgs([topic, "-h"])).toEqual({ kind: "help", topic });
    }
    expect(parseArgs(["resolve", "--json", "--help"])).toEqual({ kind: "help", topic: "resolve" });
    expect(parseArgs(["shim", "add", "--help"])).toEqual({ kind: "help", topic: "shim" });
    expect(parseArgs(["sessions", "clear", "-h"])).toEqual({ kind: "help", topic: "sessions" });
    // After the command, --help is the command's own.
    expect(parseArgs(["railway", "--help"])).toEqual({ kind: "run", start: 0 });
    expect(parseArgs(["run", "railway", "--help"])).toEqual({ kind: "run", start: 1 });
    expect(parseArgs(["run", "--", "--help"])).toEqual({ kind: "run", start: 2 });
    expect(parseArgs(["--", "--help"])).toEqual({ kind: "run", start: 1 });
    for (const bad of [["help", "railway"], ["help", "shim", "add"]]) expect(parseArgs(bad).kind).toBe("usage");
  });
  test("design §2.2's other rules, as written there", () => {
    expect(parseArgs(["--help", "x", "--bogus"])).toEqual({ kind: "help", topic: "main" });
    expect(parseArgs(["version", "x"])).toEqual({ kind: "version" });
    expect(parseArgs(["resolve", "--bogus", "--help"])).toEqual({ kind: "help", topic: "resolve" });
    expect(parseArgs(["export", "--shell", "sh", "--shell=fish"])).toEqual({ kind: "export", shell: "fish" });
    expect(parseArgs(["help", "railway"])).toEqual({ kind: "usage", message: "help: no help for 'railway' (run, resolve, export, sessions, shim)" });
    expect(parseArgs(["--x"])).toEqual({ kind: "usage", message: "unknown option '--x'" });
    expect(parseArgs([])).toEqual({ kind: "usage", message: "missing command to run" });
    expect(parseArgs(["--"])).toEqual({ kind: "usage", message: "missing command to run" });
  });
  test("every help screen fits one screen (80 columns, 24 lines) and leads with examples", () => {
    for (const topic of ["main", "run", "resolve", "export", "sessions", "shim"] as const) {
      const lines = helpText(topic).trimEnd().split("\n");
      expect(lines.length).toBeLessThanOrEqual(24);
      for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
      expect(lines[2]).toBe("examples:");
    }
  });
  test("design §2.1's synopsis is the help's usage block, form for form; each subcommand's help opens with its line", () => {
    const design = require("node:fs").readFileSync(require("node:path").join(import.meta.dir, "../../docs/design.md"), "utf8") as string;
    const section = design.slice(design.indexOf("\n### 2.1 Synopsis"), design.indexOf("\n### 2.2 "));
    // A form is a line's text up to the first run of two spaces (where its description starts).
    const form = (line: string) => line.trim().split(/ {2,}/)[0]!;
    const documented = section.split("\n").filter((l) => l.startsWith("    stitch ")).map(form);
    const main = helpText("main").split("\n");
    const shown = main.slice(main.indexOf("usage:") + 1).filter((l) => l.startsWith("  stitch ")).map(form);
    expect(documented.length).toBeGreaterThan(5);
    expect(shown).toEqual(documented);
    for (const topic of ["resolve", "export", "sessions", "shim"] as const) {
      const first = helpText(topic).split("\n")[0]!.replace(/: .*$/, "");
      expect({ topic, first, documented: documented.includes(first) }).toEqual({ topic, first, documented: true });
    }
  });
  test("usage errors", () => {
    for (const args of [[], ["--"], ["run"], ["run", "--"], ["-x"], ["--json"], ["resolve", "x"], ["export", "--shell", "csh"], ["export", "--shell"], ["sessions", "nuke"], ["sessions", "list", "prune"]]) {
      expect(parseArgs(args).kind).toBe("usage");
    }
  });
});

describe("export", () => {
  const vars = { RAILWAY_AGENT_SESSION_ID: "abc-1", RAILWAY_CALLER: "codex" };
  test("sh, fish and json", () => {
    expect(renderExport(vars, "sh")).toBe("export RAILWAY_AGENT_SESSION_ID='abc-1'\nexport RAILWAY_CALLER='codex'\n");
    expect(renderExport(vars, "fish")).toBe("set -gx RAILWAY_AGENT_SESSION_ID 'abc-1';\nset -gx RAILWAY_CALLER 'codex';\n");
    expect(JSON.parse(renderExport(vars, "json"))).toEqual(vars);
  });
  test("nothing to export: empty output, or {}", () => {
    expect(renderExport({}, "sh")).toBe("");
    expect(renderExport({}, "fish")).toBe("");
    expect(renderExport({}, "json")).toBe("{}\n");
  });
  test("quotes survive a value with a quote", () => {
    expect(renderExport({ X: "a'b" }, "sh")).toBe("export X='a'\\''b'\n");
  });
});

describe("the child's environment", () => {
  const e = (s: string) => new TextEncoder().encode(s);
  const d = (list: CStrings) => list.texts();
  test("variables replace earlier entries of the same name and keep the rest byte for byte", () => {
    const raw = CStrings.of([e("PATH=/bin"), new Uint8Array([0x58, 0x3d, 0xff]), e("RAILWAY_AGENT_SESSION_ID=old"), e("RAILWAY_AGENT_SESSION_IDX=keep")]);
    const out = withVariables(raw, { RAILWAY_AGENT_SESSION_ID: "new" });
    expect(out.at(1)).toEqual(new Uint8Array([0x58, 0x3d, 0xff]));
    expect(d(out)).toEqual(["PATH=/bin", "X=\ufffd", "RAILWAY_AGENT_SESSION_IDX=keep", "RAILWAY_AGENT_SESSION_ID=new"]);
    expect(withVariables(raw, {})).toBe(raw);
  });
  test("a NUL-separated block: empty strings kept for argv, dropped for an environment", () => {
    const block = new Uint8Array([0x61, 0, 0, 0x62, 0x3d, 0x31, 0]);
    expect(d(CStrings.parse(block))).toEqual(["a", "", "b=1"]);
    expect(d(CStrings.parse(block, true))).toEqual(["a", "b=1"]);
    expect(d(CStrings.parse(new Uint8Array([0x78, 0, 0x79])))).toEqual(["x", "y"]);
    expect(d(CStrings.parse(new Uint8Array()))).toEqual([]);
  });
});

describe("resolve output", () => {
  // The expected object is written out from design §2.4 (not checked with the code's own
  // schema, src/cli/resolution-json.ts): every field, in the documented order, with its value.
  const hop = (depth: number, pid: number, ppid: number, start: string, argv0: string, argCount: number, command: string, rest: object) => ({
    depth, pid, ppid, start_time: start, argv0, arg_count: argCount, command, program: argv0, agent: null, host: null, transient: null, kind: null, matched: null, ...rest,
  });
  const ID = "3b241101-e2bb-4255-8caf-4136c566a962"; // the UUID this world mints
  const EXPECTED = {
    v: 2,
    caller: "claude_code",
    agent_caller: true,
    caller_layer: "process_tree",
    caller_evidence: 'pid 500 (claude): argv0 basename "claude"',
    session_id: ID,
    session: { source: "store", variable: null, record: null, how: "created", file: "/sessions/908578af734caffb.session", reason: null },
    anchor: { pid: 500, start_time: "50000", argv0: "claude", reason: "agent", detail: "claude_code", adopted_by: null },
    ancestry: [
      hop(1, 999, 500, "99900", "bash", 2, "/bin/bash -c stitch railway up", { transient: "shell running a command string (bash -c)", kind: "shell" }),
      hop(2, 500, 1, "50000", "claude", 0, "claude", { agent: "claude_code", matched: 'argv0 basename "claude"' }),
      hop(3, 1, 0, "100", "init", 0, "/sbin/init", {}),
    ],
    process_source: "proc",
    opted_out: null,
    env: { RAILWAY_AGENT_SESSION_ID: ID, RAILWAY_AGENT_SESSION: ID, RAILWAY_CALLER: "claude_code" },
  };
  const withoutCommand = { ...EXPECTED, ancestry: EXPECTED.ancestry.map(({ command: _, ...rest }) => rest) };
  test("JSON: the documented object, pretty-printed with two-space indentation; each hop's command only with --with-args", () => {
    const r = resolve({ ...fakeWorld({ processes: agentChain(["claude"]), store: new MemoryStore() }), randomUUID: () => ID }, { explain: true });
    for (const [withArgs, expected] of [[false, withoutCommand], [true, EXPECTED]] as const) {
      const text = resolveOutput(r, true, withArgs);
      // Exact: no field missing, none added, none of another type or value.
      expect(JSON.parse(text)).toStrictEqual(expected);
      expect(resolveDepartures(JSON.parse(text), withArgs)).toEqual([]);
      // Key order too, as the design shows it.
      expect(text).toBe(`${JSON.stringify(expected, null, 2)}\n`);
    }
  });
  test("JSON for a human at a terminal: no id, the nulls and the empty env the design gives", () => {
    const r = resolve(fakeWorld({ tty: true, processes: agentChain(["/usr/bin/zsh"]) }), { explain: true });
    const json = JSON.parse(resolveOutput(r, true, false));
    expect(resolveDepartures(json, false)).toEqual([]);
    expect(json).toMatchObject({
      caller: "tty",
      agent_caller: false,
      caller_layer: "fallback",
      session_id: null,
      session: { source: "none", variable: null, record: null, how: null, file: null },
      env: {},
    });
    expect(typeof json.session.reason).toBe("string");
  });
  test("the human form names caller, session source, anchor and every hop", () => {
    const r = resolve(fakeWorld({ env: { HOME: "/h", CODEX_THREAD_ID: "t-1" }, processes: agentChain(["/usr/bin/codex", "exec"]) }), { explain: true });
    const text = resolveOutput(r, false, false);
    expect(text).toContain("caller    codex  (agent caller)");
    expect(text).toContain("the agent's own CODEX_THREAD_ID");
    expect(text).toContain("anchor    pid 500 (codex)");
    expect(text).toContain("transient: shell running a command string");
    expect(text).toContain("RAILWAY_AGENT_SESSION_ID=t-1");
  });
});

describe("text from elsewhere is shown without its control characters", () => {
  test("a process named with terminal escapes cannot reach the terminal through resolve", () => {
    const processes = agentChain(["claude"]);
    processes.add({ pid: 999, ppid: 500, argv: ["evil\u001b]0;pwned\u0007\u009b2J", "-x"] });
    const r = resolve(fakeWorld({ processes, store: new MemoryStore() }), { explain: true });
    for (const withArgs of [false, true]) {
      const text = resolveOutput(r, false, withArgs);
      expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
      expect(text).toContain(withArgs ? "evil\\x1b]0;pwned\\x07\\x9b2J -x" : "evil\\x1b]0;pwned\\x07\\x9b2J  (1 argument)");
    }
  });
});

describe("shims (design §12)", () => {
  const { parseArgs } = require("../../src/cli/args.ts") as typeof import("../../src/cli/args.ts");
  const { isStitchName } = require("../../src/self.ts") as typeof import("../../src/self.ts");
  const { shimNameProblem, shimDirectory } = require("../../src/cli/shim.ts") as typeof import("../../src/cli/shim.ts");
  const { withFirst, CStrings } = require("../../src/sys/cstrings.ts") as typeof import("../../src/sys/cstrings.ts");
  test("stitch's own names, the release files' and kept versions' included, are not shims", () => {
    for (const n of ["stitch", "stitch.exe", "STITCH.EXE", "stitch-linux-x64", "stitch-linux-arm64-musl", "stitch-darwin-arm64", "stitch-windows-x64.exe"]) {
      expect({ n, self: isStitchName(n) }).toEqual({ n, self: true });
    }
    // A file kept under its version or a suffix is stitch too (design §12).
    for (const n of ["stitch-0.1.0", "stitch-v2", "stitch.old", "stitch_v2", "stitch-x", "stitch-linux", "Stitch-1.2.3.exe"]) {
      expect({ n, self: isStitchName(n) }).toEqual({ n, self: true });
    }
    for (const n of ["railway", "stitcher", "stitches", "my-stitch", "xstitch", ""]) {
      expect({ n, self: isStitchName(n) }).toEqual({ n, self: false });
    }
  });
  test("the subcommand's line", () => {
    expect(parseArgs(["shim", "add", "railway", "gh"])).toEqual({ kind: "shim", action: "add", names: ["railway", "gh"], json: false });
    expect(parseArgs(["shim", "list", "--json"])).toEqual({ kind: "shim", action: "list", names: [], json: true });
    expect(parseArgs(["shim", "dir"])).toMatchObject({ kind: "shim", action: "dir" });
    for (const bad of [["shim"], ["shim", "add"], ["shim", "frob"], ["shim", "list", "x"], ["shim", "add", "--force", "x"]]) {
      expect(parseArgs(bad).kind).toBe("usage");
    }
    expect(parseArgs(["run", "shim", "x"])).toEqual({ kind: "run", start: 1 });
  });
  test("names and the directory", () => {
    expect(shimNameProblem("railway")).toBeUndefined();
    for (const bad of ["", ".", "..", "a/b", "a\\b", "-x", "stitch", "x".repeat(256)]) expect(shimNameProblem(bad)).toBeDefined();
    expect(shimDirectory({ STITCH_SHIM_DIR: "/s" }, () => "/h")?.dir).toBe("/s");
    expect(shimDirectory({ XDG_DATA_HOME: "/x" }, () => "/h")).toEqual({ dir: "/x/stitch/shims", creatable: ["/x/stitch", "/x/stitch/shims"] });
    expect(shimDirectory({}, () => "/h")?.dir).toBe("/h/.local/share/stitch/shims");
    expect(shimDirectory({ STITCH_SHIM_DIR: "rel", XDG_DATA_HOME: "rel" }, () => "/h")?.dir).toBe("/h/.local/share/stitch/shims");
    expect(shimDirectory({}, () => undefined)).toBeUndefined();
  });
  test("the command name put in front of its arguments, the arguments byte for byte", () => {
    // A real 0xff byte, not U+00FF (the JS string "\xff", which UTF-8 spells c3 bf).
    const ff = new Uint8Array([0x61, 0xff, 0x62]);
    const all = CStrings.of(["/shims/railway", "up", "", ff]);
    const args = all.from(1);
    const cmd = withFirst("railway", args);
    expect([0, 1, 2, 3].map((i) => cmd.at(i))).toEqual([new TextEncoder().encode("railway"), new TextEncoder().encode("up"), new Uint8Array(), ff]);
    expect(cmd.texts()).toEqual(["railway", "up", "", "a\ufffdb"]);
    expect(withFirst("x", CStrings.of([])).texts()).toEqual(["x"]);
  });
});
