// The precision corpus: process trees as `ps -o command=` shows them on real machines,
// outermost first, the last entry being the process that runs stitch. Humans put agent
// names everywhere a person puts words (file, directory, session, model, target, script,
// container and user names); agents come in every shape they really have (native
// binaries, node/bun/python script forms, vendor paths, inside tmux or an IDE terminal,
// behind nested shells). No tree sets an agent's environment marker: only the process
// tree can name the agent, and only the process tree can mistake a human for one.

import type { HumanShape } from "./puppet.ts";

export interface Tree {
  readonly id: string;
  /** Where the agent names are (humans) or what shape the agent has (agents). */
  readonly note: string;
  /** The slug stitch must report; null for a human, who must not be named as any agent. */
  readonly expect: string | null;
  readonly levels: readonly (readonly string[])[];
  /** Extra environment for stitch (an IDE's terminal variables, ...). */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * A human at a real interactive bash (started by the last level on a fresh terminal),
   * typing commands whose stdout is not the terminal (puppet.ts's typedLines).
   */
  readonly shape?: HumanShape;
  /** An agent started from a terminal: the tree above its shell tool has one (puppet.ts). */
  readonly fromTerminal?: boolean;
}

const H = "/home/alice";
const sshd = ["sshd: alice@pts/0"];
const loginBash = ["-bash"];
const zsh = ["-zsh"];
const vscodeMain = ["/usr/share/code/code", `${H}/src/opencode-fork`];
const vscodePtyHost = [
  "/usr/share/code/code",
  "--type=utility",
  "--utility-sub-type=node.mojom.NodeService",
  "--lang=en-US",
  "--service-sandbox-type=none",
  "--shared-files=v8_context_snapshot_data:100",
];
const vscodeShell = [
  "/usr/bin/bash",
  "--init-file",
  "/usr/share/code/resources/app/out/vs/workbench/contrib/terminal/common/scripts/shellIntegration-bash.sh",
];
const vscodeEnv = { TERM_PROGRAM: "vscode", TERM_PROGRAM_VERSION: "1.106.2" };
/** How agents' shell tools run one command. */
const bashC = (cmd = "stitch railway up") => ["/bin/bash", "-c", cmd];
const bashLc = (cmd = "stitch railway up") => ["/bin/bash", "-lc", cmd];
const claudeShell = [
  "/bin/bash",
  "-c",
  `source ${H}/.claude/shell-snapshots/snapshot-bash-1764131000000-abc123.sh && { shopt -u extglob || setopt NO_EXTENDED_GLOB; } 2>/dev/null || true && eval 'stitch railway up' < /dev/null && pwd -P >| /tmp/claude-4f1a-cwd`,
];

export const HUMANS: readonly Tree[] = [
  {
    id: "vim-codex-md",
    note: "a file name: `vim codex.md`, then `:!stitch railway up`",
    expect: null,
    levels: [sshd, loginBash, ["vim", "codex.md"], bashC()],
  },
  {
    id: "tmux-session-codex",
    note: "a tmux session named codex",
    expect: null,
    levels: [["tmux", "new", "-s", "codex"], zsh],
  },
  {
    id: "tmux-session-window-names",
    note: "session and window names: claude, opencode",
    expect: null,
    levels: [["tmux", "new-session", "-d", "-s", "claude", "-n", "opencode"], ["-zsh"]],
  },
  {
    id: "python-eval-model",
    note: "a model name: `python3 eval.py --model codex-mini --agent claude`",
    expect: null,
    levels: [sshd, loginBash, ["python3", "eval.py", "--model", "codex-mini", "--agent", "claude"], ["/bin/sh", "-c", "stitch railway logs"]],
  },
  {
    id: "vscode-opened-on-fork",
    note: "VS Code opened on ~/src/opencode-fork, its integrated terminal",
    expect: null,
    levels: [vscodeMain, vscodePtyHost, vscodeShell],
    env: vscodeEnv,
  },
  {
    id: "cursor-terminal-init-file",
    note: "a shell started with an --init-file under a cursor directory, in Cursor's terminal",
    expect: null,
    levels: [
      ["/usr/share/cursor/cursor", "--type=utility", "--utility-sub-type=node.mojom.NodeService", "--lang=en-US"],
      ["/bin/bash", "--init-file", `${H}/.cursor-server/bin/0.42.3/out/vs/workbench/contrib/terminal/common/scripts/shellIntegration-bash.sh`],
    ],
  },
  {
    id: "make-target",
    note: "a make target: `make codex`",
    expect: null,
    levels: [zsh, ["make", "codex"], ["/bin/sh", "-c", "stitch railway up --service codex"]],
  },
  {
    id: "npm-script",
    note: "an npm script: `npm run deploy:claude` (npm retitles itself)",
    expect: null,
    levels: [zsh, ["npm run deploy:claude"], ["sh", "-c", "stitch railway up --service claude-bot"]],
  },
  {
    id: "node-npm-cli-script",
    note: "npm as node runs it, script arguments naming agents",
    expect: null,
    levels: [
      loginBash,
      ["node", "/usr/lib/node_modules/npm/bin/npm-cli.js", "run", "test:codex", "--", "--grep", "opencode"],
      ["sh", "-c", "stitch railway run vitest"],
    ],
  },
  {
    id: "container-name",
    note: "a container named codex-sandbox: podman's conmon runs its shell",
    expect: null,
    levels: [
      ["/usr/bin/conmon", "--api-version", "1", "-c", "8f3e2a", "-u", "8f3e2a", "-n", "codex-sandbox", "--exit-dir", "/run/user/1000/libpod/tmp/exits"],
      ["/bin/bash"],
    ],
  },
  {
    id: "git-hook",
    note: "a git hook, the commit message naming agents",
    expect: null,
    levels: [zsh, ["git", "commit", "-m", "codex: port the claude parser"], ["/bin/sh", ".git/hooks/pre-commit"]],
  },
  {
    id: "claude-dir-script",
    note: "a script under ~/.claude/, run by hand",
    expect: null,
    levels: [loginBash, ["bash", `${H}/.claude/statusline.sh`, "--agent", "claude"]],
  },
  {
    id: "claude-dir-python",
    note: "a Python script under ~/.claude/ named claude_usage.py",
    expect: null,
    levels: [loginBash, ["python3", `${H}/.claude/scripts/claude_usage.py`, "--since", "codex"]],
  },
  {
    id: "test-file-underscore",
    note: "a test file: `python3 test_codex_parser.py` (`_` is not a word boundary)",
    expect: null,
    levels: [zsh, ["python3", "test_codex_parser.py"]],
  },
  {
    id: "pytest-module",
    note: "`python3 -m pytest tests/test_codex.py -k claude`",
    expect: null,
    levels: [zsh, ["python3", "-m", "pytest", "tests/test_codex.py", "-k", "claude"]],
  },
  {
    id: "user-named-cody",
    note: "a user called cody: `/home/cody/bin/deploy`",
    expect: null,
    levels: [["-bash"], ["/bin/bash", "/home/cody/bin/deploy", "--env", "prod"]],
  },
  {
    id: "user-named-cody-binary",
    note: "a user called cody, a compiled tool in ~/.local/bin",
    expect: null,
    levels: [["-bash"], ["/home/cody/.local/bin/release-tool", "--dry-run"]],
  },
  {
    id: "project-dir-node",
    note: "a project directory named codex-dashboard: `node ~/src/codex-dashboard/server.js`",
    expect: null,
    levels: [zsh, ["node", `${H}/src/codex-dashboard/server.js`, "--port", "3000"], ["/bin/sh", "-c", "stitch railway up"]],
  },
  {
    id: "jetbrains-terminal",
    note: "IntelliJ opened on ~/src/gemini-bot, its terminal started with -rcfile",
    expect: null,
    levels: [
      ["/opt/idea/jbr/bin/java", "-Xmx2048m", "-Didea.paths.selector=IntelliJIdea2025.2", "com.intellij.idea.Main", `${H}/src/gemini-bot`],
      ["/bin/bash", "--rcfile", "/opt/idea/plugins/terminal/shell-integrations/bash/bash-integration.bash", "-i"],
    ],
    env: { TERMINAL_EMULATOR: "JetBrains-JediTerm" },
  },
  {
    id: "bash-rcfile-single-dash",
    note: "`bash -rcfile ~/codex/env.sh` is bash's --rcfile, not `bash -c`",
    expect: null,
    levels: [sshd, ["bash", "-rcfile", `${H}/codex/env.sh`]],
  },
  {
    id: "screen-session",
    note: "a screen session named gemini",
    expect: null,
    levels: [["SCREEN", "-S", "gemini"], ["/bin/bash"]],
  },
  {
    id: "zellij-session",
    note: "a zellij session named opencode, over ssh",
    expect: null,
    levels: [sshd, zsh, ["zellij", "--server", "/run/user/1000/zellij/0.41.2/opencode"], ["/usr/bin/zsh"]],
  },
  {
    id: "watch-arguments",
    note: "`watch -n 5 stitch railway status --service codex`",
    expect: null,
    levels: [zsh, ["watch", "-n", "5", "stitch railway status --service codex"], ["sh", "-c", "stitch railway status --service codex"]],
  },
  {
    id: "cargo-built-tool",
    note: "a tool built from a project: target/debug/codex-cli",
    expect: null,
    levels: [zsh, [`${H}/src/mytool/target/debug/codex-cli`, "--dry-run"]],
  },
  {
    id: "short-name-scripts",
    note: "short names as script files: `python3 pi.py`, then `node amp.js`",
    expect: null,
    levels: [zsh, ["python3", "pi.py", "--digits", "1000"], ["node", "amp.js"]],
  },
  {
    id: "tsx-script-pi",
    note: "`tsx scripts/pi.ts`: tsx's node child with its loader options",
    expect: null,
    levels: [
      zsh,
      ["node", `${H}/app/node_modules/.bin/tsx`, "scripts/pi.ts"],
      ["/usr/bin/node", "--require", `${H}/app/node_modules/tsx/dist/preflight.cjs`, "--import", `file://${H}/app/node_modules/tsx/dist/loader.mjs`, "scripts/pi.ts"],
    ],
  },
  {
    id: "path-with-spaces",
    note: "a directory with a space: `bash '/home/alice/My Projects/codex tools/run.sh'`",
    expect: null,
    levels: [zsh, ["/bin/bash", `${H}/My Projects/codex tools/run.sh`]],
  },
  {
    id: "claude-desktop-helper",
    note: "Claude Desktop's helper (a path with spaces), not Claude Code",
    expect: null,
    levels: [
      ["/Applications/Claude.app/Contents/MacOS/Claude"],
      ["/Applications/Claude.app/Contents/Frameworks/Claude Helper (Renderer).app/Contents/MacOS/Claude Helper (Renderer)", "--type=renderer"],
      ["/bin/zsh", "-c", "stitch railway up"],
    ],
  },
  {
    id: "mcp-server-named-claude",
    note: "an MCP server with claude in its package and arguments",
    expect: null,
    levels: [zsh, ["node", `${H}/mcp/claude-memory-server/index.js`, "--name", "claude"], ["/bin/sh", "-c", "stitch railway variables"]],
  },
  // Humans whose stdout is not the terminal (design §4, "At a terminal"): a real interactive
  // bash, typed the command. Each was named an agent (agent_unknown:...) before issue 20.
  { id: "ssh-piped", note: "over ssh: `railway logs | grep`", expect: null, levels: [sshd], shape: "piped" },
  { id: "tmux-captured", note: "in a tmux session named claude: `x=$(railway status)`", expect: null, levels: [["tmux", "new", "-s", "claude"]], shape: "captured" },
  { id: "vscode-redirected", note: "VS Code's terminal: `railway up > log`", expect: null, levels: [vscodeMain, vscodePtyHost], env: vscodeEnv, shape: "redirected" },
  { id: "kiro-terminal-piped", note: "Kiro's terminal (TERM_PROGRAM=kiro, Kiro's marker when no human is at a terminal), output piped", expect: null, levels: [vscodeMain, vscodePtyHost], env: { TERM_PROGRAM: "kiro" }, shape: "piped" },
  { id: "ssh-nohup-background", note: "over ssh: `nohup railway up > log 2>&1 </dev/null &`, no stream on the terminal", expect: null, levels: [sshd], shape: "nohup" },
  { id: "tmux-watch", note: "`watch` in a tmux session named codex: the command's stdout is watch's pipe", expect: null, levels: [["tmux", "new", "-s", "codex"]], shape: "watch" },
  { id: "ssh-xargs-piped", note: "over ssh: `... | xargs railway ... | cat`", expect: null, levels: [sshd], shape: "xargs" },
  { id: "cursor-make-tee", note: "Cursor's terminal: `make deploy 2>&1 | tee`", expect: null, levels: [vscodeMain, vscodePtyHost], env: { TERM_PROGRAM: "vscode", CURSOR_TRACE_ID: "a1b2c3" }, shape: "make" },
  { id: "ci-exported-piped", note: "a human who exported CI=true, piping output", expect: null, levels: [sshd], env: { CI: "true" }, shape: "piped" },
];

export const AGENTS: readonly Tree[] = [
  {
    id: "claude-native",
    note: "Claude Code's native binary on PATH (argv0 `claude`), its Bash tool",
    expect: "claude_code",
    levels: [zsh, ["claude"], claudeShell],
  },
  {
    id: "claude-native-full-path",
    note: "Claude Code's native install run by its full path",
    expect: "claude_code",
    levels: [loginBash, [`${H}/.local/share/claude/versions/2.1.331`, "--resume"], claudeShell],
  },
  {
    id: "claude-npm-node",
    note: "Claude Code from npm, run by node (cli.js under @anthropic-ai/claude-code)",
    expect: "claude_code",
    levels: [zsh, ["node", "/usr/local/lib/node_modules/@anthropic-ai/claude-code/cli.js"], claudeShell],
  },
  {
    id: "claude-vscode-extension",
    note: "the VS Code extension's bundled claude",
    expect: "claude_code",
    levels: [
      ["/usr/share/code/code", "--type=utility", "--utility-sub-type=node.mojom.NodeService"],
      [
        `${H}/.vscode/extensions/anthropic.claude-code-2.1.331-linux-x64/resources/native-binary/claude`,
        "--output-format",
        "stream-json",
        "--verbose",
        "--input-format",
        "stream-json",
      ],
      claudeShell,
    ],
  },
  {
    id: "claude-in-tmux",
    note: "Claude Code inside a tmux session named work",
    expect: "claude_code",
    levels: [["tmux", "new", "-s", "work"], zsh, ["claude", "--dangerously-skip-permissions"], claudeShell],
  },
  {
    id: "claude-nested-shells",
    note: "Claude Code → bash -c → a script → make → sh -c",
    expect: "claude_code",
    levels: [zsh, ["claude"], bashC("bash scripts/deploy.sh"), ["bash", "scripts/deploy.sh"], ["make", "deploy"], ["/bin/sh", "-c", "stitch railway up"]],
  },
  {
    id: "codex-npm-vendor",
    note: "Codex from npm: node launcher, then the vendor binary under @openai/codex-linux-x64",
    expect: "codex",
    levels: [
      zsh,
      ["node", `${H}/.nvm/versions/node/v22.12.0/bin/codex`, "exec", "deploy it"],
      [
        `${H}/.nvm/versions/node/v22.12.0/lib/node_modules/@openai/codex/node_modules/@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/codex/codex`,
        "exec",
        "deploy it",
      ],
      bashLc(),
    ],
  },
  {
    id: "codex-native",
    note: "Codex's native binary on PATH",
    expect: "codex",
    levels: [zsh, ["codex"], bashLc()],
  },
  {
    id: "codex-old-vendor-name",
    note: "an older Codex package: bin/codex-x86_64-unknown-linux-musl",
    expect: "codex",
    levels: [zsh, ["/usr/lib/node_modules/@openai/codex/bin/codex-x86_64-unknown-linux-musl", "--full-auto"], bashLc()],
  },
  {
    id: "codex-bun-global",
    note: "Codex installed with bun, run by bun",
    expect: "codex",
    levels: [zsh, ["bun", `${H}/.bun/install/global/node_modules/@openai/codex/bin/codex.js`], bashLc()],
  },
  {
    id: "codex-in-vscode-tmux",
    note: "Codex in tmux in VS Code's terminal: the agent, not the IDE",
    expect: "codex",
    levels: [vscodePtyHost, vscodeShell, ["tmux"], zsh, ["codex"], bashLc()],
    env: vscodeEnv,
  },
  {
    id: "opencode-native",
    note: "OpenCode's binary from its installer",
    expect: "opencode",
    levels: [zsh, [`${H}/.opencode/bin/opencode`], ["/usr/bin/bash", "-c", "stitch railway up"]],
  },
  {
    id: "opencode-npm",
    note: "OpenCode from npm: node_modules/.bin/opencode",
    expect: "opencode",
    levels: [zsh, [`${H}/app/node_modules/.bin/opencode`, "run", "deploy"], ["/usr/bin/bash", "-c", "stitch railway up"]],
  },
  {
    id: "gemini-relaunched",
    note: "Gemini CLI: the node launcher and its relaunched child with V8 options",
    expect: "gemini_cli",
    levels: [
      zsh,
      ["node", "/usr/local/bin/gemini", "-p", "deploy"],
      ["/usr/bin/node", "--max-old-space-size=8192", "--no-warnings=DEP0040", "/usr/local/lib/node_modules/@google/gemini-cli/dist/index.js", "-p", "deploy"],
      bashC(),
    ],
  },
  {
    id: "qwen-node",
    note: "Qwen Code: node --expose-gc .../@qwen-code/qwen-code/cli.js",
    expect: "qwen_code",
    levels: [
      zsh,
      ["node", `${H}/app/node_modules/.bin/qwen`, "-p", "deploy", "--yolo"],
      ["/usr/bin/node", "--expose-gc", `${H}/app/node_modules/@qwen-code/qwen-code/cli.js`, "-p", "deploy", "--yolo"],
      ["bash", "-c", "stitch railway up"],
    ],
  },
  {
    id: "pi-retitled",
    note: "Pi retitles itself `pi`",
    expect: "pi",
    levels: [zsh, ["pi"], bashC()],
  },
  {
    id: "amp-node-bin",
    note: "Amp from npm: node running the bin link /usr/local/bin/amp",
    expect: "amp",
    levels: [zsh, ["node", "/usr/local/bin/amp"], bashC()],
  },
  {
    id: "aider-pipx",
    note: "Aider from pipx: the venv's python running ~/.local/bin/aider with options",
    expect: "aider",
    levels: [zsh, [`${H}/.local/pipx/venvs/aider-chat/bin/python`, "-u", "-W", "ignore", `${H}/.local/bin/aider`, "--model", "sonnet"], ["/bin/sh", "-c", "stitch railway up"]],
  },
  {
    id: "aider-module",
    note: "Aider as a module: python3 -m aider",
    expect: "aider",
    levels: [zsh, ["python3", "-m", "aider", "--yes-always"], ["/bin/sh", "-c", "stitch railway up"]],
  },
  {
    id: "copilot-npm",
    note: "Copilot CLI from npm, run by node",
    expect: "copilot_cli",
    levels: [zsh, ["node", "/usr/local/lib/node_modules/@github/copilot/index.js"], bashC()],
  },
  {
    id: "cursor-agent",
    note: "Cursor's agent CLI: its launcher execs bundled node under its own name",
    expect: "cursor",
    levels: [
      zsh,
      [`${H}/.local/bin/cursor-agent`, "--use-system-ca", `${H}/.local/share/cursor-agent/versions/2025.11.06-8fe8a63/index.js`, "-p", "deploy"],
      ["/bin/zsh", "-c", "stitch railway up"],
    ],
  },
  {
    id: "crush-in-process",
    note: "Crush runs commands with its own shell interpreter: stitch's parent is crush",
    expect: "crush",
    levels: [zsh, ["crush"]],
  },
  {
    id: "goose-session",
    note: "Goose, a native binary",
    expect: "goose",
    levels: [zsh, ["goose", "session"], ["/bin/bash", "-c", "stitch railway up"]],
  },
  {
    id: "droid-exec",
    note: "Factory's droid",
    expect: "factory_droid",
    levels: [zsh, [`${H}/.local/bin/droid`, "exec", "deploy"], bashC()],
  },
  {
    id: "auggie-npm",
    note: "Auggie from npm, a .mjs entry point",
    expect: "auggie",
    levels: [zsh, ["node", "/usr/lib/node_modules/@augmentcode/auggie/augment.mjs"], bashC()],
  },
];

/**
 * Agents nobody has catalogued, started from a terminal: their shell tool captures every
 * stream, and they are still named by their kind and residue (design §4.7, §4.8), with
 * one id kept. None sets an environment marker.
 */
export const UNNAMED: readonly Tree[] = [
  {
    id: "node-agent-kit",
    note: "a Node agent over ssh, its tool `bash -c`",
    expect: "agent_unknown:node:myagent",
    levels: [sshd, loginBash, ["node", `${H}/agentkit/bin/myagent.js`, "--task", "deploy"], bashC()],
    fromTerminal: true,
  },
  {
    id: "python-agent-in-tmux",
    note: "a Python agent in tmux, its tool `/bin/sh -c`",
    expect: "agent_unknown:python:devbot",
    levels: [["tmux", "new", "-s", "work"], zsh, ["python3", `${H}/src/devbot/devbot.py`], ["/bin/sh", "-c", "stitch railway up"]],
    fromTerminal: true,
  },
  {
    id: "uv-run-agent",
    note: "`uv run swe-runner.py` in VS Code's terminal, its tool `bash -lc`",
    expect: "agent_unknown:vscode:swe-runner",
    levels: [vscodeMain, vscodePtyHost, vscodeShell, ["uv", "run", "swe-runner.py"], bashLc()],
    env: vscodeEnv,
    fromTerminal: true,
  },
  {
    id: "go-binary-agent",
    note: "a compiled agent over ssh",
    expect: "agent_unknown:proc:opsbot",
    levels: [sshd, loginBash, [`${H}/go/bin/opsbot`, "serve"], bashC()],
    fromTerminal: true,
  },
];
