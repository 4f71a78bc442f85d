// The command's argv and environment as bytes. JS strings cannot hold bytes that are not
// valid UTF-8 (the runtime decodes them to U+FFFD), so on Linux the exact bytes are read
// back from /proc: the environment always (process.env also hides duplicate names and the
// order of the block), the arguments only when one of them holds U+FFFD: otherwise they
// were valid UTF-8, and encoding them gives back the very bytes.

import { CStrings } from "./cstrings.ts";
import { sys } from "./sys.ts";

const REPLACEMENT = "\uFFFD";

function readProcSelf(file: string): Uint8Array | undefined {
  return process.platform === "linux" ? sys().readWhole(`/proc/self/${file}`) : undefined;
}

function anyReplaced(strings: readonly string[]): boolean {
  for (let i = 0; i < strings.length; i++) if (strings[i]!.includes(REPLACEMENT)) return true;
  return false;
}

/**
 * The last `args.length` command-line arguments (the command to run), as bytes. Read from
 * /proc only when one holds U+FFFD, and used only when they agree with the strings the
 * runtime decoded, in count and (bytes that are not UTF-8 aside) in content; otherwise the
 * strings are encoded.
 */
export function rawArguments(args: readonly string[]): CStrings {
  const raw = anyReplaced(args) ? readProcSelf("cmdline") : undefined;
  if (raw) {
    const all = CStrings.parse(raw);
    const tail = all.from(all.length - args.length);
    let agree = all.length >= args.length;
    for (let i = 0; agree && i < args.length; i++) agree = tail.text(i) === args[i];
    if (agree) return tail;
  }
  return CStrings.of(args);
}

/** The environment stitch was started with, as `NAME=value` byte strings. */
export function rawEnvironment(env: Readonly<Record<string, string | undefined>>): CStrings {
  const raw = readProcSelf("environ");
  if (raw) return CStrings.parse(raw, true);
  const entries: string[] = [];
  for (const name in env) {
    const value = env[name];
    if (value !== undefined) entries.push(`${name}=${value}`);
  }
  return CStrings.of(entries);
}
