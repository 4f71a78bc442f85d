// Precision of agent naming over real process trees (design §4.3): every tree of corpus.ts
// is built for real, detached from the test runner (setsid: the runner's own ancestry
// never reaches the walk), one process per level with the argv that level has in
// the real world; stitch runs under the last one on both process sources (/proc and
// `ps`), with stdout on a terminal for a human and on a pipe for an agent's tool; or a
// human types commands whose stdout is not the terminal into a real interactive bash; or
// an uncatalogued agent started from a terminal runs its tool with every stream captured.
// Expected: no human is named as an agent, gets an id or a session file; every agent is
// named with its own slug (an uncatalogued one, agent_unknown with its kind and residue)
// and keeps its id. The figures are printed at the end.
//
// PRECISION_STITCH=/path/to/stitch measures another build (e.g. an older one).

import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DIST, linuxDescribe, shq, STITCH as BUILT, UUID_V4 } from "../e2e/harness.ts";
import { AGENTS, HUMANS, UNNAMED, type Tree } from "./corpus.ts";
import { isAgentCaller } from "../../src/resolve/caller.ts";
import { SOURCES, type Plan } from "./puppet.ts";

const STITCH = process.env.PRECISION_STITCH ?? BUILT;
const work = mkdtempSync(join(tmpdir(), "stitch-precision-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const PUPPET = join(work, "puppet");
const built = Bun.spawnSync(
  [process.execPath, "build", "--compile", join(import.meta.dir, "puppet.ts"), "--outfile", PUPPET],
  { stdio: ["ignore", "ignore", "inherit"] },
);
if (built.exitCode !== 0) throw new Error("could not compile the precision puppet");

type Source = (typeof SOURCES)[number];
interface Seen {
  caller: string;
  sessionId: string | null;
  /** The id the wrapped command received ("" for none). */
  received: string;
}
interface Outcome {
  readonly tree: Tree;
  readonly seen: Record<Source, Seen>;
  readonly sessionFiles: string[];
}

/** Builds the tree, waits for stitch's answers under it. */
async function grow(tree: Tree, n: number): Promise<Outcome> {
  const dir = join(work, `${n}-${tree.id}`);
  const out = join(dir, "out");
  const home = join(dir, "home");
  const sessions = join(dir, "sessions");
  for (const d of [out, home]) mkdirSync(d, { recursive: true });
  const plan: Plan = {
    levels: tree.levels,
    stitch: STITCH,
    env: { PATH: `${DIST}:/usr/bin:/bin`, HOME: home, RAILWAY_SESSIONS_DIR: sessions, LC_ALL: "C", TERM: "xterm-256color", ...tree.env },
    tty: tree.expect === null,
    shape: tree.shape,
    fromTerminal: tree.fromTerminal,
    out,
  };
  const [argv0, ...args] = tree.levels[0]!;
  // setsid -f forks: the tree starts in a new session and its parent exits at once.
  Bun.spawn(["setsid", "-f", "bash", "-c", `exec -a ${shq(argv0!)} ${shq(PUPPET)} "$@"`, "puppet", ...args], {
    env: { PRECISION_PLAN: JSON.stringify(plan), PRECISION_LEVEL: "0", PATH: "/usr/bin:/bin" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const deadline = Date.now() + 60_000;
  while (!existsSync(join(out, "done"))) {
    if (Date.now() > deadline) throw new Error(`tree ${tree.id} did not finish`);
    await Bun.sleep(10);
  }
  const seen = {} as Record<Source, Seen>;
  for (const source of SOURCES) {
    const text = readFileSync(join(out, `resolve.${source}.json`), "utf8");
    let json: { caller: string; session_id: string | null };
    try {
      json = JSON.parse(text);
    } catch {
      throw new Error(`tree ${tree.id}, ${source}: stitch resolve printed ${JSON.stringify(text.slice(0, 200))}`);
    }
    seen[source] = { caller: json.caller, sessionId: json.session_id, received: readFileSync(join(out, `id.${source}`), "utf8") };
  }
  return { tree, seen, sessionFiles: existsSync(sessions) ? readdirSync(sessions) : [] };
}

// All trees grow in the background, two at a time (this machine has two cores); each
// test waits for its own.
const CORPUS = [...HUMANS, ...AGENTS, ...UNNAMED];
const outcomes = new Map<string, Promise<Outcome>>();
{
  const queue = CORPUS.map((tree, n) => ({ tree, n }));
  const settle = new Map<string, (o: Promise<Outcome>) => void>();
  for (const tree of CORPUS) outcomes.set(tree.id, new Promise((resolve) => settle.set(tree.id, resolve)));
  const worker = async () => {
    for (let job = queue.shift(); job; job = queue.shift()) {
      const result = grow(job.tree, job.n);
      settle.get(job.tree.id)!(result);
      await result.catch(() => {});
    }
  };
  void worker();
  void worker();
}

/** Named agent: any caller that is not a human's (tty), CI's, or an unnamed agent's. */
const NOT_NAMED = /^(tty|ci|agent_unknown|cloud_ide)(:|$)/;
export const isNamedAgent = (caller: string) => !NOT_NAMED.test(caller);

const results: Outcome[] = [];
const unnamed: Outcome[] = [];
// A test waits for processes it started; the limit is a hang detector, not a timing goal.
const WAIT = 120_000;

linuxDescribe("humans: never named as an agent, no id, no session file", () => {
  for (const tree of HUMANS) {
    test(`${tree.id}: ${tree.note}`, async () => {
      const o = await outcomes.get(tree.id)!;
      results.push(o);
      for (const source of SOURCES) {
        // Not even an unnamed agent: agent_unknown:... is an agent caller (design §4).
        expect({ source, caller: o.seen[source].caller, agent: isAgentCaller(o.seen[source].caller) }).toEqual({
          source,
          caller: o.seen[source].caller,
          agent: false,
        });
        expect({ source, received: o.seen[source].received }).toEqual({ source, received: "" });
      }
      expect(o.sessionFiles).toEqual([]);
    }, WAIT);
  }
});

/** Every agent tree: the expected caller on both sources, a UUID v4 id, the same id received by the command. */
function agentTrees(title: string, trees: readonly Tree[], seenBy: Outcome[]): void {
  linuxDescribe(title, () => {
    for (const tree of trees) {
      test(`${tree.id}: ${tree.note}`, async () => {
        const o = await outcomes.get(tree.id)!;
        seenBy.push(o);
        for (const source of SOURCES) {
          const seen = o.seen[source];
          expect({ source, caller: seen.caller }).toEqual({ source, caller: tree.expect! });
          expect(seen.sessionId ?? "").toMatch(UUID_V4);
          expect(seen.received).toBe(seen.sessionId!);
        }
      }, WAIT);
    }
  });
}

agentTrees("agents: named as themselves, one id kept", AGENTS, results);
agentTrees("uncatalogued agents started from a terminal: agent_unknown with their residue, one id kept", UNNAMED, unnamed);

afterAll(() => {
  if (results.length === 0) return;
  const lines = ["", `Precision of named-agent detection, ${HUMANS.length} human and ${AGENTS.length} agent trees (${STITCH}):`, ""];
  lines.push("| source | agents named right | humans named as an agent | humans counted as any agent | agents named wrong or not at all | precision | recall |");
  lines.push("|---|---:|---:|---:|---:|---:|---:|");
  for (const source of SOURCES) {
    let right = 0;
    let falsePositive = 0;
    let missed = 0;
    for (const o of results) {
      const caller = o.seen[source].caller;
      if (o.tree.expect === null) {
        if (isNamedAgent(caller)) falsePositive++;
      } else if (caller === o.tree.expect) right++;
      else {
        missed++;
        if (isNamedAgent(caller)) falsePositive++; // named, but as another agent
      }
    }
    const agents = results.filter((o) => o.tree.expect !== null).length;
    const counted = results.filter((o) => o.tree.expect === null && isAgentCaller(o.seen[source].caller)).length;
    const precision = right + falsePositive === 0 ? 1 : right / (right + falsePositive);
    const recall = agents === 0 ? 1 : right / agents;
    const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
    lines.push(`| ${source === "proc" ? "/proc" : "ps"} | ${right}/${agents} | ${falsePositive} | ${counted} | ${missed} | ${pct(precision)} | ${pct(recall)} |`);
  }
  for (const source of SOURCES) {
    const kept = unnamed.filter((o) => o.seen[source].caller === o.tree.expect && UUID_V4.test(o.seen[source].sessionId ?? "")).length;
    lines.push(`  uncatalogued agents started from a terminal, named agent_unknown with their residue and one id (${source}): ${kept}/${unnamed.length}`);
  }
  for (const o of [...results, ...unnamed]) {
    const wrong = SOURCES.filter((s) => (o.tree.expect === null ? isAgentCaller(o.seen[s].caller) : o.seen[s].caller !== o.tree.expect));
    for (const s of wrong) lines.push(`  ${o.tree.expect === null ? "human" : "agent"} ${o.tree.id} (${s}): ${o.seen[s].caller}`);
  }
  console.log(lines.join("\n"));
});
