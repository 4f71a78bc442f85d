// A transcript file per conversation, in a directory named after the working directory
// (Pi's ~/.pi/agent/sessions/--<cwd>--/<time>_<id>.jsonl, Gemini CLI's
// ~/.gemini/tmp/<project>/chats/session-<time>-<hex>.jsonl). The first line names the
// conversation. Which transcript is this call's:
// - `latest_call`: the one whose latest shell tool call is this command (Pi writes the
//   call before running it), among those written since the agent process started;
// - `written_since_start`: the only one written since the agent process started (Gemini
//   writes a call only after it ran). Exact when the process hosts one conversation; when
//   it hosts several, several were written, and that doubt gives nothing.

import * as v from "valibot";
import type { ToolCallShape, TranscriptRecord } from "../catalog/records.ts";
import { absoluteDir, joinPath } from "../path.ts";
import { safeValue } from "../safe.ts";
import { onlyOne, parseJson, placeDirectory, type RecordAnswer, type RecordCall, type RecordFiles, type RecordMatch } from "./io.ts";
import { latestCommands, tailLines, type CallCommands } from "./tool-calls.ts";

/**
 * How much of a transcript's end is read: the running call is its last entry, most often a
 * short line, so a small tail first, and a larger one only when that holds no whole call.
 */
const TAIL_BYTES = [8 << 10, 64 << 10];
const HEAD_BYTES = 16 << 10;
/** Start times are known to the second (Linux's btime). */
const START_SLACK_MS = 1000;
/** A directory with more transcripts than this is not listed in full (bounded cost). */
const MAX_LISTED = 4096;

/** Pi's directory name for a working directory: `--` + the path without its leading `/`, `/` as `-`, + `--`. */
export function piDirectoryName(cwd: string): string {
  return `--${cwd.replace(/^[/\\]/, "").replace(/[/\\:]/g, "-")}--`;
}

function transcriptsDirectory(record: TranscriptRecord, base: string, cwd: string, files: RecordFiles): string | undefined {
  const by = record.byCwd;
  if (by.kind === "pi") return joinPath(base, piDirectoryName(cwd), files.platform);
  if (by.kind === "alphanumeric") {
    const name = (files.platform === "win32" ? cwd.toLowerCase() : cwd).replace(/[^a-zA-Z0-9]/g, "-");
    return joinPath(joinPath(joinPath(base, by.under, files.platform), name, files.platform), by.subdirectory, files.platform);
  }
  // Gemini: projects.json maps each working directory to its project's name.
  const part = files.readPart(joinPath(base, by.projects, files.platform), "head", 1 << 20);
  const parsed = part?.whole ? v.safeParse(v.object({ [by.field]: v.record(v.string(), v.string()) }), parseJson(part.text)) : undefined;
  const name = parsed?.success ? (parsed.output[by.field] as Record<string, string>)[cwd] : undefined;
  // A name, never a path: it must not lead out of the directory.
  if (name === undefined || name === "" || name.includes("/") || name.includes("\\") || name.startsWith(".")) return undefined;
  return joinPath(joinPath(joinPath(base, by.under, files.platform), name, files.platform), by.subdirectory, files.platform);
}

function conversationId(record: TranscriptRecord, file: string, files: RecordFiles): string | undefined {
  const head = files.readPart(file, "head", HEAD_BYTES);
  if (!head) return undefined;
  const newline = head.text.indexOf("\n");
  if (newline < 0 && !head.whole) return undefined;
  const first = v.safeParse(v.object({ [record.idField]: v.string() }), parseJson(newline < 0 ? head.text : head.text.slice(0, newline)));
  return first.success ? safeValue(first.output[record.idField] as string) : undefined;
}

/** The commands of a transcript's last shell tool call, from as little of its end as holds it. */
export function latestCallOf(file: string, call: ToolCallShape, files: RecordFiles): CallCommands | undefined {
  for (const bytes of TAIL_BYTES) {
    const tail = files.readPart(file, "tail", bytes);
    if (!tail) return undefined;
    const commands = latestCommands(tailLines(tail.text, tail.whole), call);
    if (commands !== undefined || tail.whole) return commands;
  }
  return undefined;
}

/**
 * What one directory's transcripts say: a match; doubt; `none`, transcripts written since
 * the agent started but none this call's (yet); `absent`, none written since (try elsewhere).
 */
type Answer = RecordMatch | "doubt" | "none" | "absent";

export function readTranscript(record: TranscriptRecord, call: RecordCall, files: RecordFiles): RecordAnswer {
  // `written_since_start` means nothing without the start.
  if (record.match === "written_since_start" && call.anchorStartedAt === undefined) return "absent";
  const flat = (record.flat ?? []).map((name) => absoluteDir(call.env[name], files.platform)).find((d) => d !== undefined);
  if (flat) return found(readDirectory(record, flat, call, files));
  const base = placeDirectory(record.directory, call.env, files);
  if (!base) return "absent";
  // The agent names the directory after its own working directory, which the command may
  // have left (`cd sub && …`): stitch's first, then the agent process's.
  const anchor = call.processes.at(-1);
  const cwds = [call.cwd, anchor && files.processCwd(anchor.pid)].filter((c): c is string => c !== undefined);
  let seen = false;
  for (const cwd of new Set(cwds)) {
    const dir = transcriptsDirectory(record, base, cwd, files);
    const answer: Answer = dir ? readDirectory(record, dir, call, files) : "absent";
    if (answer === "none") seen = true;
    else if (answer !== "absent") return found(answer);
  }
  return seen ? undefined : "absent";
}

const found = (a: Answer): RecordAnswer => (a === "absent" ? "absent" : typeof a === "string" ? undefined : a);

function readDirectory(record: TranscriptRecord, dir: string, call: RecordCall, files: RecordFiles): Answer {
  const names = files.list(dir);
  if (!names) return "absent";
  if (names.length > MAX_LISTED) return "doubt";
  const since = call.anchorStartedAt === undefined ? undefined : call.anchorStartedAt - START_SLACK_MS;
  const recent: { file: string; mtime: number }[] = [];
  for (const name of names) {
    if (!name.startsWith(record.prefix) || !name.endsWith(record.suffix)) continue;
    const file = joinPath(dir, name, files.platform);
    const mtime = files.mtimeMs(file);
    if (mtime !== undefined && (since === undefined || mtime >= since)) recent.push({ file, mtime });
  }
  if (recent.length === 0) return "absent";
  recent.sort((a, b) => b.mtime - a.mtime);
  const matches: RecordMatch[] = [];
  if (record.match === "written_since_start") {
    // Every transcript written since: a resumed conversation may start a second file with
    // the same id (Gemini, when the minute in its name has changed); two ids are doubt.
    for (const { file } of recent.slice(0, record.newest)) {
      const id = conversationId(record, file, files);
      if (id === undefined) return "doubt";
      matches.push({ id, file });
    }
    if (recent.length > record.newest) return "doubt";
  } else {
    for (const { file } of recent.slice(0, record.newest)) {
      if (!latestCallOf(file, record.call, files)?.some(call.isThisCommand)) continue;
      const id = conversationId(record, file, files);
      // This command's transcript with no usable id: doubt.
      if (id === undefined) return "doubt";
      matches.push({ id, file });
    }
    if (matches.length === 0) return "none";
  }
  return onlyOne(matches) ?? "doubt";
}
