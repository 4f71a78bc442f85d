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

/**
 * Adopters (design §6.1, "Adopted"): processes that inherit orphans. A call run in the
 * background (`cmd &`, `nohup`, `setsid -f`, a double fork) outlives the shell that started
 * it and is re-parented to the namespace's init or the nearest subreaper, which is no part
 * of any conversation: every such call of every conversation on the machine would share
 * its session. Needed by name only where getsid(2) cannot tell (stitch itself, or the
 * process above it, was started in a session of its own).
 */
export const ADOPTERS: readonly WrapperRow[] = [
  {
    programs: ["init", "systemd", "launchd", "openrc-init", "runit", "runit-init", "s6-svscan", "busybox"],
    evidence: "init systems (pid 1); `systemd --user` is a subreaper (PR_SET_CHILD_SUBREAPER, systemd's user manager)",
  },
  {
    programs: ["tini", "docker-init", "dumb-init", "catatonit"],
    evidence: "container inits: pid 1 of a container, or subreapers (`tini -s`, `dumb-init`)",
  },
  {
    programs: ["containerd-shim", "containerd-shim-runc-v2", "conmon"],
    evidence: "container shims: subreapers for the container's processes",
  },
];
