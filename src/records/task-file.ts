// A JSON record per task naming the process running it, its state and working directory,
// its messages beside it (Cline: ~/.cline/data/sessions/<name>/<name>.json and
// <name>.messages.json). Cline's hub daemon runs every task's commands from one process,
// so the anchor alone cannot tell its conversations apart; the record of the task it is
// running can. Of the anchor's running tasks: the only one; else the one whose latest tool
// call is this command; else the only one in this working directory. Any doubt gives nothing.

import * as v from "valibot";
import type { TaskFileRecord } from "../catalog/records.ts";
import { joinPath } from "../path.ts";
import { safeValue } from "../safe.ts";
import { parseJson, placeDirectory, type RecordCall, type RecordFiles, type RecordMatch } from "./io.ts";
import { latestCommandsInDocument } from "./tool-calls.ts";

const MAX_RECORD = 1 << 20;
/** Messages are read whole (one JSON document); a task with more is not read. */
const MAX_MESSAGES = 8 << 20;

interface Task {
  readonly id: string;
  readonly pid: number;
  readonly status: string;
  readonly cwd: string | undefined;
  readonly file: string;
  readonly messages: string;
}

/** The record's schema, under the harness's own field names. */
function recordSchema(fields: TaskFileRecord["fields"]) {
  return v.object({
    [fields.id]: v.string(),
    [fields.pid]: v.pipe(v.number(), v.integer(), v.minValue(1)),
    [fields.status]: v.string(),
    [fields.cwd]: v.optional(v.string()),
  });
}

function readTask(record: TaskFileRecord, dir: string, name: string, files: RecordFiles, schema: ReturnType<typeof recordSchema>): Task | undefined {
  const taskDir = joinPath(dir, name, files.platform);
  const file = joinPath(taskDir, `${name}.json`, files.platform);
  const part = files.readPart(file, "head", MAX_RECORD);
  const parsed = part?.whole ? v.safeParse(schema, parseJson(part.text)) : undefined;
  if (!parsed?.success) return undefined;
  const out = parsed.output as { [key: string]: unknown };
  const { fields } = record;
  return {
    id: out[fields.id] as string,
    pid: out[fields.pid] as number,
    status: out[fields.status] as string,
    cwd: out[fields.cwd] as string | undefined,
    file,
    messages: joinPath(taskDir, `${name}${record.messages.suffix}`, files.platform),
  };
}

function runsThisCommand(record: TaskFileRecord, task: Task, call: RecordCall, files: RecordFiles): boolean {
  const part = files.readPart(task.messages, "head", MAX_MESSAGES);
  const commands = part?.whole ? latestCommandsInDocument(part.text, record.messages.call) : undefined;
  return commands?.some(call.isThisCommand) ?? false;
}

export function readTaskFile(record: TaskFileRecord, call: RecordCall, files: RecordFiles): RecordMatch | undefined {
  const dir = placeDirectory(record.directory, call.env, files);
  const anchor = call.processes.at(-1);
  if (!dir || !anchor) return undefined;
  // Names begin with a fixed-width ms timestamp: the newest sort last.
  const names = [...(files.list(dir) ?? [])].filter((n) => !n.startsWith(".")).sort().slice(-record.newest);
  const schema = recordSchema(record.fields);
  const running: Task[] = [];
  for (const name of names) {
    const task = readTask(record, dir, name, files, schema);
    if (task && task.pid === anchor.pid && task.status === record.running) running.push(task);
  }
  let chosen = running;
  if (chosen.length > 1) {
    const byCommand = running.filter((t) => runsThisCommand(record, t, call, files));
    chosen = byCommand.length > 0 ? byCommand : running.filter((t) => call.cwd !== undefined && t.cwd === call.cwd);
  }
  if (chosen.length !== 1) return undefined;
  const id = safeValue(chosen[0]!.id);
  return id === undefined ? undefined : { id, file: chosen[0]!.file };
}
