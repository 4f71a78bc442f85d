// One process of a precision tree. Compiled once per run (precision.test.ts) and started
// once per level of a tree, each time with the argv that level has in the real world
// (`vim codex.md`, `node --expose-gc .../@qwen-code/qwen-code/cli.js -p ...`): /proc and
// `ps` show exactly that argv, which is all stitch reads of a process. The last level
// runs stitch itself, on both process sources, and leaves what stitch said in OUT: either
// directly, or (a human `shape`) by starting a real interactive bash on a fresh terminal
// and typing the command lines a human types.

import { writeFileSync } from "node:fs";
import { join } from "node:path";

/** How a human meets stitch with stdout not on the terminal (design §4, "At a terminal"). */
export type HumanShape = "piped" | "captured" | "redirected" | "nohup" | "watch" | "xargs" | "make";

export interface Plan {
  /** argv of each level, outermost first; the last one is stitch's parent (or, with `shape`, the interactive shell's). */
  readonly levels: readonly (readonly string[])[];
  readonly stitch: string;
  /** stitch's whole environment. */
  readonly env: Record<string, string>;
  /** Whether stitch's stdout is a terminal (a human at a prompt) or a pipe (an agent's tool). */
  readonly tty: boolean;
  /** A human at a real interactive bash, typing commands of this shape. */
  readonly shape?: HumanShape;
  /**
   * An agent started from a terminal: the first level (a terminal emulator, sshd) starts the
   * second on a fresh terminal (its session's controlling one), the levels below inherit it
   * as stdin, stdout and stderr, as programs started from a shell do; the last (the agent's
   * shell tool) gets none of it.
   */
  readonly fromTerminal?: boolean;
  readonly out: string;
}

export const SOURCES = ["proc", "ps"] as const;

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The lines a human types: resolve's JSON into `json`, the id the wrapped command got into `id`. */
export function typedLines(shape: HumanShape, stitch: string, source: string, json: string, id: string, makefile: string): string[] {
  const env = `STITCH_PROCESS_SOURCE=${source}`;
  const resolve = `${q(stitch)} resolve --json`;
  const printId = `${q(stitch)} sh -c 'printf %s "\${RAILWAY_AGENT_SESSION_ID-}"'`;
  switch (shape) {
    case "piped":
      return [`${env} ${resolve} | cat > ${q(json)}`, `${env} ${printId} | cat > ${q(id)}`];
    case "captured":
      return [`x=$(${env} ${resolve}); printf '%s' "$x" > ${q(json)}`, `x=$(${env} ${printId} 2>&1); printf '%s' "$x" > ${q(id)}`];
    case "redirected":
      return [`${env} ${resolve} > ${q(json)}`, `${env} ${printId} > ${q(id)} 2>/dev/null`];
    case "nohup":
      return [`${env} nohup ${resolve} > ${q(json)} 2>/dev/null </dev/null &`, `${env} nohup ${printId} > ${q(id)} 2>/dev/null </dev/null &`, "wait"];
    case "watch":
      // watch runs its command through a pipe of its own, on the terminal's stdin. The
      // command ends watch once it has run (not a timeout, which could cut a slow run short).
      return [`${env} watch -n 600 -x sh -c ${q(`${resolve} > ${q(json)}; ${printId} > ${q(id)}; kill $PPID`)}; stty sane`];
    case "xargs":
      return [`echo --json | ${env} xargs ${q(stitch)} resolve 2>&1 | cat > ${q(json)}`, `echo sh | ${env} xargs -I{} ${printId.replace(" sh -c", " {} -c")} 2>&1 | cat > ${q(id)}`];
    case "make":
      writeFileSync(makefile, `all:\n\t@${resolve.replaceAll("$", "$$")} > ${q(json)}\n\t@${printId.replaceAll("$", "$$")} > ${q(id)}\n`);
      return [`${env} make -s -f ${q(makefile)} 2>&1 | tee /dev/null`];
  }
}

/** How long a terminal may take to report its end once its process has exited (a hang detector, not a wait). */
const PTY_END_MS = 30_000;

/** Runs argv with stdout on a fresh terminal, or into a file; returns what it printed. */
async function run(argv: string[], env: Record<string, string>, tty: boolean): Promise<string> {
  if (tty) {
    // The terminal's last bytes can arrive after the exit: read until the terminal reports its
    // end (EOF once no process holds it), not for a fixed time that a loaded machine overruns.
    const chunks: Uint8Array[] = [];
    let ended!: () => void;
    const eof = new Promise<void>((resolve) => (ended = resolve));
    const child = Bun.spawn(argv, { env, terminal: { data: (_t, data) => void chunks.push(data.slice()), exit: () => ended() } });
    await child.exited;
    let timer: Timer | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`puppet: the terminal of ${argv.join(" ")} did not reach its end within ${PTY_END_MS} ms of the exit`)), PTY_END_MS);
    });
    try {
      await Promise.race([eof, timeout]);
    } finally {
      clearTimeout(timer);
      child.terminal?.close();
    }
    return Buffer.concat(chunks).toString().replaceAll("\r\n", "\n");
  }
  const child = Bun.spawn(argv, { env, stdio: ["ignore", "pipe", "ignore"] });
  const text = await new Response(child.stdout).text();
  await child.exited;
  return text;
}

/** A real interactive bash on a fresh terminal, typed `lines`; resolves when it has exited. */
async function typeAtShell(lines: string[], env: Record<string, string>): Promise<void> {
  const shell = Bun.spawn(["bash", "--norc", "--noprofile", "-i"], {
    argv0: "-bash",
    env: { ...env, PS1: "$ " },
    terminal: { data: () => {} },
  });
  for (const line of lines) shell.terminal!.write(`${line}\n`);
  shell.terminal!.write("exit\n");
  await shell.exited;
}

async function leaf(plan: Plan): Promise<void> {
  if (plan.shape) {
    const lines = SOURCES.flatMap((source) =>
      typedLines(plan.shape!, plan.stitch, source, join(plan.out, `resolve.${source}.json`), join(plan.out, `id.${source}`), join(plan.out, `Makefile.${source}`)),
    );
    await typeAtShell(lines, plan.env);
  } else {
    for (const source of SOURCES) {
      const env = { ...plan.env, STITCH_PROCESS_SOURCE: source };
      writeFileSync(join(plan.out, `resolve.${source}.json`), await run([plan.stitch, "resolve", "--json"], env, plan.tty));
      // The wrap path, as a user runs it: the id the command gets lands in a file.
      const id = join(plan.out, `id.${source}`);
      await run([plan.stitch, "sh", "-c", `printf %s "\${RAILWAY_AGENT_SESSION_ID-}" > '${id}'`], env, plan.tty);
    }
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
    const env = { ...process.env, PRECISION_LEVEL: String(level + 1) };
    const argv = [process.execPath, ...next.slice(1)];
    const toolShell = level + 1 === plan.levels.length - 1;
    let child;
    if (!plan.fromTerminal) child = Bun.spawn(argv, { argv0: next[0], env, stdio: ["ignore", "ignore", "inherit"] });
    // Started from a terminal: the first level (a terminal emulator, sshd) starts the next
    // on a fresh terminal; the levels below inherit it; the agent's shell tool gets none.
    else if (level === 0) child = Bun.spawn(argv, { argv0: next[0], env, terminal: { data: () => {} } });
    else child = Bun.spawn(argv, { argv0: next[0], env, stdio: toolShell ? ["ignore", "ignore", "ignore"] : ["inherit", "inherit", "inherit"] });
    await child.exited;
  }
}
