// One conversation of one agent with the mock model: `bun conversation.ts <agent-id> <dir>`.
// The live suite runs it inside a network namespace that has only loopback, so the agent
// can reach the mock and nothing else. The agent runs stitch through its own shell tool
// six times (three `resolve --json`, three wrapped `env`); the outputs land in <dir>/out.
// Writes <dir>/result.json.

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { LIVE_AGENTS } from "./agents.ts";
import { startMockModel } from "./mock-model.ts";

export const CALLS = 6;
export const STITCH = resolve(import.meta.dir, "../../dist/stitch");
const BIN = resolve(import.meta.dir, "node_modules/.bin");
const TIMEOUT_MS = 120_000;

/** Call i: even ones explain themselves, odd ones print the wrapped command's environment. */
export const callFile = (i: number) => (i % 2 === 0 ? `call${i}.resolve.json` : `call${i}.env`);

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
  readonly stdoutTail: string;
  readonly stderrTail: string;
}

if (import.meta.main) {
  const [id, dirArg] = process.argv.slice(2);
  const agent = LIVE_AGENTS.find((a) => a.id === id);
  if (!agent || !dirArg) throw new Error("usage: conversation.ts <agent-id> <dir>");
  const dir = resolve(dirArg);
  const c = { dir, home: join(dir, "home"), work: join(dir, "work"), out: join(dir, "out") };
  for (const d of [c.home, c.work, c.out, join(dir, "tmp")]) mkdirSync(d, { recursive: true });

  const commands = Array.from({ length: CALLS }, (_, i) =>
    i % 2 === 0 ? `${STITCH} resolve --json > ${join(c.out, callFile(i))}` : `${STITCH} sh -c 'env' > ${join(c.out, callFile(i))}`,
  );
  const model = startMockModel(commands);
  const { args, env } = agent.prepare({ ...c, model: model.url });
  const launchEnv: Record<string, string> = {
    // No stitch on PATH: the commands name it by path, as `bash -lc` may reset PATH.
    PATH: "/usr/local/bin:/usr/bin:/bin",
    HOME: c.home,
    TMPDIR: join(dir, "tmp"),
    LANG: "C.UTF-8",
    RAILWAY_SESSIONS_DIR: join(dir, "sessions"),
    ...env,
  };
  const version = JSON.parse(readFileSync(resolve(import.meta.dir, "node_modules", agent.pkg, "package.json"), "utf8")).version;

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
    process.kill(-child.pid, "SIGKILL"); // whatever it left behind
  } catch {}
  model.stop();

  const result: ConversationResult = {
    agent: agent.id,
    version,
    pid: child.pid,
    exitCode: child.exitCode,
    durationMs: Date.now() - started,
    timedOut,
    requests: model.requests,
    launchEnv: Object.keys(launchEnv),
    stdoutTail: stdout.slice(-2000),
    stderrTail: stderr.slice(-4000),
  };
  writeFileSync(join(dir, "result.json"), JSON.stringify(result, null, 2));
}
