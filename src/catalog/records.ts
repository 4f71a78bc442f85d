// The agents' own records of their conversations (design §5.3), as data: where each kind of
// record lives and which of its fields names the conversation. One generic reader per kind
// (src/records/) reads them; an agent row lists the records it keeps (catalog/agents.ts).
//
// Why: an agent keeps its own conversation id across `--resume` and gives each conversation
// of a long-lived process (ACP, `serve`, an RPC mode, a hub daemon) its own, even where it
// exports none to its shells. The process-keyed store can do neither.

/** A directory: the first of these that is set (a variable holding an absolute path, or a path under HOME). */
export type Place = { readonly env: string; readonly join?: string } | { readonly home: string };

/**
 * A JSON file per conversation named by the agent process's pid (`<pid>.json`, or
 * `<pid>-<anything>.json` with `suffixed`), written while the process runs. It counts
 * only when its start-time field matches the process's start time, so a file a dead
 * process left under a reused pid never answers.
 */
export interface PidFileRecord {
  readonly kind: "pid_file";
  readonly directory: readonly Place[];
  /** Files are also `<pid>-<suffix>.json` (one per conversation), not only `<pid>.json`. */
  readonly suffixed?: boolean;
  readonly fields: { readonly id: string; readonly start: string };
  /**
   * How the start field spells the start time, per process source (the agent writes what
   * its platform offers): `ticks`, field 22 of /proc/<pid>/stat; `boot_ticks`,
   * `<boot id>:<ticks>`; `lstart_utc`, `LC_ALL=C TZ=UTC ps -o lstart=` (to the second);
   * `filetime`, the Windows creation time (100 ns since 1601), or .NET ticks (since 0001).
   * A source with no entry cannot check the record, so it is not used there.
   */
  readonly start: { readonly proc?: "ticks" | "boot_ticks"; readonly ps?: "lstart_utc"; readonly toolhelp?: "filetime" };
}

/**
 * A directory per conversation, named by its id, holding a lock file named by the pid of
 * each process that has the conversation open (`<id>/inuse.<pid>.lock`).
 */
export interface PidLockRecord {
  readonly kind: "pid_lock";
  readonly directory: readonly Place[];
  /** The lock file's name around the pid: `inuse.` + pid + `.lock`. */
  readonly prefix: string;
  readonly suffix: string;
  /**
   * A transcript in each conversation's directory: when the process holds several, the one
   * whose latest shell tool call is this command.
   */
  readonly transcript?: { readonly file: string; readonly call: ToolCallShape };
}

/**
 * The agent's SQLite store, in which the running shell tool call is a row that carries the
 * exact command text and the conversation it belongs to (OpenCode's `part` table).
 */
export interface ToolCallDbRecord {
  readonly kind: "tool_call_db";
  /** The database file: the first place that is set, then this name in it. */
  readonly directory: readonly Place[];
  readonly file: string;
  /** A variable naming the file instead: an absolute path, or one relative to the directory. */
  readonly fileVariable?: string;
  readonly table: string;
  /** The column naming the conversation. */
  readonly idColumn: string;
  /** When the row was last written, ms since the epoch: a running call was written since its agent process started. */
  readonly updatedColumn: string;
  /** The JSON column, and the paths in it of the call's status, tool and command text. */
  readonly dataColumn: string;
  readonly statusPath: string;
  readonly running: string;
  readonly toolPath: string;
  readonly tools: readonly string[];
  readonly commandPath: string;
  /** How many of the newest rows to look at: the running call is among the latest written. */
  readonly newest: number;
}

/**
 * A transcript file per conversation, in a directory that depends on the working directory.
 * `latest_call`: the transcript whose latest shell tool call is this command (the agent
 * writes the call before it runs it). `written_since_start`: the one transcript of this
 * directory written since the agent process started (the agent writes a call only after it
 * ran; exact when the process hosts one conversation, ambiguous, so unused, when several).
 */
