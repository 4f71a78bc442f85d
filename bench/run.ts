// `npm run bench`: whole-process timings of stitch against the floor, side by side,
// interleaved (every round runs every command once, in a shuffled order), many rounds;
// medians, spread (p10-p90), each stitch row as a ratio to the floor, peak RSS. Prints a
// Markdown table and the issue's targets.
//
//   BENCH_ROUNDS=600 (default)   rounds per block
//   BENCH_EXTRA=1500 (default)   idle processes added for the "many processes" block
//   BENCH_BASELINE=<commit>      also build that commit's stitch (its own build.ts, in a
//                                temporary worktree) and time it side by side, interleaved
//                                with the checkout's: id in the environment, agent with
//                                its file, CI caller; a change's cost is one run away
//
// The floor (bench/floor.ts) is the cheapest compiled Bun program that does stitch's
// unavoidable work on its wrap path (bind execve through bun:ffi, build argv and the
// environment, add one variable, search PATH, exec), built here with exactly stitch's flags
// by build.ts's compile(). It runs `true`, as every stitch row does.
//
// Rounds: the default, 600, takes ~1 min on the 2-core machine of the README (~45 ms a
// round per block, plus ~5 s to build the floor, sync and start 2,500 idle processes; more
// on a slow day). Run to run a ratio to the floor moves by about ±0.04 on this machine, and
// more rounds do not narrow it (whole runs are faster or slower, and stitch and the floor
// do not move alike): read a ratio within ~0.05 of its limit as not decided by one run, and
// a change's cost from a side-by-side run (BENCH_BASELINE). docs/performance.md, "Run to run".

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { compile } from "../build.ts";
import { sessionFileName } from "../src/store/identity.ts";
import { serializeSessionFile } from "../src/store/schema.ts";
import { buildBaseline } from "./baseline.ts";
import { agentEnv as agentEnvOf, baseEnv, ciEnv, idEnv } from "./target-rows.ts";
import { claudeRecord, clineTasks, codexRollout, copilotState, geminiChats, openCodeDatabase, piTranscripts, StandIn } from "./records.ts";

const ROOT = resolve(import.meta.dir, "..");
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 600);
const EXTRA = Number(process.env.BENCH_EXTRA ?? 1500);
const LIVE_FILES = 1000;
/** `ps` at a few thousand processes takes ~0.1 s: it is timed in one round of this many. */
const PS_EVERY = 5;
const work = mkdtempSync(join(tmpdir(), "stitch-bench-"));
const started = Date.now();

const built = join(work, "floor.built");
await compile(built, undefined, join(ROOT, "bench/floor.ts"));

// Both binaries run from copies made the same way (cp into this directory), timed side by
// side. How a binary's pages came into the page cache changes every start of it (each maps
// ~100 MB of executable and faults in the pages it touches): on this machine a file
// freshly written by `bun build` has started ~0.1 ms to ~1 ms slower than the very same
// bytes copied with cp (the folios a large write leaves are not those a copy leaves), and
// the same bytes read back from disk after eviction ~1 ms slower than a fresh copy.
// dist/stitch was written by `bun build` (`npm run bench` builds it first) and the floor
// is built just above, at other moments: timed where they are, either could be favoured by
// as much as the margin a target leaves (~0.7 ms for 1.15). Copied alike, at the same
// moment, neither is (copies made together time alike, within ~0.05 ms).
function copyIn(from: string, name: string): string {
  const to = join(work, name);
  const r = Bun.spawnSync(["cp", from, to], { stdio: ["ignore", "ignore", "inherit"] });
  if (r.exitCode !== 0) throw new Error(`could not copy ${from}`);
  return to;
}
// Built first, copied in with the others below (copies made together time alike).
const baselineBuilt = process.env.BENCH_BASELINE ? buildBaseline(process.env.BENCH_BASELINE, work) : undefined;
if (baselineBuilt) mkdirSync(join(work, "baseline-copy"));
const BASELINE = baselineBuilt && { label: baselineBuilt.label, binary: copyIn(baselineBuilt.binary, "baseline-copy/stitch") };
const STITCH = copyIn(join(ROOT, "dist/stitch"), "stitch");
const FLOOR = copyIn(built, "floor");
rmSync(built);
// ~300 MB were just written (dist/stitch, the floor, the copies): their writeback, were it
// left to the kernel's timer, would land in the middle of the first block and slow it
// (seen: every row ~15% slower in the first block of a short run).
Bun.spawnSync(["sync"]);

