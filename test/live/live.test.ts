// Real agent CLIs, a scripted mock model, stitch inside their real shell tools, in each
// agent's own environment and with every marker stitch reads stripped from it: the caller
// (the agent's slug, or the ancestor residue for an agent the catalog does not know), one id
// per conversation, different ids across conversations, the agent's own session variable
// where it has one. Writes docs/agents.md from what it saw.

import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { LIVE_AGENTS, NOT_DRIVEN, type LiveAgent } from "./agents.ts";
import { readResults, renderTable } from "./cases-table.ts";
import { CALLS, CALLS_PER_MODE, callFile, markerVariables, modeOf, MODES, STITCH, type ConversationResult, type Mode } from "./conversation.ts";

const ROOT = resolve(import.meta.dir, "../..");
const BIN = join(import.meta.dir, "node_modules/.bin");
const work = mkdtempSync(join(tmpdir(), "stitch-live-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

if (!existsSync(STITCH)) throw new Error(`${STITCH} is missing: npm run test:live builds it`);

/**
 * How this machine keeps a conversation apart: a network namespace with only loopback, and
 * a pid namespace (with its own /proc) so that a daemon an agent leaves behind ends with its
 * conversations. Without the pid namespace, conversation.ts ends such daemons itself.
 */
const ISOLATION = ((): { argv: string[]; note: string } => {
  const up = ["sh", "-c", "ip link set lo up"];
  const full = ["unshare", "--net", "--pid", "--fork", "--mount-proc"];
  if (Bun.spawnSync([...full, ...up]).exitCode === 0) return { argv: full, note: "inside network and pid namespaces of their own, with only loopback" };
  if (Bun.spawnSync(["unshare", "--net", ...up]).exitCode === 0) return { argv: ["unshare", "--net"], note: "inside a network namespace with only loopback" };
  return { argv: [], note: "with their telemetry and update switches off; no network namespace was available" };
})();

interface Call {
  readonly mode: Mode;
  readonly resolve?: Record<string, any>;
  readonly env?: Map<string, string>;
}

interface Observed {
  readonly result: ConversationResult;
  readonly calls: Call[];
}

interface Hop {
  depth: number;
  pid: number;
  ppid: number;
  command: string;
  program: string | null;
  agent: string | null;
  transient: string | null;
}

const idOf = (c: Call) => c.resolve?.session_id ?? c.env?.get("RAILWAY_AGENT_SESSION_ID") ?? "";
const callsIn = (o: Observed, mode: Mode) => o.calls.filter((c) => c.mode === mode);
const idsIn = (o: Observed, mode: Mode) => callsIn(o, mode).map(idOf);
/** The agent process, and any process its runs left running (a daemon that runs their commands). */
const agentPids = (o: Observed) => new Set([o.result.pid, ...o.result.leftRunning.map((p) => p.pid)]);

function readConversation(dir: string): Observed {
  const result: ConversationResult = JSON.parse(readFileSync(join(dir, "result.json"), "utf8"));
  const calls: Call[] = Array.from({ length: CALLS }, (_, i) => {
    const mode = modeOf(i);
    const path = join(dir, "out", callFile(i));
    if (!existsSync(path)) return { mode };
    const text = readFileSync(path, "utf8");
    if (callFile(i).endsWith(".json")) {
      try {
        return { mode, resolve: JSON.parse(text) };
      } catch {
        return { mode };
      }
    }
    const env = new Map<string, string>();
    for (const line of text.split("\n")) {
      const eq = line.indexOf("=");
      if (eq > 0 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(line.slice(0, eq))) env.set(line.slice(0, eq), line.slice(eq + 1));
    }
    return { mode, env };
  });
  return { result, calls };
}

/** Both conversations of an agent, one after the other, in one isolated run against one mock. */
function runConversations(agent: LiveAgent): Observed[] {
  const dirs = [1, 2].map((n) => join(work, `${agent.id}-${n}`));
  const argv = [process.execPath, join(import.meta.dir, "conversation.ts"), agent.id, ...dirs];
  const command = ISOLATION.argv.length ? [...ISOLATION.argv, "sh", "-c", 'ip link set lo up && exec "$@"', "sh", ...argv] : argv;
  const r = Bun.spawnSync(command, { env: { PATH: process.env.PATH ?? "/usr/bin:/bin" }, stdio: ["ignore", "pipe", "pipe"], timeout: 420_000 });
  const missing = dirs.find((d) => !existsSync(join(d, "result.json")));
  if (missing) throw new Error(`conversation ${missing} did not finish: ${r.stderr.toString().slice(-2000)}`);
  return dirs.map(readConversation);
}

/** Why an agent cannot run here, or undefined when it can. */
function unavailable(agent: LiveAgent): string | undefined {
  const bin = join(BIN, agent.bin);
  if (!existsSync(bin)) return `${agent.pkg} is not installed (npm ci --prefix test/live)`;
  const v = Bun.spawnSync([bin, "--version"], { env: { PATH: "/usr/local/bin:/usr/bin:/bin", HOME: work }, timeout: 30_000 });
  if (v.exitCode !== 0) return `${agent.bin} --version failed: ${v.stderr.toString().trim().slice(0, 200)}`;
  return undefined;
}

const evidence: { agent: LiveAgent; conversations?: Observed[]; skipped?: string }[] = [];
const CLI_ID = /^cli_[A-Za-z0-9_-]{22}$/;
const MODE_LABEL: Record<Mode, string> = {
  own: "in its own environment",
  stripped: "with its markers stripped",
  shim: "through a shim (plain `railway`)",
};
const SHIM_PATH_TEXT = { inherit: "the environment it is started with", profile: "~/.profile" } as const;

for (const agent of LIVE_AGENTS) {
  const reason = unavailable(agent);
  describe(agent.name, () => {
    if (reason) {
      evidence.push({ agent, skipped: reason });
      console.log(`SKIP ${agent.name}: ${reason}`);
      test.skip(`${agent.name} (skipped: ${reason})`, () => {});
      return;
    }
    const observed: Observed[] = [];
    evidence.push({ agent, conversations: observed });

    test("two conversations run to the end through the real shell tool", () => {
      observed.push(...runConversations(agent));
      for (const o of observed) {
        expect(o.result.timedOut).toBe(false);
        expect(o.result.exitCode).toBe(0);
        // Every call ran, in both modes: its output file is there.
        expect(o.calls.filter((c) => c.resolve || c.env)).toHaveLength(CALLS);
        // The agent spoke only to the mock model.
        expect(o.result.requests.filter((r) => r.handled === "404")).toEqual([]);
      }
    }, 430_000);

    for (const mode of MODES) {
      const residue = agent.catalogued ? "" : " (the ancestor residue)";
      test(`${MODE_LABEL[mode]}: the caller is ${agent.slug}${residue}`, () => {
        for (const o of observed) {
          for (const c of callsIn(o, mode)) {
            if (c.resolve) expect(c.resolve.caller).toBe(agent.slug);
            if (c.env) expect(c.env.get("RAILWAY_CALLER")).toBe(agent.slug);
          }
        }
      });

      test(`${MODE_LABEL[mode]}: one id per conversation, not a cli_ fallback`, () => {
        for (const o of observed) {
          const ids = idsIn(o, mode);
          expect(ids).toHaveLength(CALLS_PER_MODE);
          expect(new Set(ids).size).toBe(1);
          expect(ids[0]).not.toBe("");
          expect(ids[0]).not.toMatch(CLI_ID);
        }
      });

      test(`${MODE_LABEL[mode]}: the two conversations get different ids`, () => {
        expect(observed).toHaveLength(2);
        expect(idsIn(observed[0]!, mode)[0]).not.toBe(idsIn(observed[1]!, mode)[0]);
      });
    }

    test(`${MODE_LABEL.shim}, the shim directory on PATH from ${SHIM_PATH_TEXT[agent.shimPath ?? "inherit"]}: the real railway gets the id stitch gives in its own environment`, () => {
      for (const o of observed) {
        const shimmed = callsIn(o, "shim");
        expect(shimmed.every((c) => c.env !== undefined)).toBe(true);
        expect(idsIn(o, "shim")[0]).toBe(idsIn(o, "own")[0]);
      }
    });

    if (agent.sessionSource) {
      test(`every call's id comes from ${agent.sessionSource}`, () => {
        for (const o of observed) {
          for (const c of o.calls.filter((c) => c.resolve)) expect(c.resolve!.session.source).toBe(agent.sessionSource);
        }
      });
    }

    if (agent.sessionVariable) {
      test(`${MODE_LABEL.own}: the id is the agent's own ${agent.sessionVariable}`, () => {
        for (const o of observed) {
          const id = idsIn(o, "own")[0];
          for (const c of callsIn(o, "own").filter((c) => c.env)) expect(c.env!.get(agent.sessionVariable!)).toBe(id);
        }
      });
    }

    test("the ancestry stitch walked contains the agent process (or the daemon its runs left running)", () => {
      for (const o of observed) {
        const pids = agentPids(o);
        for (const c of o.calls.filter((c) => c.resolve)) {
          expect((c.resolve!.ancestry as Hop[]).some((h) => pids.has(h.pid))).toBe(true);
        }
      }
    });
  });
}

afterAll(() => writeFileSync(join(ROOT, "docs/agents.md"), renderEvidence()));

// ---- docs/agents.md -------------------------------------------------------------------

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-([0-9a-f])[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** A value is shown only as the shape of an id; everything else as a name alone. */
function shape(value: string): string {
  const uuid = UUID.exec(value);
  if (uuid) return `UUID v${uuid[1]}`;
  if (/^\d+$/.test(value)) return "a number";
  return "";
}

/** Paths, ports, pids and random names of this run replaced by placeholders, so the document does not churn. */
function scrub(text: string): string {
  return text
    .replaceAll(`${work}/`, "$TMP/")
    .replaceAll(ROOT, "$REPO")
    .replaceAll(/127\.0\.0\.1:\d+/g, "127.0.0.1:$PORT")
    .replaceAll(/snapshot-(\w+)-\d+-\w+\.sh/g, "snapshot-$1-$ID.sh")
    .replaceAll(/(gemini-shell|nanocoder-cwd)-[\w-]+/g, "$1-$ID")
    .replaceAll(/\benv( -u [A-Za-z_][A-Za-z0-9_]*)+ /g, "env -u $MARKERS ")
    .replaceAll(/\bpid \d+/g, "pid $PID");
}

const firstResolve = (o: Observed | undefined, mode: Mode) => o?.calls.find((c) => c.mode === mode && c.resolve)?.resolve;
const anchorHop = (r: Record<string, any>) => (r.ancestry as Hop[]).find((h) => h.pid === r.anchor?.pid);
const basename = (p: string) => p.slice(p.lastIndexOf("/") + 1);

function anchorText(r: Record<string, any> | undefined): string {
  if (!r?.anchor) return "none";
  const a = r.anchor;
  const program = anchorHop(r)?.program ?? basename(a.argv0);
  return `${a.reason}${a.detail ? ` \`${a.detail}\`` : ""}: \`${scrub(program)}\``;
}

function sourceText(r: Record<string, any> | undefined): string {
  if (!r) return "?";
  return `${r.session.source}${r.session.variable ? ` \`${r.session.variable}\`` : ""}`;
}

/** One cell for both modes: the value once when they agree. */
function perMode(f: (r: Record<string, any> | undefined) => string, o: Observed | undefined): string {
  const own = f(firstResolve(o, "own"));
  const stripped = f(firstResolve(o, "stripped"));
  return own === stripped ? own : `${own} / stripped: ${stripped}`;
}

function renderAncestry(r: Record<string, any>, o: Observed): string[] {
  const pids = agentPids(o);
  const lines: string[] = [];
  for (const h of r.ancestry as Hop[]) {
    if (h.command.includes("conversation.ts")) break; // the suite's own runner
    const note = h.agent ? `  ← agent ${h.agent}` : h.transient ? `  (${h.transient})` : h.program ? `  (program \`${scrub(h.program)}\`)` : "";
    const daemon = h.pid !== o.result.pid && pids.has(h.pid) ? " [left running by an earlier run]" : "";
    lines.push(`${h.depth}. ${scrub(h.command).replaceAll("\n", " ").trimEnd().slice(0, 110)}${note}${daemon}`);
    if (pids.has(h.pid)) break;
  }
  return lines;
}

function renderAgent(agent: LiveAgent, conversations: Observed[]): string[] {
  const [first, second] = conversations;
  if (!first) return [];
  const lines: string[] = [];
  const ownEnvCalls = callsIn(first, "own").filter((c) => c.env);
  const envCall = ownEnvCalls[0]?.env ?? new Map<string, string>();
  const launch = new Set(first.result.launchEnv);
  const stitchAdds = new Set(["RAILWAY_AGENT_SESSION_ID", "RAILWAY_AGENT_SESSION", "RAILWAY_CALLER"]);
  const shellNoise = new Set(["PWD", "OLDPWD", "SHLVL", "_"]);
  const added = [...envCall.keys()].filter((k) => !launch.has(k) && !stitchAdds.has(k) && !shellNoise.has(k)).sort();
  const sameAcross = (k: string) => ownEnvCalls.every((c) => c.env!.get(k) === envCall.get(k));
  const differsFromSecond = (k: string) => (second ? callsIn(second, "own").find((c) => c.env)?.env?.get(k) !== envCall.get(k) : false);
  const hops = first.calls.flatMap((c) => (c.resolve?.ancestry ?? []) as Hop[]);
  const pidNote = (k: string, v: string) => {
    const hop = k.includes("PID") && /^\d+$/.test(v) ? hops.find((h) => String(h.pid) === v && !h.command.includes("conversation.ts")) : undefined;
    return hop ? `the pid of \`${scrub(hop.program ?? basename(hop.command.split(" ")[0]!))}\` (ancestor ${hop.depth})` : "";
  };

  lines.push(`## ${agent.name} ${first.result.version} (npm \`${agent.pkg}\`)`, "");
  lines.push(
    `Two conversations, ${CALLS} shell-tool calls each (${MODES.map((m) => `${CALLS_PER_MODE} ${MODE_LABEL[m]}`).join(", ")}); ` +
      `requests to the mock: ${[...new Set(first.result.requests.map((r) => `\`${r.method} ${r.path}\``))].join(", ")}.` +
      (agent.sharedHome ? " The two conversations share one home, so both meet whatever the first left running." : ""),
    "",
  );
  if (added.length === 0) lines.push("Variables the agent adds inside its shell tool: none.", "");
  else lines.push("Variables the agent adds inside its shell tool (values shown only as the shape of an id):", "");
  if (added.length) lines.push("| variable | value | same in every call | differs between conversations |", "|---|---|---|---|");
  for (const k of added) {
    const v = envCall.get(k) ?? "";
    const value = pidNote(k, v) || shape(v) || (v === "" ? "(empty)" : "");
    lines.push(`| \`${k}\` | ${value} | ${sameAcross(k) ? "yes" : "no"} | ${differsFromSecond(k) ? "yes" : "no"} |`);
  }
  lines.push("");
  const left = conversations.flatMap((o) => o.result.leftRunning);
  if (left.length) {
    lines.push("Left running after its runs (outside the agent's process group):", "");
    for (const p of [...new Map(left.map((p) => [p.pid, p])).values()]) {
      lines.push(`- \`${scrub(p.argv.join(" "))}\`${p.ppid === 1 ? " (reparented to pid 1)" : ""}`);
    }
    lines.push("");
  }
  // Where it keeps its sessions: files under its home whose path says so, ids shown as their shape.
  const sessionFiles = [
    ...new Set(
      conversations
        .flatMap((o) => o.result.homeFiles)
        .filter((f) => /session|task/i.test(f) && !/(-wal|-shm|\.lock)$/.test(f) && !f.startsWith(".cache/"))
        .map((f) =>
          f
            .replaceAll(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, "<uuid>")
            .replaceAll(/\b[0-9a-f]{32,}\b/g, "<hash>")
            .replaceAll(/\/\d{4}\/\d\d\/\d\d\//g, "/<date>/")
            .replaceAll(/\d{10,}_[a-z0-9]+|ses_[A-Za-z0-9]+/g, "<id>")
            .replaceAll(/\d{4}-\d\d-\d\dT\d\d-\d\d-[0-9a-f]+/g, "<time>-<id>"),
        ),
    ),
  ];
  if (sessionFiles.length) {
    lines.push(`Files under its home that name its sessions: ${sessionFiles.slice(0, 8).map((f) => `\`~/${f}\``).join(", ")}${sessionFiles.length > 8 ? ", ..." : ""}.`, "");
  }
  for (const mode of MODES) {
    const r = firstResolve(first, mode);
    if (!r) continue;
    lines.push(`How it runs a command, ${MODE_LABEL[mode]} (the ancestry stitch walked, from stitch's parent up):`, "", "```");
    lines.push(...renderAncestry(r, first));
    lines.push("```", "");
  }
  lines.push("What stitch resolved:", "");
  for (const mode of MODES) {
    const r = firstResolve(first, mode);
    if (!r) continue;
    const ids = idsIn(first, mode);
    const same = new Set(ids).size === 1;
    const differs = second ? idsIn(second, mode)[0] !== ids[0] : undefined;
    lines.push(
      `- ${MODE_LABEL[mode]}: caller \`${r.caller}\` (${r.caller_layer}: ${scrub(r.caller_evidence)}); ` +
        `session id from ${sourceText(r)}${r.session.how ? ` (${r.session.how} on the first call)` : ""}, ` +
        `${same ? `the same in all ${ids.length} calls` : `${new Set(ids).size} different ids in ${ids.length} calls`}` +
        `${differs === undefined ? "" : differs ? ", different in the second conversation" : ", **the same in the second conversation**"}; ` +
        `anchor ${anchorText(r)}`,
    );
  }
  const shimmed = callsIn(first, "shim").find((c) => c.env)?.env;
  if (shimmed) {
    lines.push(
      `- ${MODE_LABEL.shim}, the shim directory on PATH from ${SHIM_PATH_TEXT[agent.shimPath ?? "inherit"]}: ` +
        `the real railway got caller \`${shimmed.get("RAILWAY_CALLER") ?? "(none)"}\` and ${shimCell(agent, conversations).replace(/ \(.*\)$/, "")} as in its own environment`,
    );
  }
  lines.push("");
  return lines;
}

