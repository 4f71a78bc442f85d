// The command's argv and environment as bytes. JS strings cannot hold bytes that are not
// valid UTF-8 (they become U+FFFD), so on Linux the exact bytes are read back from
// /proc/self/cmdline and /proc/self/environ; elsewhere the strings are encoded as UTF-8.

import { readFileSync } from "node:fs";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function readProcSelf(file: string): Uint8Array | undefined {
  if (process.platform !== "linux") return undefined;
  try {
    return readFileSync(`/proc/self/${file}`);
  } catch {
    return undefined;
  }
}

function splitNul(bytes: Uint8Array): Uint8Array[] {
  const parts: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0) {
      parts.push(bytes.subarray(start, i));
      start = i + 1;
    }
  }
  if (start < bytes.length) parts.push(bytes.subarray(start));
  return parts;
}

/**
 * The bytes of the last `args.length` command-line arguments: the command to run. Read
 * from /proc only when they agree with the strings the runtime decoded, in count and
 * (replacement characters aside) in content; otherwise the strings are encoded.
 */
export function rawArguments(args: readonly string[]): Uint8Array[] {
  const raw = readProcSelf("cmdline");
  if (raw) {
    const all = splitNul(raw);
    const tail = all.slice(all.length - args.length);
    if (tail.length === args.length && tail.every((bytes, i) => decoder.decode(bytes) === args[i])) return tail;
  }
  return args.map((a) => encoder.encode(a));
}

/** The environment stitch was started with, as `NAME=value` byte strings. */
export function rawEnvironment(env: Readonly<Record<string, string | undefined>>): Uint8Array[] {
  const raw = readProcSelf("environ");
  if (raw) return splitNul(raw).filter((entry) => entry.length > 0);
  return Object.entries(env).flatMap(([k, v]) => (v === undefined ? [] : [encoder.encode(`${k}=${v}`)]));
}
