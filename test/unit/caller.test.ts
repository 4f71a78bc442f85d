import { describe, expect, test } from "bun:test";
import { Ancestry } from "../../src/resolve/ancestry.ts";
import { detectCaller, isAgentCaller } from "../../src/resolve/caller.ts";
import { agentChain, FakeProcesses } from "../support/fake-world.ts";

function caller(env: Record<string, string>, opts: { tty?: boolean; processes?: FakeProcesses } = {}) {
  const processes = opts.processes ?? agentChain(["/usr/local/bin/some-tool"]);
  let asked = 0;
  const decision = detectCaller({
    env,
    atTerminal: () => {
      asked++;
      return { human: opts.tty ?? false, why: opts.tty ? "stdout is a terminal" : "no stream is a terminal" };
    },
    ancestry: new Ancestry(processes, 1000, 999),
  });
  return { ...decision, ttyAsked: asked, reads: processes.reads };
}

describe("§4.1 RAILWAY_CALLER", () => {
  test("a safe value wins over every other signal", () => {
    const r = caller({ RAILWAY_CALLER: "my_bot", CLAUDECODE: "1" }, { processes: agentChain(["claude"]) });
    expect(r).toMatchObject({ caller: "my_bot", layer: "explicit" });
  });
  test("an unsafe value is skipped, not truncated", () => {
    const r = caller({ RAILWAY_CALLER: "bad value;rm", CLAUDECODE: "1" });
    expect(r).toMatchObject({ caller: "claude_code", layer: "agent_env" });
  });
  test("surrounding space is trimmed", () => {
    expect(caller({ RAILWAY_CALLER: "  bot  " }).caller).toBe("bot");
  });
});

describe("§4.2 agent environment markers", () => {
  const cases: [Record<string, string>, string][] = [
    [{ CLAUDECODE: "1" }, "claude_code"],
    [{ CLAUDE_PID: "123" }, "claude_code"],
    [{ AI_AGENT: "claude-code_2-1-328_agent" }, "claude_code"],
    [{ CODEX_THREAD_ID: "0199-abc" }, "codex"],
    [{ CODEX_CI: "1" }, "codex"],
    [{ OPENCODE: "1" }, "opencode"],
    [{ OPENCODE_PID: "77" }, "opencode"],
    [{ AGENT: "amp" }, "amp"],
    [{ AGENT: "AMP" }, "amp"],
    [{ AMP_CURRENT_THREAD_ID: "T-1" }, "amp"],
    [{ AI_AGENT: "amp" }, "amp"],
    [{ KILO_PROCESS_ROLE: "main" }, "kilo_code"],
    [{ QODER_CLI: "1" }, "qoder_cli"],
    [{ QODERCN_CLI: "1" }, "qoder_cli"],
    [{ LETTA_AGENT_ID: "agent-1" }, "letta_code"],
    [{ LETTA_CONVERSATION_ID: "default" }, "letta_code"],
    [{ CURSOR_AGENT: "1" }, "cursor"],
    [{ GEMINI_CLI: "1" }, "gemini_cli"],
    [{ QWEN_CODE: "1" }, "qwen_code"],
    [{ QWEN_CODE_SESSION_ID: "d6bee605-5814-4dd8-a008-60d8e41cc164" }, "qwen_code"],
    [{ CLINE_ACTIVE: "true" }, "cline"],
    [{ ROO_ACTIVE: "true" }, "roo_code"],
    [{ AI_AGENT: "github-copilot-cli" }, "copilot_cli"],
    [{ AGENT: "crush" }, "crush"],
    [{ PI_CODING_AGENT: "true" }, "pi"],
    [{ __COG_BASHRC_SOURCED: "1" }, "devin"],
    [{ REPL_ID: "x", REPLIT_MODE: "assistant" }, "replit_agent"],
    [{ HOME: "/home/jules", USER: "swebot" }, "jules"],
  ];
  for (const [env, slug] of cases) {
    test(`${JSON.stringify(env)} → ${slug}`, () => {
      expect(caller(env)).toMatchObject({ caller: slug, layer: "agent_env" });
    });
  }
  test("needs no process walk and no terminal test", () => {
    const r = caller({ CLAUDECODE: "1" });
    expect(r.reads).toEqual([]);
    expect(r.ttyAsked).toBe(0);
  });
  test("an empty marker counts as unset", () => {
    expect(caller({ CLAUDECODE: "" }).caller).not.toBe("claude_code");
  });
  test("table order decides between two agents' markers", () => {
    expect(caller({ OPENCODE: "1", CLAUDECODE: "1" }).caller).toBe("claude_code");
  });
  test("an unmapped AI_AGENT value is used as the slug when safe", () => {
    expect(caller({ AI_AGENT: "v0" })).toMatchObject({ caller: "v0", layer: "agent_env" });
    expect(caller({ AI_AGENT: "not safe!" }).layer).not.toBe("agent_env");
  });
  test("Kiro's TERM_PROGRAM marks the agent only when stdout is not a terminal", () => {
    expect(caller({ TERM_PROGRAM: "kiro" }, { tty: false }).caller).toBe("kiro");
    expect(caller({ TERM_PROGRAM: "kiro" }, { tty: true }).caller).toBe("tty:kiro");
  });
  test("CURSOR_TRACE_ID is the IDE, not the agent", () => {
    expect(caller({ CURSOR_TRACE_ID: "t" }, { tty: true }).caller).toBe("tty:cursor");
    expect(caller({ CURSOR_TRACE_ID: "t" }, { tty: false }).caller).toBe("agent_unknown:cursor:some-tool");
  });
});

