// What the ancestor residue (design §4.8) walks past and what it never reports. The residue
// names the program driving an unnamed agent (`agent_unknown:node:@acme/agent-kit`), so that
// new harnesses show up downstream before anyone catalogs them; these lists keep it from
// naming the furniture around an agent, or a word that says nothing.

export interface ResidueRow {
  readonly programs: readonly string[];
  readonly why: string;
}

/**
 * Programs walked past, as transient wrappers are: they host or start whatever drives the
 * call, and are never it. Matched on the program's name (lower-cased, without `.exe`).
 */
export const WALKED_PAST: readonly ResidueRow[] = [
  {
    programs: ["tmux", "screen", "zellij", "byobu", "dtach", "abduco", "script", "expect"],
    why: "terminal multiplexers and recorders: a human or an agent runs inside them",
  },
  {
    programs: [
      "gnome-terminal-server", "konsole", "xterm", "kitty", "alacritty", "wezterm", "wezterm-gui", "foot", "ghostty",
      "iterm2", "terminal", "warp", "hyper", "tabby", "windowsterminal", "openconsole", "conhost", "sshd", "login", "su", "sudo",
    ],
    why: "terminals, remote and login sessions, privilege switches",
  },
  {
    programs: ["code", "code-insiders", "cursor", "windsurf", "kiro", "zed", "idea", "pycharm", "webstorm", "goland", "java", "electron"],
    why: "IDE hosts: the IDE is reported as the host layer, never as the residue",
  },
  {
    programs: ["systemd", "init", "launchd", "runsv", "supervisord", "s6-supervise", "cron", "crond", "process_api"],
    why: "service managers and schedulers",
  },
  {
    programs: ["containerd-shim", "containerd-shim-runc-v2", "conmon", "runc", "crun", "dockerd", "docker", "podman", "tini", "dumb-init"],
    why: "container runtimes and their init processes",
  },
  {
    programs: ["make", "gmake", "just", "ninja", "task", "mise", "turbo", "nx", "lerna"],
    why: "build wrappers and task runners: their targets are the user's names",
  },
];

/**
 * Package-manager verbs stepped over to reach what they run: `uv run agent.py` is
 * `agent`, `pipx run some-agent` is `some-agent`. A verb followed by a word that is not a
 * file or a package (an npm script: `npm run dev`) gives nothing: that word is the user's.
 */
export const RUN_VERBS: readonly string[] = ["run", "exec", "x", "tool", "dlx"];

/** Programs whose verbs are stepped over. */
export const PACKAGE_RUNNERS: readonly string[] = ["uv", "uvx", "pipx", "poetry", "pdm", "hatch", "npm", "npx", "pnpm", "pnpx", "yarn", "bun", "bunx", "deno"];

/**
 * Names that say nothing about which harness runs: an entry point's conventional name, a
 * runtime's own name. They yield no residue (nor do names shorter than two characters).
 */
export const GENERIC_NAMES: readonly string[] = [
  "index", "main", "cli", "app", "bin", "run", "start", "server", "entry", "launcher", "wrapper", "script", "dist",
  "node", "nodejs", "bun", "deno", "python", "python3", "ruby", "perl", "java", "sh", "bash", "zsh", "fish", "dash",
  "cmd", "powershell", "pwsh", "env", "npm", "npx", "pnpm", "yarn", "uv", "uvx", "pipx", "tsx", "ts-node",
];

/** The longest residue reported; longer names are cut (they stay names, just shorter). */
export const RESIDUE_MAX_LENGTH = 64;

/**
 * Script extensions dropped from a bare word under a package runner (`uv run agent.py` →
 * `agent`), any case: what the word names is the script, not its language. Any other
 * extension is part of a package's name (`uvx some.tool`).
 */
export const SCRIPT_EXTENSIONS: readonly string[] = [".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".py", ".rb", ".pl", ".sh"];
