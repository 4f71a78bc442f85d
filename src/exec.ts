// Running the command (design §10): find it on PATH the way execvp does, and replace stitch
// with it: same pid, same stdio and terminal, every inherited descriptor untouched, the
// command's arguments and environment byte for byte. Returns only when it could not run.

import { ptr } from "bun:ffi";
import { CStrings } from "./sys/cstrings.ts";
import { posixAbi } from "./sys/abi.ts";
import { errnoName } from "./sys/errno.ts";
import { candidateVerdicts, firstTaken } from "./self.ts";
import { namesPath, searchCandidates, searchCandidatesText, type SearchEnv } from "./path-search.ts";
import { sys } from "./sys/sys.ts";
import { libc } from "./sys/libc.ts";

export interface Command {
  /** argv, byte for byte; argv[0] is the command as the user wrote it. */
  readonly argv: CStrings;
  /** The complete environment, as `NAME=value` byte strings. */
  readonly env: CStrings;
  /**
   * stitch was itself found on PATH under this command's name (a shim called by name):
   * the search starts after its own place there (design §12).
   */
  readonly viaPath?: boolean;
}

export interface ExecFailure {
  readonly status: 126 | 127;
  readonly message: string;
}

/** Errors after which execvp goes on to the next PATH entry (glibc's list). */
const TRY_NEXT = new Set(["ENOENT", "ESTALE", "ENOTDIR", "ENODEV", "ETIMEDOUT"]);

const MESSAGES: Record<string, string> = {
  ENOENT: "no such file or directory",
  EACCES: "permission denied",
  ENOEXEC: "exec format error",
  ENOTDIR: "not a directory",
  ELOOP: "too many levels of symbolic links",
  ENAMETOOLONG: "file name too long",
};

const encoder = new TextEncoder();
const display = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** One attempt: returns the errno name when execve returned. */
type Attempt = (path: Uint8Array, argv: CStrings) => string;

function failure(name: string, code: string, searched: boolean, sawAccess: boolean, skippedSelf = false): ExecFailure {
  // The empty name shown as such, not as nothing before the colon.
  const command = name === "" ? "''" : name;
  if (code === "EISDIR") return { status: 126, message: `${command}: is a directory` };
  if (sawAccess || code === "EACCES") return { status: 126, message: `${command}: permission denied` };
  if (code === "ENOENT" || TRY_NEXT.has(code)) {
    if (skippedSelf) return { status: 127, message: `${command}: command not found (no ${command} on PATH besides the shim)` };
    return { status: 127, message: searched ? `${command}: command not found` : `${command}: ${MESSAGES.ENOENT}` };
  }
  return { status: 126, message: `${command}: ${MESSAGES[code] ?? `cannot execute (${code})`}` };
}

/**
 * execvp's search: ENOEXEC runs the file with /bin/sh; EACCES is remembered, not final.
 * A candidate that is a stitch binary (a shim, a copy: design §12) is skipped, and so is what
 * a shim found on PATH had already passed, so that `railway` through a shim, or `stitch
 * railway` with the shim directory on PATH, reaches the real `railway` in one exec, and a
 * shim never runs a stitch.
 */
function search(cmd: Command, attempt: Attempt): ExecFailure {
  const file = cmd.argv.at(0);
  const searched = !namesPath(file, process.platform);
  let sawAccess = false;
  let skippedSelf = false;
  let last = "ENOENT";
  // execvp's answer to an empty name, before any search (a shell's too: 127).
  if (file.length === 0) return failure("", "ENOENT", true, false);
  const list = searchCandidates(file, cmd.env, process.platform);
  const verdict = candidateVerdicts(list, cmd.viaPath === true);
  for (let i = 0; i < list.length; i++) {
    const candidate = list[i]!;
    const seen = searched ? verdict(i) : "take";
    if (seen === "stitch") skippedSelf = true;
    if (seen === "stitch" || seen === "passed") continue;
    last = attempt(candidate, cmd.argv);
    // A directory is not a command: searched for, it is not a match, as in sh and bash
    // (`..`, a directory named like the command: 127; execvp would say EACCES, 126); named
    // by a path, it says what it is (126).
    if (last === "EACCES" && sys().stat(candidate)?.kind === "directory") {
      last = searched ? "ENOENT" : "EISDIR";
      if (searched) continue;
    }
    if (last === "ENOEXEC") {
      const sh = encoder.encode("/bin/sh");
      const rest = Array.from({ length: cmd.argv.length - 1 }, (_, i) => cmd.argv.at(i + 1));
      last = attempt(sh, CStrings.of([sh, candidate, ...rest]));
    }
    if (last === "EACCES") sawAccess = true;
    else if (!TRY_NEXT.has(last)) break;
  }
  return failure(display(file), last, searched, sawAccess, skippedSelf);
}

