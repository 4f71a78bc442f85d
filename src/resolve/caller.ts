// Who called (design §4), first match wins. Each layer exists because of a way the others
// fail: agents that export nothing (process tree), IDE terminals where a human and an
// extension look alike (host + terminal test), agents that set CI=true to silence prompts
// (CI only counts when no human is at a terminal).

import { AGENTS, AI_AGENT_VARIABLE, GENERIC_AGENT_MARKERS, type AgentRow } from "../catalog/agents.ts";
import { describe, firstMatch, holds, isTruthy, type Condition, type ConditionContext } from "../catalog/condition.ts";
import type { Env } from "../env.ts";
import type { Ancestry, Hop } from "./ancestry.ts";
import { anchorOf, pidVariables, type Anchor } from "./anchor.ts";
import { safeValue } from "../safe.ts";
import type { TerminalVerdict } from "./terminal.ts";

// The later layers' tables (IDE hosts, cloud IDEs, ci-info's vendors) are loaded only by
// a call that gets that far: an agent named by its environment or its ancestors never does.
const laterLayers = () => ({
  ...(require("../catalog/hosts.ts") as typeof import("../catalog/hosts.ts")),
  ...(require("../catalog/cloud.ts") as typeof import("../catalog/cloud.ts")),
  ...(require("../catalog/ci.ts") as typeof import("../catalog/ci.ts")),
  ...(require("./ci.ts") as typeof import("./ci.ts")),
});

export type CallerLayer =
  | "explicit" // §4.1 RAILWAY_CALLER
  | "agent_env" // §4.2 an agent's own environment marker
  | "process_tree" // §4.3 an agent among the ancestors
  | "agent_marker" // a generic "an agent is calling" marker (AGENT=1), agent unnamed
  | "ide_host" // §4.4
  | "cloud_ide" // §4.5
  | "ci" // §4.6
  | "fallback"; // §4.7

export interface CallerDecision {
  readonly caller: string;
  readonly layer: CallerLayer;
  /** The evidence, for a human: `CLAUDECODE is set`, `pid 42 (claude): argv0 basename "claude"`. */
  readonly why: string;
}

export interface CallerInput {
  readonly env: Env;
  /** Whether a human at a terminal made the call (terminal.ts); asked only when a layer needs it. */
  readonly atTerminal: () => TerminalVerdict;
  readonly ancestry: Ancestry;
  /** The session's anchor (design §6), found on demand; computed from the ancestry when absent. */
  readonly anchor?: () => Anchor | undefined;
}

export const RAILWAY_CALLER = "RAILWAY_CALLER";

/** design §4: every caller except `tty`, `tty:*`, `ci`, `ci:*` is an agent caller. */
export function isAgentCaller(caller: string): boolean {
  return !(caller === "tty" || caller.startsWith("tty:") || caller === "ci" || caller.startsWith("ci:"));
}

const hopLabel = (hop: Hop) => `pid ${hop.process.pid} (${hop.is.program.argv0 || "?"})`;

function conditionContext(input: CallerInput): ConditionContext {
  return {
    env: input.env,
    get atTerminal() {
      return input.atTerminal().human;
    },
  };
}

/**
 * An unnamed agent (design §4.7, §4.8): `agent_unknown:<kind>:<residue>`. The kind is the
 * anchor's, the process the session is keyed on, not the immediate parent's: a shell tool
 * that execs its last command makes the parent the agent itself on one call and a shell on
 * the next, and the kind would flip within one conversation. The residue names what drives
 * the call; without one, `agent_unknown:<kind>`; with a residue but no known kind,
 * `agent_unknown:proc:<residue>` (Railway's format); with neither, `agent_unknown`.
 */
function agentUnknown(input: CallerInput, host?: string): string {
  const anchor = input.anchor ? input.anchor() : anchorOf(input.ancestry, input.env);
  const kind = host ?? (anchor ?? (input.ancestry.at(1) ? { hop: input.ancestry.at(1)! } : undefined))?.hop.is.kind;
  const { ancestorResidue } = require("./residue.ts") as typeof import("./residue.ts");
  const residue = ancestorResidue(input.ancestry);
  if (residue) return `agent_unknown:${kind ?? "proc"}:${residue}`;
  return kind ? `agent_unknown:${kind}` : "agent_unknown";
}

