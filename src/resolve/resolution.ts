// The whole decision: (World) → Resolution, the caller and the session together. Pure apart from what the World's adapters do
// when asked, and it asks only what the answer needs: on the common paths no more than
// a few ancestors and one session file are read.

import { EXPLICIT_SESSION_VARIABLES } from "../catalog/session-variables.ts";
import type { ProcessSourceKind } from "../proc/source.ts";
import type { World } from "../world.ts";
import { Ancestry, type Hop } from "./ancestry.ts";
import { findAnchor as searchAnchor, type Anchor, type AnchorSearch } from "./anchor.ts";
import { detectCaller, isAgentCaller, RAILWAY_CALLER, type CallerDecision } from "./caller.ts";
import { optOutByEnv, preferencesPath, telemetryDisabledIn, type OptOut } from "./optout.ts";
import { resolveSession, type SessionDecision } from "./session.ts";
import { atTerminal, type TerminalVerdict } from "./terminal.ts";

export interface Resolution {
  readonly caller: CallerDecision;
  readonly agentCaller: boolean;
  readonly session: SessionDecision;
  /** The anchor, when the persisted layer (or `explain`) looked for one. */
  readonly anchor: Anchor | undefined;
  /** The ancestors read, nearest first. */
  readonly ancestry: readonly Hop[];
  /** Which process source answered; undefined when none was asked (never with `explain`). */
  readonly processSource: ProcessSourceKind | "none" | undefined;
  /** Set when the user opted out; undefined when not, or when it did not matter. */
  readonly optedOut: OptOut | undefined;
  /** The variables the command's environment gains (design §3); empty when it is untouched. */
  readonly childEnv: Readonly<Record<string, string>>;
}

export interface ResolveOptions {
  /**
   * For `stitch resolve`: walk every ancestor, find the anchor and check the opt-out even
   * when the answer does not need them, so the explanation is complete.
   */
  readonly explain?: boolean;
}

export function childEnvFor(world: World, caller: string, id: string | undefined): Record<string, string> {
  if (id === undefined) return {};
  const env: Record<string, string> = {};
  for (const { name } of EXPLICIT_SESSION_VARIABLES) env[name] = id;
  if (world.env[RAILWAY_CALLER] === undefined) env[RAILWAY_CALLER] = caller;
  return env;
}

export function resolutionOf(world: World, options: ResolveOptions = {}): Resolution {
  const ancestry = new Ancestry(() => world.processes, world.pid, world.ppid, undefined, world.parentNow && (() => world.parentNow!()));

  let optedOut: OptOut | undefined | null = null; // null: not checked yet
  const checkOptOut = (): OptOut | undefined => {
    if (optedOut === null) {
      const path = preferencesPath(world.home(), world.platform);
      optedOut =
        optOutByEnv(world.env) ??
        (path !== undefined && telemetryDisabledIn(world.readText(path)) ? { by: "preferences", path } : undefined);
    }
    return optedOut;
  };

  let search: AnchorSearch | undefined;
  const anchorSearch = (): AnchorSearch =>
    (search ??= searchAnchor(ancestry, world.env, world));
  const findAnchor = (): Anchor | undefined => anchorSearch().anchor;

  let terminal: TerminalVerdict | undefined;
  const terminalVerdict = () => (terminal ??= atTerminal(world, ancestry));
  const caller = detectCaller({ env: world.env, atTerminal: terminalVerdict, ancestry, anchor: findAnchor });
  const agentCaller = isAgentCaller(caller.caller);
  const session = resolveSession({
    world,
    caller: caller.caller,
    agentCaller,
    anchor: findAnchor,
    noAnchor: () => {
      const by = anchorSearch().adoptedBy;
      return by
        ? `adopted by pid ${by.process.pid} (${by.is.program.argv0 || "?"}): no agent of the conversation survives`
        : "no ancestor could be read";
    },
    ancestry,
    optedOut: () => checkOptOut() !== undefined,
  });

  if (options.explain) {
    ancestry.all();
    findAnchor();
    checkOptOut();
  }

  return {
    caller,
    agentCaller,
    session,
    anchor: search?.anchor,
    ancestry: ancestry.walked(),
    // Asking the source its kind makes it choose (and probe /proc): only when it was used.
    processSource: ancestry.walked().length > 0 || options.explain ? (world.processes?.kind ?? "none") : undefined,
    optedOut: optedOut ?? undefined,
    childEnv: childEnvFor(world, caller.caller, session.id),
  };
}
