// End-to-end helpers: a sandbox per case (temporary HOME and RAILWAY_SESSIONS_DIR, a
// clean environment) and fake agents: real processes whose argv0 is `claude`, `codex`,
// ..., started detached (new session, parent already gone) so that the test runner's own
// ancestry can never appear in the process walk.

import { describe, test } from "bun:test";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/**
 * Why the end-to-end and precision suites cannot run here, if they cannot: they drive
 * /proc, setsid(1), script(1), strace and Linux's ps. Elsewhere (the macOS CI jobs, a Mac)
 * their tests are skipped with this reason in their names, never silently.
 */
export const NEEDS_LINUX = process.platform === "linux" ? undefined : "skipped: needs Linux (/proc, setsid, script, strace)";

/** `describe` and `test` for those suites: as usual on Linux, skipped with the reason elsewhere. */
export function linuxDescribe(name: string, body: () => void): void {
  if (NEEDS_LINUX) describe.skip(`${name}: ${NEEDS_LINUX}`, body);
  else describe(name, body);
}
export function linuxTest(name: string, body: () => unknown, timeout?: number): void {
  if (NEEDS_LINUX) test.skip(`${name}: ${NEEDS_LINUX}`, body as () => void);
  else test(name, body as () => void, timeout);
}

/** Single-quotes a string for bash. */
export const shq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * The binary under test: dist/stitch, or with STITCH_E2E_TARGET=linux-arm64 (`npm run
 * test:arm64`) the linux-arm64 release binary run under qemu-aarch64 on an x86-64 host.
 */
const TARGET = process.env.STITCH_E2E_TARGET;

/** Whether the binary under test runs under qemu-user (see EMULATION_LIMITS in its tests). */
export const EMULATED = TARGET !== undefined;

/**
 * A directory holding `stitch`: dist/ itself, or for an emulated target a script named
 * stitch that execs qemu on the binary. Exec, so no extra process appears in the walk: the
 * emulated stitch has the script's pid and parent, and passes argv[0] on as given (qemu's
 * -0), so it is not taken for a shim named after its file. The command it runs is an x86-64
 * program, which qemu-user execs natively.
 */
function stitchDirectory(): string {
  const dist = resolve(import.meta.dir, "../../dist");
  if (TARGET === undefined) return dist;
  if (TARGET !== "linux-arm64") throw new Error(`STITCH_E2E_TARGET=${TARGET}: only linux-arm64 can be emulated here`);
  const binary = join(dist, "stitch-linux-arm64");
  if (!existsSync(binary)) throw new Error(`${binary} is missing: run \`bun build.ts --only=linux-arm64\` (npm run test:arm64 does)`);
  const qemu = Bun.which("qemu-aarch64");
  if (!qemu) throw new Error("qemu-aarch64 is not installed (Debian: qemu-user, libc6-arm64-cross; .ci/run installs them)");
  const dir = mkdtempSync(join(tmpdir(), "stitch-e2e-arm64-"));
  const script = join(dir, "stitch");
  writeFileSync(script, `#!/bin/sh\nexec ${shq(qemu)} -L /usr/aarch64-linux-gnu -0 "$0" ${shq(binary)} "$@"\n`, { mode: 0o755 });
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export const DIST = stitchDirectory();
export const STITCH = join(DIST, "stitch");

if (!existsSync(STITCH)) throw new Error(`${STITCH} is missing: run \`npm run build\` (npm test does)`);

/** /proc/<pid>/stat field 22, read here independently of src/. */
export function startTicks(pid: number): bigint {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return BigInt(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]!);
}

/** Railway's file name for a process, computed independently of src/. */
export { railwayFileName as railwayName } from "../support/railway.ts";

/**
 * libfaketime's variables, when the suite runs under `faketime` (`npm run test:clock`): the
 * processes a test starts read the same shifted clock as the test itself, so that "8 days
 * ago" means the same instant to both. Empty otherwise.
 */
export function shiftedClock(): Record<string, string> {
  const passed: Record<string, string> = {};
  if (process.env.FAKETIME === undefined) return passed;
  for (const name of ["LD_PRELOAD", "FAKETIME", "FAKETIME_SHARED"]) {
    const value = process.env[name];
    if (value !== undefined) passed[name] = value;
  }
  return passed;
}

// faketime's shared clock state (a semaphore and a shared memory object, kept for the whole
// run) is the creating user's only; a case run as another user (`nobody`) could not open it
// and libfaketime would end that process. Made usable by all, for this run's processes.
for (const name of (process.env.FAKETIME_SHARED ?? "").split(" ")) {
  if (!name.startsWith("/faketime_")) continue;
  for (const file of [`/dev/shm/${name.slice(1)}`, `/dev/shm/sem.${name.slice(1)}`]) {
    if (existsSync(file)) chmodSync(file, 0o666);
  }
}

