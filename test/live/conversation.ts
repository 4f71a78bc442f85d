// Conversations of one agent with the mock model: `bun conversation.ts <agent-id> <dir>...`,
// one conversation per directory, one after the other, against one mock. The live suite runs
// it inside a network namespace that has only loopback (and, where it can, a pid namespace,
// so that whatever the agent leaves running ends with it). In each conversation the agent
// runs stitch through its own shell tool twelve times: in its own environment (three
// `resolve --json --with-args`, three wrapped `env`), then the same six behind `env -u` of every
// variable stitch reads as an agent's marker, session id or pid, so that only the process
// tree and the session file can stitch them; then six plain `railway whoami` calls, which
// reach a stand-in `railway` (it prints its environment) further down PATH only through a
// stitch shim, the shim directory put on PATH where the README says for that agent. The
// outputs land in <dir>/out; each conversation writes <dir>/result.json.

import { chmodSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { AGENTS, AI_AGENT_VARIABLE, GENERIC_AGENT_MARKERS } from "../../src/catalog/agents.ts";
import type { Condition } from "../../src/catalog/condition.ts";
import { HARNESS_SESSION_VARIABLES } from "../../src/catalog/session-variables.ts";
import { LIVE_AGENTS } from "./agents.ts";
import { startMockModel } from "./mock-model.ts";

/** Calls per mode; the modes run one after the other in each conversation. */
export const CALLS_PER_MODE = 6;
export const MODES = ["own", "stripped", "shim"] as const;
export type Mode = (typeof MODES)[number];
export const CALLS = CALLS_PER_MODE * MODES.length;
export const STITCH = resolve(import.meta.dir, "../../dist/stitch");
const BIN = resolve(import.meta.dir, "node_modules/.bin");
const TIMEOUT_MS = 120_000;

export const modeOf = (i: number): Mode => MODES[Math.floor(i / CALLS_PER_MODE)]!;
/**
 * Call i: in the first two modes even ones explain themselves, odd ones print the wrapped
 * command's environment; through the shim, every one prints the stand-in railway's.
 */
export const callFile = (i: number) => (i % 2 === 0 && modeOf(i) !== "shim" ? `call${i}.resolve.json` : `call${i}.env`);
/** The PATH the agents are started with (no stitch on it: the first two modes name it by path). */
const SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin";

/**
 * The user's own variables, which some rows test together with a marker (Jules: HOME and
 * USER; Kiro: TERM_PROGRAM): never stripped, since the home directory is where the session
 * files of Cline and Railway live. Those rows cannot match here (HOME is the run's own, no
 * TERM_PROGRAM is set), and Replit's is stripped of its REPLIT_MODE.
 */
const CONTEXT_VARIABLES = new Set(["HOME", "USER", "TERM_PROGRAM"]);

function conditionVariables(c: Condition, into: Set<string>): void {
  if ("all" in c) {
    for (const x of c.all) if (!("env" in x && CONTEXT_VARIABLES.has(x.env))) conditionVariables(x, into);
  } else if ("any" in c) for (const x of c.any) conditionVariables(x, into);
  else if ("env" in c) into.add(c.env);
}

/**
 * Every variable stitch reads as an agent's marker, harness session id or pid, from the
 * catalog itself: the agent rows' conditions, their pid variables, the harness session
 * variables, the generic markers, `AI_AGENT` and `AGENT`.
 */
export function markerVariables(): string[] {
  const names = new Set<string>([AI_AGENT_VARIABLE, "AI_AGENT", "AGENT"]);
  for (const row of AGENTS) {
    for (const c of row.when) conditionVariables(c, names);
    if (row.pidVariable) names.add(row.pidVariable);
  }
  for (const v of HARNESS_SESSION_VARIABLES) names.add(v.name);
  for (const c of GENERIC_AGENT_MARKERS) conditionVariables(c, names);
  return [...names].sort();
}

export interface ConversationResult {
  readonly agent: string;
  readonly version: string;
  /** The pid of the agent process the conversation started. */
  readonly pid: number;
  readonly exitCode: number | null;
  readonly durationMs: number;
  readonly timedOut: boolean;
  readonly requests: { method: string; path: string; handled: string }[];
  /** Names of the variables the agent was started with (to tell its own additions apart). */
  readonly launchEnv: string[];
  /** The variables the stripped mode removed. */
  readonly stripped: string[];
  /** Processes left running when the agent exited: pid, parent, argv (a daemon it started). */
  readonly leftRunning: { pid: number; ppid: number; argv: string[] }[];
  /** Files in its home after the conversation (relative paths, at most 400; no node_modules, no .cache). */
  readonly homeFiles: string[];
  readonly stdoutTail: string;
  readonly stderrTail: string;
}

function listFiles(root: string, limit = 400): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries: string[] = [];
    try {
      entries = readdirSync(d);
    } catch {
      return;
    }
    for (const e of entries.sort()) {
      if (out.length >= limit) return;
      const p = join(d, e);
      let dir = false;
      try {
        dir = statSync(p).isDirectory();
      } catch {}
      if (dir) {
        if (e === "node_modules" || e === ".cache") continue; // installed code, not its state
        walk(p);
      } else out.push(relative(root, p));
    }
  };
  walk(root);
  return out;
}

/**
 * Processes other than this one that work under `dir` or carry it in their environment
 * (HOME, TMPDIR, the sessions directory): ours, by construction, since `dir` is this run's own.
 */
