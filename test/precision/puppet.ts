// One process of a precision tree. Compiled once per run (precision.test.ts) and started
// once per level of a tree, each time with the argv that level has in the real world
// (`vim codex.md`, `node --expose-gc .../@qwen-code/qwen-code/cli.js -p ...`): /proc and
// `ps` show exactly that argv, which is all stitch reads of a process. The last level
// runs stitch itself, on both process sources, and leaves what stitch said in OUT.

import { writeFileSync } from "node:fs";
import { join } from "node:path";

export interface Plan {
  /** argv of each level, outermost first; the last one is stitch's parent. */
  readonly levels: readonly (readonly string[])[];
  readonly stitch: string;
  /** stitch's whole environment. */
  readonly env: Record<string, string>;
  /** Whether stitch's stdout is a terminal (a human at a prompt) or a pipe (an agent's tool). */
  readonly tty: boolean;
  readonly out: string;
}

export const SOURCES = ["proc", "ps"] as const;

/** Runs argv with stdout on a fresh terminal, or into a file; returns what it printed. */
async function run(argv: string[], env: Record<string, string>, tty: boolean): Promise<string> {
  if (tty) {
    const chunks: Uint8Array[] = [];
    const child = Bun.spawn(argv, { env, terminal: { data: (_t, data) => void chunks.push(data.slice()) } });
    await child.exited;
    await Bun.sleep(20); // the terminal's last bytes arrive after the exit
    child.terminal?.close();
    return Buffer.concat(chunks).toString().replaceAll("\r\n", "\n");
  }
  const child = Bun.spawn(argv, { env, stdio: ["ignore", "pipe", "ignore"] });
  const text = await new Response(child.stdout).text();
  await child.exited;
  return text;
}

async function leaf(plan: Plan): Promise<void> {
  for (const source of SOURCES) {
    const env = { ...plan.env, STITCH_PROCESS_SOURCE: source };
    writeFileSync(join(plan.out, `resolve.${source}.json`), await run([plan.stitch, "resolve", "--json"], env, plan.tty));
    // The wrap path, as a user runs it: the id the command gets lands in a file.
    const id = join(plan.out, `id.${source}`);
    await run([plan.stitch, "sh", "-c", `printf %s "\${RAILWAY_AGENT_SESSION_ID-}" > '${id}'`], env, plan.tty);
  }
  writeFileSync(join(plan.out, "done"), "");
}

if (import.meta.main) {
  const plan = JSON.parse(process.env.PRECISION_PLAN ?? "null") as Plan;
  const level = Number(process.env.PRECISION_LEVEL ?? "0");
  const next = plan.levels[level + 1];
  if (next === undefined) {
    await leaf(plan);
  } else {
    // The next level: this same binary, with the next argv as its argv (argv0 included).
    // Bun.spawn runs cmd[0] and gives the child `argv0` as its argv[0].
    const child = Bun.spawn([process.execPath, ...next.slice(1)], {
      argv0: next[0],
      env: { ...process.env, PRECISION_LEVEL: String(level + 1) },
      stdio: ["ignore", "ignore", "inherit"],
    });
    await child.exited;
  }
}