/** Whether plain `railway` got, in every conversation, the id of the agent's own environment. */
function shimCell(agent: LiveAgent, conversations: Observed[]): string {
  const same = conversations.every((o) => {
    const ids = idsIn(o, "shim");
    return ids.length === CALLS_PER_MODE && new Set(ids).size === 1 && ids[0] !== "" && ids[0] === idsIn(o, "own")[0];
  });
  return `${same ? "the same id" : "**not the same id**"} (${SHIM_PATH_TEXT[agent.shimPath ?? "inherit"]})`;
}

function renderEvidence(): string {
  const lines = [
    "# Agents, seen from inside their shell tools",
    "",
    "Generated by `npm run test:live` (test/live/live.test.ts); do not edit by hand. Each agent",
    "CLI ran two non-interactive conversations against a scripted mock model on 127.0.0.1",
    `(${ISOLATION.note}), and the mock made it run`,
    "`stitch resolve --json --with-args` and `stitch sh -c 'env'` through its own shell tool, three times each",
    "in the agent's own environment, then three times each behind `env -u` of every variable",
    "stitch reads as an agent's marker, session id or pid (from the catalog:",
    `${markerVariables().map((v) => `\`${v}\``).join(", ")}),`,
    "so that only the process tree and the session file could stitch those calls; then six times",
    "a plain `railway whoami`, which reached a stand-in `railway` late on PATH (it prints its",
    "environment) through a shim made by `stitch shim add railway`, the shim directory put on PATH",
    "only where the README says for that agent. Paths are shown as `$TMP`/`$REPO`, pids as",
    "`$PID`, that list of variables as `$MARKERS`.",
    "",
    "| agent | version | driven live | caller | session id from | anchor | two conversations, two ids | through a shim (PATH from) |",
    "|---|---|---|---|---|---|---|---|",
  ];
  for (const e of evidence) {
    const first = e.conversations?.[0];
    if (e.skipped || !first) {
      lines.push(`| ${e.agent.name} | | no: ${e.skipped ?? "it did not run"} | | | | | |`);
      continue;
    }
    const apart = MODES.map((m) => {
      const [a, b] = [idsIn(first, m)[0], e.conversations?.[1] && idsIn(e.conversations[1], m)[0]];
      return a && b && a !== b ? "yes" : "**no**";
    });
    lines.push(
      `| ${e.agent.name} | ${first.result.version} | yes | ${perMode((r) => `\`${r?.caller ?? "?"}\``, first)} | ${perMode(sourceText, first)} | ` +
        `${perMode(anchorText, first)} | ${apart[0] === apart[1] ? apart[0] : `${apart[0]} / stripped: ${apart[1]}`} | ${shimCell(e.agent, e.conversations!)} |`,
    );
  }
  for (const n of NOT_DRIVEN) lines.push(`| ${n.name} | | no: ${n.why} | | | | | |`);
  lines.push(
    "",
    "Where a cell has two values, the first is the agent's own environment and the second the",
    "same calls with its markers stripped.",
    "",
  );
  for (const e of evidence) if (e.conversations) lines.push(...renderAgent(e.agent, e.conversations));
  // The conversation cases (cases.test.ts, which runs first in `bun test ./test/live`).
  const cases = readResults();
  if (cases) {
    lines.push(
      "## One id per conversation: resumed, continued, several in one process",
      "",
      "From test/live/cases.test.ts (recipes.ts says how each agent's cases are driven): for each",
      "agent, a conversation resumed by its id in a new process (and an unrelated one beside it),",
      "the most recent one continued in a new process, and two conversations interleaved in the",
      "agent's long-lived multi-conversation mode (ACP, `serve`, `app-server`, RPC, stream-json",
      "with `/clear`, Cline's hub daemon); each in the agent's own environment and with every",
      "marker stripped. Right: every call of a conversation got one id, the other conversation",
      "another.",
      "",
      renderTable(cases),
    );
  }
  lines.push("## Not driven here", "");
  for (const e of evidence) if (e.skipped) lines.push(`- ${e.agent.name} (\`${e.agent.pkg}\`): skipped: ${e.skipped}.`);
  for (const n of NOT_DRIVEN) lines.push(`- ${n.name}${n.pkg ? ` (\`${n.pkg}\`)` : ""}: ${n.why}.`);
  lines.push("");
  return lines.join("\n");
}
