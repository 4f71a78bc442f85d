// A directory per conversation, named by its id, holding one lock file per process that has
// the conversation open (Copilot CLI's ~/.copilot/session-state/<id>/inuse.<pid>.lock).
// The conversation whose directory holds the agent process's lock is the one it runs; a
// lock older than the process was left by an earlier process under the same pid.

import type { PidLockRecord } from "../catalog/records.ts";
import { safeValue } from "../resolve/safe.ts";
import { joinPath } from "../store/location.ts";
import { onlyOne, placeDirectory, type RecordCall, type RecordFiles, type RecordMatch } from "./io.ts";

/** Conversations looked at, at most: a bound on the stats one call may cost. */
const MAX_CONVERSATIONS = 4096;
/** The anchor's start time is known to the second (Linux's btime). */
const START_SLACK_MS = 1000;

export function readPidLock(record: PidLockRecord, call: RecordCall, files: RecordFiles): RecordMatch | undefined {
  const dir = placeDirectory(record.directory, call.env, files);
  const names = dir ? files.list(dir) : undefined;
  if (!dir || !names || names.length > MAX_CONVERSATIONS) return undefined;
  for (const p of call.processes) {
    const lock = `${record.prefix}${p.pid}${record.suffix}`;
    const matches: RecordMatch[] = [];
    for (const name of names) {
      if (name.startsWith(".")) continue;
      const file = joinPath(joinPath(dir, name, files.platform), lock, files.platform);
      const mtime = files.mtimeMs(file);
      if (mtime === undefined) continue;
      if (call.anchorStartedAt !== undefined && mtime < call.anchorStartedAt - START_SLACK_MS) continue;
      const id = safeValue(name);
      if (id !== undefined) matches.push({ id, file });
    }
    if (matches.length > 0) return onlyOne(matches);
  }
  return undefined;
}
