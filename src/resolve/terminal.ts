// Whether a human at a terminal made this call (design §4, "At a terminal"). stdout alone
// is not enough: `railway logs | grep`, `x=$(railway status)` and `railway up > log` are a
// human's most common commands, and each has stdout on a pipe or a file. Agents' shell
// tools capture every stream; a human's shell leaves the terminal on at least one, or,
// with every stream redirected, still starts the command as a job of its own.

import type { ProcessSource } from "../proc/source.ts";
import type { Ancestry, Hop } from "./ancestry.ts";

export interface TerminalEvidence {
  /** isatty(fd) for stitch's own stdin, stdout, stderr. */
  isTerminal(fd: 0 | 1 | 2): boolean;
  /** stitch's process group (getpgrp); undefined where there are none (Windows). */
  processGroup(): number | undefined;
  readonly pid: number;
  readonly ppid: number;
  readonly ancestry: Ancestry;
  readonly processes: () => ProcessSource | undefined;
}

export interface TerminalVerdict {
  /** A human at a terminal: the caller is `tty` (or `tty:<host>`), never an agent. */
  readonly human: boolean;
  /** The evidence, for `stitch resolve`. */
  readonly why: string;
}

const STREAMS = [
  [1, "stdout"],
  [2, "stderr"],
  [0, "stdin"],
] as const;

/**
 * The shells and transient wrappers stitch runs under, nearest first, up to the first
 * process that is neither (an agent, a terminal, sshd, a service manager...).
 */
function shellChain(ancestry: Ancestry): Hop[] {
  const chain: Hop[] = [];
  ancestry.find((hop) => {
    const passable = hop.is.transient !== undefined || hop.is.kind === "shell";
    if (passable) chain.push(hop);
    return !passable;
  });
  return chain;
}

/**
 * Every stream redirected (`nohup railway up &`, `railway up </dev/null >log 2>&1`): a
 * human's interactive shell still runs the command as a job, in a process group of its
 * own whose leader it started. So: stitch's group leader is stitch, one of the shells
 * and wrappers between stitch and that shell, or a sibling in a pipeline; and the
 * leader's parent is a shell among them that is not running a command string (the
 * interactive one). An agent's command is in the agent's group (the leader is the agent,
 * above the chain) or in a group the agent made for its shell tool (the leader's parent
 * is the agent): neither passes. A shell without job control (an agent's persistent
 * `bash`, a script) makes no groups, so it never passes either.
 */
function jobOfInteractiveShell(e: TerminalEvidence): string | undefined {
  const group = e.processGroup();
  if (group === undefined || group <= 0) return undefined;
  const chain = shellChain(e.ancestry);
  let leaderParent: number | undefined;
  if (group === e.pid) leaderParent = e.ppid;
  else {
    const inChain = chain.find((hop) => hop.process.pid === group);
    if (inChain) leaderParent = inChain.process.ppid;
    else if (e.ancestry.walked().some((hop) => hop.process.pid === group)) return undefined; // the agent's own group
    else leaderParent = e.processes()?.get(group)?.ppid; // a sibling: `cat x | railway ...`
  }
  const shell = chain.find((hop) => hop.process.pid === leaderParent);
  if (!shell || shell.is.kind !== "shell" || shell.is.transient !== undefined) return undefined;
  return `every stream redirected, in a job (process group ${group}) of the interactive shell pid ${shell.process.pid} (${shell.is.program.argv0 || "?"})`;
}

export function atTerminal(e: TerminalEvidence): TerminalVerdict {
  for (const [fd, name] of STREAMS) if (e.isTerminal(fd)) return { human: true, why: `${name} is a terminal` };
  const job = jobOfInteractiveShell(e);
  if (job) return { human: true, why: job };
  return { human: false, why: "no stream is a terminal" };
}
