// The command's argv and environment as bytes. JS strings cannot hold bytes that are not
// valid UTF-8 (the runtime decodes them to U+FFFD), so on Linux the exact bytes are read
// back from /proc: the environment always (process.env also hides duplicate names and the
// order of the block), the arguments only when one of them holds U+FFFD: otherwise they
// were valid UTF-8, and encoding them gives back the very bytes.

import { CStrings } from "./cstrings.ts";
import { sys } from "./sys.ts";

function readProcSelf(file: string): Uint8Array | undefined {
  return process.platform === "linux" ? sys().readWhole(`/proc/self/${file}`) : undefined;
}

let environBlock: CStrings | undefined | null = null;

/** The environment block stitch was started with, read once (Linux: /proc/self/environ). */
function environ(): CStrings | undefined {
  if (environBlock === null) {
    const raw = readProcSelf("environ");
    environBlock = raw ? CStrings.parse(raw, true) : undefined;
  }
  return environBlock;
}

const EQUALS = 0x3d;
const decoder = new TextDecoder();

/**
 * The environment as the command will read it. A block may hold a name twice (execve takes
 * any list); getenv(3), and so the command, reads the first, while the runtime's
 * process.env keeps the last. stitch decides on what the command sees (design Appendix A):
 * `DO_NOT_TRACK=1` then `DO_NOT_TRACK=0` is an opt-out for both. `env` itself when no name
 * repeats (nearly always); where the block cannot be read (no /proc), `env` as it is.
 */
export function firstWins(env: Readonly<Record<string, string | undefined>>): Readonly<Record<string, string | undefined>> {
  const block = environ();
  if (!block) return env;
  const first = new Map<string, Uint8Array>();
  let firsts: Record<string, string> | undefined;
  for (let i = 0; i < block.length; i++) {
    const entry = block.at(i);
    const eq = entry.indexOf(EQUALS);
    // An entry without `=`, or with an empty name, is no variable: process.env skips it too.
    if (eq <= 0) continue;
    const name = decoder.decode(entry.subarray(0, eq));
    const earlier = first.get(name);
    if (earlier === undefined) first.set(name, entry.subarray(eq + 1));
    else if (!(firsts && name in firsts)) (firsts ??= {})[name] = decoder.decode(earlier);
  }
  return firsts ? { ...env, ...firsts } : env;
}

const REPLACEMENT = "\uFFFD";

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
  const raw = environ();
  if (raw) return raw;
  const entries: string[] = [];
  for (const name in env) {
    const value = env[name];
    if (value !== undefined) entries.push(`${name}=${value}`);
  }
  return CStrings.of(entries);
}
