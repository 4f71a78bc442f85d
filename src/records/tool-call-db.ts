// The agent's SQLite store, where the shell tool call that is running is a row carrying
// the exact command text and the conversation it belongs to (OpenCode's and Kilo CLI's
// `part` table: `session_id`, and in `data` `$.state.status = 'running'`,
// `$.state.input.command`). The row whose command is this call's names the conversation,
// also when one `opencode serve` hosts several. Read-only and bounded: the newest rows
// only (the running call is among the latest written), one query, the file closed after.

import type { ToolCallDbRecord } from "../catalog/records.ts";
import { safeValue } from "../resolve/safe.ts";
import { joinPath } from "../store/location.ts";
import { onlyOne, placeDirectory, type RecordCall, type RecordFiles, type RecordMatch } from "./io.ts";

/** An SQL identifier or JSON path from the catalog: plain words only, so it can be spliced. */
const PLAIN = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PLAIN_PATH = /^\$(\.[A-Za-z_][A-Za-z0-9_]*)+$/;

export function toolCallQuery(record: ToolCallDbRecord): { sql: string; params: (string | number)[] } | undefined {
  const { table, idColumn, dataColumn, statusPath, toolPath, commandPath } = record;
  if (![table, idColumn, dataColumn].every((w) => PLAIN.test(w))) return undefined;
  if (![statusPath, toolPath, commandPath].every((p) => PLAIN_PATH.test(p))) return undefined;
  const tools = record.tools.map(() => "?").join(", ");
  return {
    sql:
      `SELECT ${idColumn} AS id, json_extract(${dataColumn}, '${commandPath}') AS command ` +
      `FROM (SELECT ${idColumn}, ${dataColumn} FROM ${table} ORDER BY rowid DESC LIMIT ?) ` +
      `WHERE json_extract(${dataColumn}, '${statusPath}') = ? AND json_extract(${dataColumn}, '${toolPath}') IN (${tools})`,
    params: [record.newest, record.running, ...record.tools],
  };
}

export function readToolCallDb(record: ToolCallDbRecord, call: RecordCall, files: RecordFiles): RecordMatch | undefined {
  const dir = placeDirectory(record.directory, call.env, files);
  const query = toolCallQuery(record);
  if (!dir || !query) return undefined;
  const file = joinPath(dir, record.file, files.platform);
  // A missing file is not created by opening it read-only, but asking first costs less.
  if (files.mtimeMs(file) === undefined) return undefined;
  const rows = files.query(file, query.sql, query.params);
  if (!rows) return undefined;
  const matches: RecordMatch[] = [];
  for (const row of rows) {
    if (typeof row.command !== "string" || typeof row.id !== "string" || !call.isThisCommand(row.command)) continue;
    const id = safeValue(row.id);
    // A running call of this command whose conversation id is unusable is doubt, not absence.
    if (id === undefined) return undefined;
    matches.push({ id, file });
  }
  return onlyOne(matches);
}