describe("§4.3 process tree", () => {
  test("argv0 basename exactly `claude` is Claude Code", () => {
    const r = caller({}, { processes: agentChain(["/opt/claude-code-linux-x64/claude", "-p", "hi"]) });
    expect(r).toMatchObject({ caller: "claude_code", layer: "process_tree" });
  });
  test("a program installed under @anthropic-ai/claude-code is Claude Code", () => {
    const r = caller({}, { processes: agentChain(["node", "/usr/lib/node_modules/@anthropic-ai/claude-code/cli.js"]) });
    expect(r.caller).toBe("claude_code");
  });
  test("a bare `claude` substring is not Claude Code", () => {
    for (const argv of [
      ["/Applications/Claude.app/Contents/Frameworks/Claude Helper (Renderer).app/Contents/MacOS/Claude Helper"],
      ["node", "/home/u/.claude/hooks/notify.js"],
      ["python", "-m", "mcp_server_claude"],
      ["claudette"],
    ]) {
      expect(caller({}, { processes: agentChain(argv) }).layer).not.toBe("process_tree");
    }
  });
  test("Claude Desktop's helper seen through `ps` (argv joined by spaces) is not Claude Code", () => {
    const helper = "/Applications/Claude.app/Contents/Frameworks/Claude Helper (Renderer).app/Contents/MacOS/Claude Helper (Renderer)";
    const processes = new FakeProcesses([
      { pid: 999, ppid: 500, argv: ["/bin/zsh", "-c", "x"], exact: false },
      { pid: 500, ppid: 1, argv: [...helper.split(" "), "--type=renderer"], exact: false },
    ]);
    expect(caller({}, { processes }).layer).not.toBe("process_tree");
    const real = new FakeProcesses([
      { pid: 999, ppid: 500, argv: ["/bin/zsh", "-c", "x"], exact: false },
      { pid: 500, ppid: 1, argv: ["/Users/u/.local/bin/claude", "--resume", "abc"], exact: false },
    ]);
    expect(caller({}, { processes: real }).caller).toBe("claude_code");
  });
  test("short names match only as the exact argv0 basename", () => {
    expect(caller({}, { processes: agentChain(["/usr/bin/pi"]) }).caller).toBe("pi");
    expect(caller({}, { processes: agentChain(["/usr/bin/amp", "--x"]) }).caller).toBe("amp");
    expect(caller({}, { processes: agentChain(["droid"]) }).caller).toBe("factory_droid");
    for (const argv of [["pilot"], ["/usr/bin/chamber"], ["android-tools"], ["node", "/x/amp"], ["python", "pi"]]) {
      expect(caller({}, { processes: agentChain(argv) }).layer).not.toBe("process_tree");
    }
  });
  test("the program's arguments never name an agent (design §4.3)", () => {
    for (const argv of [
      ["vim", "codex.md"],
      ["tmux", "new", "-s", "codex"],
      ["python3", "eval.py", "--model", "codex-mini"],
      ["/usr/share/code/code", "/home/u/src/opencode-fork"],
      ["make", "claude"],
      ["/home/cody/bin/deploy"],
    ]) {
      expect({ argv, layer: caller({}, { processes: agentChain(argv) }).layer }).toEqual({ argv, layer: "fallback" });
    }
  });
  test("names match only whole: mongoose is not goose", () => {
    expect(caller({}, { processes: agentChain(["node", "/srv/mongoose/server.js"]) }).layer).not.toBe("process_tree");
    expect(caller({}, { processes: agentChain(["/usr/bin/goose", "session"]) }).caller).toBe("goose");
  });
  test("the nearest agent wins, a few hops up", () => {
    const processes = new FakeProcesses([
      { pid: 999, ppid: 998, argv: ["sh", "-c", "x"] },
      { pid: 998, ppid: 997, argv: ["bash", "-lc", "y"] },
      { pid: 997, ppid: 996, argv: ["/usr/bin/codex", "exec"] },
      { pid: 996, ppid: 1, argv: ["claude"] },
    ]);
    expect(caller({}, { processes })).toMatchObject({ caller: "codex", layer: "process_tree" });
  });
  test("a transient shell's command string is not read as an agent", () => {
    const processes = agentChain(["/usr/bin/my-harness"], { shell: ["/bin/bash", "-c", "railway logs --service codex"] });
    expect(caller({}, { processes }).layer).not.toBe("process_tree");
  });
  test("an agent beyond 15 hops is not seen", () => {
    const chain = Array.from({ length: 15 }, (_, i) => ({ pid: 999 - i, ppid: 998 - i, argv: ["bash", "-c", "x"] }));
    const processes = new FakeProcesses([...chain, { pid: 984, ppid: 1, argv: ["claude"] }]);
    expect(caller({}, { processes }).layer).not.toBe("process_tree");
    const shorter = new FakeProcesses([...chain.slice(0, 14), { pid: 985, ppid: 1, argv: ["claude"] }]);
    expect(caller({}, { processes: shorter }).caller).toBe("claude_code");
  });
});

