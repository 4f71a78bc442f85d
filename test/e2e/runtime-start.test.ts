// The runtime's own start-up (design §9, §10, §11): what Bun does before stitch's code runs
// must neither stop the command nor change what it inherits. Where the runtime can be steered
// (a deleted working directory), the command runs; where it cannot (no /proc, the open-file
// limit, a few signal settings), the behaviour is the documented one, pinned here so that a
// runtime that changes it fails a test and the documents get updated.

import { afterEach, beforeEach, expect, test } from "bun:test";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { call, DIST, EMULATED, linuxDescribe, PRINT_ID, Sandbox, shq, STITCH, UUID_V4 } from "./harness.ts";

let sb: Sandbox;
beforeEach(() => {
  sb = new Sandbox();
});
afterEach(() => sb.cleanup());

/** Runs a bash script in the sandbox's environment; stdin closed, as a tool call's. */
function bash(script: string, env: Record<string, string> = {}) {
  const r = Bun.spawnSync(["bash", "-c", script], { env: sb.env(env), stdin: "ignore", cwd: sb.work });
  return { status: r.exitCode, signal: r.signalCode ?? undefined, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

/**
 * `cd` into a fresh directory and delete it: the shell stands in a deleted directory. The
 * shells themselves then complain on stderr (bash's shell-init, dash's getcwd): those lines,
 * and only those, are expected there.
 */
/**
 * Whether a link to STITCH works as a shim: not under qemu-user (test:arm64), where STITCH is
 * a script that starts qemu, which no stitch recognises as itself. The native arm64 job runs it.
 */
const SHIMS_RUN = !EMULATED;

const inDeletedDirectory = (name: string) => `mkdir ${shq(name)} && cd ${shq(name)} && rmdir ../${shq(name)}`;

/** Whether every line of stderr is a shell's own complaint about the deleted directory. */
const shellComplaintsOnly = (stderr: string) =>
  stderr
    .split("\n")
    .filter((line) => line !== "")
    .every((line) => /^(shell-init: error retrieving current directory|sh: \d+: getcwd\(\) failed|job-working-directory: error retrieving)/.test(line));

linuxDescribe("a deleted working directory: the command runs there, as it would without stitch", () => {
  test("stitch sh -c, stitch --version and a shim all run; the command starts in the same deleted directory", () => {
    const shims = join(sb.dir, "shims");
    const bin = join(sb.dir, "bin");
    mkdirSync(shims);
    mkdirSync(bin);
    symlinkSync(STITCH, join(shims, "railway"));
    writeFileSync(join(bin, "railway"), '#!/bin/sh\necho "real railway $*"\n', { mode: 0o755 });
    const gone = join(sb.work, "gone");
    const here = `readlink /proc/$$/cwd`;
    const r = bash(
      [
        inDeletedDirectory("gone"),
        `sh -c ${shq(here)}`,
        `stitch sh -c ${shq(`echo ran; ${here}`)}; echo "rc=$?"`,
        `stitch --version >/dev/null; echo "version rc=$?"`,
        ...(SHIMS_RUN ? [`PATH=${shq(`${shims}:${bin}:/usr/bin:/bin`)} railway up; echo "shim rc=$?"`] : []),
      ].join("\n"),
    );
    expect(shellComplaintsOnly(r.stderr)).toBe(true);
    expect(r.stdout).toBe(
      [`${gone} (deleted)`, "ran", `${gone} (deleted)`, "rc=0", "version rc=0", ...(SHIMS_RUN ? ["real railway up", "shim rc=0"] : []), ""].join("\n"),
    );
  });

  test("an agent caller there still gets its conversation's id, by /proc and by ps", async () => {
    // Each process source keys its own session file (design §11: its own clock), so each
    // source's call from the deleted directory is compared with the same source's call from
    // a live one.
    const a = await sb.agent(
      "claude",
      [
        call("live-proc", `STITCH_PROCESS_SOURCE=proc ${PRINT_ID}`),
        call("live-ps", `STITCH_PROCESS_SOURCE=ps ${PRINT_ID}`),
        inDeletedDirectory("gone"),
        call("proc", `STITCH_PROCESS_SOURCE=proc ${PRINT_ID}`),
        call("ps", `STITCH_PROCESS_SOURCE=ps ${PRINT_ID}`),
      ].join("\n"),
    );
    for (const source of ["proc", "ps"]) {
      const id = a.read(`out.live-${source}`).trim();
      expect(id).toMatch(UUID_V4);
      expect({ source, rc: a.read(`rc.${source}`), clean: shellComplaintsOnly(a.read(`err.${source}`)), id: a.read(`out.${source}`).trim() }).toEqual({ source, rc: "0\n", clean: true, id });
    }
  });
});

/** Whether this process may make a mount namespace and unmount /proc in it (root, or a user namespace). */
function canHideProc(): boolean {
  if (!Bun.which("unshare")) return false;
  const r = Bun.spawnSync(["unshare", "--mount", "--propagation", "private", "sh", "-c", "umount -l /proc && ! test -e /proc/self"], { stdio: ["ignore", "ignore", "ignore"] });
  return r.exitCode === 0;
}
const HIDE_PROC = canHideProc() ? "" : ": skipped, cannot unmount /proc in a mount namespace here (needs root or unshare)";

linuxDescribe("no /proc at all (design §9, §11: a documented limit of the runtime)", () => {
  // glibc's pthread_getattr_np reads /proc/self/maps to find the main thread's stack; without
  // it the runtime's stack bounds are unknown and it aborts, before any of stitch's code.
  // Pinned: a runtime that starts without /proc makes this fail; then stitch's `ps` path
  // (design §11) takes over, and README's platform notes and design §9 must say so.
  test.skipIf(HIDE_PROC !== "")(`the runtime aborts at start-up with a crash report; the command does not run (pinned)${HIDE_PROC}`, () => {
    const r = Bun.spawnSync(
      ["unshare", "--mount", "--propagation", "private", "sh", "-c", `umount -l /proc && exec "$0" sh -c 'echo ran'`, STITCH],
      { env: sb.env(), stdin: "ignore" },
    );
    const stderr = r.stderr.toString();
    expect({ signal: r.signalCode, stdout: r.stdout.toString() }).toEqual({ signal: "SIGABRT", stdout: "" });
    expect(stderr).toContain("panic(main thread): abort() called");
  });
});

interface Caller {
  /** Signals set to "ignore" and signals blocked, by name. */
  readonly ignore?: readonly string[];
  readonly block?: readonly string[];
  readonly umask?: number;
  readonly nice?: number;
  /** resource module names (RLIMIT_NOFILE, ...) to [soft, hard]. */
  readonly limits?: Readonly<Record<string, readonly [number, number]>>;
}

/**
 * Runs `argv` as a caller with exactly the attributes given: a python3 parent sets them and
 * execs it. (A shell would reset some: dash clears the signal mask of what it runs.)
 */
function asCaller(caller: Caller, argv: string[], env: Record<string, string> = {}) {
  const py = [
    "import json, os, resource, signal, sys",
    "c = json.loads(sys.argv[1])",
    // python itself ignores SIGPIPE and SIGXFSZ: back to the defaults a shell passes on.
    "for s in ('SIGPIPE', 'SIGXFSZ'): signal.signal(getattr(signal, s), signal.SIG_DFL)",
    "for s in c.get('ignore', []): signal.signal(getattr(signal, s), signal.SIG_IGN)",
    "signal.pthread_sigmask(signal.SIG_BLOCK, [getattr(signal, s) for s in c.get('block', [])])",
    "for name, (soft, hard) in c.get('limits', {}).items(): resource.setrlimit(getattr(resource, name), (soft, hard))",
    "if 'umask' in c: os.umask(c['umask'])",
    "if 'nice' in c: os.nice(c['nice'])",
    "os.execvp(sys.argv[2], sys.argv[2:])",
  ].join("\n");
  const r = Bun.spawnSync(["python3", "-c", py, JSON.stringify(caller), ...argv], { env: sb.env(env), stdin: "ignore", cwd: sb.work });
  return { status: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}
// Under qemu-user (test:arm64) the signal mask and dispositions the command gets are qemu's
// emulation's, not the runtime's: the native arm64 job runs these two.
const NO_PYTHON = EMULATED
  ? ": skipped under qemu-user (it emulates signals itself)"
  : Bun.which("python3")
    ? ""
    : ": skipped, needs python3 to set a signal mask";

/** What a shell can print of the attributes a command inherits, signals apart (below). */
const PROBE = ["ulimit -a", 'echo "umask $(umask)"', 'echo "nice $(nice)"', 'echo "oom_score_adj $(cat /proc/self/oom_score_adj)"'].join("; ");
/** The signal mask and dispositions and the rest of what /proc shows, read by a program the command execs directly. */
const STATUS = ["grep", "-E", "^(SigBlk|SigIgn|NoNewPrivs|Seccomp|Cpus_allowed_list|Mems_allowed_list):", "/proc/self/status"];

linuxDescribe("limits and process attributes (design §10)", () => {
  const hard = Number(Bun.spawnSync(["sh", "-c", "ulimit -Hn"]).stdout.toString());

  test("an open-file limit whose soft value equals the hard one reaches the command exactly, low ones included, for a human and an agent", async () => {
    const limits = [...new Set([16, 64, 1024, hard].filter((n) => n <= hard))];
    for (const n of limits) {
      expect(bash(`ulimit -n ${n}; stitch sh -c 'echo "$(ulimit -Sn) $(ulimit -Hn)"'`).stdout).toBe(`${n} ${n}\n`);
    }
    // An agent caller, where stitch opens the most (the process walk, `ps`, the session
    // store): with 16 descriptors it still runs the command with the conversation's id.
    const a = await sb.agent(
      "claude",
      [
        call("full-proc", `STITCH_PROCESS_SOURCE=proc ${PRINT_ID}`),
        call("full-ps", `STITCH_PROCESS_SOURCE=ps ${PRINT_ID}`),
        ...[16, 64].flatMap((n) => [
          call(`proc${n}`, `ulimit -n ${n}; STITCH_PROCESS_SOURCE=proc stitch sh -c 'echo "$RAILWAY_AGENT_SESSION_ID $(ulimit -Sn)"'`),
          call(`ps${n}`, `ulimit -n ${n}; STITCH_PROCESS_SOURCE=ps stitch sh -c 'echo "$RAILWAY_AGENT_SESSION_ID $(ulimit -Sn)"'`),
        ]),
      ].join("\n"),
    );
    for (const n of [16, 64]) {
      for (const source of ["proc", "ps"]) {
        const id = a.read(`out.full-${source}`).trim();
        expect(id).toMatch(UUID_V4);
        expect({ source, n, out: a.read(`out.${source}${n}`), err: a.read(`err.${source}${n}`) }).toEqual({ source, n, out: `${id} ${n}\n`, err: "" });
      }
    }
  });

  // Bun raises the soft open-file limit to the hard one before stitch's code runs and keeps
  // the old value nowhere stitch can read (design §10, known limit). Pinned: a runtime that
  // stops raising it, or lets stitch restore it, makes this fail.
  test.skipIf(hard <= 256)("a soft open-file limit below the hard one reaches the command raised to the hard one (pinned, known limit)", () => {
    const shims = join(sb.dir, "shims");
    mkdirSync(shims);
    symlinkSync(STITCH, join(shims, "railway"));
    const r = bash(
      [
        "ulimit -Sn 256",
        "sh -c 'ulimit -Sn'",
        "stitch sh -c 'ulimit -Sn; ulimit -Hn'",
        `CLAUDECODE=1 stitch sh -c 'ulimit -Sn'`,
        ...(SHIMS_RUN ? [`PATH=${shq(`${shims}:/usr/bin:/bin`)} railway 2>/dev/null; ulimit -Sn`] : []),
      ].join("\n"),
    );
    expect(r.stdout).toBe(`256\n${hard}\n${hard}\n${hard}\n${SHIMS_RUN ? "256\n" : ""}`);
  });

  test.skipIf(NO_PYTHON !== "")(`ulimit -a, umask, nice, oom score, ignored and blocked signals: as without stitch, for a human and an agent${NO_PYTHON}`, () => {
    const stack = 4 * 1024 * 1024;
    const caller: Caller = {
      ignore: ["SIGINT", "SIGQUIT", "SIGHUP", "SIGTERM", "SIGUSR1", "SIGUSR2", "SIGALRM", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGCHLD"],
      block: ["SIGUSR1", "SIGTERM", "SIGHUP", "SIGWINCH", "SIGCONT", "SIGRTMIN"],
      umask: 0o027,
      nice: 5,
      // Every limit away from its default; the open files' soft value equal to the hard one (above).
      limits: { RLIMIT_NOFILE: [512, 512], RLIMIT_STACK: [stack, stack * 2], RLIMIT_CORE: [0, 0], RLIMIT_NPROC: [4000, 5000], RLIMIT_AS: [64e9, 64e9] },
    };
    const direct = { shell: asCaller(caller, ["sh", "-c", PROBE]), status: asCaller(caller, STATUS) };
    expect(direct.shell.stdout).toContain("nice 5");
    expect(direct.shell.stdout).toContain("umask 0027");
    expect(direct.status.stdout).toContain("SigBlk:\t0000000");
    const envs: Record<string, string>[] = [{}, { CLAUDECODE: "1" }, { CLAUDECODE: "1", STITCH_PROCESS_SOURCE: "ps" }];
    for (const env of envs) {
      const through = { shell: asCaller(caller, [STITCH, "sh", "-c", PROBE], env), status: asCaller(caller, [STITCH, ...STATUS], env) };
      expect({ env, ...through }).toEqual({ env, ...direct });
    }
  });

  // What the runtime changes at start-up and no one can undo, since it keeps no record of
  // the caller's setting (design §10, known limits): SIGPWR, which JavaScriptCore uses to
  // pause threads for its collector, is unblocked and, if ignored, taken over (with a warning
  // of its own on stderr); the crash signals and SIGSYS, ignored by the caller, get a handler
  // (the default after the exec). Pinned.
  test.skipIf(NO_PYTHON !== "")(`SIGPWR blocked or ignored, crash signals or SIGSYS ignored: at their defaults in the command (pinned, known limits)${NO_PYTHON}`, () => {
    const status = ["grep", "-E", "^(SigBlk|SigIgn):", "/proc/self/status"];
    const mask = (...numbers: number[]) => numbers.reduce((m, n) => m | (1n << BigInt(n - 1)), 0n).toString(16).padStart(16, "0");
    const [SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGUSR1, SIGPWR, SIGSYS] = [4, 5, 6, 7, 8, 10, 30, 31];
    const blocked = { block: ["SIGPWR", "SIGUSR1"] };
    expect(asCaller(blocked, status).stdout).toBe(`SigBlk:\t${mask(SIGPWR, SIGUSR1)}\nSigIgn:\t${mask()}\n`);
    expect(asCaller(blocked, [STITCH, ...status]).stdout).toBe(`SigBlk:\t${mask(SIGUSR1)}\nSigIgn:\t${mask()}\n`);
    // (SIGSEGV too, but python cannot be made to ignore it.)
    const ignored = { ignore: ["SIGBUS", "SIGFPE", "SIGILL", "SIGTRAP", "SIGABRT", "SIGSYS", "SIGUSR1"] };
    expect(asCaller(ignored, status).stdout).toBe(`SigBlk:\t${mask()}\nSigIgn:\t${mask(SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGABRT, SIGSYS, SIGUSR1)}\n`);
    expect(asCaller(ignored, [STITCH, ...status]).stdout).toBe(`SigBlk:\t${mask()}\nSigIgn:\t${mask(SIGUSR1)}\n`);
    const pwr = asCaller({ ignore: ["SIGPWR"] }, [STITCH, ...status]);
    expect(pwr.stdout).toBe(`SigBlk:\t${mask()}\nSigIgn:\t${mask()}\n`);
    expect(pwr.stderr).toContain("Overriding existing handler for signal 30");
  });
});