function processesUnder(dir: string): { pid: number; ppid: number; argv: string[] }[] {
  const found: { pid: number; ppid: number; argv: string[] }[] = [];
  for (const e of readdirSync("/proc")) {
    const pid = Number(e);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      if (!cwd.startsWith(dir) && !readFileSync(`/proc/${pid}/environ`, "utf8").includes(`=${dir}`)) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter((a) => a !== "");
      found.push({ pid, ppid, argv });
    } catch {}
  }
  return found;
}

/**
 * A stand-in `railway` that prints its environment, in a directory late on PATH, and a
 * stitch shim for it made by `stitch shim add`, its directory put on PATH only where
 * `where` says (the agent's start-up environment, or ~/.profile). Returns the PATH
 * the agent is started with.
 */
function shimSetup(dir: string, home: string, where: "inherit" | "profile"): string {
  const shims = join(dir, "shims");
  const realBin = join(dir, "realbin");
  mkdirSync(realBin, { recursive: true });
  writeFileSync(join(realBin, "railway"), "#!/bin/sh\nexec env\n");
  chmodSync(join(realBin, "railway"), 0o755);
  const add = Bun.spawnSync([STITCH, "shim", "add", "railway"], { env: { STITCH_SHIM_DIR: shims, HOME: home, PATH: SYSTEM_PATH } });
  if (add.exitCode !== 0) throw new Error(`stitch shim add failed: ${add.stderr.toString()}`);
  // railway is installed late on PATH; the profile that puts it there is the user's, too.
  if (where === "profile") writeFileSync(join(home, ".profile"), `export PATH="${shims}:$PATH:${realBin}"\n`);
  return where === "inherit" ? `${shims}:${SYSTEM_PATH}:${realBin}` : `${SYSTEM_PATH}:${realBin}`;
}

if (import.meta.main) {
  const [id, ...dirArgs] = process.argv.slice(2);
  const agent = LIVE_AGENTS.find((a) => a.id === id);
  if (!agent || dirArgs.length === 0) throw new Error("usage: conversation.ts <agent-id> <dir>...");
  const dirs = dirArgs.map((d) => resolve(d));
  const version = JSON.parse(readFileSync(resolve(import.meta.dir, "node_modules", agent.pkg, "package.json"), "utf8")).version;
  const stripped = markerVariables();
  const strip = `env ${stripped.map((v) => `-u ${v}`).join(" ")} `;
  const model = startMockModel([]);
  // A shared home (and sessions directory) lives beside the conversations' own directories.
  const shared = agent.sharedHome ? join(dirs[0]!, "..", `${agent.id}-shared`) : undefined;

  for (const dir of dirs) {
    const base = shared ?? dir;
    const c = { dir, home: join(base, "home"), work: join(dir, "work"), out: join(dir, "out") };
    for (const d of [c.home, c.work, c.out, join(dir, "tmp")]) mkdirSync(d, { recursive: true });

    const commands = Array.from({ length: CALLS }, (_, i) => {
      const out = join(c.out, callFile(i));
      if (modeOf(i) === "shim") return `railway whoami > ${out}`;
      const prefix = modeOf(i) === "stripped" ? strip : "";
      return i % 2 === 0 ? `${prefix}${STITCH} resolve --json --with-args > ${out}` : `${prefix}${STITCH} sh -c 'env' > ${out}`;
    });
    const path = shimSetup(dir, c.home, agent.shimPath ?? "inherit");
    model.script(commands);
    const { args, env, before } = agent.prepare({ ...c, model: model.url });
    const launchEnv: Record<string, string> = {
      PATH: path,
      HOME: c.home,
      TMPDIR: join(dir, "tmp"),
      LANG: "C.UTF-8",
      RAILWAY_SESSIONS_DIR: join(base, "sessions"),
      ...env,
    };
    for (const step of before ?? []) {
      const r = Bun.spawnSync([join(BIN, agent.bin), ...step], { cwd: c.work, env: launchEnv, stdio: ["ignore", "pipe", "pipe"], timeout: 60_000 });
      if (r.exitCode !== 0) throw new Error(`${agent.bin} ${step[0]} failed: ${r.stderr.toString().slice(-1000)}`);
    }

    const started = Date.now();
    // Its own process group, so that everything it starts can be ended with it.
    const child = Bun.spawn([join(BIN, agent.bin), ...args], {
      cwd: c.work,
      env: launchEnv,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {}
    }, TIMEOUT_MS);
    const [stdout, stderr] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text()]);
    await child.exited;
    clearTimeout(timer);
    try {
      process.kill(-child.pid, "SIGKILL"); // whatever it left behind in its group
    } catch {}
    await Bun.sleep(200);
    // What still runs: a daemon it started in a session of its own (working under our dirs).
    const leftRunning = processesUnder(base === dir ? dir : resolve(base, "..")).filter((p) => p.pid !== child.pid);
    if (!shared) for (const p of leftRunning) try { process.kill(p.pid, "SIGKILL"); } catch {}

    const result: ConversationResult = {
      agent: agent.id,
      version,
      pid: child.pid,
      exitCode: child.exitCode,
      durationMs: Date.now() - started,
      timedOut,
      requests: [...model.requests],
      launchEnv: Object.keys(launchEnv),
      stripped,
      leftRunning,
      homeFiles: listFiles(c.home),
      stdoutTail: stdout.slice(-2000),
      stderrTail: stderr.slice(-4000),
    };
    writeFileSync(join(dir, "result.json"), JSON.stringify(result, null, 2));
  }
  // A shared home's daemon ends with the last conversation.
  if (shared) for (const p of processesUnder(resolve(shared, ".."))) try { process.kill(p.pid, "SIGKILL"); } catch {}
  model.stop();
}
