// One conversation case of one agent: `bun cases.ts <agent-id> <case> <variant> <dir>`, run
// by cases.test.ts inside network and pid namespaces of its own, so that nothing the agent
// starts (Cline's hub daemon) outlives the case. The mock model makes the agent run
// `stitch resolve --json > <out>/<label>.json` through its own shell tool (behind `env -u`
// of every marker variable in the stripped variant), then a probe that records what the
// agent showed the command: its environment, the files under its home, its pid-keyed records.
//
//   resume    A in one process, an unrelated B in another, then A resumed by the agent's
//             own id in a third
//   continue  B, then A, then the most recent conversation (A) continued in a third process
//   multi     A and B in one long-lived process, taking turns: A, B, A, B (A, A, B, B where
//             the mode cannot go back to a conversation)
//
// Every step has a deadline inside the case's budget; whatever happens, <dir>/case.json
// records what ran.

import type { Subprocess } from "bun";
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { LIVE_AGENTS, PROMPT, type LiveAgent } from "./agents.ts";
import type { CallRecord, CaseRecord, ProcessRecord, Variant } from "./case-result.ts";
import { markerVariables, STITCH } from "./conversation.ts";
import { startMockModel, type MockModel } from "./mock-model.ts";
import { multiHost, type MultiHost } from "./multi.ts";
import { CASES, RECIPES, type CaseName, type CaseRecipe, type MultiKind } from "./recipes.ts";

/** A case's whole budget (cases.test.ts waits a little longer), and one process's share of it. */
export const CASE_BUDGET_MS = 150_000;
const PROCESS_CAP_MS = 100_000;
/** One turn of a long-lived mode (the slowest here took 15 s, Kilo's first under load). */
const TURN_CAP_MS = 60_000;
const BIN = resolve(import.meta.dir, "node_modules/.bin");
const SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin";
/** The stitch under test: dist/stitch, or another build (a "before" table of an older one). */
export const STITCH_UNDER_TEST = process.env.STITCH_CASES_BIN ?? STITCH;

interface Setup {
  readonly agent: LiveAgent;
  readonly recipe: CaseRecipe;
  readonly home: string;
  readonly work: string;
  readonly out: string;
  readonly env: Record<string, string>;
  /** prepare()'s argv, which the recipes adapt. */
  readonly base: readonly string[];
  readonly model: MockModel;
  readonly deadline: number;
  readonly processes: ProcessRecord[];
  readonly planned: { label: string; conversation: string; process: number }[];
  /** The long-lived mode's last messages, kept when it fails. */
  readonly transcript: unknown[];
  /** The agent's own ids of each conversation as its protocol named them. */
  readonly protocolIds: Record<string, string[]>;
  /** The shell command of call `label`. */
  readonly command: (label: string) => string;
}

const turnDeadline = (s: Setup) => Math.min(s.deadline, Date.now() + TURN_CAP_MS);
const prompt = (tag: string) => `conversation-${tag}: ${PROMPT}`;
const labels = (tag: string, from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `${tag}${from + i}`);

/**
 * The last `keep` characters of a stream, read in the background. `settle` waits for its end
 * for at most a moment: a daemon the agent started may hold the pipe open long after.
 */
function tail(stream: ReadableStream<Uint8Array>, keep = 3000): { settle: () => Promise<string> } {
  let text = "";
  const decoder = new TextDecoder();
  const done = (async () => {
    try {
      for await (const chunk of stream) text = (text + decoder.decode(chunk, { stream: true })).slice(-keep);
    } catch {}
  })();
  return { settle: async () => (await Promise.race([done, Bun.sleep(2000)]), text) };
}

/** Starts the agent in a process group of its own, so that it and all it started can be ended together. */
function spawnAgent(s: Setup, args: string[]): Subprocess<"pipe", "pipe", "pipe"> {
  return Bun.spawn([join(BIN, s.agent.bin), ...args], { cwd: s.work, env: s.env, stdin: "pipe", stdout: "pipe", stderr: "pipe", detached: true });
}