interface Scenario {
  readonly name: string;
  readonly argv: string[];
  readonly env: Record<string, string>;
  /** Timed in one round of this many (1: every round). */
  readonly every?: number;
  /** A ratio to the floor is printed for it. */
  readonly stitch?: boolean;
  /** Run as the child of this stand-in agent process (bench/records.ts), in `cwd`. */
  readonly via?: StandIn;
  readonly cwd?: string;
  /** An agent's own record answers (design §5.3): timed in the first block only. */
  readonly record?: boolean;
  /** BENCH_BASELINE's binary: timed in the first block only. */
  readonly baseline?: boolean;
}

const home = join(work, "home");
mkdirSync(home);
const base = baseEnv(home);
const agentEnv = (sessions: string) => agentEnvOf(home, sessions);
const ownSessions = join(work, "sessions-own");
const liveSessions = join(work, "sessions-1000");

const ROW = {
  floor: "floor (bench/floor.ts true)",
  env: "stitch true (id in the environment)",
  agent: "stitch true (agent, session file present)",
  ci: "stitch true (CI caller)",
  files: `stitch true (agent, file present, ${LIVE_FILES.toLocaleString("en")} live files)`,
  named: "stitch railway (agent, file present, shim directory first on PATH)",
  shim: "railway through a shim (agent, file present)",
  standIn: "stitch true (agent under a stand-in process, session file present)",
  claude: "stitch true (Claude Code's pid_file: 21 records)",
  opencode: "stitch true (OpenCode's tool_call_db)",
  pi: "stitch true (Pi's transcripts, latest_call: 100 × 1 MB)",
  gemini: "stitch true (Gemini CLI's transcripts, written_since_start: 100 × 1 MB)",
  codex: "stitch true (Codex's open_file)",
  copilot: "stitch true (Copilot CLI's pid_lock: 500 conversations)",
  cline: "stitch true (Cline's task_file: 32 tasks)",
  exec: "env X=1 true (exec floor)",
  ps: "ps -A -o pid=,ppid=,command=",
} as const;

// design §12: a shim directory first on PATH holding `railway` → stitch, and a real `railway`
// (`true` under that name) after it. Both rows reach the real one in one exec.
const shimDir = join(work, "shims");
const realDir = join(work, "real");
mkdirSync(shimDir, { mode: 0o700 });
mkdirSync(realDir);
symlinkSync(STITCH, join(shimDir, "railway"));
symlinkSync(Bun.which("true") ?? "/bin/true", join(realDir, "railway"));
const shimEnv = { ...agentEnv(ownSessions), PATH: `${shimDir}:${realDir}:${base.PATH}` };

// The agents' own records (bench/records.ts), each in a home of its own. Stand-ins start
// before their records are written: a transcript counts only when written since its
// agent process started. None of these rows may touch a session file: recordSessions
// stays empty (checked after the block).
const recordSessions = join(work, "sessions-records");
const recordHome = (name: string) => {
  const dir = join(work, `home-${name}`);
  mkdirSync(join(dir, "work"), { recursive: true });
  return dir;
};
const homes = Object.fromEntries(["standIn", "claude", "opencode", "serve", "pi", "gemini", "codex", "copilot", "cline"].map((n) => [n, recordHome(n)]));
const workOf = (name: string) => join(homes[name]!, "work");
const rollout = codexRollout(homes.codex!);
const standIns = {
  standIn: new StandIn("droid", workOf("standIn")),
  pi: new StandIn("pi", workOf("pi")),
  gemini: new StandIn("gemini", workOf("gemini")),
  codex: new StandIn("codex", workOf("codex"), [rollout]),
  copilot: new StandIn("copilot", workOf("copilot")),
  cline: new StandIn("cline", workOf("cline")),
};
await Bun.sleep(300);
claudeRecord(homes.claude!, process.pid);
const OPENCODE_PARTS = 5000;
const openCodeBytes = openCodeDatabase(homes.opencode!, OPENCODE_PARTS);
openCodeDatabase(homes.serve!, OPENCODE_PARTS, true);
piTranscripts(homes.pi!, workOf("pi"), 100, 1 << 20);
geminiChats(homes.gemini!, workOf("gemini"), 100, 1 << 20);
copilotState(homes.copilot!, standIns.copilot.pid, 500);
clineTasks(homes.cline!, standIns.cline.pid, workOf("cline"));
const recordEnv = (name: string, extra: Record<string, string> = {}) => ({ ...base, HOME: homes[name]!, RAILWAY_SESSIONS_DIR: recordSessions, ...extra });
const standInSessions = join(work, "sessions-stand-in");
const recordRows: Scenario[] = [
  { name: ROW.standIn, argv: [STITCH, "true"], env: { ...base, HOME: homes.standIn!, RAILWAY_SESSIONS_DIR: standInSessions }, via: standIns.standIn, cwd: workOf("standIn"), stitch: true, record: true },
  { name: ROW.claude, argv: [STITCH, "true"], env: recordEnv("claude", { CLAUDE_PID: String(process.pid) }), stitch: true, record: true },
  {
    name: `${ROW.opencode}: ${(openCodeBytes / 2 ** 20).toFixed(0)} MB, ${OPENCODE_PARTS.toLocaleString("en")} parts`,
    argv: [STITCH, "true"],
    env: recordEnv("opencode", { OPENCODE: "1", OPENCODE_PID: String(process.pid) }),
    stitch: true,
    record: true,
  },
  {
    name: `${ROW.opencode}: the same, every row written since the agent started (serve)`,
    argv: [STITCH, "true"],
    env: recordEnv("serve", { OPENCODE: "1", OPENCODE_PID: String(process.pid) }),
    stitch: true,
    record: true,
  },
  ...(["pi", "gemini", "codex", "copilot", "cline"] as const).map((n) => ({ name: ROW[n], argv: [STITCH, "true"], env: recordEnv(n), via: standIns[n], cwd: workOf(n), stitch: true, record: true })),
];

