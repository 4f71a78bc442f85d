import { isAbsolute } from "node:path";
import type { Env } from "../catalog/condition.ts";

export interface SessionsLocation {
  readonly dir: string;
  /**
   * The directories stitch may create, outermost first. Never HOME itself, and for
   * RAILWAY_SESSIONS_DIR only the directory named: a HOME or a path that does not exist
   * is a misconfiguration to fall back from, not a tree to build.
   */
  readonly creatable: readonly string[];
}

/** Why there is no location (SPEC §9: agent callers then get a `cli_` id). */
export const NO_LOCATION = "neither RAILWAY_SESSIONS_DIR nor HOME is set to an absolute path";

/**
 * A directory named by the environment, if usable. A relative HOME or RAILWAY_SESSIONS_DIR
 * would mean "in whatever directory stitch was started in": the store and Railway's
 * preferences would come from the working directory, where a cloned repository can plant
 * files (SPEC §10). Such a value is unusable, and treated as unset.
 */
export function absoluteDir(value: string | undefined): string | undefined {
  return value && isAbsolute(value) ? value : undefined;
}

/** `$RAILWAY_SESSIONS_DIR`, else `~/.railway/sessions` (Railway's); undefined without either. */
export function sessionsLocation(env: Env): SessionsLocation | undefined {
  const override = absoluteDir(env.RAILWAY_SESSIONS_DIR);
  if (override) return { dir: override, creatable: [override] };
  const home = absoluteDir(env.HOME);
  if (!home) return undefined;
  const railway = `${home.replace(/\/+$/, "")}/.railway`;
  return { dir: `${railway}/sessions`, creatable: [railway, `${railway}/sessions`] };
}
