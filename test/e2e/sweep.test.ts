// A sweep deletes only the file it read (design §6.4), tried on the compiled binary: the
// stale file is judged, then, before stitch checks and unlinks it, the path is given a
// fresh file in the same inode, as when another sweep deleted the stale file and a new
// conversation's file got the freed inode number. The fresh file must stay.
//
// The moment is made exact with strace: stitch is stopped (SIGSTOP, injected on the close
// that ends its read of that one path) and let go once the file is rewritten.

import { afterAll, expect } from "bun:test";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { linuxDescribe, linuxTest, Sandbox, STITCH } from "./harness.ts";

const STRACE = Bun.which("strace");
const sb = new Sandbox();
afterAll(() => sb.cleanup());

/**
 * Whether strace has seen stitch (`pid`) enter its stop: only then may it be continued. A
 * SIGCONT sent earlier, while the injected SIGSTOP is still being delivered, would be
 * overtaken by it, and stitch would stay stopped. (strace pads the pid column: `3280  ---`.)
 */
const stopped = (trace: string, pid: number) => existsSync(trace) && new RegExp(`^${pid} +--- stopped by SIGSTOP ---$`, "m").test(readFileSync(trace, "utf8"));

async function until(what: string, ok: () => boolean): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (ok()) return;
    await Bun.sleep(10);
  }
  throw new Error(`timed out waiting for ${what}`);
}

linuxDescribe("the sweep and a reused inode (design §6.4)", () => {
  linuxTest(`a fresh file that got the stale file's inode is kept${STRACE ? "" : ": skipped, needs strace"}`, async () => {
    if (!STRACE) return;
    mkdirSync(sb.sessions, { mode: 0o700, recursive: true });
    const path = `${sb.sessions}/00000000000000a1.session`;
    const deadPid = Number(readFileSync("/proc/sys/kernel/pid_max", "utf8")) + 1;
    // Stale: its anchor is gone.
    const stale = `{"agent_session_id":"3b241101-e2bb-4255-8caf-4136c566a962","parent_pid":${deadPid},"parent_btime":1,"created_at":"${new Date().toISOString()}"}`;

    // The harness, not stitch, can miss its moment (strace's stop racing the test's wait on
    // a loaded machine): then that attempt is ended and made again with a new stale file.
    // What stitch does is asserted only on an attempt that stopped where it should.
    let tracer: ReturnType<typeof Bun.spawn> | undefined;
    let why = "";
    for (let attempt = 1; attempt <= 3 && tracer === undefined; attempt++) {
      writeFileSync(path, stale, { mode: 0o600 });
      const inode = statSync(path).ino;
      const trace = `${sb.dir}/trace.${attempt}`;
      const t = Bun.spawn(
        [STRACE, "-f", "-o", trace, "-P", path, "-e", "trace=close", "-e", "inject=close:signal=SIGSTOP:when=1", STITCH, "sessions", "prune"],
        { env: sb.env(), cwd: sb.work, stdin: "ignore", stdout: "pipe", stderr: "pipe" },
      );
      let stitchPid = 0;
      try {
        // Stopped right after reading the stale file, before judging and removing it.
        await until("stitch to stop after its read", () => {
          if (t.exitCode !== null) throw new Error(`strace ended (${t.exitCode}) before stitch stopped`);
          const children = readFileSync(`/proc/${t.pid}/task/${t.pid}/children`, "utf8").trim();
          stitchPid = Number(children.split(" ")[0] || 0);
          return stitchPid > 0 && stopped(trace, stitchPid);
        });
      } catch (e) {
        why = `${(e as Error).message}; the trace:\n${existsSync(trace) ? readFileSync(trace, "utf8") : "(none)"}`;
        if (stitchPid > 0) process.kill(stitchPid, "SIGKILL");
        t.kill("SIGKILL");
        await t.exited;
        continue;
      }
      writeFileSync(path, '{"agent_session_id":"fresh"}');
      expect(statSync(path).ino).toBe(inode);
      process.kill(stitchPid, "SIGCONT");
      tracer = t;
    }
    if (!tracer) throw new Error(`three attempts, stitch never stopped where it should: ${why}`);

    expect(await tracer.exited).toBe(0);
    expect(await new Response(tracer.stderr as ReadableStream).text()).toBe("");
    expect(await new Response(tracer.stdout as ReadableStream).text()).toStartWith("removed 0 stale session file(s)");
    expect(readFileSync(path, "utf8")).toBe('{"agent_session_id":"fresh"}');
  });
});
