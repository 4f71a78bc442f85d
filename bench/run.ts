// `npm run bench`: whole-process timings of stitch against its floors, side by side,
// interleaved (every round runs every command once, in a shuffled order), many rounds;
// medians, spread (p10-p90) and peak RSS. Prints a Markdown table and the targets.
//
//   BENCH_ROUNDS=150 (default)   rounds per block
//   BENCH_EXTRA=1500 (default)   idle processes added for the "many processes" blocks

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { NO_AUTOLOAD_FLAGS } from "../build.ts";
import { sessionFileName } from "../src/store/identity.ts";
import { serializeSessionFile } from "../src/store/schema.ts";

const ROOT = resolve(import.meta.dir, "..");
const STITCH = join(ROOT, "dist/stitch");
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 150);
const EXTRA = Number(process.env.BENCH_EXTRA ?? 1500);
const work = mkdtempSync(join(tmpdir(), "stitch-bench-"));

// The floor: a compiled Bun program that only exits, built with the project's Bun and the
// same flags as stitch, the autoloading of .env*, bunfig.toml, ... from the working
// directory off included (a start-up that looks for them is not the same start-up).
const bareSource = join(work, "bare.ts");
writeFileSync(bareSource, "");
const BARE = join(work, "bare");
const built = Bun.spawnSync([process.execPath, "build", "--compile", ...NO_AUTOLOAD_FLAGS, "--minify", bareSource, "--outfile", BARE], {
  stdio: ["ignore", "ignore", "inherit"],
});
if (built.exitCode !== 0) throw new Error("could not build the bare binary");

interface Scenario {
  readonly name: string;
  readonly argv: string[];
  readonly env: Record<string, string>;
}

const home = join(work, "home");
mkdirSync(home);
const base = { PATH: "/usr/bin:/bin", HOME: home, LC_ALL: "C" };
/** stitch as an agent's shell call would see it: an agent marker, the agent's pid (this
 * process, stitch's parent), so the session file of this anchor is read and reused. */
const agentEnv = (sessions: string) => ({ ...base, RAILWAY_SESSIONS_DIR: sessions, OPENCODE: "1", OPENCODE_PID: String(process.pid) });
const ciEnv = { ...base, RAILWAY_SESSIONS_DIR: join(work, "ci-sessions"), CI: "true", GITHUB_ACTIONS: "true" };

function scenarios(sessions: string): Scenario[] {
  return [
    { name: "stitch true (agent, file present)", argv: [STITCH, "true"], env: agentEnv(sessions) },
    // Claude Code, Codex and Qwen Code export their own id: no process walk, no file.
    { name: "stitch true (agent, id in environment)", argv: [STITCH, "true"], env: { ...base, CODEX_THREAD_ID: "0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b" } },
    { name: "stitch true (CI caller)", argv: [STITCH, "true"], env: ciEnv },
    { name: "bare Bun binary", argv: [BARE], env: base },
    { name: "env X=1 true", argv: ["env", "X=1", "true"], env: base },
    { name: "ps -A -o pid=,ppid=,command=", argv: ["ps", "-A", "-o", "pid=,ppid=,command="], env: base },
  ];
}

