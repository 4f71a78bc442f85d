// A directory per conversation, named by its id, holding one lock file per process that has
// the conversation open (Copilot CLI's ~/.copilot/session-state/<id>/inuse.<pid>.lock).
// The conversation whose directory holds the agent process's lock is the one it runs; a
// lock older than the process was left by an earlier process under the same pid. A process
// holding several (`copilot --acp`) is told apart by each conversation's transcript, when
// the row names one: the conversation whose latest shell call is this command.

import type { PidLockRecord } from "../catalog/records.ts";
import { joinPath } from "../path.ts";
import { safeValue } from "../safe.ts";
import { onlyOne, placeDirectory, type RecordAnswer, type RecordCall, type RecordFiles, type RecordMatch } from "./io.ts";

/** Conversations looked at, at most: a bound on the stats one call may cost. */
const MAX_CONVERSATIONS = 4096;
/** The anchor's start time is known to the second (Linux's btime). */
const START_SLACK_MS = 1000;

interface Held extends RecordMatch {
  readonly dir: string;
}

export function readPidLock(record: PidLockRecord, call: RecordCall, files: RecordFiles): RecordAnswer {
  const dir = placeDirectory(record.directory, call.env, files);
  const names = dir ? files.list(dir) : undefined;
  if (!dir || !names) return "absent";
  if (names.length > MAX_CONVERSATIONS) return undefined;
  for (const p of call.processes) {
    const lock = `${record.prefix}${p.pid}${record.suffix}`;
    const held: Held[] = [];
    for (const name of names) {
      if (name.startsWith(".")) continue;
      const conversation = joinPath(dir, name, files.platform);
      const file = joinPath(conversation, lock, files.platform);
      const mtime = files.mtimeMs(file);
      if (mtime === undefined) continue;
      if (call.anchorStartedAt !== undefined && mtime < call.anchorStartedAt - START_SLACK_MS) continue;
      const id = safeValue(name);
      if (id !== undefined) held.push({ id, file, dir: conversation });
    }
    if (held.length > 1 && record.transcript) return runningThisCommand(record.transcript, held, call, files);
    if (held.length > 0) return onlyOne(held);
  }
  // No conversation held by the agent's processes.
  return "absent";
}

/** Of the conversations a process holds, the one whose transcript's latest call is this command. */
function runningThisCommand(transcript: NonNullable<PidLockRecord["transcript"]>, held: readonly Held[], call: RecordCall, files: RecordFiles): RecordMatch | undefined {
  const { latestCallOf } = require("./transcript.ts") as typeof import("./transcript.ts");
  const running = held.filter((h) => latestCallOf(joinPath(h.dir, transcript.file, files.platform), transcript.call, files)?.some(call.isThisCommand));
  const one = onlyOne(running);
  return one && { id: one.id, file: one.file };
}