interface Marked {
  readonly row: AgentRow;
  /** The first of its conditions that holds (for the explanation). */
  readonly condition: Condition;
  /** How many of its conditions hold. */
  readonly held: number;
}

/**
 * design §4.2: the most specific agent whose markers are set, never the table's order. A fork
 * keeps its upstream's markers and adds its own (Kilo CLI: OPENCODE=1 and KILO=1), so a row
 * whose `forkOf` names another matching row beats it. Unrelated agents both marked (one run
 * inside the other, the inner one inheriting the outer one's variables): the nearest in the
 * process tree, by its pid variable or its program; failing that, the one with more of its
 * markers set; failing that, the first listed.
 */
export function markedAgent(input: CallerInput, ctx: ConditionContext, rows: readonly AgentRow[] = AGENTS): Marked | undefined {
  const marked: Marked[] = [];
  for (const row of rows) {
    let condition: Condition | undefined;
    let held = 0;
    for (const c of row.when) {
      if (!holds(c, ctx)) continue;
      condition ??= c;
      held++;
    }
    if (condition) marked.push({ row, condition, held });
  }
  if (marked.length <= 1) return marked[0];

  const candidates: Marked[] = [];
  for (const m of marked) {
    let upstreamOfAnother = false;
    for (const other of marked) if (other.row.forkOf === m.row.slug) upstreamOfAnother = true;
    if (!upstreamOfAnother) candidates.push(m);
  }
  if (candidates.length === 1) return candidates[0];

  const named = pidVariables(input.env);
  let nearest: Marked | undefined;
  input.ancestry.find((hop) => {
    const variable = named.get(hop.process.pid);
    for (const c of candidates) {
      if ((variable !== undefined && c.row.pidVariable === variable) || hop.is.agent?.slug === c.row.slug) nearest = c;
    }
    return nearest !== undefined;
  });
  if (nearest) return nearest;

  let most = candidates[0]!;
  for (const c of candidates) if (c.held > most.held) most = c;
  return most;
}

/** design §4: the layers in order, the first that names the caller wins. */
export function detectCaller(input: CallerInput): CallerDecision {
  const ctx = conditionContext(input);
  return (
    explicitCaller(input.env) ??
    agentByEnvironment(input, ctx) ??
    agentByProcessTree(input) ??
    genericAgentMarker(input, ctx) ??
    byTerminal(input, ctx)
  );
}

/** §4.1: RAILWAY_CALLER, as given (when safe). */
function explicitCaller(env: Env): CallerDecision | undefined {
  const explicit = safeValue(env[RAILWAY_CALLER]);
  return explicit ? { caller: explicit, layer: "explicit", why: `${RAILWAY_CALLER}=${explicit}` } : undefined;
}

/** §4.2: an agent's own environment marker, else AI_AGENT naming one. */
function agentByEnvironment(input: CallerInput, ctx: ConditionContext): CallerDecision | undefined {
  const marked = markedAgent(input, ctx);
  if (marked) return { caller: marked.row.slug, layer: "agent_env", why: describe(marked.condition) };
  const aiAgent = safeValue(input.env[AI_AGENT_VARIABLE]);
  return aiAgent ? { caller: aiAgent, layer: "agent_env", why: `${AI_AGENT_VARIABLE}=${aiAgent}` } : undefined;
}

/** §4.3: the nearest agent among the ancestors, else the one that survives an adopted call. */
function agentByProcessTree(input: CallerInput): CallerDecision | undefined {
  const agentHop = input.ancestry.find((h) => h.is.agent !== undefined);
  const agent = agentHop?.is.agent;
  if (agentHop && agent) {
    return { caller: agent.slug, layer: "process_tree", why: `${hopLabel(agentHop)}: ${agent.via}` };
  }
  // An adopted call (design §6.1) has no agent among its ancestors any more; the agent
  // that survives of its conversation, leading its group or session, names it.
  const adopted = input.anchor?.();
  if (adopted?.adoptedBy !== undefined && adopted.hop.is.agent) {
    const why = `adopted by pid ${adopted.adoptedBy}; ${hopLabel(adopted.hop)} survives: ${adopted.hop.is.agent.via}`;
    return { caller: adopted.hop.is.agent.slug, layer: "process_tree", why };
  }
  return undefined;
}

