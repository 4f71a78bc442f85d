// Who called (SPEC §4), first match wins. Each layer exists because of a way the others
// fail: agents that export nothing (process tree), IDE terminals where a human and an
// extension look alike (host + terminal test), agents that set CI=true to silence prompts
// (CI only counts when stdout is not a terminal).

import { AGENTS, AI_AGENT_VARIABLE, GENERIC_AGENT_MARKERS } from "../catalog/agents.ts";
import { describe, firstMatch, holds, type ConditionContext, type Env } from "../catalog/condition.ts";
import type { Ancestry, Hop } from "./ancestry.ts";
import { isTruthy, safeValue } from "./safe.ts";

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
  /** Whether stdout is a terminal; asked only when a layer needs it. */
  readonly stdoutTty: () => boolean;
  readonly ancestry: Ancestry;
}

export const RAILWAY_CALLER = "RAILWAY_CALLER";

/** SPEC §4: every caller except `tty`, `tty:*`, `ci`, `ci:*` is an agent caller. */
export function isAgentCaller(caller: string): boolean {
  return !(caller === "tty" || caller.startsWith("tty:") || caller === "ci" || caller.startsWith("ci:"));
}

const hopLabel = (hop: Hop) => `pid ${hop.process.pid} (${hop.is.program.argv0 || "?"})`;

function conditionContext(input: CallerInput): ConditionContext {
  return {
    env: input.env,
    get stdoutTty() {
      return input.stdoutTty();
    },
  };
}

/** `agent_unknown:<kind of the immediate parent>`, or plain `agent_unknown`. */
function agentUnknown(ancestry: Ancestry): string {
  const kind = ancestry.at(1)?.is.kind;
  return kind ? `agent_unknown:${kind}` : "agent_unknown";
}

export function detectCaller(input: CallerInput): CallerDecision {
  const { env, ancestry } = input;
  const ctx = conditionContext(input);

  const explicit = safeValue(env[RAILWAY_CALLER]);
  if (explicit) return { caller: explicit, layer: "explicit", why: `${RAILWAY_CALLER}=${explicit}` };

  const marked = firstMatch(AGENTS, ctx);
  if (marked) return { caller: marked.row.slug, layer: "agent_env", why: describe(marked.condition) };
  const aiAgent = safeValue(env[AI_AGENT_VARIABLE]);
  if (aiAgent) return { caller: aiAgent, layer: "agent_env", why: `${AI_AGENT_VARIABLE}=${aiAgent}` };

  const agentHop = ancestry.find((h) => h.is.agent !== undefined);
  const agent = agentHop?.is.agent;
  if (agentHop && agent) {
    return { caller: agent.slug, layer: "process_tree", why: `${hopLabel(agentHop)}: ${agent.via}` };
  }

  for (const marker of GENERIC_AGENT_MARKERS) {
    if (holds(marker, ctx)) return { caller: agentUnknown(ancestry), layer: "agent_marker", why: describe(marker) };
  }

  const interactive = input.stdoutTty();
  const terminalNote = interactive ? "stdout is a terminal" : "stdout is not a terminal";
  const { HOSTS, CLOUD_IDES, GENERIC_CI_VARIABLE, ciSlug, ciVendorOf } = laterLayers();

  const host = firstMatch(HOSTS, ctx);
  // Layer 3 read every ancestor already: looking for an IDE among them costs no I/O.
  let hostHop: Hop | undefined;
  if (!host) for (const h of ancestry.walked()) if (h.is.host !== undefined && hostHop === undefined) hostHop = h;
  const hostSlug = host?.row.slug ?? hostHop?.is.host?.slug;
  if (hostSlug) {
    const evidence = host ? describe(host.condition) : `${hopLabel(hostHop!)}: ${hostHop!.is.host!.via}`;
    return {
      caller: interactive ? `tty:${hostSlug}` : `agent_unknown:${hostSlug}`,
      layer: "ide_host",
      why: `${evidence}; ${terminalNote}`,
    };
  }

  const cloud = firstMatch(CLOUD_IDES, ctx);
  if (cloud) {
    return {
      caller: interactive ? `tty:${cloud.row.slug}` : `cloud_ide:${cloud.row.slug}`,
      layer: "cloud_ide",
      why: `${describe(cloud.condition)}; ${terminalNote}`,
    };
  }

  if (!interactive) {
    const vendor = ciVendorOf(env);
    if (vendor) return { caller: `ci:${ciSlug(vendor)}`, layer: "ci", why: `${vendor.name} (ci-info); ${terminalNote}` };
    if (isTruthy(env[GENERIC_CI_VARIABLE])) {
      return { caller: "ci", layer: "ci", why: `${GENERIC_CI_VARIABLE} is true; ${terminalNote}` };
    }
  }

  if (interactive) return { caller: "tty", layer: "fallback", why: terminalNote };
  const parent = ancestry.at(1);
  return {
    caller: agentUnknown(ancestry),
    layer: "fallback",
    why: parent ? `${terminalNote}; parent ${hopLabel(parent)}` : `${terminalNote}; parent unknown`,
  };
}