const scenarios: Scenario[] = [
  { name: ROW.floor, argv: [FLOOR, "true"], env: base },
  { name: ROW.env, argv: [STITCH, "true"], env: idEnv(home), stitch: true },
  { name: ROW.agent, argv: [STITCH, "true"], env: agentEnv(ownSessions), stitch: true },
  { name: ROW.ci, argv: [STITCH, "true"], env: ciEnv(home, join(work, "ci-sessions")), stitch: true },
  { name: ROW.files, argv: [STITCH, "true"], env: agentEnv(liveSessions), stitch: true },
  { name: ROW.named, argv: [STITCH, "railway"], env: shimEnv, stitch: true },
  { name: ROW.shim, argv: [join(shimDir, "railway")], env: shimEnv, stitch: true },
  { name: ROW.exec, argv: ["env", "X=1", "true"], env: base },
  { name: ROW.ps, argv: ["ps", "-A", "-o", "pid=,ppid=,command="], env: base, every: PS_EVERY },
  ...recordRows,
  ...baselineRows(),
];

/** The three rows the targets name, run by BENCH_BASELINE's binary (its own session directories). */
function baselineRows(): Scenario[] {
  if (!BASELINE) return [];
  const b = BASELINE.binary;
  return [
    { name: `baseline ${BASELINE.label}: ${ROW.env}`, argv: [b, "true"], env: idEnv(home), stitch: true, baseline: true },
    { name: `baseline ${BASELINE.label}: ${ROW.agent}`, argv: [b, "true"], env: agentEnv(join(work, "sessions-baseline")), stitch: true, baseline: true },
    { name: `baseline ${BASELINE.label}: ${ROW.ci}`, argv: [b, "true"], env: ciEnv(home, join(work, "ci-sessions-baseline")), stitch: true, baseline: true },
  ];
}

function runOnce(s: Scenario): number | Promise<number> {
  if (s.via) return s.via.run(s.argv, s.env, s.cwd ?? work);
  const t0 = Bun.nanoseconds();
  const r = Bun.spawnSync(s.argv, { env: s.env, stdio: ["ignore", "ignore", "ignore"] });
  const ms = (Bun.nanoseconds() - t0) / 1e6;
  if (r.exitCode !== 0) throw new Error(`${s.name} exited ${r.exitCode}`);
  return ms;
}

/**
 * Peak RSS (MiB, median of 11 runs) from wait4(2) in a small Python parent. Not from Bun:
 * its resourceUsage() reports the maximum over all children so far, and a child spawned by
 * vfork from a large parent starts with that parent's RSS as its high-water mark.
 */