/**
 * What Bun changed at start-up that an exec would pass on: SIGPIPE and SIGXFSZ set to
 * "ignore", and inherited descriptors marked close-on-exec. The command gets them back as
 * stitch received them.
 */
function undoRuntimeStartup(inherited: readonly number[]): void {
  const c = libc();
  const abi = posixAbi();
  if (!c || !abi) return;
  const { SIGPIPE, SIGXFSZ, F_SETFD } = abi.constants;
  c.fn.signal(SIGPIPE, null); // back to SIG_DFL
  c.fn.signal(SIGXFSZ, null);
  for (const fd of inherited) c.fn.fcntl(fd, F_SETFD, 0); // FD_CLOEXEC cleared
}

/** A NULL-terminated table of pointers to the strings of a block. */
function pointerTable(block: CStrings): BigUint64Array {
  const base = BigInt(ptr(block.bytes));
  const table = new BigUint64Array(block.length + 1);
  for (let i = 0; i < block.length; i++) table[i] = base + BigInt(block.starts[i]!);
  return table;
}

export type ExecMode = "ffi" | "runtime" | "spawn";

/**
 * How to run the command: libc's execve through FFI (exact bytes), the runtime's
 * process.execve (strings), or a child process. Chosen by what works on the platform, not
 * by what is defined: on Windows Bun defines process.execve, but it always throws
 * (ERR_FEATURE_UNAVAILABLE_ON_PLATFORM), and there is no exec in place at all.
 * STITCH_EXEC forces one elsewhere, so every path can be tested on one machine.
 */
export function execMode(forced: string | undefined, platform: string = process.platform): ExecMode {
  if (platform === "win32") return "spawn";
  if (forced === "spawn" || forced === "runtime" || forced === "ffi") return forced;
  if (libc()) return "ffi";
  return typeof process.execve === "function" ? "runtime" : "spawn";
}

/**
 * Replaces this process with the command; returns only when it cannot run.
 * `inherited`: the descriptors the caller passed, listed before stitch opened any of its
 * own (inheritedDescriptors() at start-up). Listed here instead, a descriptor the runtime
 * still held open for itself (a `ps` pipe's socket not yet closed) would lose its
 * close-on-exec flag and leak into the command.
 */
export function execCommand(cmd: Command, mode: "ffi" | "runtime", inherited: readonly number[]): ExecFailure {
  undoRuntimeStartup(inherited);
  const c = mode === "ffi" ? libc() : undefined;
  if (c) {
    const envTable = pointerTable(cmd.env);
    return search(cmd, (path, argv) => {
      // The buffers and tables stay referenced here until execve returns (only on failure).
      const file = c.cstring(path);
      const argTable = pointerTable(argv);
      c.fn.execve(ptr(file), ptr(argTable), ptr(envTable));
      return errnoName(c.errno());
    });
  }
  // The runtime's execve takes strings: bytes that are not UTF-8 get replaced.
  const env = envRecord(cmd.env);
  return search(cmd, (path, argv) => {
    try {
      process.execve!(display(path), argv.texts(), env);
      return "ENOENT";
    } catch (e) {
      return (e as { code?: string }).code ?? "ENOENT";
    }
  });
}

function envRecord(block: CStrings): Record<string, string> {
  const env: Record<string, string> = {};
  for (const text of block.texts()) {
    const eq = text.indexOf("=");
    if (eq > 0 && !(text.slice(0, eq) in env)) env[text.slice(0, eq)] = text.slice(eq + 1);
  }
  return env;
}

/**
 * Where the command is, for a spawn: the first match on PATH (with PATHEXT's extensions on
 * Windows) that is neither a stitch binary nor passed over by a shim (design §12), as the
 * runtime's own lookup would find it but for those skips; a failure when only those are
 * there; undefined to leave the lookup to the runtime (a path was given, or nothing
 * matched: its own error then says why).
 */
