// A JSON record named by the agent process's pid (Claude Code's ~/.claude/sessions/<pid>.json,
// Qwen Code's ~/.qwen/sessions/<pid>-<hex>.json in ACP mode). The agent rewrites it as the
// conversation changes (resume, /clear), so it names the conversation running now. It counts
// only when its start-time field is this process's start time: a file a crashed process
// left under a pid since reused must never answer.

import * as v from "valibot";
import type { PidFileRecord } from "../catalog/records.ts";
import { safeValue } from "../resolve/safe.ts";
import { joinPath } from "../store/location.ts";
import { onlyOne, parseJson, placeDirectory, type AgentProcess, type RecordCall, type RecordFiles, type RecordMatch } from "./io.ts";

const MAX_RECORD = 64 << 10;

/** The start time as the record spells it; undefined where this call's clock cannot say. */
function expectedStart(record: PidFileRecord, p: AgentProcess, call: RecordCall): string | undefined {
  if (call.clock !== "proc" || p.startTime === undefined) return undefined;
  if (record.start === "ticks") return p.startTime.toString();
  return call.bootId === undefined ? undefined : `${call.bootId}:${p.startTime}`;
}

/** The record's schema, under the agent's own field names: an id, and a start as text or a number. */
function recordSchema(fields: PidFileRecord["fields"]) {
  return v.object({ [fields.id]: v.string(), [fields.start]: v.union([v.string(), v.number()]) });
}

function readOne(record: PidFileRecord, file: string, start: string, files: RecordFiles): RecordMatch | undefined {
  const part = files.readPart(file, "head", MAX_RECORD);
  const parsed = part?.whole ? v.safeParse(recordSchema(record.fields), parseJson(part.text)) : undefined;
  if (!parsed?.success) return undefined;
  const fields = parsed.output as Record<string, string | number>;
  if (String(fields[record.fields.start]) !== start) return undefined;
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
    const start = expectedStart(record, p, call);
    if (start === undefined) continue;
    const candidates = record.suffixed
      ? names!.filter((n) => n.startsWith(`${p.pid}-`) && n.endsWith(".json"))
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