describe("generic agent marker", () => {
  test("AGENT=1 gives agent_unknown with the anchor's kind and the residue", () => {
    expect(caller({ AGENT: "1" }, { tty: true })).toMatchObject({ caller: "agent_unknown:proc:some-tool", layer: "agent_marker" });
    const node = agentChain(["node", "/usr/lib/node_modules/@acme/agent-kit/dist/cli.js"]);
    expect(caller({ AGENT: "1" }, { processes: node })).toMatchObject({ caller: "agent_unknown:node:@acme/agent-kit", layer: "agent_marker" });
  });
  test("AGENT=0 is not a marker", () => {
    expect(caller({ AGENT: "0" }, { tty: true }).caller).toBe("tty");
  });
});

describe("§4.4 IDE hosts", () => {
  test("tty:<ide> at a terminal, agent_unknown:<ide> otherwise", () => {
    expect(caller({ TERM_PROGRAM: "vscode" }, { tty: true }).caller).toBe("tty:vscode");
    expect(caller({ TERM_PROGRAM: "vscode" }, { tty: false }).caller).toBe("agent_unknown:vscode:some-tool");
  });
  test("the macOS bundle id beats TERM_PROGRAM", () => {
    const env = { TERM_PROGRAM: "vscode", __CFBundleIdentifier: "com.todesktop.230313mzl4w4u92" };
    expect(caller(env, { tty: true }).caller).toBe("tty:cursor");
  });
  test("JetBrains by TERMINAL_EMULATOR, Warp and iTerm by TERM_PROGRAM", () => {
    expect(caller({ TERMINAL_EMULATOR: "JetBrains-JediTerm" }, { tty: true }).caller).toBe("tty:jetbrains");
    expect(caller({ TERM_PROGRAM: "WarpTerminal" }, { tty: true }).caller).toBe("tty:warp");
    expect(caller({ TERM_PROGRAM: "iTerm.app" }, { tty: true }).caller).toBe("tty:iterm");
  });
  test("an IDE process among the ancestors is a host", () => {
    const processes = agentChain(["/usr/share/cursor/cursor", "--type=ptyHost"]);
    expect(caller({}, { processes, tty: true }).caller).toBe("tty:cursor");
    expect(caller({}, { processes, tty: false }).caller).toBe("agent_unknown:cursor");
  });
  test("a shell whose --init-file lies under a cursor directory is not Cursor", () => {
    const processes = agentChain(["/bin/bash", "--init-file", "/home/u/.cursor-server/bin/x/shellIntegration-bash.sh"]);
    expect(caller({}, { processes, tty: true }).caller).toBe("tty");
  });
  test("hosts come after agents: an agent inside an IDE is the agent", () => {
    expect(caller({ TERM_PROGRAM: "vscode", CLAUDECODE: "1" }, { tty: true }).caller).toBe("claude_code");
  });
});

