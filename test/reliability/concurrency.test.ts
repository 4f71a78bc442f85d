// Many stitches at once, on one session directory.

import { afterEach, beforeEach, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { callInBackground, PRINT_ID, Sandbox, STITCH, UUID_V4 } from "../e2e/harness.ts";
import { record } from "./figures.ts";

let sb: Sandbox;
beforeEach(() => {
  sb = new Sandbox();
});
afterEach(() => sb.cleanup());

const burst = (n: number, prefix = "") =>
  [...Array.from({ length: n }, (_, i) => callInBackground(`${prefix}${i}`, PRINT_ID)), "wait"].join("\n");

function idsOf(a: { read(name: string): string }, n: number, prefix = ""): string[] {
  return Array.from({ length: n }, (_, i) => a.read(`out.${prefix}${i}`).trim());
}

test("64 concurrent first calls of one agent: one id, one file, nothing torn or temporary left", async () => {
  const a = await sb.agent("claude", burst(64));
  const ids = idsOf(a, 64);
  const distinct = new Set(ids);
  const bad = ids.filter((id) => !UUID_V4.test(id)).length;
  record({ area: "concurrency: 64 first calls, 1 agent", cases: 64, crashes: bad, filesLost: 0, idsPerConversation: String(distinct.size) });
  expect(bad).toBe(0);
  expect(distinct.size).toBe(1);
  // Only the one session file: no temporary (.tmp) or torn file left behind.
  expect(readdirSync(sb.sessions)).toEqual(sb.sessionFiles().filter((f) => f.endsWith(".session")));
  expect(sb.sessionFiles()).toHaveLength(1);
  expect(sb.readSession(sb.sessionFiles()[0]!).agent_session_id).toBe([...distinct][0]!);
});

test("8 agents x 16 concurrent calls: 8 ids, one per agent", async () => {
  const body = [burst(16), `touch "$OUT/ready"`, `while [ ! -e "$OUT/release" ]; do sleep 0.01; done`].join("\n");
  const agents = await Promise.all(Array.from({ length: 8 }, () => sb.start("claude", body)));
  await Promise.all(agents.map((a) => a.waitFor("ready", 60_000)));
  const perAgent = agents.map((a) => new Set(idsOf(a, 16)));
  const all = new Set(perAgent.flatMap((s) => [...s]));
  const files = sb.sessionFiles();
  for (const a of agents) a.touch("release");
  await Promise.all(agents.map((a) => a.finished()));
  record({
    area: "concurrency: 8 agents x 16 calls",
    cases: 128,
    crashes: perAgent.reduce((n, s) => n + [...s].filter((id) => !UUID_V4.test(id)).length, 0),
    filesLost: 0,
    idsPerConversation: perAgent.map((s) => s.size).join(","),
  });
  for (const s of perAgent) expect(s.size).toBe(1);
  expect(all.size).toBe(8);
  expect(files).toHaveLength(8);
});

test("sessions prune running alongside the calls: no call fails, no live session lost", async () => {
  // Each agent makes 4 bursts of 8 calls, with pauses, while prunes run the whole time.
  const rounds = 4;
  const body = [
    ...Array.from({ length: rounds }, (_, r) => [burst(8, `r${r}-`), "sleep 0.05"].join("\n")),
    `touch "$OUT/ready"`,
    `while [ ! -e "$OUT/release" ]; do sleep 0.01; done`,
  ].join("\n");
  let pruning = true;
  let prunes = 0;
  let pruneFailures = 0;
  const pruner = (async () => {
    while (pruning) {
      const p = Bun.spawn([STITCH, "sessions", "prune"], { env: sb.env(), stdio: ["ignore", "ignore", "pipe"] });
      if ((await p.exited) !== 0) pruneFailures++;
      prunes++;
    }
  })();
  const pruner2 = (async () => {
    while (pruning) {
      const p = Bun.spawn([STITCH, "sessions", "prune"], { env: sb.env(), stdio: ["ignore", "ignore", "ignore"] });
      if ((await p.exited) !== 0) pruneFailures++;
      prunes++;
    }
  })();
  const agents = await Promise.all(Array.from({ length: 4 }, () => sb.start("codex-like-harness", body)));
  await Promise.all(agents.map((a) => a.waitFor("ready", 60_000)));
  pruning = false;
  await Promise.all([pruner, pruner2]);
  const perAgent = agents.map((a) => new Set(Array.from({ length: rounds }, (_, r) => idsOf(a, 8, `r${r}-`)).flat()));
  const failedCalls = agents.reduce((n, a) => n + Array.from({ length: rounds }, (_, r) => idsOf(a, 8, `r${r}-`)).flat().filter((id) => !UUID_V4.test(id)).length, 0);
  const live = sb.sessionFiles().length;
  for (const a of agents) a.touch("release");
  await Promise.all(agents.map((a) => a.finished()));
  record({
    area: "concurrency: prune during 4 agents x 32 calls",
    cases: 4 * rounds * 8 + prunes,
    crashes: failedCalls + pruneFailures,
    filesLost: 0,
    idsPerConversation: perAgent.map((s) => s.size).join(","),
    note: `${prunes} prunes ran alongside`,
  });
  expect(failedCalls).toBe(0);
  expect(pruneFailures).toBe(0);
  expect(prunes).toBeGreaterThan(2);
  for (const s of perAgent) expect(s.size).toBe(1);
  expect(live).toBe(4);
});
