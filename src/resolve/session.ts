// Which session id the command gets (design §5), first match wins: an id handed over
// explicitly; one the harness exports; for agent callers, the agent's own record of the
// conversation running this call (§5.3), else the persisted session of the anchor process
// (§5.4); failing that, a per-process `cli_` id that downstream recognises as "not stitched".

import { EXPLICIT_SESSION_VARIABLES, HARNESS_SESSION_VARIABLES, type SessionVariable } from "../catalog/session-variables.ts";
import type { Env } from "../env.ts";
import type { sessionFor } from "../store/lifecycle.ts";
import type { ProcessSource } from "../proc/source.ts";
import type { World } from "../world.ts";
import type { RecordKind } from "../catalog/records.ts";
import type { Ancestry } from "./ancestry.ts";
import { anchorAgent, type Anchor } from "./anchor.ts";
import { safeValue } from "../safe.ts";

export type SessionSource =
  | { readonly kind: "explicit"; readonly variable: string }
  | { readonly kind: "harness"; readonly variable: string }
  | { readonly kind: "agent_record"; readonly record: RecordKind; readonly file: string }
  | { readonly kind: "store"; readonly how: "reused" | "created" | "joined"; readonly file: string }
  | { readonly kind: "fallback"; readonly reason: string }
  | { readonly kind: "none"; readonly reason: string };

export interface SessionDecision {
  readonly id: string | undefined;
  readonly source: SessionSource;
}

/** design §5.4: `cli_` + 22 characters of unpadded base64url of 16 random bytes. */
export function cliFallbackId(randomBytes: (n: number) => Uint8Array): string {
  return `cli_${Buffer.from(randomBytes(16)).toString("base64url")}`;
}

/** Whether a value is one the harness gives for something that is not an id (`unless`). */
function excluded(id: string, unless: readonly string[] | undefined): boolean {
  for (const u of unless ?? []) {
    if (u.endsWith("*") ? id.startsWith(u.slice(0, -1)) : id === u) return true;
  }
  return false;
}

export function fromVariables(env: Env, variables: readonly SessionVariable[]) {
  for (const { name, unless } of variables) {
    const id = safeValue(env[name]);
    if (id !== undefined && !excluded(id, unless)) return { id, variable: name };
  }
  return undefined;
}

export interface SessionInput {
  readonly world: World;
  readonly caller: string;
  readonly agentCaller: boolean;
  /** Found on demand: only the agent-record and persisted layers need it. */
  readonly anchor: () => Anchor | undefined;
  /** Why there is no anchor, when there is none. */
  readonly noAnchor?: () => string;
  /** The walk the anchor was found on: the hops below it are the agent's record's clues. */
  readonly ancestry: Ancestry;
  /** Whether the user opted out (design §8); asked only when there is an id to withhold. */
  readonly optedOut: () => boolean;
}

const OPTED_OUT: SessionDecision = { id: undefined, source: { kind: "none", reason: "telemetry opted out" } };

/** design §5, in order: an id given in the environment, then (agent callers only) the anchor's. */
export function resolveSession(input: SessionInput): SessionDecision {
  const given = givenSession(input.world.env);
  if (given) return input.optedOut() ? OPTED_OUT : given;
  if (!input.agentCaller) return { id: undefined, source: { kind: "none", reason: `${input.caller} is not an agent caller` } };
  if (input.optedOut()) return OPTED_OUT;
  return anchoredSession(input);
}

/** §5.1 an id handed over explicitly, else §5.2 one the harness exports. */
function givenSession(env: Env): SessionDecision | undefined {
  const handed = fromVariables(env, EXPLICIT_SESSION_VARIABLES);
  if (handed) return { id: handed.id, source: { kind: "explicit", variable: handed.variable } };
  const harness = fromVariables(env, HARNESS_SESSION_VARIABLES);
  if (harness) return { id: harness.id, source: { kind: "harness", variable: harness.variable } };
  return undefined;
}

/** §5.4's last resort: a per-process `cli_` id, which downstream reads as "not stitched". */
function cliFallback(world: World, reason: string): SessionDecision {
  return { id: cliFallbackId((n) => world.randomBytes(n)), source: { kind: "fallback", reason } };
}

/** §5.3 the agent's own record of the conversation, else §5.4 the anchor's persisted session. */
function anchoredSession(input: SessionInput): SessionDecision {
  const { world } = input;
  const processes = world.processes;
  if (!processes) return cliFallback(world, "no process information on this platform");
  const anchor = input.anchor();
  if (!anchor) return cliFallback(world, input.noAnchor?.() ?? "no ancestor could be read");
  return agentRecordSession(input, anchor) ?? storedSession(input, anchor, processes);
}

/** §5.3: only an agent whose row declares records pays for reading them (and loads their module). */
function agentRecordSession(input: SessionInput, anchor: Anchor): SessionDecision | undefined {
  const agent = anchorAgent(anchor);
  if (!agent?.records) return undefined;
  const { ownRecord } = require("./own-record.ts") as typeof import("./own-record.ts");
  const own = ownRecord(input.world, input.ancestry, anchor, agent.slug, agent.records);
  return own ? { id: own.id, source: { kind: "agent_record", record: own.record, file: own.file } } : undefined;
}

/** §5.4: the anchor's session file, reused, joined or created; a `cli_` id when the store cannot answer. */
function storedSession(input: SessionInput, anchor: Anchor, processes: ProcessSource): SessionDecision {
  const { world } = input;
  // The store's modules (identity, lifecycle, schema, valibot) load only on this path.
  const { identityOf } = require("../store/identity.ts") as typeof import("../store/identity.ts");
  const { nativeClock, sessionFor } = require("../store/lifecycle.ts") as typeof import("../store/lifecycle.ts");
  const { NO_LOCATION, sessionsLocation } = require("../store/location.ts") as typeof import("../store/location.ts");
  const { UNKNOWN_PLACE } = require("../store/place.ts") as typeof import("../store/place.ts");
  const identity = identityOf(anchor.hop.process);
  if (!identity) return cliFallback(world, `no start time for anchor pid ${anchor.hop.process.pid}`);
  const location = sessionsLocation(world.env, () => world.home(), world.platform);
  if (!location) return cliFallback(world, NO_LOCATION);
  const opening = world.openStore(location);
  if (!opening.ok) return cliFallback(world, opening.reason);

  let outcome: ReturnType<typeof sessionFor>;
  try {
    outcome = sessionFor(
      opening.store,
      { identity, caller: input.caller, mint: () => world.randomUUID() },
      {
        processes,
        bootId: processes.bootId(),
        now: world.now(),
        nativeClock: nativeClock(world.platform),
        place: world.place ?? UNKNOWN_PLACE,
      },
    );
  } catch (e) {
    // Fail open (design §9): the store is best effort; the call still gets an id.
    return cliFallback(world, `session store failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!outcome.ok) return cliFallback(world, outcome.reason);
  return { id: outcome.id, source: { kind: "store", how: outcome.how, file: outcome.file } };
}
