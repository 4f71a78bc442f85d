// A harness's own record of the task it is running (catalog/agents.ts, TaskRecords): the
// session id for a harness whose one long-lived process runs several conversations'
// commands (Cline's hub daemon), where the anchor alone cannot tell them apart.
//
// The record names the process running the task, so only the anchor's records count; of
// those still running, the one in stitch's working directory when there are several. Any
// doubt (none running, several in the same directory, an unreadable record) gives no id,
// and the session falls to the store as for any agent.

import * as v from "valibot";
import type { TaskRecords } from "../catalog/agents.ts";
import type { Env } from "../catalog/condition.ts";
import { absoluteDir, joinPath } from "../store/location.ts";
import { safeValue } from "./safe.ts";

export interface TaskRecordReader {
  readonly platform: string;
  home(): string | undefined;
  /** The names in a directory, or undefined. */
  list(dir: string): readonly string[] | undefined;
  readText(path: string): string | undefined;
}

export interface TaskRecordMatch {
  readonly id: string;
  readonly file: string;
}

/** Where the records are: the first setting that gives an absolute directory. */
export function taskRecordsDirectory(records: TaskRecords, env: Env, reader: TaskRecordReader): string | undefined {
  for (const place of records.directory) {
    if ("env" in place) {
      const dir = absoluteDir(env[place.env], reader.platform);
      if (dir) return place.join ? joinPath(dir, place.join, reader.platform) : dir;
      continue;
    }
    const home = absoluteDir(reader.home(), reader.platform);
    return home && joinPath(home, place.home, reader.platform);
  }
  return undefined;
}

interface TaskRecord {
  readonly id: string;
  readonly pid: number;
  readonly status: string;
  readonly cwd: string | undefined;
}

/** The record's schema, under the harness's own field names. */
function recordSchema(fields: TaskRecords["fields"]) {
  return v.object({
    [fields.id]: v.string(),
    [fields.pid]: v.pipe(v.number(), v.integer(), v.minValue(1)),
    [fields.status]: v.string(),
    [fields.cwd]: v.optional(v.string()),
  });
}

function parseRecord(text: string, fields: TaskRecords["fields"], schema: ReturnType<typeof recordSchema>): TaskRecord | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = v.safeParse(schema, json);
  if (!parsed.success) return undefined;
  const out = parsed.output as { [key: string]: unknown };
  return {
    id: out[fields.id] as string,
    pid: out[fields.pid] as number,
    status: out[fields.status] as string,
    cwd: out[fields.cwd] as string | undefined,
  };
}

/** The running task of process `pid` whose commands run in `cwd`, when there is exactly one. */
export function runningTask(
  records: TaskRecords,
  env: Env,
  reader: TaskRecordReader,
  pid: number,
  cwd: string | undefined,
): TaskRecordMatch | undefined {
  const dir = taskRecordsDirectory(records, env, reader);
  if (!dir) return undefined;
  // Names begin with a fixed-width ms timestamp: the newest sort last.
  const names = [...(reader.list(dir) ?? [])].filter((n) => !n.startsWith(".")).sort().slice(-records.newest);
  const schema = recordSchema(records.fields);
  const running: (TaskRecord & { file: string })[] = [];
  for (const name of names) {
    const file = joinPath(joinPath(dir, name, reader.platform), `${name}.json`, reader.platform);
    const text = reader.readText(file);
    const record = text === undefined ? undefined : parseRecord(text, records.fields, schema);
    if (record && record.pid === pid && record.status === records.running) running.push({ ...record, file });
  }
  const chosen = running.length > 1 ? running.filter((r) => cwd !== undefined && r.cwd === cwd) : running;
  if (chosen.length !== 1) return undefined;
  const id = safeValue(chosen[0]!.id);
  return id === undefined ? undefined : { id, file: chosen[0]!.file };
}
