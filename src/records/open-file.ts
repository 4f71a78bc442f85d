// Files the agent process holds open while a conversation is live, whose names carry the
// conversation id (Codex keeps its thread's rollout `rollout-<time>-<thread id>.jsonl`
// open for writing). Exactly one conversation among them answers; a process hosting several
// threads at once (`codex app-server`) holds several, and then, when the files are the
// transcripts (Codex writes the call to its rollout before running it), the one whose
// latest shell call is this command.

import type { OpenFileRecord } from "../catalog/records.ts";
import { basename } from "../text.ts";
import { safeValue } from "../safe.ts";
import { onlyOne, type RecordCall, type RecordFiles, type RecordMatch } from "./io.ts";

export function readOpenFile(record: OpenFileRecord, call: RecordCall, files: RecordFiles): RecordMatch | undefined {
  for (const p of call.processes) {
    const open = files.openFiles(p.pid);
    if (!open) continue;
    const matches: RecordMatch[] = [];
    for (const path of open) {
      const name = basename(path);
      if (!name.startsWith(record.prefix) || !name.endsWith(record.suffix)) continue;
      const stem = name.slice(0, name.length - record.suffix.length);
      if (stem.length < record.prefix.length + record.idLength) continue;
      const id = safeValue(stem.slice(-record.idLength));
      if (id !== undefined) matches.push({ id, file: path });
    }
    if (matches.length > 1 && record.call) {
      // Several conversations open (`codex app-server`): each file is its conversation's
      // transcript, and the running call is written to it before it runs.
      const { latestCallOf } = require("./transcript.ts") as typeof import("./transcript.ts");
      const shape = record.call;
      return onlyOne(matches.filter((m) => latestCallOf(m.file, shape, files)?.some(call.isThisCommand)));
    }
    if (matches.length > 0) return onlyOne(matches);
  }
  return undefined;
}