export interface TranscriptRecord {
  readonly kind: "transcript";
  readonly directory: readonly Place[];
  /** Variables naming a directory that holds the transcripts directly, whatever the working directory. */
  readonly flat?: readonly string[];
  /**
   * How the working directory names the transcripts' subdirectory: Pi's encoding of the
   * path; `<under>/<the path, every character but [A-Za-z0-9] as ->/<subdirectory>` (Qwen
   * Code; lower-cased on Windows); or a projects file (`projects` in the directory) whose object `field` maps each
   * working directory to a project name, the transcripts in `<under>/<name>/<subdirectory>`.
   */
  readonly byCwd:
    | { readonly kind: "pi" }
    | { readonly kind: "alphanumeric"; readonly under: string; readonly subdirectory: string }
    | { readonly kind: "projects"; readonly projects: string; readonly field: string; readonly under: string; readonly subdirectory: string };
  /** Transcript file names: this prefix and suffix. */
  readonly prefix: string;
  readonly suffix: string;
  /** The first line's field that holds the conversation id (`id`, `sessionId`). */
  readonly idField: string;
  readonly match: "latest_call" | "written_since_start";
  /** How a shell tool call looks in a transcript line (`latest_call`). */
  readonly call: ToolCallShape;
  /** How many of the newest transcripts to look at. */
  readonly newest: number;
}

/**
 * A JSON record per task, naming the process running it, its state and working directory
 * (Cline's hub daemon runs every task's commands from one process), with its messages
 * beside it; of the running tasks of the anchor, the one whose latest tool call is this
 * command, or else the only one in this working directory.
 */
export interface TaskFileRecord {
  readonly kind: "task_file";
  readonly directory: readonly Place[];
  /** Each task's directory holds `<name>/<name>.json`; names sort by creation (a ms timestamp first). */
  readonly newest: number;
  readonly fields: { readonly id: string; readonly pid: string; readonly status: string; readonly cwd: string };
  /** The status of a task still running. */
  readonly running: string;
  /** The task's messages, one JSON document: `<name>/<name><suffix>`, and how a shell tool call looks in them. */
  readonly messages: { readonly suffix: string; readonly call: ToolCallShape };
}

/**
 * Files the agent process holds open while a conversation is live, whose names carry the
 * conversation id (Codex's rollout `rollout-<time>-<thread id>.jsonl`). Exactly one
 * conversation among them answers, or, of several, the one whose latest call is this command.
 */
export interface OpenFileRecord {
  readonly kind: "open_file";
  /**
   * The files are the conversations' transcripts: when the process holds several, the one
   * whose latest shell tool call is this command.
   */
  readonly call?: ToolCallShape;
  /** The file name: this prefix, the id as the last `idLength` characters before the suffix. */
  readonly prefix: string;
  readonly suffix: string;
  readonly idLength: number;
}

/** What every kind of record may also say. */
export interface Settling {
  /**
   * The agent writes the running call asynchronously, about when it starts the command
   * (Qwen Code's queued transcript appends, Kilo CLI's database writes, Copilot CLI's
   * events.jsonl of a second ACP session, seen live losing that race by a few ms; OpenCode,
   * which Kilo forks, alike): when the record does not answer, it is read again,
   * after 10, 20, 40, ... ms, for up to this long in all.
   */
  readonly settleMs?: number;
}

export type ConversationRecord = (PidFileRecord | PidLockRecord | ToolCallDbRecord | TranscriptRecord | TaskFileRecord | OpenFileRecord) & Settling;
export type RecordKind = ConversationRecord["kind"];

/**
 * How a shell tool call looks in an agent's JSON: an object whose `name` field is one of
 * `tools`, holding the command text at the dotted path `command` (from that object): a
 * string, or a list of them (a call that runs several commands).
 */
export interface ToolCallShape {
  readonly name: string;
  readonly tools: readonly string[];
  readonly command: string;
  /** The value at `command` is JSON text (Codex's `arguments`), holding the command in this field. */
  readonly encoded?: string;
}
