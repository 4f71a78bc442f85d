// Where the session files live (design §6): `$RAILWAY_SESSIONS_DIR`, else `.railway/sessions`
// under the home directory that Railway's CLI uses (Rust's `dirs::home_dir`), so that a
// shimmed and an unshimmed `railway` agree on every platform: `$HOME`, else the user's
// passwd entry; on Windows the profile folder (FOLDERID_Profile, what USERPROFILE names).

import type { Env } from "../env.ts";
import { absoluteDir, joinPath } from "../path.ts";

export interface SessionsLocation {
  readonly dir: string;
  /**
   * The directories stitch may create, outermost first. Never HOME itself, and for
   * RAILWAY_SESSIONS_DIR only the directory named: a HOME or a path that does not exist
   * is a misconfiguration to fall back from, not a tree to build.
   */
  readonly creatable: readonly string[];
}

/** Why there is no location (design §9: agent callers then get a `cli_` id). */
export const NO_LOCATION = "no RAILWAY_SESSIONS_DIR and no home directory (both must be absolute paths)";

/** Where the home directory comes from when the environment does not say. */
export interface HomeLookups {
  /** The passwd entry's home of the user running stitch (Unix). */
  passwd(): string | undefined;
  /** The profile folder (Windows, SHGetKnownFolderPath). */
  profileFolder(): string | undefined;
}

/**
 * The user's home as Railway's CLI finds it (`dirs::home_dir`): on Unix `$HOME` when set
 * (and, here, absolute), else the passwd entry; on Windows the profile folder, else
 * `USERPROFILE`. HOME is not read on Windows: Git Bash and MSYS set it to their own idea.
 */
export function homeDirectory(env: Env, platform: string, lookups: HomeLookups): string | undefined {
  if (platform === "win32") return absoluteDir(lookups.profileFolder(), platform) ?? absoluteDir(env.USERPROFILE, platform);
  return absoluteDir(env.HOME, platform) ?? absoluteDir(lookups.passwd(), platform);
}

/**
 * `$RAILWAY_SESSIONS_DIR`, else `.railway/sessions` under the home directory (asked only
 * then); undefined without either.
 */
export function sessionsLocation(env: Env, home: () => string | undefined, platform: string): SessionsLocation | undefined {
  const override = absoluteDir(env.RAILWAY_SESSIONS_DIR, platform);
  if (override) return { dir: override, creatable: [override] };
  const homeDir = home();
  if (!homeDir) return undefined;
  const railway = joinPath(homeDir, ".railway", platform);
  const sessions = joinPath(railway, "sessions", platform);
  return { dir: sessions, creatable: [railway, sessions] };
}
