// What one process in stitch's ancestry is, according to the catalog: an agent, an IDE
// host, a transient wrapper, a kind of program. Pure: a command line in, a verdict out.

import { AGENTS } from "../catalog/agents.ts";
import { HOST_PROCESSES } from "../catalog/hosts.ts";
import { kindOf } from "../catalog/kinds.ts";
import { commandView, matchPattern, type CommandView } from "../catalog/pattern.ts";
import { INTERPRETERS, SHELL_OPTIONS_WITH_VALUE, SHELLS, WRAPPERS } from "../catalog/wrappers.ts";
import { asciiLower } from "./safe.ts";

export interface Match {
  readonly slug: string;
  /** What matched, for `stitch resolve`. */
  readonly via: string;
}

export interface Classification {
  readonly view: CommandView;
  readonly agent?: Match;
  readonly host?: Match;
  /** Why the process is a transient wrapper, when it is one. */
  readonly transient?: string;
  /** shell, node, python, ... for `agent_unknown:<kind>`. */
  readonly kind?: string;
}

export function agentOf(view: CommandView): Match | undefined {
  for (const row of AGENTS) {
    if (!row.process) continue;
    const via = matchPattern(row.process, view);
    if (via) return { slug: row.slug, via };
  }
  return undefined;
}

export function hostOf(view: CommandView): Match | undefined {
  for (const row of HOST_PROCESSES) {
    const via = matchPattern(row.process, view);
    if (via) return { slug: row.slug, via };
  }
  return undefined;
}

const basename = (s: string) => asciiLower(s.slice(s.lastIndexOf("/") + 1));

/**
 * The program that really runs and its arguments: argv0, or under an interpreter the
 * script it was given (`node /usr/bin/npx x` runs npx).
 */
function program(argv: readonly string[]): { name: string; args: readonly string[] } {
  const first = basename(argv[0] ?? "").replace(/^-/, "");
  const script = argv[1];
  const isInterpreter = INTERPRETERS.includes(first) || INTERPRETERS.includes(first.replace(/[0-9.]+$/, ""));
  if (isInterpreter && script !== undefined && script.includes("/") && !script.startsWith("-")) {
    return { name: basename(script).replace(/\.(c|m)?js$|\.py$/, ""), args: argv.slice(2) };
  }
  return { name: first, args: argv.slice(1) };
}

/** A shell running a command string: `-c`, `-c` in a cluster (`-lc`), or fish's `--command`. */
function runsCommandString(args: readonly string[]): boolean {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--command" || a === "-c") return true;
    if (SHELL_OPTIONS_WITH_VALUE.includes(a)) {
      i++;
      continue;
    }
    if (/^-[A-Za-z]+$/.test(a)) {
      if (a.includes("c")) return true;
      continue;
    }
    if (a.startsWith("-") || a.startsWith("+")) continue;
    return false; // a script name: the shell runs a file, not a command string
  }
  return false;
}

export function transientReason(argv: readonly string[]): string | undefined {
  const { name, args } = program(argv);
  if (SHELLS.includes(name) && runsCommandString(args)) return `shell running a command string (${name} -c)`;
  for (const row of WRAPPERS) {
    if (!row.programs.includes(name)) continue;
    if (!row.subcommands) return `wrapper ${name}`;
    const sub = args[0];
    if (sub !== undefined && row.subcommands.includes(sub)) return `wrapper ${name} ${sub}`;
  }
  return undefined;
}

/**
 * The verdict on one process, each part worked out only when first asked for: the anchor
 * search usually stops at a hop that an agent's pid variable names, without matching it
 * against anything.
 */
class Classified implements Classification {
  private memo: { view?: CommandView; transient?: string | null; agent?: Match | null; host?: Match | null; kind?: string | null } = {};

  /** `exact`: argv is the process's real argv (/proc), not the command split on spaces (ps). */
  constructor(
    private readonly command: string,
    private readonly argv: readonly string[],
    private readonly exact: boolean,
  ) {}

  get view(): CommandView {
    return (this.memo.view ??= commandView(this.command, this.exact ? (this.argv[0] ?? "") : undefined));
  }

  get transient(): string | undefined {
    if (this.memo.transient === undefined) this.memo.transient = transientReason(this.argv) ?? null;
    return this.memo.transient ?? undefined;
  }

  // A transient wrapper's arguments are the command it runs, written by whoever called
  // it: `bash -c "railway logs --service codex"` must not read as Codex (nor become the
  // anchor, which would mint a new id on every call). Its own program is all it is.
  get agent(): Match | undefined {
    if (this.memo.agent === undefined) this.memo.agent = (this.transient ? undefined : agentOf(this.view)) ?? null;
    return this.memo.agent ?? undefined;
  }

  get host(): Match | undefined {
    if (this.memo.host === undefined) this.memo.host = (this.transient || this.agent ? undefined : hostOf(this.view)) ?? null;
    return this.memo.host ?? undefined;
  }

  get kind(): string | undefined {
    if (this.memo.kind === undefined) this.memo.kind = kindOf(this.view.base) ?? null;
    return this.memo.kind ?? undefined;
  }
}

export function classify(command: string, argv: readonly string[], exact: boolean): Classification {
  return new Classified(command, argv, exact);
}
