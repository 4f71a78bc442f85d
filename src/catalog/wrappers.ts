// Transient wrappers (design §6, the anchor): processes that exist only for the length of
// one command, so anchoring a session on them would mint a new id on every call. When no
// agent is recognised among the ancestors, the anchor is the nearest ancestor that is none
// of these. Shells are transient when they run a command string (`bash -c`, `zsh -lc`):
// how a shell's command line is read is in catalog/runtimes.ts.

export interface WrapperRow {
  /** Program names (argv0 basename, or the script's basename under an interpreter). */
  readonly programs: readonly string[];
  /** When set, the program is transient only with one of these as its first argument. */
  readonly subcommands?: readonly string[];
  readonly evidence: string;
}

export const WRAPPERS: readonly WrapperRow[] = [
  {
    programs: ["env", "nohup", "timeout", "nice", "stdbuf", "time", "xargs"],
    evidence: "design §6: run one command and end with it",
  },
  {
    programs: ["setsid", "ionice", "taskset", "chrt", "caffeinate"],
    evidence: "the same shape as nice/nohup: run one command under changed attributes",
  },
  { programs: ["npx", "npx-cli", "bunx", "pnpx", "uvx"], evidence: "design §6: one-shot package runners" },
  { programs: ["npm", "npm-cli"], subcommands: ["exec", "x"], evidence: "design §6: npm exec" },
  { programs: ["pnpm"], subcommands: ["dlx", "exec"], evidence: "design §6: pnpm dlx" },
  { programs: ["yarn"], subcommands: ["dlx", "exec"], evidence: "the same as pnpm dlx" },
  { programs: ["bun"], subcommands: ["x"], evidence: "`bun x` is bunx" },
];