const killGroup = (pid: number) => {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {}
};

/** Runs one agent process to its end (or its deadline) and records it, in the order processes start. */
async function runProcess(s: Setup, role: string, args: string[]): Promise<void> {
  const started = Date.now();
  const index = s.processes.length;
  const child = spawnAgent(s, args);
  s.processes.push({ role, argv: args, pid: child.pid, exitCode: null, timedOut: false, durationMs: 0, stderrTail: "", stdoutTail: "" });
  child.stdin.end();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child.pid);
  }, Math.max(0, Math.min(s.deadline - Date.now(), PROCESS_CAP_MS)));
  const [stdout, stderr] = [tail(child.stdout), tail(child.stderr)];
  await child.exited;
  clearTimeout(timer);
  killGroup(child.pid);
  const [stdoutTail, stderrTail] = await Promise.all([stdout.settle(), stderr.settle()]);
  s.processes[index] = { role, argv: args, pid: child.pid, exitCode: child.exitCode, timedOut, durationMs: Date.now() - started, stderrTail, stdoutTail };
  if (timedOut) throw new Error(`${role}: the agent did not finish in time`);
}

/** Resume and continue: three processes, the third taking up A again. */
async function resumeOrContinue(s: Setup, kind: "resume" | "continue"): Promise<void> {
  for (const tag of kind === "resume" ? ["A", "B"] : ["B", "A"]) {
    s.model.scriptFor(tag, labels(tag, 1, 2).map(s.command));
    for (const label of labels(tag, 1, 2)) s.planned.push({ label, conversation: tag, process: s.processes.length });
    await runProcess(s, `${tag} fresh`, s.recipe.fresh(s.base, prompt(tag)));
  }
  s.model.scriptFor("A", labels("A", 1, 4).map(s.command));
  for (const label of labels("A", 3, 4)) s.planned.push({ label, conversation: "A", process: s.processes.length });
  if (kind === "resume") {
    const id = s.recipe.ownIds(s.home, "A")[0];
    if (!id) throw new Error("the agent kept no record of conversation A: nothing to resume it by");
    if (s.recipe.resumeOverAcp) await resumeOverAcp(s, id);
    else await runProcess(s, "A resume", s.recipe.resume!(s.base, id, prompt("A")));
  } else {
    await runProcess(s, "A continue", s.recipe.continue!(s.base, prompt("A")));
  }
}

/** A long-lived process spoken to over its protocol while `body` runs; ended and recorded after. */
async function withHost(s: Setup, role: string, kind: Exclude<MultiKind, "concurrent-runs">, args: string[], body: (host: MultiHost) => Promise<void>): Promise<void> {
  const started = Date.now();
  const index = s.processes.length;
  const child = spawnAgent(s, args);
  s.processes.push({ role, argv: args, pid: child.pid, exitCode: null, timedOut: false, durationMs: 0, stderrTail: "", stdoutTail: "" });
  const stderr = tail(child.stderr);
  const host = multiHost(kind, child, s.work);
  let failed: unknown;
  try {
    await body(host);
  } catch (e) {
    failed = e ?? "failed";
    throw e;
  } finally {
    killGroup(child.pid);
    await child.exited;
    for (const [tag, id] of Object.entries(host.protocolIds)) s.protocolIds[tag] = [...new Set([...(s.protocolIds[tag] ?? []), id])];
    // Its stdout is the protocol: the transcript, kept when the case fails.
    s.processes[index] = { role, argv: args, pid: child.pid, exitCode: child.exitCode, timedOut: failed instanceof Error && failed.message.endsWith("in time"), durationMs: Date.now() - started, stderrTail: await stderr.settle(), stdoutTail: "" };
    if (failed) s.transcript.push(...host.transcript().slice(-12));
  }
}

