// The conversation cases (issue 19, item 5): for nine agents, a conversation resumed by its
// id in a new process, the most recent one continued in a new process, and two
// conversations interleaved in the agent's long-lived multi-conversation mode, each in the
// agent's own environment and with every marker variable stripped. stitch's promise: every
// call of one conversation gets the same session id (across the resumed process too), and
// the two conversations get different ones. Each case runs in cases.ts, in network and pid
// namespaces of its own; the results go to test/live/cases-result.json (see cases-table.ts).
//
//   STITCH_CASES_AGENTS=claude-code,codex   only these agents (the cases run replace their rows in the file)
//   STITCH_CASES_BIN=/path/to/stitch        another stitch build than dist/stitch

import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LIVE_AGENTS, type LiveAgent } from "./agents.ts";
import { VARIANTS, verdictOf, type CaseRecord, type Variant } from "./case-result.ts";
import { CASE_BUDGET_MS, STITCH_UNDER_TEST } from "./cases.ts";
import { mergeResults, readResults, RESULT_FILE, resultRow, type ResultRow } from "./cases-table.ts";
import { CASES, RECIPES, type CaseName } from "./recipes.ts";

const BIN = join(import.meta.dir, "node_modules/.bin");
const RUNNER = join(import.meta.dir, "cases.ts");
/**
 * An agent's six cases take one to four minutes here; past this budget its remaining
 * cases fail at once, so an agent that stops cooperating cannot hold the suite for long.
 */
const AGENT_BUDGET_MS = 8 * 60_000;
const work = mkdtempSync(join(tmpdir(), "stitch-cases-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

if (!existsSync(STITCH_UNDER_TEST)) throw new Error(`${STITCH_UNDER_TEST} is missing: npm run test:live builds it`);
const STITCH_VERSION = Bun.spawnSync([STITCH_UNDER_TEST, "version"]).stdout.toString().trim();
const only = process.env.STITCH_CASES_AGENTS?.split(",").filter(Boolean);
const AGENTS = LIVE_AGENTS.filter((a) => RECIPES[a.id] && (!only || only.includes(a.id)));

/**
 * Network and pid namespaces with only loopback, as live.test.ts uses. `--kill-child`, and
 * SIGKILL on timeout: unshare ignores SIGTERM while it waits for its child, and the child
 * (pid 1 of the namespace) takes everything the agent started with it when it dies.
 */
const ISOLATION = ((): string[] => {
  const full = ["unshare", "--net", "--pid", "--fork", "--mount-proc", "--kill-child"];
  if (Bun.spawnSync([...full, "sh", "-c", "ip link set lo up"]).exitCode === 0) return [...full, "sh", "-c", 'ip link set lo up && exec "$@"', "sh"];
  return [];
})();

/** One case in its own namespaces; a record of the failure when the runner itself did not finish. */
function runIsolated(agent: LiveAgent, name: CaseName, variant: Variant): CaseRecord {
  const dir = join(work, `${agent.id}-${name}-${variant}`);
  mkdirSync(dir, { recursive: true });
  const env: Record<string, string> = { PATH: process.env.PATH ?? "/usr/bin:/bin" };
  for (const v of ["STITCH_CASES_BIN", "STITCH_MOCK_LOG"]) if (process.env[v]) env[v] = process.env[v]!;
  const r = Bun.spawnSync([...ISOLATION, process.execPath, RUNNER, agent.id, name, variant, dir], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
    timeout: CASE_BUDGET_MS + 30_000,
    killSignal: "SIGKILL",
  });
  const file = join(dir, "case.json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8"));
  return failed(agent, name, variant, `the case runner did not finish (exit ${r.exitCode}): ${r.stderr.toString().slice(-1500)}`);
}

const versionOf = (agent: LiveAgent): string => JSON.parse(readFileSync(join(import.meta.dir, "node_modules", agent.pkg, "package.json"), "utf8")).version;

function failed(agent: LiveAgent, name: CaseName, variant: Variant, error: string): CaseRecord {
  return { agent: agent.id, version: versionOf(agent), case: name, variant, error, processes: [], calls: [], ownIds: {}, requests: 0, durationMs: 0 };
}

const rows: ResultRow[] = [];

for (const agent of AGENTS) {
  const recipe = RECIPES[agent.id]!;
  describe(`${agent.name}: conversations`, () => {
    if (!existsSync(join(BIN, agent.bin))) {
      test.skip(`${agent.name} (skipped: ${agent.pkg} is not installed; npm install --prefix test/live)`, () => {});
      return;
    }
    let started: number | undefined;
    for (const name of CASES) {
      for (const variant of VARIANTS) {
        const label = `${name}, ${variant === "own" ? "in its own environment" : "markers stripped"}`;
        const notDriven = recipe.notDriven?.[name];
        if (notDriven) {
          rows.push(resultRow({ agent: agent.id, version: versionOf(agent), case: name, variant, notDriven, processes: [], calls: [], ownIds: {}, requests: 0, durationMs: 0 }, STITCH_VERSION));
          test.skip(`${label} (not driven: ${notDriven})`, () => {});
          continue;
        }
        let record: CaseRecord | undefined;
        test(`${label}: the agent runs every call`, () => {
          started ??= Date.now();
          record = Date.now() - started > AGENT_BUDGET_MS ? failed(agent, name, variant, "the agent's time budget was spent by its earlier cases") : runIsolated(agent, name, variant);
          rows.push(resultRow(record, STITCH_VERSION));
          expect(record.error ?? "").toBe("");
          expect(record.calls.filter((c) => !c.ran).map((c) => c.label)).toEqual([]);
          // ... in the planned order (A, B, A, B in multi): else the case did not test what it says.
          const ran = record.calls.filter((c) => c.at !== null);
          expect(ran.toSorted((a, b) => a.at! - b.at!).map((c) => c.label)).toEqual(ran.map((c) => c.label));
        }, CASE_BUDGET_MS + 40_000);
        const cannot = recipe.cannotBeRight?.[name];
        if (cannot) {
          // Documented (docs/agents.md), and pinned: should it change, so must the docs.
          test(`${label}: cannot be right (${cannot}); every call falls to the anchor's session file, one id for the process`, () => {
            expect(record).toBeDefined();
            expect(record!.calls.map((c) => c.source)).toEqual(record!.calls.map(() => "store"));
            expect(new Set(record!.calls.map((c) => c.session_id)).size).toBe(1);
          });
          continue;
        }
        test(`${label}: one id for every call of a conversation, another for the other conversation`, () => {
          expect(record).toBeDefined();
          // `why` names the calls, their ids and where stitch found them.
          expect(verdictOf(record!)).toEqual({ verdict: "right", why: "" });
        });
      }
    }
  });
}

afterAll(() => {
  // Only agents whose cases ran (not those a test-name filter left out, whose not-driven rows are all there is).
  const ran = new Set(rows.filter((r) => r.verdict !== "not-driven").map((r) => r.agent));
  const fresh = rows.filter((r) => ran.has(r.agent));
  if (fresh.length) writeFileSync(RESULT_FILE, `${JSON.stringify(mergeResults(readResults(), fresh), null, 2)}\n`);
});
