// What one process in stitch's ancestry is, according to the catalog: an agent, an IDE
// host, a transient wrapper, a kind of program. Pure: an argv in, a verdict out, and the
// verdict rests on the process's program alone (resolve/program.ts).

import { AGENTS } from "../catalog/agents.ts";
import { HOST_PROCESSES } from "../catalog/hosts.ts";
import { kindOf } from "../catalog/kinds.ts";
import { matchProgram, type Program } from "../catalog/pattern.ts";
import { WRAPPERS } from "../catalog/wrappers.ts";
import { programOf } from "./program.ts";

export interface Match {
  readonly slug: string;
  /** What matched, for `stitch resolve`. */
  readonly via: string;
}

export interface Classification {
  readonly program: Program;
  readonly agent?: Match;
  readonly host?: Match;
  /** Why the process is a transient wrapper, when it is one. */
  readonly transient?: string;
  /** shell, node, python, ... for `agent_unknown:<kind>`. */
  readonly kind?: string;
}

export function agentOf(program: Program): Match | undefined {
  for (const row of AGENTS) {
    if (!row.process) continue;
    const via = matchProgram(row.process, program);
    if (via) return { slug: row.slug, via };
  }
  return undefined;
}

export function hostOf(program: Program): Match | undefined {
  for (const row of HOST_PROCESSES) {
    const via = matchProgram(row.process, program);
    if (via) return { slug: row.slug, via };
  }
  return undefined;
}

export function transientReason(program: Program, argsUnknown = false): string | undefined {
  if (program.commandString && argsUnknown) return `shell ${program.argv0} (its arguments are not visible: taken to run one command)`;
  if (program.commandString) return `shell running a command string (${program.argv0} ${program.argv0 === "cmd" ? "/c" : "-c"})`;
  for (const row of WRAPPERS) {
    if (!row.programs.includes(program.name)) continue;
    if (!row.subcommands) return `wrapper ${program.name}`;
    const sub = program.args[0];
    if (sub !== undefined && row.subcommands.includes(sub)) return `wrapper ${program.name} ${sub}`;
  }
  return undefined;
}

/**
 * The verdict on one process, each part worked out only when first asked for: the anchor
 * search usually stops at a hop that an agent's pid variable names, without matching it
 * against anything.
 */
class Classified implements Classification {
  private memo: { program?: Program; transient?: string | null; agent?: Match | null; host?: Match | null; kind?: string | null } = {};

  /**
   * `exact`: argv is the process's real argv (/proc), not the command split on spaces (ps).
   * `argsUnknown`: argv is the program alone (a Windows snapshot).
   */
  constructor(
    private readonly argv: readonly string[],
    private readonly exact: boolean,
    private readonly argsUnknown: boolean,
  ) {}

  get program(): Program {
    return (this.memo.program ??= programOf(this.argv, this.exact, this.argsUnknown));
  }

  get transient(): string | undefined {
    if (this.memo.transient === undefined) this.memo.transient = transientReason(this.program, this.argsUnknown) ?? null;
    return this.memo.transient ?? undefined;
  }

  // A transient wrapper is the command it runs, written by whoever called it: `bash -c
  // "railway logs --service codex"` must not read as Codex (nor become the anchor, which
  // would mint a new id on every call). Its program (bash, npx) is never an agent anyway.
  get agent(): Match | undefined {
    if (this.memo.agent === undefined) this.memo.agent = (this.transient ? undefined : agentOf(this.program)) ?? null;
    return this.memo.agent ?? undefined;
  }

  get host(): Match | undefined {
    if (this.memo.host === undefined) this.memo.host = (this.transient || this.agent ? undefined : hostOf(this.program)) ?? null;
    return this.memo.host ?? undefined;
  }

  get kind(): string | undefined {
    if (this.memo.kind === undefined) this.memo.kind = kindOf(this.program.argv0) ?? null;
    return this.memo.kind ?? undefined;
  }
}

export function classify(argv: readonly string[], exact: boolean, argsUnknown = false): Classification {
  return new Classified(argv, exact, argsUnknown);
}
