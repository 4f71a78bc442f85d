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

/** `$RAILWAY_SESSIONS_DIR`, else `~/.railway/sessions` (Railway's); undefined without either. */
export function sessionsLocation(env: Env): SessionsLocation | undefined {
  const override = env.RAILWAY_SESSIONS_DIR;
  if (override) return { dir: override, creatable: [override] };
  const home = env.HOME;
  if (!home) return undefined;
  const railway = `${home.replace(/\/+$/, "")}/.railway`;
  return { dir: `${railway}/sessions`, creatable: [railway, `${railway}/sessions`] };
}
