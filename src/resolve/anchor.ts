// The anchor (design §6): the long-lived process a persisted session is keyed on. Agents'
// shell tools start a fresh shell per call, so the immediate parent dies between calls;
// the harness itself lives for the whole conversation.

import { AGENTS, type AgentRow } from "../catalog/agents.ts";
import type { Env } from "../env.ts";
import { ReadHop, type Ancestry, type Hop } from "./ancestry.ts";
import type { World } from "../world.ts";
import { safeValue } from "../safe.ts";
import { isUint } from "../text.ts";

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
  /**
   * Set when the call was adopted (design §6.1): the pid of the process that adopted it.
   * The anchor is then not an ancestor (`hop.depth` 0) but what survives of the
   * conversation: the agent a pid variable names, or the agent leading stitch's group or session.
   */
  readonly adoptedBy?: number;
}

/** What the World tells of sessions and groups (getsid, getpgid): how adoption shows. */
export type JobEvidence = Pick<World, "pid" | "sessionOf" | "processGroup" | "processes">;

export interface AnchorSearch {
  readonly anchor: Anchor | undefined;
  /** The ancestor that adopted the call, when one did: nothing above it is the conversation's. */
  readonly adoptedBy?: Hop;
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

export function anchorOf(ancestry: Ancestry, env: Env, job?: JobEvidence): Anchor | undefined {
  return findAnchor(ancestry, env, job).anchor;
}

/** Whether a program is a known subreaper (catalog/wrappers.ts). A loop, not a Set built at
 * load: this module is on every path, adoption is asked only on a walk (and flatMap, a
 * JavaScript-implemented built-in, costs its compilation on first use). */
function isAdopterName(name: string): boolean {
  // Required here: asked only of a walk that met an adopted call (start-up: test/unit/start-up.test.ts).
  const { ADOPTERS } = require("../catalog/wrappers.ts") as typeof import("../catalog/wrappers.ts");
  for (const row of ADOPTERS) if (row.programs.includes(name)) return true;
  return false;
}

/**
 * Whether `hop` adopted `child` (design §6.1) rather than started it. A process started by
 * its parent is in its parent's session, unless it was made the leader of a new one: so a
 * child outside its parent's session that leads none was re-parented. A child leading its
 * own session (`setsid -f`, a daemon's double fork) says nothing by sessions; then pid 1
 * (the namespace's init, whatever its program) or a known subreaper counts. An agent is
 * never an adopter: if it adopted the call, the call is still its conversation's.
 */
function adopted(child: number, hop: Hop, job: JobEvidence): boolean {
  if (hop.is.agent !== undefined) return false;
  const childSession = job.sessionOf(child === job.pid ? 0 : child);
  if (childSession === undefined) return false;
  if (childSession !== child) {
    const hopSession = job.sessionOf(hop.process.pid);
    return hopSession !== undefined && hopSession !== childSession;
  }
  return hop.process.pid === 1 || isAdopterName(hop.is.program.name);
}

/**
 * An adopted call's anchor: what survives of the conversation. The agent a pid variable
 * names, if it is alive and started before stitch (a pid reused since is not the agent);
 * else stitch's process-group leader, then its session leader, if that is an agent by its
 * program. Else none: the call gets a one-call `cli_` id, never the adopter's session.
 */
function survivor(named: Map<number, string>, job: JobEvidence, adoptedBy: number): Anchor | undefined {
  const processes = job.processes;
  if (!processes) return undefined;
  const self = processes.startedAt?.(job.pid);
  for (const [pid, variable] of named) {
    const started = processes.startedAt?.(pid);
    const p = started !== undefined && self !== undefined && started <= self ? processes.get(pid) : undefined;
    if (p) return { hop: new ReadHop(0, p), reason: { kind: "pid_variable", variable }, adoptedBy };
  }
  for (const leader of [job.processGroup(0), job.sessionOf(0)]) {
    if (leader === undefined || leader === job.pid || leader === adoptedBy) continue;
    const p = processes.get(leader);
    const hop = p && new ReadHop(0, p);
    if (hop?.is.agent) return { hop, reason: { kind: "agent", slug: hop.is.agent.slug }, adoptedBy };
  }
  return undefined;
}

/** The anchor, and the adopter that cut the ancestry when there is one. */
export function findAnchor(ancestry: Ancestry, env: Env, job?: JobEvidence): AnchorSearch {
  const named = pidVariables(env);
  // The nearest ancestor that is either named by a pid variable or a recognised agent:
  // nearest, so that an agent run by another agent anchors on the inner one. The walk
  // stops at an adopter: nothing above it started this call.
  let child = job?.pid ?? 0;
  let adoptedBy: Hop | undefined;
  const found = ancestry.find((h) => {
    if (named.has(h.process.pid) || h.is.agent !== undefined) return true;
    if (job && adopted(child, h, job)) adoptedBy = h;
    child = h.process.pid;
    return adoptedBy !== undefined;
  });
  if (found && found !== adoptedBy) {
    const variable = named.get(found.process.pid);
    const reason: AnchorReason = variable ? { kind: "pid_variable", variable } : { kind: "agent", slug: found.is.agent!.slug };
    return { anchor: { hop: found, reason } };
  }
  // The walk above read every hop it may use, so these find nothing new to read.
  const below = adoptedBy ? ancestry.walked().slice(0, adoptedBy.depth - 1) : ancestry.walked();
  const lasting = below.find((h) => h.is.transient === undefined);
  if (lasting) return { anchor: { hop: lasting, reason: { kind: "non_transient" } }, adoptedBy };
  if (adoptedBy) return { anchor: survivor(named, job!, adoptedBy.process.pid), adoptedBy };
  const parent = ancestry.at(1);
  return { anchor: parent ? { hop: parent, reason: { kind: "parent" } } : undefined };
}

/** The catalog row of the agent the anchor is: recognised by its program, or named by its pid variable. */
export function anchorAgent(anchor: Anchor): AgentRow | undefined {
  const slug = anchor.hop.is.agent?.slug;
  if (slug !== undefined) return AGENTS.find((row) => row.slug === slug);
  const { reason } = anchor;
  return reason.kind === "pid_variable" ? AGENTS.find((row) => row.pidVariable === reason.variable) : undefined;
}
