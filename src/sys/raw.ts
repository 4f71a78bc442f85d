// The command's argv and environment as bytes. JS strings cannot hold bytes that are not
// valid UTF-8 (they become U+FFFD), so on Linux the exact bytes are read back from
// /proc/self/cmdline and /proc/self/environ; elsewhere the strings are encoded as UTF-8.

import { CStrings } from "./cstrings.ts";
import { sys } from "./sys.ts";

function readProcSelf(file: string): Uint8Array | undefined {
  return process.platform === "linux" ? sys().readWhole(`/proc/self/${file}`) : undefined;
}

/**
 * The last `args.length` command-line arguments (the command to run), as bytes. Read from
 * /proc only when they agree with the strings the runtime decoded, in count and (bytes
 * that are not UTF-8 aside) in content; otherwise the strings are encoded.
 */
export function rawArguments(args: readonly string[]): CStrings {
  const raw = readProcSelf("cmdline");
  if (raw) {
    const all = CStrings.parse(raw);
    const tail = all.from(all.length - args.length);
    if (all.length >= args.length && args.every((a, i) => tail.text(i) === a)) return tail;
  }
  return CStrings.of(args);
}

/** The environment stitch was started with, as `NAME=value` byte strings. */
export function rawEnvironment(env: Readonly<Record<string, string | undefined>>): CStrings {
  const raw = readProcSelf("environ");
  if (raw) return CStrings.parse(raw, true);
  return CStrings.of(Object.entries(env).flatMap(([k, v]) => (v === undefined ? [] : [`${k}=${v}`])));
}
