// Opting out (design §8): DO_NOT_TRACK or RAILWAY_NO_TELEMETRY set to 1/true, or Railway's
// preferences file saying "telemetryDisabled": true. Then the command runs with its
// environment untouched and no session file is read or written.

import type * as V from "valibot";
import type { Env } from "../env.ts";
import { joinPath } from "../path.ts";

export const OPT_OUT_VARIABLES = ["DO_NOT_TRACK", "RAILWAY_NO_TELEMETRY"] as const;

/** Relative to HOME: the file `railway telemetry disable` writes. */

export type OptOut = { readonly by: "variable"; readonly name: string } | { readonly by: "preferences"; readonly path: string };

/** `1` or `true` in any case: the spelling Railway's CLI and DO_NOT_TRACK use. */
export function isOneOrTrue(raw: string | undefined): boolean {
  if (raw === undefined) return false;
  const v = raw.trim().toLowerCase();
  return v === "1" || v === "true";
}

export function optOutByEnv(env: Env): OptOut | undefined {
  for (const name of OPT_OUT_VARIABLES) if (isOneOrTrue(env[name])) return { by: "variable", name };
  return undefined;
}

// Railway reads the file with serde defaults: only a JSON `true` disables telemetry; an
// unreadable or malformed file leaves it on.
// valibot is loaded only when there is a file to check.
let preferencesSchema: V.LooseObjectSchema<{ telemetryDisabled: V.OptionalSchema<V.BooleanSchema<undefined>, undefined> }, undefined> | undefined;

export function telemetryDisabledIn(text: string | undefined): boolean {
  if (text === undefined) return false;
  try {
    const v = require("valibot") as typeof V;
    preferencesSchema ??= v.looseObject({ telemetryDisabled: v.optional(v.boolean()) });
    const result = v.safeParse(preferencesSchema, JSON.parse(text));
    return result.success && result.output.telemetryDisabled === true;
  } catch {
    return false;
  }
}

/** Railway's preferences file under the home directory (store/location.ts). */
export function preferencesPath(home: string | undefined, platform: string): string | undefined {
  return home ? joinPath(joinPath(home, ".railway", platform), "preferences.json", platform) : undefined;
}
