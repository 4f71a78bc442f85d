// What program a process runs (design §4.3): argv0, or an interpreter's script or module;
// of its path only the basename and installed-package directories. Nothing else of the
// command line is read.

import { describe, expect, test } from "bun:test";
import { installedIn, programOf } from "../../src/resolve/program.ts";
import { agentOf, hostOf, transientReason } from "../../src/resolve/classify.ts";

const exact = (...argv: string[]) => programOf(argv, true);
/** As `ps` shows it: the command line split on spaces. */
const fromPs = (command: string) => programOf(command.split(/\s+/), false);
const agent = (...argv: string[]) => agentOf(programOf(argv, true))?.slug;

describe("argv0", () => {
  test("the basename, lower-cased, without .exe or a login shell's dash", () => {
    expect(exact("/usr/local/bin/Codex", "exec")).toMatchObject({ name: "codex", from: "argv0", command: "Codex" });
    expect(exact("C:\\Program Files\\codex.exe")).toMatchObject({ name: "codex", command: "codex" });
    // Windows file names ignore case: `.EXE` is `.exe`, and the command keeps its own case.
    expect(exact("C:\\Program Files\\Claude\\Claude.EXE")).toMatchObject({ name: "claude", command: "Claude", argv0: "claude" });
    expect(exact("-zsh")).toMatchObject({ name: "zsh", argv0: "zsh" });
  });
  test("arguments are never the program", () => {
    for (const argv of [
      ["vim", "codex.md"],
      ["tmux", "new", "-s", "claude"],
      ["code", "/home/u/src/opencode-fork"],
      ["make", "codex"],
      ["git", "commit", "-m", "codex: gemini"],
    ]) {
      expect(agent(...argv)).toBeUndefined();
    }
  });
});

describe("interpreters: the script, options and their values stepped over", () => {
  test("node", () => {
    expect(exact("node", "/usr/lib/node_modules/@openai/codex/bin/codex.js", "exec")).toMatchObject({ name: "codex", from: "script" });
    expect(exact("node", "--no-warnings=DEP0040", "--max-old-space-size", "8192", "/x/gemini.mjs").name).toBe("gemini");
    expect(exact("node", "--require", "./codex-hook.js", "server.js").name).toBe("server");
    expect(exact("node", "-r", "codex", "--import", "claude", "app.ts").name).toBe("app");
    expect(exact("node", "--", "codex.cjs").name).toBe("codex");
  });
  test("inline code and stdin run no script: the program is the runtime", () => {
    for (const argv of [
      ["node", "-e", "require('codex')"],
      ["node", "--eval=codex()", "x"],
      ["node", "-p", "1"],
      ["node", "-", "codex"],
      ["python3", "-c", "import codex"],
      ["python3", "-Bc", "import codex"],
      ["ruby", "-e", "codex"],
      ["perl", "-E", "codex"],
      ["deno", "eval", "codex()"],
    ]) {
      const p = exact(...argv);
      expect({ argv, name: p.name, from: p.from }).toEqual({ argv, name: p.argv0, from: "argv0" });
    }
  });
  test("python: clustered options, values, -m modules", () => {
    expect(exact("python3.12", "-u", "-W", "ignore", "/home/u/.local/bin/aider")).toMatchObject({ name: "aider", from: "bin" });
    expect(exact("python3", "-Wignore", "eval.py", "--model", "codex-mini").name).toBe("eval");
    expect(exact("python3", "-m", "aider.main", "--yes")).toMatchObject({ name: "aider", from: "module" });
    expect(exact("python3", "-um", "aider")).toMatchObject({ name: "aider", from: "module" });
    expect(exact("python3", "-maider")).toMatchObject({ name: "aider", from: "module" });
    expect(exact("python3", "-m", "pytest", "tests/test_codex.py").name).toBe("pytest");
  });
  test("bun and deno: a run verb is stepped over; a word that is not a file is not a script", () => {
    expect(exact("bun", "run", "/x/node_modules/@openai/codex/bin/codex.js").name).toBe("codex");
    expect(exact("bun", "--smol", "cli.ts").name).toBe("cli");
    expect(exact("bun", "run", "codex").name).toBe("bun"); // a package.json script of the user's
    expect(exact("bun", "test", "codex").name).toBe("bun");
    expect(exact("deno", "run", "-A", "--config", "x.json", "main.ts").name).toBe("main");
    expect(exact("deno", "run", "-A", "npm:@google/gemini-cli@0.61.0")).toMatchObject({ name: "", installed: ["npm:@google/gemini-cli"] });
  });
  test("_ is not a word boundary in a file name; short names are not matched as scripts", () => {
    expect(agent("python3", "test_codex_parser.py")).toBeUndefined();
    expect(agent("python3", "codex-notes.py")).toBeUndefined();
    expect(agent("python3", "pi.py")).toBeUndefined();
    expect(agent("node", "amp.js")).toBeUndefined();
    expect(agent("node", "/x/amp")).toBeUndefined();
  });
  test("an extension-less script in a bin directory is a command on PATH, short names included", () => {
    expect(exact("node", "/usr/local/bin/amp")).toMatchObject({ name: "amp", from: "bin", command: "amp" });
    expect(agent("node", "/usr/local/bin/amp")).toBe("amp");
    expect(agent("node", "/repo/node_modules/.bin/codex", "exec")).toBe("codex");
    expect(exact("node", "/usr/local/bin/amp.js").from).toBe("script");
  });
});