function peakRss(s: Scenario): number | undefined {
  const script = [
    "import os, sys, json",
    "argv, env = json.loads(sys.argv[1]), json.loads(sys.argv[2])",
    "out = []",
    "for _ in range(11):",
    "    pid = os.posix_spawnp(argv[0], argv, env, file_actions=[(os.POSIX_SPAWN_OPEN, 1, '/dev/null', os.O_WRONLY, 0)])",
    "    out.append(os.wait4(pid, 0)[2].ru_maxrss)",
    "print(sorted(out)[5])",
  ].join("\n");
  const r = Bun.spawnSync(["python3", "-c", script, JSON.stringify(s.argv), JSON.stringify(s.env)], { stdio: ["ignore", "pipe", "ignore"] });
  return r.exitCode === 0 ? Number(r.stdout.toString().trim()) / 1024 : undefined;
}

function shuffle<T>(a: T[]): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * (s.length - 1)))]!;
};

const processCount = () => readdirSync("/proc").filter((n) => n.charCodeAt(0) >= 0x30 && n.charCodeAt(0) <= 0x39).length;

interface Row {
  block: string;
  name: string;
  stitch: boolean;
  median: number;
  p10: number;
  p90: number;
  /** MiB; undefined without python3 or when not measured. */
  rss: number | undefined;
}

async function runBlock(block: string, list: Scenario[], rss: boolean): Promise<Row[]> {
  const samples = new Map(list.map((s) => [s.name, [] as number[]]));
  for (const s of list) for (let i = 0; i < (s.every ? 1 : 5); i++) await runOnce(s); // warm-up: caches
  for (let round = 0; round < ROUNDS; round++) {
    for (const s of shuffle(list.filter((x) => round % (x.every ?? 1) === 0))) samples.get(s.name)!.push(await runOnce(s));
  }
  return list.map((s) => {
    const ms = samples.get(s.name)!;
    return {
      block,
      name: s.name,
      stitch: s.stitch ?? false,
      median: quantile(ms, 0.5),
      p10: quantile(ms, 0.1),
      p90: quantile(ms, 0.9),
      rss: rss && !s.every && !s.via ? peakRss(s) : undefined,
    };
  });
}

/** Idle processes: `sleep`s in a process group of their own, ended at the end. */
function spawnIdle(n: number): { pids: number[]; stop: () => void } {
  const pidFile = join(work, `idle-${n}-${Date.now()}`);
  const p = Bun.spawn(["sh", "-c", `i=0; while [ $i -lt ${n} ]; do sleep 3600 & echo $! >> ${pidFile}; i=$((i+1)); done; wait`], {
    stdio: ["ignore", "ignore", "ignore"],
    detached: true,
  });
  const stop = () => {
    try {
      if (p.pid > 1) process.kill(-p.pid, "SIGKILL");
    } catch {}
  };
  const deadline = Date.now() + 60_000;
  let pids: number[] = [];
  while (Date.now() < deadline) {
    try {
      pids = readFileSync(pidFile, "utf8").trim().split("\n").map(Number);
    } catch {}
    if (pids.length >= n) break;
    Bun.sleepSync(20);
  }
  if (pids.length < n) {
    stop();
    throw new Error(`only ${pids.length} of ${n} idle processes started`);
  }
  return { pids: pids.slice(0, n), stop };
}

/**
 * One valid session file per pid (the idle processes: live anchors), in stitch's own
 * format, written here directly: were stitch to create a file in this directory, its sweep
 * would cap it at 100 files.
 */
function writeLiveSessions(dir: string, pids: number[]): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const boot = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
  for (const pid of pids) {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const startTime = BigInt(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]!);
    const identity = { pid, startTime, argv0: "sleep" };
    writeFileSync(
      join(dir, sessionFileName(identity)),
      serializeSessionFile({ agent_session_id: crypto.randomUUID(), parent_pid: pid, parent_btime: startTime, created_at: new Date().toISOString(), boot_id: boot, clock: "proc", argv0: "sleep", caller: "bench" }),
      { mode: 0o600 },
    );
  }
}

/** name → contents of every file in a directory. */
const snapshot = (dir: string) => new Map(readdirSync(dir).map((n) => [n, readFileSync(join(dir, n), "utf8")]));

/** The session directories are as set up: stitch only reused, created and removed nothing. */
function checkReuseOnly(expected: { own: Map<string, string>; live: Map<string, string> }, when: string): void {
  for (const [dir, want] of [
    [ownSessions, expected.own],
    [liveSessions, expected.live],
  ] as const) {
    const got = snapshot(dir);
    const same = got.size === want.size && [...want].every(([n, text]) => got.get(n) === text);
    if (!same) throw new Error(`${when}: ${dir} holds ${got.size} files, expected the same ${want.size}: stitch did not only reuse`);
  }
}

