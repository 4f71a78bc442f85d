// How each agent resumes a conversation, continues the most recent one, and hosts several
// conversations in one long-lived process, for the live suite's conversation cases
// (cases.ts). Flags as each agent's `--help` (the versions test/live/package.json pins)
// documents them; where an agent offers no way to do something, `notDriven` says so with the
// evidence. `ownIds` reads the agent's own records (where each version keeps its
// conversations, seen in live runs) to find the agent's id of a conversation: the resume
// case needs it, and the results show it beside stitch's.

import { Database } from "bun:sqlite";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { PROMPT } from "./agents.ts";

export const CASES = ["resume", "continue", "multi"] as const;
export type CaseName = (typeof CASES)[number];

/**
 * The agent's long-lived multi-conversation mode, by the protocol the driver speaks:
 * `stream-json` (Claude Code: conversations one after another, `/clear` between),
 * `app-server` (Codex: JSON-RPC threads), `acp` (Agent Client Protocol sessions),
 * `pi-rpc` (Pi: `new_session`, `switch_session`), `concurrent-runs` (Cline: two runs at
 * once, both served by its hub daemon, taking turns at the mock).
 */
export type MultiKind = "stream-json" | "app-server" | "acp" | "pi-rpc" | "concurrent-runs";

export interface CaseRecipe {
  /** argv (after the binary) of a new conversation in a new process, from prepare()'s argv. */
  readonly fresh: (base: readonly string[], prompt: string) => string[];
  /** A conversation resumed by the agent's own id, in a new process. */
  readonly resume?: (base: readonly string[], id: string, prompt: string) => string[];
  /** Where the agent resumes only over the Agent Client Protocol (`session/load`): its argv. */
  readonly resumeOverAcp?: (base: readonly string[]) => string[];
  /** Variables every process of its cases gets besides prepare()'s. */
  readonly env?: Record<string, string>;
  /** The most recent conversation, resumed in a new process. */
  readonly continue?: (base: readonly string[], prompt: string) => string[];
  readonly multi?: { readonly kind: MultiKind; readonly args: (base: readonly string[]) => string[] };
  /** Why a case cannot be driven, with the evidence (instead of its recipe). */
  readonly notDriven?: Partial<Record<CaseName, string>>;
  /**
   * Why a case cannot be right, in both variants: nothing the agent writes names the
   * conversation running a command while it runs. Its calls then fall to the anchor's
   * session file (design §5.4), one id for the process: the test pins that instead.
   */
  readonly cannotBeRight?: Partial<Record<CaseName, string>>;
  /**
   * The agent's own ids of the conversation whose prompts carry `conversation-<tag>`, oldest
   * first (a resumed conversation that kept its id has one).
   */
  readonly ownIds: (home: string, tag: string) => string[];
  /** Files under HOME whose content each call snapshots (the agent's pid-keyed records). */
  readonly records?: readonly string[];
}

/** prepare()'s argv with its prompt replaced. */
const withPrompt = (base: readonly string[], prompt: string) => base.map((a) => (a === PROMPT ? prompt : a));

/** Every file under `root` (no node_modules), with its path relative to `root`. */
function filesUnder(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries: string[] = [];
    try {
      entries = readdirSync(d);
    } catch {
      return;
    }
    for (const e of entries) {
      if (e === "node_modules") continue;
      const p = join(d, e);
      try {
        if (statSync(p).isDirectory()) walk(p);
        else out.push(p);
      } catch {}
    }
  };
  walk(root);
  return out;
}

/**
 * Ids from record files under `home/dir` whose path matches `path` (the id in group 1, or
 * from `idOf`) and whose text mentions the tag, oldest file first.
 */
function recordIds(home: string, dir: string, path: RegExp, tag: string, idOf?: (text: string) => string | undefined): string[] {
  const found: { id: string; mtime: number }[] = [];
  for (const file of filesUnder(join(home, dir))) {
    const m = path.exec(relative(home, file));
    if (!m) continue;
    let text = "";
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue;
    }
    if (!text.includes(`conversation-${tag}`)) continue;
    const id = idOf ? idOf(text) : m[1];
    if (id) found.push({ id, mtime: statSync(file).mtimeMs });
  }
  return [...new Set(found.sort((a, b) => a.mtime - b.mtime).map((f) => f.id))];
}

/** OpenCode and Kilo keep conversations in SQLite: the sessions whose parts mention the tag. */
function sqliteIds(file: string, tag: string): string[] {
  if (!existsSync(file)) return [];
  const db = new Database(file, { readonly: true });
  try {
    const rows = db.query("select session_id, min(time_created) as t from part where data like ? group by session_id order by t").all(`%conversation-${tag}%`) as { session_id: string }[];
    return rows.map((r) => r.session_id);
  } finally {
    db.close();
  }
}

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

/** OpenCode and its fork Kilo: `run --session <id>`, `run --continue`, and `acp`. */
function openCodeStyle(db: string): CaseRecipe {
  return {
    fresh: withPrompt,
    resume: (base, id, p) => ["run", "--session", id, ...withPrompt(base, p).slice(1)],
    continue: (base, p) => ["run", "--continue", ...withPrompt(base, p).slice(1)],
    multi: { kind: "acp", args: () => ["acp"] },
    ownIds: (home, tag) => sqliteIds(join(home, db), tag),
  };
}

