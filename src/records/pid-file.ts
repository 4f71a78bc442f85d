// A JSON record named by the agent process's pid (Claude Code's ~/.claude/sessions/<pid>.json,
// Qwen Code's ~/.qwen/sessions/<pid>-<hex>.json in ACP mode). The agent rewrites it as the
// conversation changes (resume, /clear), so it names the conversation running now. It counts
// only when its start-time field is this process's start time: a file a crashed process
// left under a pid since reused must never answer.

import * as v from "valibot";
import type { PidFileRecord } from "../catalog/records.ts";
import { joinPath } from "../path.ts";
import { safeValue } from "../safe.ts";
import { onlyOne, parseJson, placeDirectory, type AgentProcess, type RecordCall, type RecordFiles, type RecordMatch } from "./io.ts";

const MAX_RECORD = 64 << 10;

/** .NET's DateTime ticks (100 ns since 0001) of 1601-01-01: a FILETIME is ticks minus this. */
const NET_TICKS_1601 = 504_911_232_000_000_000n;
/** Above this, a Windows start is .NET ticks, not a FILETIME (as Claude Code tells them apart). */
const NET_TICKS_FLOOR = 300_000_000_000_000_000n;

/** Whether a recorded start is this process's; undefined where this call's clock cannot say. */
function startCheck(record: PidFileRecord, p: AgentProcess, call: RecordCall): ((recorded: string) => boolean) | undefined {
  const format = record.start[call.clock];
  if (format === undefined || p.startTime === undefined) return undefined;
  switch (format) {
    case "ticks":
      return (recorded) => recorded === p.startTime!.toString();
    case "boot_ticks":
      return call.bootId === undefined ? undefined : (recorded) => recorded === `${call.bootId}:${p.startTime}`;
    case "filetime":
      return (recorded) => {
        if (!/^\d{1,20}$/.test(recorded)) return false;
        const value = BigInt(recorded);
        return (value > NET_TICKS_FLOOR ? value - NET_TICKS_1601 : value) === p.startTime;
      };
    case "lstart_utc": {
      const started = p.startedAt;
      const { lstartMs } = require("../proc/parse.ts") as typeof import("../proc/parse.ts");
      return started === undefined ? undefined : (recorded) => lstartMs(recorded, "utc") === started;
    }
  }
}

/** The record's schema, under the agent's own field names: an id, and a start as text or a number. */
function recordSchema(fields: PidFileRecord["fields"]) {
  return v.object({ [fields.id]: v.string(), [fields.start]: v.union([v.string(), v.number()]) });
}

function readOne(record: PidFileRecord, file: string, isStart: (recorded: string) => boolean, files: RecordFiles): RecordMatch | undefined {
  const part = files.readPart(file, "head", MAX_RECORD);
  const parsed = part?.whole ? v.safeParse(recordSchema(record.fields), parseJson(part.text)) : undefined;
  if (!parsed?.success) return undefined;
  const fields = parsed.output as Record<string, string | number>;
  if (!isStart(String(fields[record.fields.start]))) return undefined;
  const id = safeValue(fields[record.fields.id] as string);
  return id === undefined ? undefined : { id, file };
}

export function readPidFile(record: PidFileRecord, call: RecordCall, files: RecordFiles): RecordMatch | undefined {
  const dir = placeDirectory(record.directory, call.env, files);
  if (!dir) return undefined;
  const names = record.suffixed ? files.list(dir) : undefined;
  if (record.suffixed && !names) return undefined;
  // The nearest of the agent's processes that has a record decides.
  for (const p of call.processes) {
    const start = startCheck(record, p, call);
    if (start === undefined) continue;
    const candidates = record.suffixed
      ? names!.filter((n) => n === `${p.pid}.json` || (n.startsWith(`${p.pid}-`) && n.endsWith(".json")))
      : [`${p.pid}.json`];
    const matches: RecordMatch[] = [];
    for (const name of candidates) {
      const m = readOne(record, joinPath(dir, name, files.platform), start, files);
      if (m) matches.push(m);
    }
    if (matches.length > 0) return onlyOne(matches);
  }
  return undefined;
}