export const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export class Sandbox {
  readonly dir = mkdtempSync(join(tmpdir(), "stitch-e2e-"));
  readonly home = join(this.dir, "home");
  readonly sessions = join(this.dir, "sessions");
  readonly work = join(this.dir, "work");
  private agents = 0;
  private readonly pids: number[] = [];

  constructor() {
    mkdirSync(this.home);
    mkdirSync(this.work);
  }

  /**
   * A minimal, fully known environment: nothing of the test runner's leaks in, except a
   * shifted clock (below).
   */
  env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      PATH: `${DIST}:/usr/local/bin:/usr/bin:/bin`,
      HOME: this.home,
      RAILWAY_SESSIONS_DIR: this.sessions,
      LC_ALL: "C",
      ...shiftedClock(),
      ...extra,
    };
  }

  sessionFiles(): string[] {
    return existsSync(this.sessions) ? readdirSync(this.sessions).sort() : [];
  }

  readSession(name: string): Record<string, unknown> {
    return JSON.parse(readFileSync(join(this.sessions, name), "utf8"));
  }

  /**
   * Starts `body` (bash) in a fake agent whose argv0 is `argv0`, detached, and returns
   * once it is running. In `body`, `$OUT` is a directory for its output files.
   */
  async start(argv0: string, body: string, env: Record<string, string> = {}): Promise<AgentHandle> {
    const n = ++this.agents;
    const out = join(this.dir, `agent${n}`);
    mkdirSync(out);
    const script = join(out, "agent.sh");
    writeFileSync(
      script,
      // The pid file appears whole (renamed into place): read half-written, it would be 0,
      // and cleanup's kill(0) would end the test runner's whole process group.
      `export OUT=${shq(out)}\necho $$ > "$OUT/pid.tmp" && mv "$OUT/pid.tmp" "$OUT/pid"\ncd ${shq(this.work)}\n${body}\ntouch "$OUT/done"\n`,
    );
    // setsid -f forks: the fake agent starts a new session and its parent exits at once,
    // so the agent is re-parented away from the test runner.
    Bun.spawn(["setsid", "-f", "bash", "-c", `exec -a ${shq(argv0)} bash ${shq(script)}`], {
      env: this.env(env),
      stdio: ["ignore", "ignore", "ignore"],
    });
    const handle = new AgentHandle(out);
    this.pids.push(Number(await handle.waitFor("pid")));
    return handle;
  }

  /** Runs `body` in a fake agent (see start) and waits until the agent has exited. */
  async agent(argv0: string, body: string, opts: { env?: Record<string, string>; beforeFinish?: (a: AgentHandle) => Promise<void> } = {}) {
    const handle = await this.start(argv0, body, opts.env);
    if (opts.beforeFinish) await opts.beforeFinish(handle);
    await handle.finished();
    return handle;
  }

  cleanup(): void {
    for (const pid of this.pids) {
      if (!(pid > 1)) continue; // never a process group (0) or init
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // Already gone, as it should be.
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export class AgentHandle {
  constructor(readonly out: string) {}

  read(name: string): string {
    return readFileSync(join(this.out, name), "utf8");
  }

  get pid(): number {
    return Number(this.read("pid"));
  }

  async waitFor(name: string, timeoutMs = 20_000): Promise<string> {
    const path = join(this.out, name);
    const deadline = Date.now() + timeoutMs;
    while (!existsSync(path)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${path}`);
      await Bun.sleep(10);
    }
    return readFileSync(path, "utf8").trim();
  }

  /** Waits for the end of the agent's script and of its process. */
  async finished(): Promise<void> {
    await this.waitFor("done");
    await this.exited();
  }

  /** Waits until the agent process has exited (gone, or a zombie nobody reaps). */
  async exited(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let state: string | undefined;
      try {
        const stat = readFileSync(`/proc/${this.pid}/stat`, "utf8");
        state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
      } catch {
        return;
      }
      if (state === "Z" || state === "X") return;
      if (Date.now() > deadline) throw new Error(`agent ${this.pid} did not exit`);
      await Bun.sleep(5);
    }
  }

  touch(name: string): void {
    writeFileSync(join(this.out, name), "");
  }
}

/**
 * One tool call the way agents make them: a fresh `bash -c` per call, its stdout, stderr
 * and exit status saved as `out.<tag>`, `err.<tag>`, `rc.<tag>`.
 */
export function call(tag: string, command: string): string {
  return `bash -c ${shq(command)} > "$OUT/out.${tag}" 2> "$OUT/err.${tag}"; echo $? > "$OUT/rc.${tag}"`;
}

/** The same, in the background (follow with `wait`). */
export function callInBackground(tag: string, command: string): string {
  return `bash -c ${shq(command)} > "$OUT/out.${tag}" 2> "$OUT/err.${tag}" &`;
}

/** Prints the session id the child sees. */
export const PRINT_ID = `stitch sh -c 'echo "$RAILWAY_AGENT_SESSION_ID"'`;
