import type { Env } from "../catalog/condition.ts";

/** `$RAILWAY_SESSIONS_DIR`, else `~/.railway/sessions` (Railway's); undefined without either. */
export function sessionsDir(env: Env): string | undefined {
  const override = env.RAILWAY_SESSIONS_DIR;
  if (override) return override;
  const home = env.HOME;
  return home ? `${home.replace(/\/+$/, "")}/.railway/sessions` : undefined;
}
