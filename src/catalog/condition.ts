// The small declarative language the catalog rows use to describe an environment, and
// its evaluator. A variable counts as set only when it is non-empty: `FOO=` is how people
// switch a marker off without unsetting it.

import type { Env } from "../env.ts";
import { asciiLower } from "../text.ts";

/**
 * A flag variable that is set to anything but an explicit "off" value. `CI=false` and
 * `CODESPACES=0` must not count: people set those precisely to say "not CI".
 */
export function isTruthy(raw: string | undefined): boolean {
  if (raw === undefined) return false;
  const v = raw.trim().toLowerCase();
  return v !== "" && v !== "0" && v !== "false" && v !== "no" && v !== "off";
}

export type Condition =
  /** The variable is set (non-empty). */
  | { readonly env: string }
  /** The variable equals the value, ignoring ASCII case and surrounding space. */
  | { readonly env: string; readonly equals: string }
  /** The variable starts with the prefix, ignoring ASCII case. */
  | { readonly env: string; readonly startsWith: string }
  /** The variable contains the text, ignoring ASCII case. */
  | { readonly env: string; readonly includes: string }
  /** The variable is set to something other than 0/false/no/off. */
  | { readonly env: string; readonly truthy: true }
  /** Whether a human at a terminal made the call (design §4, "At a terminal"). */
  | { readonly atTerminal: boolean }
  | { readonly all: readonly Condition[] }
  | { readonly any: readonly Condition[] };

export interface ConditionContext {
  readonly env: Env;
  /** Asked only when a condition needs it. */
  readonly atTerminal: boolean;
}

export function holds(c: Condition, ctx: ConditionContext): boolean {
  if ("all" in c) {
    for (const x of c.all) if (!holds(x, ctx)) return false;
    return true;
  }
  if ("any" in c) {
    for (const x of c.any) if (holds(x, ctx)) return true;
    return false;
  }
  if ("atTerminal" in c) return c.atTerminal === ctx.atTerminal;
  const raw = ctx.env[c.env];
  if (raw === undefined || raw === "") return false;
  if ("equals" in c) return asciiLower(raw.trim()) === asciiLower(c.equals);
  if ("startsWith" in c) return asciiLower(raw).startsWith(asciiLower(c.startsWith));
  if ("includes" in c) return asciiLower(raw).includes(asciiLower(c.includes));
  if ("truthy" in c) return isTruthy(raw);
  return true;
}

/** A short human description of a condition, for `stitch resolve`. */
export function describe(c: Condition): string {
  if ("all" in c) return c.all.map(describe).join(" and ");
  if ("any" in c) return c.any.map(describe).join(" or ");
  if ("atTerminal" in c) return c.atTerminal ? "at a terminal" : "not at a terminal";
  if ("equals" in c) return `${c.env}=${c.equals}`;
  if ("startsWith" in c) return `${c.env}=${c.startsWith}*`;
  if ("includes" in c) return `${c.env} contains "${c.includes}"`;
  if ("truthy" in c) return `${c.env} is true`;
  return `${c.env} is set`;
}

/** The first row whose condition holds, with that condition (for the explanation). */
export function firstMatch<R extends { readonly when: readonly Condition[] }>(
  rows: readonly R[],
  ctx: ConditionContext,
): { row: R; condition: Condition } | undefined {
  for (const row of rows) {
    for (const condition of row.when) {
      if (holds(condition, ctx)) return { row, condition };
    }
  }
  return undefined;
}
