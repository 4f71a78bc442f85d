// AI IDEs and terminal hosts (design §4.4). A host says where a command runs, not who runs
// it: with stdout on a terminal the caller is `tty:<host>` (a human in the IDE's terminal),
// otherwise `agent_unknown:<host>` (something automated inside it, e.g. an agent extension
// stitch does not catalog yet). First matching row wins. Source: Railway's CLI
// (telemetry.rs, layer 5).

import type { Condition } from "./condition.ts";
import type { ProcessPattern } from "./pattern.ts";

export interface HostRow {
  readonly slug: string;
  readonly when: readonly Condition[];
  readonly evidence: string;
}

const bundle = (includes: string): Condition => ({ env: "__CFBundleIdentifier", includes });
const termProgram = (equals: string): Condition => ({ env: "TERM_PROGRAM", equals });

export const HOSTS: readonly HostRow[] = [
  // macOS __CFBundleIdentifier is the most precise: VS Code and its forks all say
  // TERM_PROGRAM=vscode, but each app has its own bundle id.
  { slug: "cursor", when: [bundle("todesktop"), bundle("cursor")], evidence: "macOS bundle id" },
  { slug: "windsurf", when: [bundle("windsurf")], evidence: "macOS bundle id com.exafunction.windsurf" },
  { slug: "vscode_insiders", when: [bundle("vscodeinsiders")], evidence: "macOS bundle id" },
  {
    slug: "vscode",
    when: [bundle("microsoft.vscode"), bundle("visualstudio.code")],
    evidence: "macOS bundle id",
  },
  { slug: "zed", when: [{ env: "__CFBundleIdentifier", startsWith: "dev.zed" }], evidence: "macOS bundle id" },
  { slug: "claude_desktop", when: [bundle("anthropic.claude")], evidence: "macOS bundle id" },
  {
    slug: "jetbrains",
    when: [
      bundle("jetbrains"),
      bundle("intellij"),
      bundle("pycharm"),
      bundle("webstorm"),
      bundle("goland"),
      bundle("clion"),
      bundle("rustrover"),
      bundle("datagrip"),
      bundle("phpstorm"),
      bundle("rider"),
      { env: "TERMINAL_EMULATOR", includes: "jetbrains" },
    ],
    evidence: "macOS bundle ids; TERMINAL_EMULATOR=JetBrains-JediTerm everywhere",
  },
  // Cursor sets CURSOR_TRACE_ID in every process it starts, the human's terminal included.
  { slug: "cursor", when: [{ env: "CURSOR_TRACE_ID" }], evidence: "Railway" },
  { slug: "windsurf", when: [{ env: "CODEIUM_EDITOR_APP_ROOT" }], evidence: "am-i-vibing" },
  { slug: "positron", when: [{ env: "POSITRON", truthy: true }], evidence: "Railway" },
  { slug: "trae", when: [{ env: "TERM_PRODUCT", equals: "trae" }], evidence: "Railway" },
  { slug: "zed", when: [{ env: "ZED_SESSION_ID" }], evidence: "Railway" },
  { slug: "xcode", when: [{ env: "XCODE_VERSION_ACTUAL" }], evidence: "Railway" },
  { slug: "kiro", when: [{ env: "TERM_PROGRAM", includes: "kiro" }], evidence: "std-env" },
  { slug: "vscode", when: [termProgram("vscode")], evidence: "TERM_PROGRAM" },
  { slug: "cursor", when: [termProgram("cursor")], evidence: "TERM_PROGRAM" },
  { slug: "zed", when: [termProgram("zed")], evidence: "TERM_PROGRAM" },
  { slug: "warp", when: [termProgram("WarpTerminal")], evidence: "TERM_PROGRAM" },
  { slug: "ghostty", when: [termProgram("ghostty")], evidence: "TERM_PROGRAM" },
  { slug: "iterm", when: [termProgram("iTerm.app")], evidence: "TERM_PROGRAM" },
  { slug: "apple_terminal", when: [termProgram("Apple_Terminal")], evidence: "TERM_PROGRAM" },
  { slug: "sublime", when: [{ env: "TERM_PROGRAM", startsWith: "sublime" }], evidence: "TERM_PROGRAM" },
  // Last: VS Code-family variables survive when tooling has overridden TERM_PROGRAM.
  {
    slug: "vscode",
    when: [{ env: "VSCODE_PID" }, { env: "VSCODE_INJECTION" }, { env: "VSCODE_GIT_IPC_HANDLE" }],
    evidence: "Railway",
  },
];

export interface HostProcessRow {
  readonly slug: string;
  readonly process: ProcessPattern;
  readonly evidence: string;
}

/**
 * IDE applications as they appear among stitch's ancestors, consulted when no environment
 * row matched. Railway's CLI counts a plain `cursor` or `windsurf` ancestor as the agent;
 * stitch counts it as the host, so a human typing in the IDE's terminal is `tty:<ide>`
 * rather than an agent conversation. (Cursor's agent is still `cursor`: it sets
 * CURSOR_AGENT, and its CLI is `cursor-agent`.)
 */
export const HOST_PROCESSES: readonly HostProcessRow[] = [
  {
    slug: "cursor",
    process: { names: ["cursor"], installed: ["app:cursor"] },
    evidence: "Railway: `Cursor Helper: terminal pty-host` (ps shows argv0 `Cursor`); /usr/share/cursor/cursor; Cursor.app",
  },
  { slug: "windsurf", process: { names: ["windsurf"], installed: ["app:windsurf"] }, evidence: "Railway process table; Windsurf.app" },
  { slug: "kiro", process: { names: ["kiro"], installed: ["app:kiro"] }, evidence: "std-env; Kiro.app" },
];