describe("shells", () => {
  test("a command string: transient, its text never read", () => {
    for (const argv of [
      ["bash", "-c", "codex exec"],
      ["/bin/bash", "-lc", "claude"],
      ["zsh", "-ic", "x"],
      ["sh", "-e", "-c", "x"],
      ["bash", "-o", "pipefail", "-c", "x"],
      ["fish", "--command=codex"],
      ["fish", "--command", "codex"],
      ["fish", "-c", "codex"],
    ]) {
      const p = exact(...argv);
      expect({ argv, commandString: p.commandString, transient: transientReason(p) !== undefined, agent: agentOf(p) }).toEqual({
        argv,
        commandString: true,
        transient: true,
        agent: undefined,
      });
    }
  });
  test("options are read as the shell reads them: `bash -rcfile FILE` is not `bash -c`", () => {
    expect(exact("bash", "-rcfile", "/home/u/codex/env.sh")).toMatchObject({ commandString: false, name: "bash" });
    expect(exact("bash", "--rcfile", "/x/rc", "-i").commandString).toBe(false);
    expect(exact("bash", "--init-file", "/home/u/.cursor-server/shellIntegration-bash.sh").name).toBe("bash");
    expect(exact("bash", "-o", "vi", "script.sh")).toMatchObject({ name: "script.sh", from: "script" });
    expect(exact("fish", "-C", "set x codex", "-i").name).toBe("fish");
    expect(exact("bash", "-s", "codex").name).toBe("bash");
    expect(exact("-bash").commandString).toBe(false);
  });
  test("a shell running a script runs that script", () => {
    expect(exact("/bin/sh", ".git/hooks/pre-commit")).toMatchObject({ name: "pre-commit", from: "script" });
    expect(exact("bash", "/home/u/.local/bin/cursor-agent", "-p", "x")).toMatchObject({ name: "cursor-agent", from: "bin" });
    expect(agent("bash", "codex.sh")).toBeUndefined();
  });
});

