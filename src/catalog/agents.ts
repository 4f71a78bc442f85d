// Every AI coding agent stitch knows, as data. To add an agent: docs/contributing.md. Each
// row says where its evidence comes from ("verified" = seen in the harness's own source or
// published package, or in a live run, docs/agents.md; "claimed" = only a third-party table
// says so).
//
// Environment markers (design §4.2): the most specific row with a marker set wins, never the
// table's order: a fork that keeps its upstream's markers (`forkOf`) beats its upstream, and
// of unrelated agents the nearest in the process tree (resolve/caller.ts). A process matching
// two rows' patterns gets the first row's slug (§4.3).
// A process is matched by its program only (resolve/program.ts): its name exactly, or an
// installed package its path lies in (catalog/installs.ts), never the words it was given.

import type { Condition } from "./condition.ts";
import type { ConversationRecord } from "./records.ts";
import type { ProcessPattern } from "./pattern.ts";

export interface AgentRow {
  /** The caller slug: a downstream contract, spelled as Railway's CLI spells it. */
  readonly slug: string;
  readonly name: string;
  /** Strong environment markers: set by the harness itself in the commands it runs. */
  readonly when: readonly Condition[];
  /** How its long-lived process looks in the process table. */
  readonly process?: ProcessPattern;
  /** A variable in which the harness exports its own pid: a direct, exact anchor (§6). */
  readonly pidVariable?: string;
  /**
   * The agent this one is a fork of, whose markers it keeps exporting (Kilo CLI sets
   * OPENCODE=1 as well as KILO=1): when both rows' markers are set, this row is the agent.
   */
  readonly forkOf?: string;
  /**
   * The agent's own records of its conversations (design §5.3), tried in order: where they
   * are and which field names the conversation (catalog/records.ts).
   */
  readonly records?: readonly ConversationRecord[];
  readonly evidence: string;
}

/**
 * OpenCode's store, kept alike by its fork Kilo CLI (verified live, 1.18.33 and 7.7.7):
 * `<data>/<name>/<name>.db` (or `$<variable>`), where the running bash call's `part` row holds
 * its session_id and the exact command text; written from another fiber, so it may land
 * just after the command started.
 */
function openCodeParts(name: string, variable: string): ConversationRecord {
  return {
    kind: "tool_call_db",
    directory: [{ env: "XDG_DATA_HOME", join: name }, { home: `.local/share/${name}` }],
    file: `${name}.db`,
    fileVariable: variable,
    table: "part",
    idColumn: "session_id",
    updatedColumn: "time_updated",
    dataColumn: "data",
    statusPath: "$.state.status",
    running: "running",
    toolPath: "$.tool",
    tools: ["bash"],
    commandPath: "$.state.input.command",
    newest: 128,
    settleMs: 100,
  };
}

/**
 * Qwen Code's transcripts: `<runtime dir>/projects/<cwd, non-alphanumerics as ->/chats/<id>.jsonl`.
 * A function, not a shared object spread into two rows: this table is built on every call,
 * and an object spread costs a JavaScript-implemented built-in's compilation (docs/performance.md).
 */
const qwenTranscripts = (match: "latest_call" | "written_since_start", settleMs?: number): ConversationRecord => ({
  kind: "transcript",
  directory: [{ env: "QWEN_RUNTIME_DIR" }, { env: "QWEN_HOME" }, { home: ".qwen" }],
  byCwd: { kind: "alphanumeric", under: "projects", subdirectory: "chats" },
  prefix: "",
  suffix: ".jsonl",
  idField: "sessionId",
  call: { name: "name", tools: ["run_shell_command"], command: "args.command" },
  newest: 16,
  match,
  settleMs,
});