/** Multi, in a long-lived mode: one process, turns of one call each. */
async function multiInOneProcess(s: Setup, kind: Exclude<MultiKind, "concurrent-runs">, args: string[]): Promise<void> {
  await withHost(s, "A+B multi", kind, args, async (host) => {
    const counts: Record<string, number> = {};
    for (const tag of host.interleaves ? ["A", "B", "A", "B"] : ["A", "A", "B", "B"]) {
      const n = (counts[tag] = (counts[tag] ?? 0) + 1);
      s.planned.push({ label: `${tag}${n}`, conversation: tag, process: 0 });
      s.model.scriptFor(tag, labels(tag, 1, n).map(s.command));
      await host.turn(tag, prompt(tag), turnDeadline(s));
    }
  });
}

/** Resume over ACP: the conversation loaded by its id in a new `--acp` process, then one turn. */
async function resumeOverAcp(s: Setup, id: string): Promise<void> {
  await withHost(s, "A resume (ACP session/load)", "acp", s.recipe.resumeOverAcp!(s.base), async (host) => {
    await host.load!("A", id, turnDeadline(s));
    await host.turn("A", prompt("A"), turnDeadline(s));
  });
}

/**
 * Multi for Cline: its hub daemon runs every task, so two runs at once in one directory are
 * two conversations in one process; the mock hands out their calls in turns (A, B, A, B),
 * each only once the previous one has returned, so both tasks are running at every call.
 */
async function concurrentRuns(s: Setup): Promise<void> {
  for (const tag of ["A", "B"]) s.model.scriptFor(tag, labels(tag, 1, 2).map(s.command));
  for (const label of ["A1", "B1", "A2", "B2"]) s.planned.push({ label, conversation: label[0]!, process: label[0] === "A" ? 0 : 1 });
  s.model.interleave(["A", "B", "A", "B"], 30_000);
  const runs = await Promise.allSettled(["A", "B"].map((tag) => runProcess(s, `${tag} fresh (at once with ${tag === "A" ? "B" : "A"})`, s.recipe.fresh(s.base, prompt(tag)))));
  for (const r of runs) if (r.status === "rejected") throw r.reason;
}

/** The probe each call runs after stitch: what the agent showed the command (facts for the docs). */
function writeProbe(dir: string, recipe: CaseRecipe): string {
  const probe = join(dir, "probe");
  const records = (recipe.records ?? []).map((glob) => `$HOME/${glob}`).join(" ");
  writeFileSync(
    probe,
    [
      "#!/bin/sh",
      'env > "$1.env"',
      '(cd "$HOME" && find . \\( -name node_modules -o -name .cache \\) -prune -o -type f -print) > "$1.files" 2>/dev/null',
      records ? `for f in ${records}; do [ -f "$f" ] && printf '== %s\\n%s\\n' "$f" "$(head -c 4000 "$f")"; done > "$1.records" 2>/dev/null` : "",
      "exit 0",
      "",
    ].join("\n"),
  );
  chmodSync(probe, 0o755);
  return probe;
}

function readCall(s: Setup, p: { label: string; conversation: string; process: number }): CallRecord {
  const file = join(s.out, `${p.label}.json`);
  const env = existsSync(`${file.slice(0, -5)}.env`) ? readFileSync(`${file.slice(0, -5)}.env`, "utf8") : "";
  const variable = s.agent.sessionVariable;
  const agentVariable = variable ? (env.split("\n").find((l) => l.startsWith(`${variable}=`))?.slice(variable.length + 1) ?? null) : null;
  let r: Record<string, any> | undefined;
  try {
    r = JSON.parse(readFileSync(file, "utf8"));
  } catch {}
  return {
    ...p,
    ran: r !== undefined,
    session_id: r?.session_id ?? null,
    source: r?.session?.source ?? null,
    variable: r?.session?.variable ?? null,
    caller: r?.caller ?? null,
    anchor: r?.anchor ? { pid: r.anchor.pid, argv0: r.anchor.argv0, reason: r.anchor.reason, detail: r.anchor.detail } : null,
    agentVariable,
    at: r ? statSync(file).mtimeMs : null,
  };
}