/** A generic "an agent is calling" marker (AGENT=1): an agent, unnamed. */
function genericAgentMarker(input: CallerInput, ctx: ConditionContext): CallerDecision | undefined {
  for (const marker of GENERIC_AGENT_MARKERS) {
    if (holds(marker, ctx)) return { caller: agentUnknown(input), layer: "agent_marker", why: describe(marker) };
  }
  return undefined;
}

/**
 * §4.4 to §4.7, the layers that ask whether a human is at a terminal: the same IDE or cloud
 * IDE is a human's at a terminal and an agent's elsewhere, and CI counts only without one
 * (agents set CI=true to silence prompts).
 */
function byTerminal(input: CallerInput, ctx: ConditionContext): CallerDecision {
  const terminal = input.atTerminal();
  const later = laterLayers();
  return (
    ideHost(input, ctx, terminal, later) ??
    cloudIde(ctx, terminal, later) ??
    (terminal.human ? undefined : ciCaller(input.env, terminal, later)) ??
    fallback(input, terminal)
  );
}

type LaterLayers = ReturnType<typeof laterLayers>;

/** §4.4: an IDE host, by its environment or among the ancestors already read. */
function ideHost(input: CallerInput, ctx: ConditionContext, terminal: TerminalVerdict, { HOSTS }: LaterLayers): CallerDecision | undefined {
  const host = firstMatch(HOSTS, ctx);
  // Layer 3 read every ancestor already: looking for an IDE among them costs no I/O.
  let hostHop: Hop | undefined;
  if (!host) for (const h of input.ancestry.walked()) if (h.is.host !== undefined && hostHop === undefined) hostHop = h;
  const hostSlug = host?.row.slug ?? hostHop?.is.host?.slug;
  if (!hostSlug) return undefined;
  const evidence = host ? describe(host.condition) : `${hopLabel(hostHop!)}: ${hostHop!.is.host!.via}`;
  return {
    caller: terminal.human ? `tty:${hostSlug}` : agentUnknown(input, hostSlug),
    layer: "ide_host",
    why: `${evidence}; ${terminal.why}`,
  };
}

/** §4.5: a cloud IDE. */
function cloudIde(ctx: ConditionContext, terminal: TerminalVerdict, { CLOUD_IDES }: LaterLayers): CallerDecision | undefined {
  const cloud = firstMatch(CLOUD_IDES, ctx);
  if (!cloud) return undefined;
  return {
    caller: terminal.human ? `tty:${cloud.row.slug}` : `cloud_ide:${cloud.row.slug}`,
    layer: "cloud_ide",
    why: `${describe(cloud.condition)}; ${terminal.why}`,
  };
}

/** §4.6: a CI vendor (ci-info's table), else a truthy CI; asked only when no human is at a terminal. */
function ciCaller(env: Env, terminal: TerminalVerdict, { GENERIC_CI_VARIABLE, ciSlug, ciVendorOf }: LaterLayers): CallerDecision | undefined {
  const vendor = ciVendorOf(env);
  if (vendor) return { caller: `ci:${ciSlug(vendor)}`, layer: "ci", why: `${vendor.name} (ci-info); ${terminal.why}` };
  if (isTruthy(env[GENERIC_CI_VARIABLE])) return { caller: "ci", layer: "ci", why: `${GENERIC_CI_VARIABLE} is true; ${terminal.why}` };
  return undefined;
}

/** §4.7: a human at a terminal, else an agent nobody named. */
function fallback(input: CallerInput, terminal: TerminalVerdict): CallerDecision {
  if (terminal.human) return { caller: "tty", layer: "fallback", why: terminal.why };
  const parent = input.ancestry.at(1);
  return {
    caller: agentUnknown(input),
    layer: "fallback",
    why: parent ? `${terminal.why}; parent ${hopLabel(parent)}` : `${terminal.why}; parent unknown`,
  };
}
