// Real agent CLIs, a scripted mock model, stitch inside their real shell tools: one id per
// conversation, different ids across conversations, the agent's caller slug, the agent's
// own session variable where it has one. Writes docs/agents.md from what it saw.

import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { LIVE_AGENTS, type LiveAgent } from "./agents.ts";
import { CALLS, callFile, STITCH, type ConversationResult } from "./conversation.ts";

const ROOT = resolve(import.meta.dir, "../..");
const BIN = join(import.meta.dir, "node_modules/.bin");
const work = mkdtempSync(join(tmpdir(), "stitch-live-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

if (!existsSync(STITCH)) throw new Error(`${STITCH} is missing: npm run test:live builds it`);

/** Whether this machine gives a conversation a network namespace of its own. */
const isolated = Bun.spawnSync(["unshare", "--net", "sh", "-c", "ip link set lo up"]).exitCode === 0;

interface Call {
  readonly resolve?: Record<string, any>;
  readonly env?: Map<string, string>;
}

interface Observed {
  readonly result: ConversationResult;
  readonly calls: Call[];
  readonly ids: string[];
}

function runConversation(agent: LiveAgent, n: number): Observed {
  const dir = join(work, `${agent.id}-${n}`);
  const argv = [process.execPath, join(import.meta.dir, "conversation.ts"), agent.id, dir];
  const command = isolated ? ["unshare", "--net", "sh", "-c", 'ip link set lo up && exec "$@"', "sh", ...argv] : argv;
  const r = Bun.spawnSync(command, { env: { PATH: process.env.PATH ?? "/usr/bin:/bin" }, stdio: ["ignore", "pipe", "pipe"] });
  if (!existsSync(join(dir, "result.json"))) throw new Error(`conversation did not finish: ${r.stderr.toString().slice(-2000)}`);
  const result: ConversationResult = JSON.parse(readFileSync(join(dir, "result.json"), "utf8"));
  const calls: Call[] = Array.from({ length: CALLS }, (_, i) => {
    const path = join(dir, "out", callFile(i));
    if (!existsSync(path)) return {};
    const text = readFileSync(path, "utf8");
    if (i % 2 === 0) return { resolve: JSON.parse(text) };
    const env = new Map<string, string>();
    for (const line of text.split("\n")) {
      const eq = line.indexOf("=");
      if (eq > 0 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(line.slice(0, eq))) env.set(line.slice(0, eq), line.slice(eq + 1));
    }
    return { env };
  });
  const ids = calls.map((c) => c.resolve?.session_id ?? c.env?.get("RAILWAY_AGENT_SESSION_ID") ?? "");
  return { result, calls, ids };
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
      for (const n of [1, 2]) observed.push(runConversation(agent, n));
      for (const o of observed) {
        expect(o.result.timedOut).toBe(false);
        expect(o.result.exitCode).toBe(0);
        // Every call ran: its output file is there.
        expect(o.calls.filter((c) => c.resolve || c.env)).toHaveLength(CALLS);
        // The agent spoke only to the mock model.
        expect(o.result.requests.filter((r) => r.handled === "404")).toEqual([]);
      }
    }, 300_000);

    test(`the caller is ${agent.slug}`, () => {
      for (const o of observed) {
        for (const c of o.calls) {
          if (c.resolve) expect(c.resolve.caller).toBe(agent.slug);
          if (c.env) expect(c.env.get("RAILWAY_CALLER")).toBe(agent.slug);
        }
      }
    });

    test("one id per conversation, not a cli_ fallback; the two conversations differ", () => {
      for (const o of observed) {
        expect(new Set(o.ids).size).toBe(1);
        expect(o.ids[0]).not.toBe("");
        expect(o.ids[0]).not.toMatch(CLI_ID);
      }
      expect(observed[0]!.ids[0]).not.toBe(observed[1]!.ids[0]);
    });

    if (agent.sessionVariable) {
      test(`the id is the agent's own ${agent.sessionVariable}`, () => {
        for (const o of observed) {
          for (const c of o.calls.filter((c) => c.env)) expect(c.env!.get(agent.sessionVariable!)).toBe(o.ids[0]);
        }
      });
    }

    test("the ancestry stitch walked contains the agent process", () => {
      for (const o of observed) {
        for (const c of o.calls.filter((c) => c.resolve)) {
          expect(c.resolve!.ancestry.map((h: { pid: number }) => h.pid)).toContain(o.result.pid);
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

/** Paths of this run replaced by placeholders, so the document does not churn. */
function scrub(text: string, o: Observed): string {
  return text
    .replaceAll(`${work}/`, "$TMP/")
    .replaceAll(ROOT, "$REPO")
    .replaceAll(/127\.0\.0\.1:\d+/g, "127.0.0.1:$PORT")
    .replaceAll(/snapshot-(\w+)-\d+-\w+\.sh/g, "snapshot-$1-$ID.sh")
    .replaceAll(String(o.result.pid), "$AGENT_PID");
}

function renderAgent(agent: LiveAgent, conversations: Observed[]): string[] {
  const [first, second] = conversations;
  if (!first) return [];
  const lines: string[] = [];
  const envCall = first.calls.find((c) => c.env)!.env!;
  const resolveCall = first.calls.find((c) => c.resolve)!.resolve!;
  const launch = new Set(first.result.launchEnv);
  const stitchAdds = new Set(["RAILWAY_AGENT_SESSION_ID", "RAILWAY_AGENT_SESSION", "RAILWAY_CALLER"]);
  const shellNoise = new Set(["PWD", "OLDPWD", "SHLVL", "_"]);
  const added = [...envCall.keys()].filter((k) => !launch.has(k) && !stitchAdds.has(k) && !shellNoise.has(k)).sort();
  const sameAcross = (k: string) => first.calls.filter((c) => c.env).every((c) => c.env!.get(k) === envCall.get(k));
  const differsFromSecond = (k: string) => second?.calls.find((c) => c.env)?.env?.get(k) !== envCall.get(k);

  lines.push(`## ${agent.name} ${first.result.version} (npm \`${agent.pkg}\`)`, "");
  lines.push(
    `Two conversations, ${CALLS} shell-tool calls each; ` +
      `requests to the mock: ${[...new Set(first.result.requests.map((r) => `\`${r.method} ${r.path}\``))].join(", ")}.`,
    "",
  );
  lines.push("Variables the agent adds inside its shell tool (values shown only as the shape of an id):", "");
  lines.push("| variable | value | same in every call | differs between conversations |", "|---|---|---|---|");
  for (const k of added) {
    const v = envCall.get(k) ?? "";
    lines.push(`| \`${k}\` | ${shape(v) || (v === "" ? "(empty)" : "")} | ${sameAcross(k) ? "yes" : "no"} | ${differsFromSecond(k) ? "yes" : "no"} |`);
  }
  lines.push("");
  lines.push("How it runs a command (the ancestry stitch walked, from stitch's parent up to the agent):", "", "```");
  for (const h of resolveCall.ancestry as { depth: number; pid: number; command: string; agent: string | null; transient: string | null }[]) {
    const note = h.agent ? `  ← agent ${h.agent}` : h.transient ? `  (${h.transient})` : "";
    lines.push(`${h.depth}. ${scrub(h.command, first).trimEnd().slice(0, 110)}${note}`);
    if (h.pid === first.result.pid) break;
  }
  lines.push("```", "");
  const s = resolveCall.session;
  lines.push("What stitch resolved:", "");
  lines.push(`- caller \`${resolveCall.caller}\` (${resolveCall.caller_layer}: ${scrub(resolveCall.caller_evidence, first)})`);
  lines.push(
    `- session id from ${s.source}${s.variable ? ` \`${s.variable}\`` : ""}${s.how ? ` (${s.how} on the first call)` : ""}: ` +
      `the same in all ${CALLS} calls, different in the second conversation`,
  );
  lines.push(`- anchor: ${resolveCall.anchor ? `${resolveCall.anchor.reason}${resolveCall.anchor.detail ? ` \`${resolveCall.anchor.detail}\`` : ""}, argv0 \`${scrub(resolveCall.anchor.argv0, first)}\`` : "none"}`);
  lines.push("");
  return lines;
}

function renderEvidence(): string {
  const lines = [
    "# Agents, seen from inside their shell tools",
    "",
    "Generated by `npm run test:live` (test/live/live.test.ts); do not edit by hand. Each agent",
    "CLI ran two non-interactive conversations against a scripted mock model on 127.0.0.1",
    `(${isolated ? "inside a network namespace with only loopback" : "with its telemetry and update switches off; no network namespace was available"}),`,
    "and the mock made it run `stitch resolve --json` and `stitch sh -c 'env'` through its own",
    "shell tool. Paths are shown as `$TMP`/`$REPO`, the agent's pid as `$AGENT_PID`.",
    "",
    "| agent | version | caller | session id from | ran |",
    "|---|---|---|---|---|",
  ];
  for (const e of evidence) {
    const first = e.conversations?.[0];
    const r = first?.calls.find((c) => c.resolve)?.resolve;
    lines.push(
      e.skipped
        ? `| ${e.agent.name} | | | | skipped: ${e.skipped} |`
        : `| ${e.agent.name} | ${first?.result.version ?? "?"} | \`${r?.caller ?? "?"}\` | ${r ? `${r.session.source}${r.session.variable ? ` \`${r.session.variable}\`` : ""}` : "?"} | yes |`,
    );
  }
  lines.push("");
  for (const e of evidence) if (e.conversations) lines.push(...renderAgent(e.agent, e.conversations));
  lines.push(
    "## Not driven here",
    "",
    "- Crush (`@charmland/crush`): its npm package downloads the binary from GitHub at first run; this",
    "  machine reaches only the npm registry.",
    "- Gemini CLI, Copilot CLI, Factory Droid: not yet wired to a mock model (Gemini speaks its own",
    "  API; Copilot CLI and Droid need their vendors' sign-in).",
    "",
  );
  return lines.join("\n");
}