export async function runCase(agentId: string, name: CaseName, variant: Variant, dir: string): Promise<CaseRecord> {
  const agent = LIVE_AGENTS.find((a) => a.id === agentId);
  const recipe = RECIPES[agentId];
  if (!agent || !recipe) throw new Error(`no conversation recipe for ${agentId}`);
  const version = JSON.parse(readFileSync(join(import.meta.dir, "node_modules", agent.pkg, "package.json"), "utf8")).version;
  const started = Date.now();
  const base = { agent: agent.id, version, case: name, variant };
  const notDriven = recipe.notDriven?.[name];
  if (notDriven) return { ...base, notDriven, processes: [], calls: [], ownIds: {}, requests: 0, durationMs: 0 };

  const home = join(dir, "home"), work = join(dir, "work"), out = join(dir, "out");
  for (const d of [home, work, out, join(dir, "tmp")]) mkdirSync(d, { recursive: true });
  const model = startMockModel([]);
  const prepared = agent.prepare({ dir, home, work, model: model.url });
  const env = { PATH: SYSTEM_PATH, HOME: home, TMPDIR: join(dir, "tmp"), LANG: "C.UTF-8", RAILWAY_SESSIONS_DIR: join(dir, "sessions"), ...prepared.env, ...recipe.env };
  const probe = writeProbe(dir, recipe);
  const strip = variant === "stripped" ? `env ${markerVariables().map((v) => `-u ${v}`).join(" ")} ` : "";
  const s: Setup = {
    agent, recipe, home, work, out, env, model,
    base: prepared.args,
    deadline: started + CASE_BUDGET_MS,
    processes: [],
    planned: [],
    transcript: [],
    protocolIds: {},
    command: (label) => `${strip}${STITCH_UNDER_TEST} resolve --json --with-args > ${join(out, `${label}.json`)}; ${probe} ${join(out, label)}`,
  };
  let error: string | undefined;
  try {
    for (const step of prepared.before ?? []) {
      const r = Bun.spawnSync([join(BIN, agent.bin), ...step], { cwd: work, env, stdio: ["ignore", "pipe", "pipe"], timeout: 60_000 });
      if (r.exitCode !== 0) throw new Error(`${agent.bin} ${step[0]} failed: ${r.stderr.toString().slice(-500)}`);
    }
    const multi = recipe.multi;
    if (name !== "multi") await resumeOrContinue(s, name);
    else if (!multi) throw new Error("no multi-conversation mode in its recipe");
    else if (multi.kind === "concurrent-runs") await concurrentRuns(s);
    else await multiInOneProcess(s, multi.kind, multi.args(s.base));
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  const ownIds: Record<string, string[]> = {};
  for (const tag of ["A", "B"]) {
    let recorded: string[] = [];
    try {
      recorded = recipe.ownIds(home, tag);
    } catch {}
    ownIds[tag] = [...new Set([...recorded, ...(s.protocolIds[tag] ?? [])])];
  }
  model.stop();
  return {
    ...base,
    ...(error ? { error, transcriptTail: s.transcript } : {}),
    processes: s.processes,
    calls: s.planned.map((p) => readCall(s, p)),
    ownIds,
    requests: model.requests.length,
    durationMs: Date.now() - started,
  };
}

if (import.meta.main) {
  const [agentId, name, variant, dir] = process.argv.slice(2);
  if (!agentId || !CASES.includes(name as CaseName) || (variant !== "own" && variant !== "stripped") || !dir) {
    throw new Error("usage: cases.ts <agent-id> <resume|continue|multi> <own|stripped> <dir>");
  }
  const record = await runCase(agentId, name as CaseName, variant, resolve(dir));
  writeFileSync(join(resolve(dir), "case.json"), JSON.stringify(record, null, 2));
  process.exit(0); // the agent's leftovers end with this namespace's first process
}
