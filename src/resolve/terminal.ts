// Whether a human at a terminal made this call (design §4, "At a terminal"). stdout alone
// is not enough: `railway logs | grep`, `x=$(railway status)` and `railway up > log` are a
// human's most common commands, and each has stdout on a pipe or a file. Agents' shell
// tools capture every stream; a human's shell leaves the terminal on at least one, or,
// with every stream redirected, still starts the command as a job of its own.

import type { World } from "../world.ts";
import type { Ancestry } from "./ancestry.ts";

/** What the World tells of stitch's streams (isatty), groups (getpgid) and sessions (getsid). */
export type TerminalEvidence = Pick<World, "isTerminal" | "processGroup" | "sessionOf">;

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
 * Every stream redirected (`nohup railway up > log 2>&1 &`, `... | xargs railway ... 2>&1 |
 * cat`): a human's interactive shell still runs the command as a job, in a process group
 * of its own. So: among the shells and transient wrappers stitch runs under (up to the first
 * process that is neither: an agent, a terminal, sshd), the nearest shell not running a
 * command string (the interactive one) is in another group than stitch, and every process
 * between them is in stitch's group: the group was made below that shell, for the job; and
 * stitch is in that shell's session, as a job is (`setsid` leaves it). An
 * agent's shell tool has no such shell above it (the agent comes first); a persistent shell
 * an agent feeds commands to has no job control, so its commands share its group; a script
 * run by an agent (`bash deploy.sh`) likewise.
 */
function jobOfInteractiveShell(e: TerminalEvidence, ancestry: Ancestry): string | undefined {
  const group = e.processGroup(0);
  if (group === undefined) return undefined;
  let verdict: string | undefined;
  ancestry.find((hop) => {
    if (hop.is.transient === undefined && hop.is.kind !== "shell") return true; // the chain ends
    const hopGroup = e.processGroup(hop.process.pid);
    if (hopGroup === undefined) return true; // gone: nothing to tell
    // A wrapper, or a subshell, inside the job: go on; a wrapper outside it: the group was
    // made by something else (`timeout`, `setsid`), not by a shell for a job.
    if (hop.is.transient !== undefined || hopGroup === group) return hopGroup !== group;
    if (e.sessionOf(0) !== e.sessionOf(hop.process.pid)) return true; // not its job: setsid'd
    verdict = `every stream redirected, in a job (process group ${group}) of the interactive shell pid ${hop.process.pid} (${hop.is.program.argv0 || "?"})`;
    return true;
  });
  return verdict;
}

export function atTerminal(e: TerminalEvidence, ancestry: Ancestry): TerminalVerdict {
  for (const [fd, name] of STREAMS) if (e.isTerminal(fd)) return { human: true, why: `${name} is a terminal` };
  const job = jobOfInteractiveShell(e, ancestry);
  if (job) return { human: true, why: job };
  return { human: false, why: "no stream is a terminal" };
}