function runOnce(s: Scenario): number {
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

interface Row {
  block: string;
  name: string;
  median: number;
  p10: number;
  p90: number;
  /** MiB; undefined without python3. */
  rss: number | undefined;
}

function runBlock(block: string, list: Scenario[]): Row[] {
  const samples = new Map(list.map((s) => [s.name, [] as number[]]));
  for (const s of list) for (let i = 0; i < 5; i++) runOnce(s); // warm-up: caches, the session file
  for (let round = 0; round < ROUNDS; round++) {
    for (const s of shuffle([...list])) samples.get(s.name)!.push(runOnce(s));
  }
  return list.map((s) => {
    const ms = samples.get(s.name)!;
    return { block, name: s.name, median: quantile(ms, 0.5), p10: quantile(ms, 0.1), p90: quantile(ms, 0.9), rss: peakRss(s) };
  });
}

/** Idle processes: `sleep`s in a process group of their own, ended at the end. */
function spawnIdle(n: number): { pids: number[]; stop: () => void } {
  const pidFile = join(work, `idle-${n}-${Date.now()}`);
  const p = Bun.spawn(["sh", "-c", `i=0; while [ $i -lt ${n} ]; do sleep 3600 & echo $! >> ${pidFile}; i=$((i+1)); done; wait`], {
    stdio: ["ignore", "ignore", "ignore"],
    detached: true,
  });
  const deadline = Date.now() + 60_000;
  let pids: number[] = [];
  while (Date.now() < deadline) {
    try {
      pids = readFileSync(pidFile, "utf8").trim().split("\n").map(Number);
    } catch {}
    if (pids.length >= n) break;
    Bun.sleepSync(20);
  }
  return {
    pids,
    stop: () => {
      try {
        process.kill(-p.pid, "SIGKILL");
      } catch {}
    },
  };
}

/** 100 session files of live anchors (the idle processes), as stitch itself writes them. */
function liveSessions(dir: string, pids: number[]): void {
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

const started = Date.now();
const rows: Row[] = [];
const anchors = spawnIdle(100);
try {
  const empty = join(work, "sessions-empty");
  const hundred = join(work, "sessions-100");
  liveSessions(hundred, anchors.pids.slice(0, 100));
  const agentWithFiles = (s: Scenario[]) => [{ ...s[0]!, name: "stitch true (agent, file present, 100 live files)", env: agentEnv(hundred) }];

  rows.push(...runBlock("0 extra", [...scenarios(empty), ...agentWithFiles(scenarios(empty))]));
  const idle = spawnIdle(EXTRA);
  try {
    rows.push(...runBlock(`${EXTRA} extra`, [...scenarios(empty), ...agentWithFiles(scenarios(empty))]));
  } finally {
    idle.stop();
  }
} finally {
  anchors.stop();
  rmSync(work, { recursive: true, force: true });
}

const get = (block: string, name: string) => rows.find((r) => r.block === block && r.name.startsWith(name))!;
const f = (x: number, d = 2) => x.toFixed(d);
const procs = Number(readFileSync("/proc/loadavg", "utf8").split(" ")[3]?.split("/")[1] ?? 0);

console.log(`\n## stitch benchmark (${ROUNDS} interleaved rounds per block, ${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? "?"}, Linux ${readFileSync("/proc/sys/kernel/osrelease", "utf8").trim()}, Bun ${Bun.version}; ${procs} processes after the run.\n`);
console.log("| block | command | median ms | p10–p90 ms | peak RSS MiB (floor ~13: the measuring parent) |");
console.log("|---|---|---:|---:|---:|");
for (const r of rows) console.log(`| ${r.block} | ${r.name} | ${f(r.median)} | ${f(r.p10)}–${f(r.p90)} | ${r.rss === undefined ? "n/a" : f(r.rss, 1)} |`);

const agent0 = get("0 extra", "stitch true (agent, file present)");
const agentMany = get(`${EXTRA} extra`, "stitch true (agent, file present)");
const bare0 = get("0 extra", "bare Bun binary");
const psMany = get(`${EXTRA} extra`, "ps -A");
const files100 = get("0 extra", "stitch true (agent, file present, 100");
const targets: [string, string, boolean][] = [
  ["stitch (agent, file present) / bare Bun ≤ 1.3", f(agent0.median / bare0.median), agent0.median / bare0.median <= 1.3],
  [`stitch with ${EXTRA} extra processes / with 0 ≤ 1.1`, f(agentMany.median / agent0.median), agentMany.median / agent0.median <= 1.1],
  [`stitch / ps snapshot at ${EXTRA} extra processes ≤ 0.5`, f(agentMany.median / psMany.median), agentMany.median / psMany.median <= 0.5],
  ["100 live session files add ≤ 1 ms", `${f(files100.median - agent0.median)} ms`, files100.median - agent0.median <= 1],
  agent0.rss !== undefined && bare0.rss !== undefined
    ? ["peak RSS / bare Bun's ≤ 1.2", f(agent0.rss / bare0.rss), agent0.rss / bare0.rss <= 1.2]
    : ["peak RSS / bare Bun's ≤ 1.2", "n/a (no python3)", false],
];
console.log("\n| target | measured | met |\n|---|---:|---|");
for (const [t, m, ok] of targets) console.log(`| ${t} | ${m} | ${ok ? "yes" : "no"} |`);