const rows: Row[] = [];
const processes: Record<string, number> = {};
let files = 0;
const anchors = spawnIdle(LIVE_FILES);
try {
  // The agent's own file: written by stitch's first call (the warm-up of a real agent), in
  // an otherwise empty directory; the same file then joins the 1,000 live ones.
  await runOnce(scenarios.find((s) => s.name === ROW.agent)!);
  const own = snapshot(ownSessions);
  if (own.size !== 1) throw new Error(`the agent's first call left ${own.size} files in ${ownSessions}, not 1`);
  writeLiveSessions(liveSessions, anchors.pids);
  for (const [name, text] of own) writeFileSync(join(liveSessions, name), text, { mode: 0o600 });
  const expected = { own, live: snapshot(liveSessions) };
  if (expected.live.size !== LIVE_FILES + 1) throw new Error(`${liveSessions} holds ${expected.live.size} files, not ${LIVE_FILES + 1}`);

  processes["0 extra"] = processCount();
  rows.push(...(await runBlock("0 extra", scenarios, true)));
  checkReuseOnly(expected, "after the 0 extra block");
  const touched = existsSync(recordSessions) ? readdirSync(recordSessions) : [];
  if (touched.length > 0) throw new Error(`an agent's record did not answer: ${recordSessions} holds ${touched.join(", ")}`);
  const idle = spawnIdle(EXTRA);
  try {
    processes[`${EXTRA} extra`] = processCount();
    rows.push(...(await runBlock(`${EXTRA} extra`, scenarios.filter((s) => !s.record && !s.baseline), false)));
    checkReuseOnly(expected, `after the ${EXTRA} extra block`);
  } finally {
    idle.stop();
  }
  files = expected.live.size - 1;
} finally {
  anchors.stop();
  for (const s of Object.values(standIns)) s.stop();
  rmSync(work, { recursive: true, force: true });
}

const get = (block: string, name: string) => rows.find((r) => r.block === block && r.name === name)!;
const f = (x: number, d = 2) => x.toFixed(d);
const MANY = `${EXTRA} extra`;

console.log(`\n## stitch benchmark (${ROUNDS} interleaved rounds per block, ${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? "?"}, Linux ${readFileSync("/proc/sys/kernel/osrelease", "utf8").trim()}, Bun ${Bun.version}.`);
console.log(
  `Processes: ${Object.entries(processes)
    .map(([b, n]) => `${n} in the ${b} block`)
    .join(", ")} (the ${LIVE_FILES.toLocaleString("en")} live sessions' anchors included); ${files.toLocaleString("en")} live files plus the agent's own, all still there after each block. \`ps\` timed in 1 round of ${PS_EVERY}.\n`,
);
console.log("| block | command | median ms | p10–p90 ms | / floor | peak RSS MiB (~13: the measuring parent) |");
console.log("|---|---|---:|---:|---:|---:|");
for (const r of rows) {
  const ratio = r.stitch ? f(r.median / get(r.block, ROW.floor).median) : "";
  console.log(`| ${r.block} | ${r.name} | ${f(r.median)} | ${f(r.p10)}–${f(r.p90)} | ${ratio} | ${r.rss === undefined ? "" : f(r.rss, 1)} |`);
}

