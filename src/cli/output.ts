// Writing stitch's own output (design §2.3): synchronously, all of it, every failure
// checked here and told apart, never a JavaScript stack trace. Not through process.stdout:
// the runtime's stream writes asynchronously, throws a write error from an event (a stack
// trace), and first sets O_NONBLOCK on the descriptor's open file description, which is
// shared with the caller (a terminal left non-blocking breaks the shell after stitch).

import { posixAbi } from "../sys/abi.ts";
import { libc } from "../sys/libc.ts";
import { sys, type Failure } from "../sys/sys.ts";

const encoder = new TextEncoder();

/** SIGPIPE's disposition, through libc (the runtime has no call for it): SIG_IGN is 1, SIG_DFL 0. */
function setSigpipe(to: "ignore" | "default"): boolean {
  const c = process.platform === "win32" ? undefined : libc();
  const k = posixAbi()?.constants;
  if (!c || !k) return false;
  c.fn.signal(k.SIGPIPE, to === "ignore" ? 1 : null);
  return true;
}

/**
 * Whether fd 0, 1 or 2 was closed when stitch started. The runtime then opens /dev/null
 * in its place, close-on-exec; a descriptor the caller passed never is (it survived the
 * exec that started stitch). Writing to that /dev/null would "succeed" and lose the output
 * without a word. Linux only (fcntl through FFI, see libc.ts); false elsewhere.
 */
function closedAtStart(fd: number): boolean {
  const c = process.platform === "linux" ? libc() : undefined;
  const k = posixAbi()?.constants;
  if (!c || !k) return false;
  const flags = c.fn.fcntl(fd, k.F_GETFD, 0) as number;
  return flags >= 0 && (flags & k.FD_CLOEXEC) !== 0;
}

/**
 * Writes all of `text` to stdout (1) or stderr (2); the errno name when it could not.
 * SIGPIPE is ignored again first: the exec path restores its default for the command, and
 * an exec that failed must still report a broken pipe here as EPIPE, not die of it.
 */
export function writeOutput(fd: 1 | 2, text: string): Failure {
  if (text === "") return undefined;
  if (closedAtStart(fd)) return "EBADF";
  setSigpipe("ignore");
  return sys().writeAll(fd, encoder.encode(text));
}

/** Why stdout could not be written, for the one-line error. */
const REASONS: Record<string, string> = {
  EBADF: "stdout is closed",
  ENOSPC: "no space left on device",
  EIO: "input/output error",
  EPIPE: "broken pipe",
};

export const writeFailure = (code: string) => `cannot write the output: ${REASONS[code] ?? "write error"} (${code})`;

/**
 * Ends stitch as a closed pipe ends any program that writes to it (design §2.3): by
 * SIGPIPE, with its default action restored (the runtime ignores it). Where no signal can be
 * raised (Windows, no FFI), the status a shell reports for that death, 128 + 13.
 */
export function dieOfSigpipe(): never {
  if (setSigpipe("default")) process.kill(process.pid, "SIGPIPE");
  process.exit(141);
}
