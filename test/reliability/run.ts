// `npm run test:reliability`: runs the reliability suite against dist/stitch and prints its
// figures. STITCH_FUZZ_RUNS sets the cases per property (default 4000: over 10,000 fuzz cases in
// all); STITCH_FUZZ_SEED replays a run.

import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Figure } from "./figures.ts";

const dir = mkdtempSync(join(tmpdir(), "stitch-figures-"));
const figuresFile = join(dir, "figures.jsonl");
const seed = process.env.STITCH_FUZZ_SEED ?? String(Math.floor(Math.random() * 2 ** 31));
const runs = process.env.STITCH_FUZZ_RUNS ?? "4000";
const started = Date.now();

// A test's time limit here is a hang detector, not a timing goal. The slowest tests (the
// binary fuzzed over directory shapes) take 2.6 s on an idle 2-core machine and 5.7–11 s
// with both cores busy, past bun:test's default of 5 s: 30 s leaves room for a slower
// machine and still ends a hung test. (bunfig.toml cannot set it: Bun reads no timeout there.)
const TEST_TIMEOUT_MS = 30_000;

const child = Bun.spawn([process.execPath, "test", `--timeout=${TEST_TIMEOUT_MS}`, "./test/reliability"], {
  env: { ...process.env, STITCH_FIGURES: figuresFile, STITCH_FUZZ_SEED: seed, STITCH_FUZZ_RUNS: runs },
  stdio: ["ignore", "inherit", "inherit"],
});
const status = await child.exited;

const figures: Figure[] = existsSync(figuresFile)
  ? readFileSync(figuresFile, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l))
  : [];
rmSync(dir, { recursive: true, force: true });

const rows = figures.map((f) => [f.area, String(f.cases), String(f.crashes), String(f.filesLost), f.idsPerConversation ?? "", f.note ?? ""]);
const total = (key: "cases" | "crashes" | "filesLost") => figures.reduce((n, f) => n + f[key], 0);
rows.push(["total", String(total("cases")), String(total("crashes")), String(total("filesLost")), "", ""]);
const head = ["area", "cases", "crashes", "files lost", "ids/conversation", "note"];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (r: string[]) => r.map((c, i) => (i > 0 && i < 4 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ").trimEnd();
console.log(`\nreliability figures (seed ${seed}, ${runs} runs per property, ${((Date.now() - started) / 1000).toFixed(1)} s)`);
console.log(line(head));
console.log(line(widths.map((w) => "-".repeat(w))));
for (const r of rows) console.log(line(r));
process.exit(status ?? 1);