const ratio = (block: string, name: string) => get(block, name).median / get(block, ROW.floor).median;
const floor0 = get("0 extra", ROW.floor);
const agent0 = get("0 extra", ROW.agent);
// Each block's ratio to its own floor: the blocks run one after the other, and a drift of
// the machine between them (seen: 13% in a short run) must not pass for an effect of the
// processes. The medians' own ratio is printed beside it.
const many = ratio(MANY, ROW.agent) / ratio("0 extra", ROW.agent);
const manyRaw = get(MANY, ROW.agent).median / agent0.median;
const filesDelta = get("0 extra", ROW.files).median - agent0.median;
const targets: [string, string, string, boolean][] = [
  ["id in the environment / floor", "≤ 1.15", f(ratio("0 extra", ROW.env)), ratio("0 extra", ROW.env) <= 1.15],
  ["agent, session file present / floor", "≤ 1.25", f(ratio("0 extra", ROW.agent)), ratio("0 extra", ROW.agent) <= 1.25],
  ["CI caller / floor", "≤ 1.20", f(ratio("0 extra", ROW.ci)), ratio("0 extra", ROW.ci) <= 1.2],
  [`${LIVE_FILES.toLocaleString("en")} live session files vs none (agent, file present)`, "≤ +0.3 ms", `${filesDelta >= 0 ? "+" : ""}${f(filesDelta)} ms`, filesDelta <= 0.3],
  [
    `${EXTRA.toLocaleString("en")} extra processes vs none (agent, file present)`,
    "≤ 1.05",
    `${f(many)} (medians ${f(manyRaw)})`,
    many <= 1.05,
  ],
  ["a shim call vs `stitch railway`", "≤ 1.05", f(get("0 extra", ROW.shim).median / get("0 extra", ROW.named).median), get("0 extra", ROW.shim).median / get("0 extra", ROW.named).median <= 1.05],
  agent0.rss !== undefined && floor0.rss !== undefined
    ? ["peak RSS / floor's (agent, file present)", "≤ 1.10", f(agent0.rss / floor0.rss), agent0.rss / floor0.rss <= 1.1]
    : ["peak RSS / floor's (agent, file present)", "≤ 1.10", "n/a (no python3)", false],
];
// design §5.3's cost: each kind of record against the agent row (an OpenCode anchor named
// by its pid variable, its session file present); a stand-in's rows also against the
// stand-in's own session-file row, which pays the same extra process in the walk.
const standInRow = get("0 extra", ROW.standIn);
// The limit is +1.5 ms on the reference machine, whose floor is 4.8 ms (README): like every
// figure here it is judged against this run's floor, since this machine's speed varies
// several-fold from day to day (an absolute time means little): ≤ 1.5 / 4.8 of the floor.
const REFERENCE_FLOOR_MS = 4.8;
const scaled = (ms: number) => (ms * REFERENCE_FLOOR_MS) / floor0.median;
const sign = (x: number) => (x >= 0 ? "+" : "");
for (const r of rows.filter((x) => x.block === "0 extra" && x.name !== ROW.standIn && recordRows.some((s) => s.name === x.name))) {
  const viaStandIn = recordRows.find((s) => s.name === r.name)?.via !== undefined;
  const delta = r.median - agent0.median;
  const vsStandIn = r.median - standInRow.median;
  const beside = viaStandIn ? `; vs the stand-in's session file ${sign(vsStandIn)}${f(vsStandIn)} ms (${sign(vsStandIn)}${f(scaled(vsStandIn))})` : "";
  targets.push([
    `${r.name} vs the agent row, at a ${REFERENCE_FLOOR_MS} ms floor`,
    "≤ +1.5 ms",
    `${sign(delta)}${f(scaled(delta))} ms (here ${sign(delta)}${f(delta)} ms${beside})`,
    scaled(delta) <= 1.5,
  ]);
}
if (BASELINE) {
  console.log(`\n### Against the baseline ${BASELINE.label} (same run, interleaved)\n`);
  console.log("| row | baseline ms | this checkout ms | difference ms | baseline / floor | this / floor | peak RSS MiB, baseline → this |");
  console.log("|---|---:|---:|---:|---:|---:|---:|");
  for (const name of [ROW.env, ROW.agent, ROW.ci]) {
    const now = get("0 extra", name);
    const then = get("0 extra", `baseline ${BASELINE.label}: ${name}`);
    const d = now.median - then.median;
    const rss = now.rss !== undefined && then.rss !== undefined ? `${f(then.rss, 1)} → ${f(now.rss, 1)}` : "";
    console.log(`| ${name} | ${f(then.median)} | ${f(now.median)} | ${sign(d)}${f(d)} | ${f(ratio("0 extra", then.name))} | ${f(ratio("0 extra", name))} | ${rss} |`);
  }
}
console.log("\n| target | limit | measured | met |\n|---|---|---:|---|");
for (const [t, limit, m, ok] of targets) console.log(`| ${t} | ${limit} | ${m} | ${ok ? "yes" : "no"} |`);
console.log(
  `\nRatios are of medians, in the 0 extra block unless named; "${EXTRA} extra processes" divides the two blocks' ratios to their own floor. Run to run, a ratio to the floor moves by about ±0.04, more on a loaded machine (see the head of bench/run.ts).`,
);