export const RECIPES: Record<string, CaseRecipe> = {
  "claude-code": {
    fresh: withPrompt,
    resume: (base, id, p) => ["--resume", id, ...withPrompt(base, p)],
    continue: (base, p) => ["--continue", ...withPrompt(base, p)],
    // The prompt goes on stdin; -p stays, its own argument dropped.
    multi: { kind: "stream-json", args: (base) => ["-p", "--input-format", "stream-json", "--output-format", "stream-json", "--verbose", ...base.slice(2)] },
    ownIds: (home, tag) => recordIds(home, ".claude/projects", new RegExp(`/(${UUID})\\.jsonl$`), tag),
    records: [".claude/sessions/*.json"],
  },
  codex: {
    fresh: withPrompt,
    resume: (base, id, p) => ["exec", "resume", ...withPrompt(base, p).slice(1, -1), id, p],
    continue: (base, p) => ["exec", "resume", "--last", ...withPrompt(base, p).slice(1)],
    multi: { kind: "app-server", args: () => ["app-server"] },
    ownIds: (home, tag) => recordIds(home, ".codex/sessions", new RegExp(`rollout-.*-(${UUID})\\.jsonl$`), tag),
  },
  opencode: openCodeStyle(".local/share/opencode/opencode.db"),
  kilo: openCodeStyle(".local/share/kilo/kilo.db"),
  "qwen-code": {
    fresh: withPrompt,
    resume: (base, id, p) => ["--resume", id, ...withPrompt(base, p)],
    continue: (base, p) => ["--continue", ...withPrompt(base, p)],
    multi: { kind: "acp", args: () => ["--acp", "--yolo"] },
    ownIds: (home, tag) => recordIds(home, ".qwen/projects", new RegExp(`/chats/(${UUID})\\.jsonl$`), tag),
    records: [".qwen/sessions/*.json"],
  },
  "gemini-cli": {
    fresh: withPrompt,
    // --resume takes "latest", an index, or a session's full UUID (SessionSelector.findSession).
    resume: (base, id, p) => ["--resume", id, ...withPrompt(base, p)],
    continue: (base, p) => ["--resume", "latest", ...withPrompt(base, p)],
    multi: { kind: "acp", args: (base) => ["--acp", ...base.filter((a) => a !== "-p" && a !== PROMPT)] },
    cannotBeRight: {
      multi:
        "Gemini CLI 0.61.0 exports no id, writes a shell call to its chat only after the call ran, keeps no file open and no pid-keyed record; with two ACP sessions (and the extra chat --acp writes at start-up) several chats are written since the process started, and nothing says which one runs the command",
    },
    // The file name has only the id's first 8 hex digits; the first line has it whole.
    ownIds: (home, tag) => recordIds(home, ".gemini/tmp", /\/chats\/session-[^/]+\.jsonl$/, tag, (text) => JSON.parse(text.slice(0, text.indexOf("\n")))?.sessionId),
  },
  pi: {
    // The plain suite runs Pi with --no-session; a conversation that is resumed needs its session file.
    fresh: (base, p) => withPrompt(base, p).filter((a) => a !== "--no-session"),
    resume: (base, id, p) => ["--session", id, ...withPrompt(base, p).filter((a) => a !== "--no-session")],
    continue: (base, p) => ["--continue", ...withPrompt(base, p).filter((a) => a !== "--no-session")],
    multi: { kind: "pi-rpc", args: (base) => ["--mode", "rpc", ...base.filter((a) => a !== "-p" && a !== PROMPT && a !== "--no-session")] },
    ownIds: (home, tag) => recordIds(home, ".pi/agent/sessions", new RegExp(`_(${UUID})\\.jsonl$`), tag),
  },
  copilot: {
    fresh: withPrompt,
    resume: (base, id, p) => [`--resume=${id}`, ...withPrompt(base, p)],
    continue: (base, p) => ["--continue", ...withPrompt(base, p)],
    multi: { kind: "acp", args: (base) => ["--acp", ...base.filter((a) => a !== "-p" && a !== PROMPT)] },
    ownIds: (home, tag) => recordIds(home, ".copilot/session-state", new RegExp(`^\\.copilot/session-state/(${UUID})/events\\.jsonl$`), tag),
  },
  cline: {
    fresh: withPrompt,
    // `cline --id <id>` resumes only in its terminal UI: 3.0.65's entry point turns an --id
    // run into `{...options, interactive: true, prompt: undefined}`, which exits "interactive
    // mode requires a TTY" without one. Its ACP mode resumes headless (`session/load`,
    // `loadSession: true`), the task's commands still run by the hub daemon.
    resumeOverAcp: () => ["--acp"],
    // Its ACP mode refuses sessions ("Authentication required: Call authenticate before
    // starting a session") unless a Cline sign-in is stored or CLINE_API_KEY is set; with it,
    // CLINE_PROVIDER picks the provider `cline auth` stored (the mock).
    env: { CLINE_API_KEY: "mock", CLINE_PROVIDER: "openai-compatible" },
    notDriven: {
      continue:
        "Cline CLI 3.0.65 has no way to continue the most recent task: `cline --help` offers `--id <session-id>` (\"Resume an existing session by ID\") and no continue flag (its `-c` is `--cwd`); `cline history` only lists and manages saved sessions",
    },
    // Two runs at once in one directory, both served by the hub daemon `before` started.
    multi: { kind: "concurrent-runs", args: (base) => [...base] },
    ownIds: (home, tag) => recordIds(home, ".cline/data/sessions", /^\.cline\/data\/sessions\/([^/]+)\/\1\.json$/, tag),
    // The task record, not its `.messages.json` (task ids are `<ms>_<5 characters>`).
    records: [".cline/data/sessions/*/*_?????.json"],
  },
};
