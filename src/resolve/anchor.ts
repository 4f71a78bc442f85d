// The anchor (design §6): the long-lived process a persisted session is keyed on. Agents'
// shell tools start a fresh shell per call, so the immediate parent dies between calls;
// the harness itself lives for the whole conversation.

import { AGENTS, type AgentRow } from "../catalog/agents.ts";
import type { Env } from "../catalog/condition.ts";
import type { Ancestry, Hop } from "./ancestry.ts";
import { isUint } from "../proc/parse.ts";
import { safeValue } from "./safe.ts";

export type AnchorReason =
  /** The agent exported its own pid (CLAUDE_PID, OPENCODE_PID) and it is an ancestor. */
  | { readonly kind: "pid_variable"; readonly variable: string }
  /** The agent catalog recognises the process. */
  | { readonly kind: "agent"; readonly slug: string }
  /** No agent among the ancestors: the nearest one that is not a transient wrapper. */
  | { readonly kind: "non_transient" }
  /** Every ancestor walked was transient: the immediate parent. */
  | { readonly kind: "parent" };

export interface Anchor {
  readonly hop: Hop;
  readonly reason: AnchorReason;
}

/** pid → the variable that names it, from the agents' self-reported pids. */
export function pidVariables(env: Env): Map<number, string> {
  const named = new Map<number, string>();
  for (const row of AGENTS) {
    if (!row.pidVariable) continue;
    const value = safeValue(env[row.pidVariable]);
    if (value === undefined || value.length > 10 || !isUint(value)) continue;
    const pid = Number(value);
    if (pid > 0 && !named.has(pid)) named.set(pid, row.pidVariable);
  }
  return named;
}

export function anchorOf(ancestry: Ancestry, env: Env): Anchor | undefined {
  const named = pidVariables(env);
  // The nearest ancestor that is either named by a pid variable or a recognised agent:
  // nearest, so that an agent run by another agent anchors on the inner one.
  const agentHop = ancestry.find((h) => named.has(h.process.pid) || h.is.agent !== undefined);
  if (agentHop) {
    const variable = named.get(agentHop.process.pid);
    const reason: AnchorReason = variable
      ? { kind: "pid_variable", variable }
      : { kind: "agent", slug: agentHop.is.agent!.slug };
    return { hop: agentHop, reason };
  }
  // The walk above read every hop, so these find nothing new to read.
  const lasting = ancestry.find((h) => h.is.transient === undefined);
  if (lasting) return { hop: lasting, reason: { kind: "non_transient" } };
  const parent = ancestry.at(1);
  return parent ? { hop: parent, reason: { kind: "parent" } } : undefined;
}

/** The catalog row of the agent the anchor is: recognised by its program, or named by its pid variable. */
export function anchorAgent(anchor: Anchor): AgentRow | undefined {
  const slug = anchor.hop.is.agent?.slug;
  if (slug !== undefined) return AGENTS.find((row) => row.slug === slug);
  const { reason } = anchor;
  return reason.kind === "pid_variable" ? AGENTS.find((row) => row.pidVariable === reason.variable) : undefined;
}
