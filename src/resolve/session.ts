// Which session id the command gets (design §5), first match wins: an id handed over
// explicitly; one the harness exports; for agent callers, the agent's own record of the
// conversation running this call (§5.3), else the persisted session of the anchor process
// (§5.4); failing that, a per-process `cli_` id that downstream recognises as "not stitched".

import { EXPLICIT_SESSION_VARIABLES, HARNESS_SESSION_VARIABLES, type SessionVariable } from "../catalog/session-variables.ts";
import type { Env } from "../catalog/condition.ts";
import type { sessionFor } from "../store/lifecycle.ts";
import type { World } from "../world.ts";
import type { RecordKind } from "../catalog/records.ts";
import type { Ancestry } from "./ancestry.ts";
import { anchorAgent, type Anchor } from "./anchor.ts";
import { safeValue } from "./safe.ts";

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

export function resolveSession(input: SessionInput): SessionDecision {
  const { world } = input;
  const handed = fromVariables(world.env, EXPLICIT_SESSION_VARIABLES);
  const harness = handed ? undefined : fromVariables(world.env, HARNESS_SESSION_VARIABLES);
  const given = handed ?? harness;
  if (given) {
    if (input.optedOut()) return OPTED_OUT;
    return { id: given.id, source: { kind: handed ? "explicit" : "harness", variable: given.variable } };
  }
  if (!input.agentCaller) return { id: undefined, source: { kind: "none", reason: `${input.caller} is not an agent caller` } };
  if (input.optedOut()) return OPTED_OUT;

  const fallback = (reason: string): SessionDecision => ({
    id: cliFallbackId((n) => world.randomBytes(n)),
    source: { kind: "fallback", reason },
  });

  const processes = world.processes;
  if (!processes) return fallback("no process information on this platform");
  const anchor = input.anchor();
  if (!anchor) return fallback(input.noAnchor?.() ?? "no ancestor could be read");
  // Only an agent whose row declares records pays for reading them (and loads their module).
  const agent = anchorAgent(anchor);
  if (agent?.records) {
    const { ownRecord } = require("./own-record.ts") as typeof import("./own-record.ts");
    const own = ownRecord(world, input.ancestry, anchor, agent.slug, agent.records);
    if (own) return { id: own.id, source: { kind: "agent_record", record: own.record, file: own.file } };
  }
  // The store's modules (identity, lifecycle, schema, valibot) load only on this path.
  const { identityOf } = require("../store/identity.ts") as typeof import("../store/identity.ts");
  const { nativeClock, sessionFor } = require("../store/lifecycle.ts") as typeof import("../store/lifecycle.ts");
  const { NO_LOCATION, sessionsLocation } = require("../store/location.ts") as typeof import("../store/location.ts");
  const { UNKNOWN_PLACE } = require("../store/place.ts") as typeof import("../store/place.ts");
  const identity = identityOf(anchor.hop.process);
  if (!identity) return fallback(`no start time for anchor pid ${anchor.hop.process.pid}`);
  const location = sessionsLocation(world.env, () => world.home(), world.platform);
  if (!location) return fallback(NO_LOCATION);
  const opening = world.openStore(location);
  if (!opening.ok) return fallback(opening.reason);

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
    return fallback(`session store failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!outcome.ok) return fallback(outcome.reason);
  return { id: outcome.id, source: { kind: "store", how: outcome.how, file: outcome.file } };
}