describe("§4.5 cloud IDEs", () => {
  test("tty:<host> at a terminal, cloud_ide:<host> otherwise", () => {
    expect(caller({ CODESPACES: "true" }, { tty: true }).caller).toBe("tty:codespaces");
    expect(caller({ CODESPACES: "true" }, { tty: false }).caller).toBe("cloud_ide:codespaces");
    expect(caller({ REPL_ID: "abc" }, { tty: false }).caller).toBe("cloud_ide:replit");
  });
  test("CODESPACES=false is not Codespaces", () => {
    expect(caller({ CODESPACES: "false" }, { tty: false }).caller).not.toContain("codespaces");
  });
});

describe("§4.6 CI", () => {
  test("a vendor from ci-info's table, when not interactive", () => {
    expect(caller({ GITHUB_ACTIONS: "true", CI: "true" })).toMatchObject({ caller: "ci:github_actions", layer: "ci" });
    expect(caller({ GITLAB_CI: "true" }).caller).toBe("ci:gitlab");
    expect(caller({ RAILWAY_PROJECT_ID: "p" }).caller).toBe("ci:railway");
  });
  test("CI truthy alone is plain ci", () => {
    expect(caller({ CI: "1" }).caller).toBe("ci");
    expect(caller({ CI: "false" }).caller).toBe("agent_unknown:proc:some-tool");
  });
  test("at a terminal CI markers do not count (agents set CI=true too)", () => {
    expect(caller({ GITHUB_ACTIONS: "true", CI: "true" }, { tty: true }).caller).toBe("tty");
  });
});

describe("§4.7 fallback, §4.8 residue", () => {
  test("tty when stdout is a terminal", () => {
    expect(caller({}, { tty: true })).toMatchObject({ caller: "tty", layer: "fallback" });
  });
  test("agent_unknown:<kind>:<residue>, the kind the anchor's", () => {
    expect(caller({}).caller).toBe("agent_unknown:proc:some-tool");
    const py = new FakeProcesses([{ pid: 999, ppid: 1, argv: ["/usr/bin/python3.12", "agent.py"] }]);
    expect(caller({}, { processes: py }).caller).toBe("agent_unknown:python:agent");
    const login = new FakeProcesses([{ pid: 999, ppid: 1, argv: ["-zsh"] }]);
    expect(caller({}, { processes: login }).caller).toBe("agent_unknown:shell");
  });
  test("the kind does not flip when the shell execs the last command (the anchor's, not the parent's)", () => {
    const agent = ["node", "/home/u/.npm/_npx/1/node_modules/@acme/agent-kit/dist/cli.js", "--yes"];
    const viaShell = new FakeProcesses([
      { pid: 999, ppid: 500, argv: ["/bin/bash", "-c", "stitch railway up; echo done"] },
      { pid: 500, ppid: 1, argv: agent },
    ]);
    const direct = new FakeProcesses([{ pid: 999, ppid: 1, argv: agent }]);
    expect(caller({}, { processes: viaShell }).caller).toBe("agent_unknown:node:@acme/agent-kit");
    expect(caller({}, { processes: direct }).caller).toBe("agent_unknown:node:@acme/agent-kit");
  });
  test("no known kind: agent_unknown:proc:<residue>; nothing readable: agent_unknown", () => {
    const odd = new FakeProcesses([{ pid: 999, ppid: 1, argv: ["/opt/thing"] }]);
    expect(caller({}, { processes: odd }).caller).toBe("agent_unknown:proc:thing");
    expect(caller({}, { processes: new FakeProcesses() }).caller).toBe("agent_unknown");
  });
});

