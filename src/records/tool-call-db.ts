// The agent's SQLite store, where the shell tool call that is running is a row carrying
// the exact command text and the conversation it belongs to (OpenCode's and Kilo CLI's
// `part` table: `session_id`, and in `data` `$.state.status = 'running'`,
// `$.state.input.command`). The row whose command is this call's names the conversation,
// also when one `opencode serve` hosts several. Read-only and bounded: the newest rows
// only (the running call is among the latest written), one query, the file closed after.

import type { ToolCallDbRecord } from "../catalog/records.ts";
import { isAbsolutePath, joinPath } from "../path.ts";
import { safeValue } from "../safe.ts";
import { isDigit } from "../text.ts";
import { onlyOne, placeDirectory, type RecordAnswer, type RecordCall, type RecordFiles, type RecordMatch } from "./io.ts";

const isWordStart = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;

/**
 * An SQL identifier from the catalog, `[A-Za-z_][A-Za-z0-9_]*`: a plain word, so it can be
 * spliced. By char codes, not a RegExp: this runs on an agent's every call (text.ts).
 */
export function isPlainWord(s: string, from = 0, to = s.length): boolean {
  if (to <= from || !isWordStart(s.charCodeAt(from))) return false;
  for (let i = from + 1; i < to; i++) {
    const c = s.charCodeAt(i);
    if (!isWordStart(c) && !isDigit(c)) return false;
  }
  return true;
}

/** A JSON path from the catalog, `$(.WORD)+`, WORD as isPlainWord's. */
export function isPlainPath(p: string): boolean {
  if (p.charCodeAt(0) !== 0x24 || p.length === 1) return false;
  for (let at = 1; at < p.length; ) {
    if (p.charCodeAt(at) !== 0x2e) return false;
    const dot = p.indexOf(".", at + 1);
    const end = dot < 0 ? p.length : dot;
    if (!isPlainWord(p, at + 1, end)) return false;
    at = end;
  }
  return true;
}
/** The anchor's start is known to the second (Linux's btime). */
const START_SLACK_MS = 1000;

export function toolCallQuery(record: ToolCallDbRecord, since: number | undefined): { sql: string; params: (string | number)[] } | undefined {
  const { table, idColumn, dataColumn, updatedColumn, statusPath, toolPath, commandPath } = record;
  if (!isPlainWord(table) || !isPlainWord(idColumn) || !isPlainWord(dataColumn) || !isPlainWord(updatedColumn)) return undefined;
  if (!isPlainPath(statusPath) || !isPlainPath(toolPath) || !isPlainPath(commandPath)) return undefined;
  const tools = "?, ".repeat(record.tools.length).slice(0, -2);
  // Cheapest tests first: each row's JSON is kilobytes (tool outputs), stored on overflow
  // pages that only a test of that column reads. The newest rows by rowid; of those, the
  // ones updated since the agent process started (the call turned running after it did);
  // then a byte search for the running status, and only then the JSON.
  return {
    sql:
      `SELECT ${idColumn} AS id, json_extract(${dataColumn}, '${commandPath}') AS command FROM ${table} ` +
      `WHERE rowid IN (SELECT rowid FROM ${table} ORDER BY rowid DESC LIMIT ?) AND ${updatedColumn} >= ? ` +
      `AND instr(${dataColumn}, ?) > 0 AND json_extract(${dataColumn}, '${statusPath}') = ? AND json_extract(${dataColumn}, '${toolPath}') IN (${tools})`,
    params: [record.newest, since ?? 0, JSON.stringify(record.running), record.running, ...record.tools],
  };
}

/** The file: the variable's (absolute, or under the directory), else the declared name in the directory. */
function databaseFile(record: ToolCallDbRecord, dir: string, call: RecordCall, files: RecordFiles): string | undefined {
  const named = record.fileVariable === undefined ? undefined : call.env[record.fileVariable];
  if (named === undefined || named === "") return joinPath(dir, record.file, files.platform);
  if (named === ":memory:") return undefined;
  return isAbsolutePath(named, files.platform) ? named : joinPath(dir, named, files.platform);
}

export function readToolCallDb(record: ToolCallDbRecord, call: RecordCall, files: RecordFiles): RecordAnswer {
  const dir = placeDirectory(record.directory, call.env, files);
  const query = toolCallQuery(record, call.anchorStartedAt === undefined ? undefined : call.anchorStartedAt - START_SLACK_MS);
  if (!dir || !query) return "absent";
  const file = databaseFile(record, dir, call, files);
  if (!file) return "absent";
  // A missing file is not created by opening it read-only, but asking first costs less.
  if (files.mtimeMs(file) === undefined) return "absent";
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