function commandPath(cmd: Command, platform: string): string | ExecFailure | undefined {
  if (namesPath(cmd.argv.at(0), platform)) return undefined;
  const list = searchCandidatesText(cmd.argv.text(0), cmd.env, platform);
  const { found, skipped } = firstTaken(list, candidateVerdicts(list, cmd.viaPath === true));
  // Only stitches, or what a shim had passed: the runtime's own lookup would take one of them.
  return found ?? (skipped ? failure(cmd.argv.text(0), "ENOENT", true, false, true) : undefined);
}

/**
 * Whether PATH holds a `name` that is not a stitch binary: `stitch stitch ARGS` runs another
 * program called stitch if there is one, and is `stitch ARGS` otherwise (design §2.2).
 */
export function foundBesidesStitch(name: string, env: SearchEnv, platform: string = process.platform): boolean {
  const list = searchCandidatesText(name, env, platform);
  return firstTaken(list, candidateVerdicts(list, false)).found !== undefined;
}

/** The child's exit code (on Windows all 32 bits of it), or the signal that ended it. */
export type SpawnOutcome = { readonly exitCode: number } | { readonly signal: NodeJS.Signals } | ExecFailure;

const FORWARDED = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"] as const;

/**
 * On Windows the console itself delivers Ctrl-C and Ctrl-Break to every process attached
 * to it, the child included, and closing the window likewise: stitch only has to outlive
 * them (a listener keeps the runtime from exiting) and wait for the child's own answer.
 * Passing them on would be wrong there: the runtime's kill() is TerminateProcess.
 */
const CONSOLE_EVENTS = ["SIGINT", "SIGBREAK", "SIGHUP"] as const;

/**
 * design §10's fallback where the runtime cannot exec in place: a child with inherited
 * stdio. On Unix, SIGINT, SIGTERM, SIGHUP and SIGQUIT are passed on, and the caller exits
 * with the child's status or re-raises its signal. On Windows (§11), console events reach
 * the child from the console; the caller exits with the child's whole 32-bit code
 * (sys/kernel32.ts: 300 stays 300, 0xC000013A stays 0xC000013A). `.cmd` and `.bat`
 * commands found on PATH run through the runtime's own lookup.
 */
export async function spawnCommand(cmd: Command, platform: string = process.platform): Promise<SpawnOutcome> {
  const found = commandPath(cmd, platform);
  if (typeof found !== "string" && found !== undefined) return found;
  const argv = cmd.argv.texts();
  let child: ReturnType<typeof Bun.spawn>;
  try {
    // The path found (stitch itself skipped), with the name as typed for argv[0]; but a
    // batch file by its path: the runtime runs one as `cmd.exe /s /c ARGV0 ARGS`, and
    // cmd.exe would look the bare name up on PATH again, find the shim, and the shim this
    // batch file: a chain of processes without end (design §12).
    const extension = found?.slice(-4).toLowerCase();
    const batch = platform === "win32" && (extension === ".cmd" || extension === ".bat");
    child = found
      ? Bun.spawn([found, ...argv.slice(1)], { ...(batch ? {} : { argv0: argv[0] }), env: envRecord(cmd.env), stdio: ["inherit", "inherit", "inherit"] })
      : Bun.spawn(argv, { env: envRecord(cmd.env), stdio: ["inherit", "inherit", "inherit"] });
  } catch (e) {
    const code = (e as { code?: string }).code ?? "ENOENT";
    const searched = !namesPath(cmd.argv.at(0), platform);
    const directory = code === "EACCES" && !searched && sys().stat(cmd.argv.at(0))?.kind === "directory";
    return failure(cmd.argv.text(0), directory ? "EISDIR" : code, searched, false);
  }
  if (platform === "win32") {
    // Opened at once, while the runtime still holds its own handle on the child.
    const exitCodeOf = (require("./sys/kernel32.ts") as typeof import("./sys/kernel32.ts")).watchExitCode(child.pid);
    const stay = () => {};
    for (const event of CONSOLE_EVENTS) process.on(event, stay);
    const truncated = await child.exited;
    return { exitCode: exitCodeOf?.() ?? truncated };
  }
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  const handlers = FORWARDED.map((signal) => [signal, forward(signal)] as const);
  for (const [signal, handler] of handlers) process.on(signal, handler);
  const exitCode = await child.exited;
  for (const [signal, handler] of handlers) process.off(signal, handler);
  return child.signalCode ? { signal: child.signalCode as NodeJS.Signals } : { exitCode };
}