describe("installed packages: the only directories that count", () => {
  test("npm, scoped or not; .bin and .pnpm are not packages", () => {
    expect(installedIn("/usr/lib/node_modules/@openai/codex/node_modules/@openai/codex-linux-x64/vendor/x/codex")).toEqual([
      "npm:@openai/codex",
      "npm:@openai/codex-linux-x64",
    ]);
    expect(installedIn("/r/node_modules/.bin/opencode")).toEqual([]);
    expect(installedIn("/r/node_modules/.pnpm/cline@3.0.0/node_modules/cline/dist/cli.js")).toEqual(["npm:cline"]);
    expect(installedIn("/r/node_modules/codex")).toEqual([]); // a file, not a package directory
  });
  test("editor extensions, self-updating installs, Homebrew, pipx, site-packages, app bundles", () => {
    expect(installedIn("/h/.vscode/extensions/anthropic.claude-code-2.1.331-linux-x64/resources/native-binary/claude")).toEqual([
      "ext:anthropic.claude-code",
    ]);
    expect(installedIn("/h/.local/share/claude/versions/2.1.331")).toEqual(["versions:claude"]);
    expect(installedIn("/h/.local/share/cursor-agent/versions/2025.11.06-8fe8a63/index.js")).toEqual(["versions:cursor-agent"]);
    expect(installedIn("/opt/homebrew/Cellar/codex/0.169.0/bin/codex")).toEqual(["brew:codex"]);
    expect(installedIn("/h/.local/pipx/venvs/aider-chat/bin/python")).toEqual(["pipx:aider-chat"]);
    expect(installedIn("/usr/lib/python3/dist-packages/aider/main.py")).toEqual(["python:aider"]);
    expect(installedIn("/Applications/Cursor.app/Contents/MacOS/Cursor")).toEqual(["app:cursor"]);
  });
  test("user and project directories never count", () => {
    for (const path of ["/home/cody/bin/deploy", "/home/u/src/opencode-fork/bin/run", "/home/u/codex/claude-code/x.js", "/srv/extensions/codex/x"]) {
      expect(installedIn(path)).toEqual([]);
    }
    expect(agent("/home/cody/bin/deploy")).toBeUndefined();
    expect(agent("node", "/home/u/src/claude-code-fork/cli.js")).toBeUndefined();
  });
});

describe("from `ps`: a path cut at a space is not trusted", () => {
  test("argv0", () => {
    const helper = fromPs("/Applications/Claude.app/Contents/Frameworks/Claude Helper (Renderer).app/Contents/MacOS/Claude Helper (Renderer) --type=renderer");
    expect(helper).toMatchObject({ name: "", command: "" });
    expect(agentOf(helper)).toBeUndefined();
    // The directories before the cut are whole: the app bundle still counts.
    expect(fromPs("/Applications/Cursor.app/Contents/Frameworks/Cursor Helper (Plugin).app/Contents/MacOS/Cursor Helper (Plugin)").installed).toEqual([
      "app:cursor",
    ]);
    expect(hostOf(fromPs("/Applications/Cursor.app/Contents/Frameworks/Cursor Helper (Plugin).app/Contents/MacOS/Cursor Helper (Plugin)"))?.slug).toBe(
      "cursor",
    );
  });
  test("a script", () => {
    expect(fromPs("python3 /Users/u/codex notes.py").name).toBe("");
    expect(fromPs("/bin/bash /home/u/My Projects/codex tools/run.sh").name).toBe("");
    expect(fromPs("node /usr/lib/node_modules/@openai/codex/bin/codex.js exec --full-auto").name).toBe("codex");
  });
  test("the same argv read exactly is trusted", () => {
    expect(exact("/home/u/My Projects/codex tools/run.sh").name).toBe("run.sh");
  });
});

describe("Claude Code's rule (design §4.3)", () => {
  test("argv0 exactly `claude`, its installed forms", () => {
    expect(agent("claude")).toBe("claude_code");
    expect(agent("/home/u/.local/share/claude/versions/2.1.331", "--resume")).toBe("claude_code");
    expect(agent("node", "/usr/local/lib/node_modules/@anthropic-ai/claude-code/cli.js")).toBe("claude_code");
    expect(agent("/h/.vscode/extensions/anthropic.claude-code-2.1.0-darwin-arm64/resources/native-binary/claude")).toBe("claude_code");
  });
  test("never a bare claude substring, nor Claude Desktop's own executable", () => {
    for (const argv of [
      ["/Applications/Claude.app/Contents/MacOS/Claude"],
      ["node", "/home/u/.claude/hooks/notify.js"],
      ["python3", "/home/u/.claude/scripts/claude_usage.py"],
      ["python", "-m", "mcp_server_claude"],
      ["claudette"],
      ["node", "/x/claude"],
    ]) {
      expect({ argv, agent: agent(...argv) }).toEqual({ argv, agent: undefined });
    }
  });
});
