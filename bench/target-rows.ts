// The environments of the rows the targets name (docs/performance.md): bench/run.ts times
// them, bench/instructions.ts counts them, each for this checkout and BENCH_BASELINE's.

/** What every row runs with: HOME, a short PATH, the C locale. */
export const baseEnv = (home: string) => ({ PATH: "/usr/bin:/bin", HOME: home, LC_ALL: "C" });

/** Claude Code, Codex and Qwen Code export their own id: no process walk, no file. */
export const idEnv = (home: string) => ({ ...baseEnv(home), CODEX_THREAD_ID: "0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b" });

/**
 * stitch as an agent's shell call would see it: an agent marker, the agent's pid (this
 * process: Bun.spawnSync execs stitch directly, so it is stitch's parent), so the session
 * file of this anchor is read and reused.
 */
export const agentEnv = (home: string, sessions: string) => ({ ...baseEnv(home), RAILWAY_SESSIONS_DIR: sessions, OPENCODE: "1", OPENCODE_PID: String(process.pid) });

/** A CI caller; stdout is /dev/null, not a terminal. */
export const ciEnv = (home: string, sessions: string) => ({ ...baseEnv(home), RAILWAY_SESSIONS_DIR: sessions, CI: "true", GITHUB_ACTIONS: "true" });
