// `npm run bench:instructions`: the instructions each binary executes from its start to the
// execve of the command, counted by valgrind (callgrind, dumping just before execve): the
// floor, this checkout's stitch and, with BENCH_BASELINE=<commit>, that commit's, on the
// three rows the targets name. Unlike a wall time, the count does not move with the
// machine's load (within ~1% run to run here), so a change's effect on the start-up path
// can be read off one run on a busy 2-core machine. It counts user-space instructions only:
// not the kernel's work (page faults, the exec itself) nor time spent waiting, which the
// wall-time bench (`npm run bench`) measures. Needs valgrind (`apt install valgrind`).

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { compile } from "../build.ts";
import { buildBaseline } from "./baseline.ts";
import { agentEnv, ciEnv, idEnv } from "./target-rows.ts";

const ROOT = resolve(import.meta.dir, "..");
const work = mkdtempSync(join(tmpdir(), "stitch-instructions-"));

if (Bun.spawnSync(["valgrind", "--version"], { stdio: ["ignore", "ignore", "ignore"] }).exitCode !== 0) {
  console.error("bench:instructions: needs valgrind (apt install valgrind)");
  process.exit(1);
}

/** Instructions up to the execve, of one run of `binary true` in `env` (a dump per execve: the first is stitch's). */
function count(binary: string, env: Record<string, string>): number {
  const out = join(work, `cg-${crypto.randomUUID()}`);
  Bun.spawnSync(["valgrind", "--tool=callgrind", "--dump-before=execve", `--callgrind-out-file=${out}`, binary, "true"], { env, stdio: ["ignore", "ignore", "ignore"] });
  const dumps = readdirSync(work).filter((n) => n.startsWith(out.slice(work.length + 1))).sort();
  const totals = dumps.map((n) => /^totals: (\d+)/m.exec(readFileSync(join(work, n), "utf8"))?.[1]).filter((t) => t !== undefined);
  for (const n of dumps) rmSync(join(work, n));
  if (totals.length === 0) throw new Error(`no count for ${binary}`);
  return Number(totals[0]);
}

try {
  const floor = join(work, "floor");
  await compile(floor, undefined, join(ROOT, "bench/floor.ts"));
  const binaries: [string, string][] = [["this checkout", join(ROOT, "dist/stitch")]];
  if (process.env.BENCH_BASELINE) {
    const b = buildBaseline(process.env.BENCH_BASELINE, work);
    binaries.unshift([`baseline ${b.label}`, b.binary]);
  }
  const home = join(work, "home");
  mkdirSync(home);
  const rows: [string, (dir: string) => Record<string, string>][] = [
    ["id in the environment", () => idEnv(home)],
    // Its session file, written by the first run, is read by the counted ones.
    ["agent, session file present", (dir) => agentEnv(home, join(dir, "sessions"))],
    // It walks every ancestor, the bench's own included: compare counts within one run.
    ["CI caller", (dir) => ciEnv(home, join(dir, "ci-sessions"))],
  ];
  const RUNS = 3;
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`\n## Instructions to the execve (valgrind, median of ${RUNS} runs, thousands)\n`);
  console.log(`| row | floor | ${binaries.map(([n]) => n).join(" | ")} |`);
  console.log(`|---|---:|${binaries.map(() => "---:|").join("")}`);
  for (const [row, envOf] of rows) {
    const floorCount = median(Array.from({ length: RUNS }, () => count(floor, envOf(join(work, "floor-dirs")))));
    const cells = binaries.map(([name, binary]) => {
      const dir = join(work, name.replace(/\W/g, "_"));
      const env = envOf(dir);
      Bun.spawnSync([binary, "true"], { env, stdio: ["ignore", "ignore", "ignore"] }); // the agent's first call writes its file
      const n = median(Array.from({ length: RUNS }, () => count(binary, env)));
      return `${(n / 1000).toFixed(0)} (${(n / floorCount).toFixed(2)})`;
    });
    console.log(`| ${row} | ${(floorCount / 1000).toFixed(0)} | ${cells.join(" | ")} |`);
  }
  console.log("\nIn parentheses: the ratio to the floor's count.");
} finally {
  rmSync(work, { recursive: true, force: true });
}