test("isAgentCaller: all but tty, tty:*, ci, ci:*", () => {
  for (const c of ["tty", "tty:vscode", "ci", "ci:github_actions"]) expect(isAgentCaller(c)).toBe(false);
  for (const c of ["claude_code", "agent_unknown", "agent_unknown:shell", "cloud_ide:replit", "ttyx", "circle"]) {
    expect(isAgentCaller(c)).toBe(true);
  }
});

describe("§4.2 the most specific marked row wins, never the table's order", () => {
  const { markedAgent } = require("../../src/resolve/caller.ts") as typeof import("../../src/resolve/caller.ts");
  const { AGENTS } = require("../../src/catalog/agents.ts") as typeof import("../../src/catalog/agents.ts");
  const { holds } = require("../../src/catalog/condition.ts") as typeof import("../../src/catalog/condition.ts");
  type Condition = import("../../src/catalog/condition.ts").Condition;
  const marked = (env: Record<string, string>, rows = AGENTS, processes = agentChain(["/usr/local/bin/some-tool"])) =>
    markedAgent({ env, atTerminal: () => ({ human: false, why: "" }), ancestry: new Ancestry(processes, 1000, 999) }, { env, atTerminal: false }, rows)?.row.slug;

  test("Kilo CLI keeps OpenCode's markers and is named as itself, in any order of the table", () => {
    const env = { OPENCODE: "1", AGENT: "1", KILO: "1", KILO_PID: "77", KILO_RUN_ID: "0b9f2c1e-1111-4222-8333-444455556666" };
    expect(caller(env)).toMatchObject({ caller: "kilo_code", layer: "agent_env" });
    expect(marked(env, [...AGENTS].reverse())).toBe("kilo_code");
    expect(caller({ OPENCODE: "1", AGENT: "1" }).caller).toBe("opencode");
  });

  /** An environment in which the condition holds (undefined for terminal-only conditions). */
  function envFor(c: Condition): Record<string, string> | undefined {
    if ("all" in c) {
      const parts = c.all.map(envFor);
      return parts.some((p) => p === undefined) ? undefined : Object.assign({}, ...parts);
    }
    if ("any" in c) return envFor(c.any[0]!);
    if ("atTerminal" in c) return c.atTerminal ? undefined : {};
    if ("equals" in c) return { [c.env]: c.equals };
    if ("startsWith" in c) return { [c.env]: `${c.startsWith}-x` };
    if ("includes" in c) return { [c.env]: `x${c.includes}x` };
    return { [c.env]: "1" };
  }

  // The expected winner of each pair, written out from design §4.2 (not computed with the
  // implementation's rule): a fork over its upstream (rule 1); otherwise, with the process
  // tree silent and one condition holding for each, the first in the table (rule 3), whose
  // order for these rows is claude_code, amp, copilot_cli, crush, goose (agents.ts).
  const PAIR_WINNER: Record<string, string> = {
    "kilo_code+opencode": "kilo_code",
    "amp+claude_code": "claude_code",
    "claude_code+copilot_cli": "claude_code",
    "claude_code+crush": "claude_code",
    "amp+copilot_cli": "amp",
    "amp+crush": "amp",
    "amp+goose": "amp",
    "copilot_cli+crush": "copilot_cli",
    "crush+goose": "crush",
  };

  test("every pair of rows whose markers share a variable or a fork: the winner written in the table above", () => {
    const names = (c: Condition): string[] => ("all" in c ? c.all.flatMap(names) : "any" in c ? c.any.flatMap(names) : "env" in c ? [c.env] : []);
    const seen = new Set<string>();
    let cases = 0;
    for (const a of AGENTS) {
      for (const b of AGENTS) {
        if (a === b) continue;
        const shared = a.when.some((ca) => b.when.some((cb) => names(ca).some((n) => names(cb).includes(n))));
        if (!shared && a.forkOf !== b.slug) continue;
        // Every way of setting one marker of each at once.
        for (const ca of a.when) {
          for (const cb of b.when) {
            const ea = envFor(ca);
            const eb = envFor(cb);
            if (!ea || !eb || Object.keys(ea).some((k) => k in eb && eb[k] !== ea[k])) continue;
            const env = { ...ea, ...eb };
            const holdsFor = (row: typeof a) => row.when.some((c) => holds(c, { env, atTerminal: false }));
            if (!holdsFor(a) || !holdsFor(b)) continue;
            const pair = [a.slug, b.slug].sort().join("+");
            seen.add(pair);
            cases++;
            // A pair not in the table: a new row shares a marker; write its winner there from §4.2.
            expect({ pair, env, winner: marked(env) }).toEqual({ pair, env, winner: PAIR_WINNER[pair] ?? "(not in PAIR_WINNER)" });
            // A fork wins whatever the order of the table.
            if (a.forkOf === b.slug || b.forkOf === a.slug) expect(marked(env, [...AGENTS].reverse())).toBe(PAIR_WINNER[pair]!);
          }
        }
      }
    }
    expect([...seen].sort()).toEqual(Object.keys(PAIR_WINNER).sort());
    expect(cases).toBeGreaterThan(100);
  });

  test("rule 3: the row with more of its conditions holding wins over the table's order; a tie goes to the first", () => {
    // Amp with two markers against Claude Code with one: amp, though claude_code comes first.
    expect(marked({ CLAUDECODE: "1", AGENT: "amp", AMP_CURRENT_THREAD_ID: "T-1" })).toBe("amp");
    expect(marked({ CLAUDECODE: "1", CLAUDE_CODE_SESSION_ID: "s", AGENT: "amp", AMP_CURRENT_THREAD_ID: "T-1" })).toBe("claude_code");
    expect(marked({ CRUSH: "1", AGENT: "goose", GOOSE_TERMINAL: "1" })).toBe("goose");
  });

  test("unrelated agents both marked (one inside the other): the nearest in the process tree", () => {
    const env = { CLAUDECODE: "1", OPENCODE: "1" };
    const opencodeInsideClaude = new FakeProcesses([
      { pid: 999, ppid: 500, argv: ["/bin/bash", "-c", "stitch x"] },
      { pid: 500, ppid: 400, argv: ["/home/u/.opencode/bin/opencode", "run"] },
      { pid: 400, ppid: 300, argv: ["/bin/bash", "-c", "opencode run"] },
      { pid: 300, ppid: 1, argv: ["claude"] },
    ]);
    expect(marked(env, AGENTS, opencodeInsideClaude)).toBe("opencode");
    const claudeInsideOpencode = new FakeProcesses([
      { pid: 999, ppid: 500, argv: ["/bin/bash", "-c", "stitch x"] },
      { pid: 500, ppid: 400, argv: ["claude", "-p", "x"] },
      { pid: 400, ppid: 1, argv: ["/home/u/.opencode/bin/opencode", "run"] },
    ]);
    expect(marked(env, AGENTS, claudeInsideOpencode)).toBe("claude_code");
    // By a pid variable, when the program says nothing.
    const renamed = new FakeProcesses([
      { pid: 999, ppid: 500, argv: ["/bin/bash", "-c", "stitch x"] },
      { pid: 500, ppid: 1, argv: ["/opt/harness"] },
    ]);
    expect(marked({ ...env, OPENCODE_PID: "500" }, AGENTS, renamed)).toBe("opencode");
    expect(marked({ ...env, CLAUDE_PID: "500" }, AGENTS, renamed)).toBe("claude_code");
  });
});
