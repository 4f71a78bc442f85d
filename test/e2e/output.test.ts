// stitch's own output when it cannot be written (design §2.3): a reader that is gone dies
// of SIGPIPE and says nothing, like any program in a pipeline; a full disk or a closed
// stdout is one `stitch: ...` line and status 1; a broken stderr loses the error line but
// never the status. Never a JavaScript stack trace. Every subcommand that prints.

import { afterEach, beforeEach, expect } from "bun:test";
import { join } from "node:path";
import { linuxDescribe, linuxTest, Sandbox, shq, STITCH } from "./harness.ts";

let sb: Sandbox;
beforeEach(() => {
  sb = new Sandbox();
});
afterEach(() => sb.cleanup());

/** Every subcommand that prints something on stdout, whatever the caller. */
const PRINTING: readonly (readonly string[])[] = [
  ["help"],
  ["--help"],
  ["help", "shim"],
  ["version"],
  ["resolve"],
  ["resolve", "--json"],
  ["export", "--shell", "json"],
  ["sessions"],
  ["sessions", "list", "--json"],
  ["sessions", "prune"],
  ["shim", "dir"],
  ["shim", "list"],
  ["shim", "list", "--json"],
];

/**
 * Runs stitch by exec from bash after `setup` (bash redirections, applied to bash itself
 * first), so that the status or the signal seen is stitch's own.
 */
async function run(args: readonly string[], setup: string) {
  const child = Bun.spawn(["bash", "-c", `${setup}\nexec "$0" "$@"`, STITCH, ...args], {
    env: sb.env({ STITCH_SHIM_DIR: join(sb.dir, "shims") }),
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text()]);
  await child.exited;
  return { status: child.exitCode, signal: child.signalCode, stdout, stderr };
}

/**
 * Descriptor 4: the write end of a pipe that nobody reads, ever. A FIFO opened read-write
 * (3, which never blocks) lets the write end open; closing 3 leaves no reader before stitch
 * even starts, so the write fails every time, not only when a reader was quick to exit.
 */
const closedPipeOn4 = () => {
  const fifo = shq(join(sb.dir, "fifo"));
  return `mkfifo ${fifo} && exec 3<>${fifo} 4>${fifo} 3<&- && rm ${fifo} || exit 99`;
};

const NO_TRACE = /\n\s+at |error:|Bun v\d/;

linuxDescribe("stdout cannot be written", () => {
  linuxTest("a closed pipe: death by SIGPIPE, nothing on stderr, for every subcommand that prints", async () => {
    for (const args of PRINTING) {
      const r = await run(args, `${closedPipeOn4()}; exec >&4 4>&-`);
      expect({ args, signal: r.signal, status: r.status, stderr: r.stderr }).toEqual({ args, signal: "SIGPIPE", status: null, stderr: "" });
    }
  });

  linuxTest("/dev/full: one line and status 1, for every subcommand that prints", async () => {
    for (const args of PRINTING) {
      const r = await run(args, "exec >/dev/full");
      expect({ args, status: r.status, stderr: r.stderr }).toEqual({
        args,
        status: 1,
        stderr: "stitch: cannot write the output: no space left on device (ENOSPC)\n",
      });
    }
  });

  linuxTest("stdout closed (>&-): one line and status 1, not output lost in silence", async () => {
    for (const args of PRINTING) {
      const r = await run(args, "exec >&-");
      expect({ args, status: r.status, stderr: r.stderr }).toEqual({ args, status: 1, stderr: "stitch: cannot write the output: stdout is closed (EBADF)\n" });
    }
  });

  linuxTest("stdout and stderr both unwritable: a closed pipe still ends by SIGPIPE, another error still with 1", async () => {
    const piped = await run(["resolve", "--json"], `${closedPipeOn4()}; exec >&4 2>/dev/full 4>&-`);
    expect({ status: piped.status, signal: piped.signal, stderr: piped.stderr }).toEqual({ status: null, signal: "SIGPIPE", stderr: "" });
    const full = await run(["resolve", "--json"], `${closedPipeOn4()}; exec >/dev/full 2>&4 4>&-`);
    expect({ status: full.status, signal: full.signal, stdout: full.stdout, stderr: full.stderr }).toEqual({ status: 1, signal: null, stdout: "", stderr: "" });
  });
});

linuxDescribe("the error line when stderr cannot be written", () => {
  const cases: [string, readonly string[], number][] = [
    ["command not found", ["no-such-command-here"], 127],
    ["usage error", ["--no-such-option"], 2],
    ["shim name refused", ["shim", "add", "stitch"], 2],
  ];
  linuxTest("the status stays (127, 2) with stderr a pipe nobody reads, closed, or full", async () => {
    for (const [what, args, status] of cases) {
      for (const setup of [`${closedPipeOn4()}; exec 2>&4 4>&-`, "exec 2>&-", "exec 2>/dev/full"]) {
        const r = await run(args, setup);
        expect({ what, setup, status: r.status, signal: r.signal, stdout: r.stdout }).toEqual({ what, setup, status, signal: null, stdout: "" });
        expect(r.stderr).not.toMatch(NO_TRACE);
      }
    }
  });
});