export const AGENTS: readonly AgentRow[] = [
  {
    slug: "claude_code",
    name: "Claude Code",
    when: [
      { env: "CLAUDECODE" },
      { env: "CLAUDE_CODE" },
      { env: "CLAUDE_CODE_SESSION_ID" },
      { env: "CLAUDE_CODE_ENTRYPOINT" },
      { env: "CLAUDE_PID" },
      { env: "AI_AGENT", startsWith: "claude-code" },
    ],
    // Never a bare "claude" substring: it over-counted Claude Desktop helpers, MCP servers
    // with "claude" in argv and scripts under ~/.claude/ (Railway audit, 2026-05-10). The
    // native installer's binary is named by its version (~/.local/share/claude/versions/
    // 2.1.331), the VS Code extension bundles one named `claude`.
    process: {
      argv0: ["claude"],
      names: ["claude-code", "claude_code"],
      installed: ["npm:@anthropic-ai/claude-code*", "ext:anthropic.claude-code", "versions:claude", "brew:claude-code"],
    },
    pidVariable: "CLAUDE_PID",
    // ~/.claude/sessions/<pid>.json while the process runs; sessionId follows --resume and /clear.
    records: [
      {
        kind: "pid_file",
        directory: [{ env: "CLAUDE_CONFIG_DIR", join: "sessions" }, { home: ".claude/sessions" }],
        fields: { id: "sessionId", start: "procStart" },
        start: { proc: "ticks", ps: "lstart_utc", toolhelp: "filetime" },
      },
    ],
    evidence:
      "verified live (2.1.328, 2.1.331; docs/agents.md): CLAUDECODE=1, CLAUDE_CODE_SESSION_ID, CLAUDE_CODE_ENTRYPOINT, CLAUDE_PID, AI_AGENT=claude-code_*; native binary with argv0 basename claude, parent of the Bash tool's shell",
  },
  {
    slug: "codex",
    name: "OpenAI Codex CLI",
    when: [
      { env: "CODEX_THREAD_ID" },
      { env: "CODEX_SESSION_ID" },
      { env: "CODEX_CI" },
      { env: "CODEX_SANDBOX" },
      { env: "CODEX_SANDBOX_NETWORK_DISABLED" },
      { env: "OPENAI_CODEX" },
    ],
    process: { names: ["codex"], installed: ["npm:@openai/codex*", "brew:codex"] },
    // The thread's rollout (~/.codex/sessions/YYYY/MM/DD/rollout-<time>-<thread id>.jsonl)
    // stays open for writing while the thread is loaded, held by the native codex (the
    // shell's parent); the exec_command call is in it before it runs (verified live, 0.169.0).
    records: [
      {
        kind: "open_file",
        prefix: "rollout-",
        suffix: ".jsonl",
        idLength: 36,
        call: { name: "name", tools: ["exec_command"], command: "arguments", encoded: "cmd" },
      },
    ],
    evidence:
      "verified live (0.169.0; docs/agents.md): CODEX_THREAD_ID, CODEX_SESSION_ID, CODEX_CI=1 in every exec, run as /bin/bash -lc by the native codex binary; CODEX_SANDBOX absent in bypass mode and on Windows",
  },
  {
    slug: "opencode",
    name: "OpenCode",
    when: [
      { env: "OPENCODE" },
      { env: "OPENCODE_PID" },
      { env: "OPENCODE_RUN_ID" },
      { env: "OPENCODE_CLIENT" },
      { env: "OPENCODE_BIN_PATH" },
      { env: "OPENCODE_SERVER" },
    ],
    process: { names: ["opencode"], installed: ["npm:opencode-ai", "brew:opencode"] },
    pidVariable: "OPENCODE_PID",
    records: [openCodeParts("opencode", "OPENCODE_DB")],
    evidence: "verified live (1.18.33; docs/agents.md): OPENCODE=1, OPENCODE_PID, AGENT=1; no session id exported",
  },
  {
    slug: "kilo_code",
    name: "Kilo CLI",
    forkOf: "opencode",
    when: [{ env: "KILO" }, { env: "KILO_PID" }, { env: "KILO_RUN_ID" }, { env: "KILO_PROCESS_ROLE" }],
    // `node .../bin/kilo` starts the Bun binary `.../bin/.kilo`, which runs the shells.
    process: { names: ["kilo", ".kilo", "kilocode"], installed: ["npm:@kilocode/cli*"] },
    pidVariable: "KILO_PID",
    records: [openCodeParts("kilo", "KILO_DB")],
    evidence:
      "seen live and in @kilocode/cli 7.7.7 (an OpenCode fork): KILO=1, KILO_PID, KILO_RUN_ID, KILO_PROCESS_ROLE with upstream's OPENCODE=1 and AGENT=1; KILO_RUN_ID is one per process run (shared by its sessions, inherited by a nested kilo), so not a session id; Railway's slug kilo_code",
  },
  {
    slug: "amp",
    name: "Amp",
    when: [{ env: "AMP_CURRENT_THREAD_ID" }, { env: "AGENT", equals: "amp" }, { env: "AI_AGENT", equals: "amp" }],
    // A native binary (npm @ampcode/cli, which @sourcegraph/amp now aliases), linked as
    // bin/amp.exe on every platform and run by its bin name `amp`.
    process: { argv0: ["amp"], installed: ["npm:@ampcode/cli*", "npm:@sourcegraph/amp"] },
    evidence:
      "verified in @ampcode/cli's package: the shell tool's env sets AGENT=amp, AI_AGENT=amp, AGENT_THREAD_ID and AMP_CURRENT_THREAD_ID (T-<uuid>); Railway live capture",
  },
  {
    slug: "cursor",
    name: "Cursor agent",
    // CURSOR_TRACE_ID is not here: Cursor sets it in every Cursor process, the human's
    // terminal included, so it marks the IDE host (catalog/hosts.ts), not the agent.
    when: [{ env: "CURSOR_AGENT" }, { env: "CURSOR_EXTENSION_HOST_ROLE", equals: "agent-exec" }],
    // Plain `cursor` is the IDE (a host); only the agent CLI is an agent.
    process: { names: ["cursor-agent"], installed: ["versions:cursor-agent"] },
    evidence: "Railway live capture (2026-05-11): CURSOR_AGENT=1 in the agent's shell",
  },
  {
    slug: "copilot_cli",
    name: "GitHub Copilot CLI / coding agent",
    // COPILOT_MODEL and COPILOT_ALLOW_ALL are left out: they are settings a user may
    // export in a shell profile, so they would mark every human command as Copilot's.
    when: [
      { env: "COPILOT_AGENT_SESSION_ID" },
      { env: "COPILOT_CLI" },
      { env: "AI_AGENT", startsWith: "github-copilot" },
    ],
    process: { names: ["copilot"], installed: ["npm:@github/copilot*"] },
    // ~/.copilot/session-state/<id>/inuse.<pid>.lock for each process that has <id> open, and
    // its events.jsonl, whose last line is the running call (verified live, 1.0.102).
    records: [
      {
        kind: "pid_lock",
        directory: [{ home: ".copilot/session-state" }],
        prefix: "inuse.",
        suffix: ".lock",
        transcript: { file: "events.jsonl", call: { name: "toolName", tools: ["bash"], command: "arguments.command" } },
        settleMs: 100,
      },
    ],
    evidence: "claimed (Railway, am-i-vibing, @vercel/detect-agent)",
  },
  {
    slug: "gemini_cli",
    name: "Gemini CLI",
    when: [{ env: "GEMINI_CLI" }],
    process: { names: ["gemini"], installed: ["npm:@google/gemini-cli*"] },
    // ~/.gemini/tmp/<project>/chats/session-<time>-<hex>.jsonl, <project> from projects.json
    // (verified live, 0.61.0: written before the first command, new or resumed; a tool call
    // only after it ran, so only "the one written since the agent started" can say).
    records: [
      {
        kind: "transcript",
        directory: [{ env: "GEMINI_CLI_HOME", join: ".gemini" }, { home: ".gemini" }],
        byCwd: { kind: "projects", projects: "projects.json", field: "projects", under: "tmp", subdirectory: "chats" },
        prefix: "session-",
        suffix: ".jsonl",
        idField: "sessionId",
        match: "written_since_start",
        call: { name: "name", tools: ["run_shell_command"], command: "args.command" },
        newest: 16,
      },
    ],
    evidence:
      "verified in @google/gemini-cli 0.61.0 (shellExecutionService: GEMINI_CLI=1, no session id) and seen live; the node launcher relaunches itself as a node child that runs the shells",
  },
  {
    slug: "qwen_code",
    name: "Qwen Code",
    when: [{ env: "QWEN_CODE" }, { env: "QWEN_CODE_SESSION_ID" }],
    process: { names: ["qwen"], installed: ["npm:@qwen-code/qwen-code*"] },
    // The launcher (`node .../bin/qwen`) that relaunches the CLI and outlives every call.
    pidVariable: "QWEN_CODE_LAUNCHER_PID",
    // Verified live and in the package (0.24.4): in every mode, the conversation's transcript
    // ~/.qwen/projects/<cwd, non-alphanumerics as ->/chats/<id>.jsonl, the running shell call
    // its last line, written by a queue that may land just after the command started; with
    // --acp, ~/.qwen/sessions/<pid>-<hex>.json per session (the TUI: <pid>.json), pid the
    // cli.js child, procStart "<boot id>:<ticks>" (Linux only), also written asynchronously.
    // So the exact record first (this command's call); then, for a call that beat its line,
    // the process's one session record, or its one transcript written since it started
    // (right where it hosts one conversation: -p, a resume).
    records: [
      qwenTranscripts("latest_call", 100),
      {
        kind: "pid_file",
        directory: [{ env: "QWEN_HOME", join: "sessions" }, { home: ".qwen/sessions" }],
        suffixed: true,
        fields: { id: "sessionId", start: "procStart" },
        start: { proc: "boot_ticks" },
      },
      qwenTranscripts("written_since_start"),
    ],
    evidence:
      "verified live (0.24.4; docs/agents.md): QWEN_CODE=1, QWEN_CODE_SESSION_ID (UUID v4 per conversation), QWEN_CODE_LAUNCHER_PID; shell calls are `bash -c` under node .../qwen-code/cli.js",
  },
  {
    slug: "aider",
    name: "Aider",
    // AIDER_* settings (AIDER_API_KEY, ...) are left out: a user's profile sets them.
    when: [{ env: "AIDER" }],
    // A Python program: argv0 is often `python`, so the match is on the script path.
    process: { names: ["aider"], installed: ["python:aider", "pipx:aider-chat"] },
    evidence: "claimed (Railway)",
  },
  {
    slug: "factory_droid",
    name: "Factory Droid",
    // No marker at all: FACTORY_DROID (Railway's table) appears nowhere in the binary.
    when: [],
    process: { argv0: ["droid"], names: ["factory-droid", "factory_droid"], installed: ["npm:@factory/cli*"] },
    evidence:
      "verified in @factory/cli 0.225.1 (a native Bun binary `droid`): no environment marker; each command runs as `bash -c <script> factory-execute-supervisor <pid>` under droid; `droid` as a substring hits `android`",
  },
  {
    slug: "pi",
    name: "Pi coding agent",
    when: [{ env: "PI_CODING_AGENT" }],
    process: { argv0: ["pi"], names: ["pi-coding-agent"], installed: ["npm:@mariozechner/pi-coding-agent"] },
    // ~/.pi/agent/sessions/--<cwd>--/<time>_<id>.jsonl (or directly in
    // $PI_CODING_AGENT_SESSION_DIR); the bash call is written before it runs (verified live,
    // 0.73.1: the running call is the file's last line).
    records: [
      {
        kind: "transcript",
        directory: [{ env: "PI_CODING_AGENT_DIR", join: "sessions" }, { home: ".pi/agent/sessions" }],
        flat: ["PI_CODING_AGENT_SESSION_DIR"],
        byCwd: { kind: "pi" },
        prefix: "",
        suffix: ".jsonl",
        idField: "id",
        match: "latest_call",
        call: { name: "name", tools: ["bash"], command: "arguments.command" },
        newest: 16,
      },
    ],
    evidence: "verified live (0.73.1; docs/agents.md): PI_CODING_AGENT=true; the process retitles itself `pi`",
  },
  {
    slug: "crush",
    name: "Crush",
    when: [{ env: "CRUSH" }, { env: "AGENT", equals: "crush" }, { env: "AI_AGENT", equals: "crush" }],
    process: { names: ["crush"], installed: ["npm:@charmland/crush*"] },
    evidence:
      "verified in charmbracelet/crush internal/shell/shell.go (v0.52.0 on): CRUSH=1, AGENT=crush, AI_AGENT=crush; commands run by its in-process shell (mvdan.cc/sh), direct children of crush",
  },
  {
    slug: "goose",
    name: "Goose",
    // GOOSE_PROVIDER (std-env) is a configuration variable, not a marker: left out. Its
    // AGENT_SESSION_ID is not a session id here: `YYYYMMDD_<n>`, counted from 1 in each
    // local store, so the same on every machine, and other tools export the same name.
    when: [{ env: "GOOSE_TERMINAL" }, { env: "AGENT", equals: "goose" }],
    process: { names: ["goose"] },
    evidence:
      "verified in Goose's source (goose-mcp developer shell configure_shell_command, recipe and computercontroller commands: GOOSE_TERMINAL=1, AGENT=goose; vendor docs list both); the current platform developer shell (aaif-goose/goose 2535336) sets only PATH and AGENT_SESSION_ID; process name from Railway's table",
  },
  {
    slug: "junie",
    name: "JetBrains Junie",
    when: [{ env: "JUNIE_DATA" }, { env: "JUNIE_SHIM_PATH" }],
    process: { names: ["junie"] },
    evidence: "claimed (am-i-vibing)",
  },
  {
    slug: "auggie",
    name: "Augment Auggie",
    when: [{ env: "AUGMENT_AGENT" }],
    process: { names: ["auggie"], installed: ["npm:@augmentcode/auggie"] },
    evidence: "verified in @augmentcode/auggie 0.36.0: AUGMENT_AGENT=1 in its shell tool",
  },
  {
    slug: "antigravity",
    name: "Google Antigravity agent",
    when: [{ env: "ANTIGRAVITY_AGENT" }, { env: "ANTIGRAVITY_PROJECT_ID" }],
    evidence: "claimed (am-i-vibing); ANTIGRAVITY_CLI_ALIAS alone is the cloud IDE (catalog/cloud.ts)",
  },
  {
    slug: "replit_agent",
    name: "Replit Agent",
    // REPL_ID alone is any Replit workspace (catalog/cloud.ts).
    when: [{ env: "REPLIT_AGENT" }, { all: [{ env: "REPL_ID" }, { env: "REPLIT_MODE", equals: "assistant" }] }],
    process: { names: ["replit"] },
    evidence: "claimed (Railway, am-i-vibing)",
  },
  {
    slug: "devin",
    name: "Devin",
    // @vercel/detect-agent also checks for a file /opt/.devin; that costs a stat on every
    // run for a signal the variable already gives, so it is left out.
    when: [{ env: "__COG_BASHRC_SOURCED" }],
    process: { names: ["devin"] },
    evidence: "claimed (Railway, @vercel/detect-agent)",
  },
  {
    slug: "cline",
    name: "Cline",
    when: [{ env: "CLINE_ACTIVE" }],
    // The CLI's tool shells carry no marker: only its process names it (`node .../cline/bin/
    // cline` starts the native `.../bin/.cline`, which runs the shells, or its hub daemon).
    process: { names: ["cline", ".cline"], installed: ["npm:cline"] },
    // After a user's first run, every task's commands run as `bash -c` under one hub daemon
    // (`cline --cline-hub-daemon`, reparented to pid 1), which writes, per task,
    // ~/.cline/data/sessions/<ms>_<5 chars>/<same>.json with its session_id, the pid running
    // it (the daemon, or the CLI itself for a run in its own process), status and cwd.
    records: [
      {
        kind: "task_file",
        directory: [{ env: "CLINE_SESSION_DATA_DIR" }, { env: "CLINE_DATA_DIR", join: "sessions" }, { home: ".cline/data/sessions" }],
        newest: 32,
        fields: { id: "session_id", pid: "pid", status: "status", cwd: "cwd" },
        running: "running",
        messages: { suffix: ".messages.json", call: { name: "name", tools: ["run_commands"], command: "input.commands" } },
      },
    ],
    evidence:
      "verified in Cline's source (VscodeTerminalRegistry.ts, 3.24.0): CLINE_ACTIVE=true on the VS Code extension's terminals; the CLI (npm cline 3.0.65) gives its run_commands shells no marker and no task id",
  },
  {
    slug: "roo_code",
    name: "Roo Code",
    when: [{ env: "ROO_ACTIVE" }],
    evidence: "verified in Roo Code's source (Terminal.getEnv, PR #11862): ROO_ACTIVE=true on its terminals",
  },
  {
    slug: "qoder_cli",
    name: "Qoder CLI",
    when: [{ env: "QODER_CLI" }, { env: "QODERCN_CLI" }],
    // `node .../bundle/qodercli.js`, started by the `qoder` bin.
    process: { names: ["qodercli"], installed: ["npm:@qoder-ai/qodercli*"] },
    pidVariable: "QODER_PID",
    evidence:
      "verified in @qoder-ai/qodercli 1.1.52: every shell command gets QODER_CLI=1 (QODERCN_CLI in the China build) and, with bash or zsh on Linux, QODER_PID, the CLI's pid",
  },
  {
    slug: "letta_code",
    name: "Letta Code",
    when: [{ env: "LETTA_CONVERSATION_ID" }, { env: "LETTA_AGENT_ID" }],
    process: { names: ["letta"], installed: ["npm:@letta-ai/letta-code*"] },
    evidence:
      "verified in @letta-ai/letta-code 0.32.18 (getShellEnv): LETTA_AGENT_ID (the agent, across sessions), LETTA_CONVERSATION_ID (conv-..., per conversation; `default` for the default one); node letta.js runs bash -c",
  },
  {
    slug: "kiro",
    name: "Kiro",
    // Kiro is a VS Code fork: TERM_PROGRAM=kiro is also set in the human's terminal, so
    // it only marks the agent when no human is at a terminal (std-env's rule is "stdout is
    // not a terminal", which names a human piping output in Kiro's terminal as Kiro).
    when: [{ all: [{ env: "TERM_PROGRAM", includes: "kiro" }, { atTerminal: false }] }],
    evidence: "claimed (std-env)",
  },
  {
    slug: "jules",
    name: "Google Jules",
    when: [{ all: [{ env: "HOME", equals: "/home/jules" }, { env: "USER", equals: "swebot" }] }],
    evidence: "claimed (am-i-vibing)",
  },
  {
    slug: "hermes",
    name: "Hermes Agent",
    // Its terminal tool runs `bash -c` under a Python console script `hermes`; a bare
    // `hermes` is also Meta's Hermes JavaScript engine, so no process pattern.
    when: [{ env: "HERMES_SESSION_ID" }],
    evidence:
      "verified in NousResearch/hermes-agent (agent_init_session.py, gateway/session_context.py, tools/environments/local.py): HERMES_SESSION_ID in the terminal tool's environment, <YYYYMMDD_HHMMSS>_<6 hex> per session, kept on --resume; not seen live",
  },
  {
    slug: "openclaw",
    name: "OpenClaw",
    // Only `exec`: `tui-local` is a person's `!` command in its TUI, `acp-client` the ACP
    // bridge process. OPENCLAW_CLI=1 is set on the whole process, so every child has it.
    when: [{ env: "OPENCLAW_SHELL", equals: "exec" }],
    // The process retitles itself openclaw, openclaw-<command>, openclaw-gateway.
    process: { names: ["openclaw", "openclaw-gateway"], installed: ["npm:openclaw"] },
    evidence:
      "verified in openclaw 2026.9.6 (bash-tools.exec-runtime: OPENCLAW_SHELL=exec for the exec tool's commands; docs/help/environment.md); no session id exported",
  },
  {
    slug: "cody",
    name: "Sourcegraph Cody CLI",
    when: [],
    process: { names: ["cody"], installed: ["npm:@sourcegraph/cody"] },
    evidence: "claimed (Railway process table)",
  },
];

/**
 * `AI_AGENT=<name>` is a cross-vendor convention (Vercel's): a safe value that no row above
 * maps becomes the slug as is (e.g. `v0`).
 */
export const AI_AGENT_VARIABLE = "AI_AGENT";

/**
 * A generic "an agent is calling, which one unknown" marker: OpenCode sets AGENT=1 (seen
 * live). Values that a row maps (amp, crush) never get here. It makes the caller
 * `agent_unknown[:<parent kind>]` when no layer names the agent (see resolve/caller.ts).
 */
export const GENERIC_AGENT_MARKERS: readonly Condition[] = [{ env: "AGENT", truthy: true }];
