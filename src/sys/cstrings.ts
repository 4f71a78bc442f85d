// Byte strings packed NUL-terminated in one buffer, the way the kernel hands argv and the
// environment to a process (/proc/self/cmdline, /proc/self/environ) and execve takes them
// back: the command's arguments and environment go from one to the other without being
// split into separate arrays or copied string by string.

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class CStrings {
  /** `bytes` holds every string followed by a NUL; `starts` are their offsets. */
  constructor(
    readonly bytes: Uint8Array,
    readonly starts: readonly number[],
  ) {}

  /** Splits a NUL-separated buffer; `skipEmpty` drops empty strings (environment blocks). */
  static parse(raw: Uint8Array, skipEmpty = false): CStrings {
    // The last string of /proc/self/cmdline may lack its NUL if a process rewrote argv.
    const bytes = raw.length > 0 && raw[raw.length - 1] !== 0 ? concat(raw, new Uint8Array(1)) : raw;
    const starts: number[] = [];
    for (let at = 0; at < bytes.length; ) {
      const end = bytes.indexOf(0, at);
      if (!skipEmpty || end > at) starts.push(at);
      at = end + 1;
    }
    return new CStrings(bytes, starts);
  }

  static of(strings: readonly (string | Uint8Array)[]): CStrings {
    const parts: Uint8Array[] = [];
    let size = 0;
    for (let i = 0; i < strings.length; i++) {
      const s = strings[i]!;
      const bytes = typeof s === "string" ? encoder.encode(s) : s;
      parts.push(bytes);
      size += bytes.length + 1;
    }
    const bytes = new Uint8Array(size);
    const starts: number[] = [];
    for (let i = 0, at = 0; i < parts.length; at += parts[i]!.length + 1, i++) {
      starts.push(at);
      bytes.set(parts[i]!, at);
    }
    return new CStrings(bytes, starts);
  }

  get length(): number {
    return this.starts.length;
  }

  /** String i, without its NUL (a view, not a copy). */
  at(i: number): Uint8Array {
    const start = this.starts[i]!;
    return this.bytes.subarray(start, this.bytes.indexOf(0, start));
  }

  text(i: number): string {
    return decoder.decode(this.at(i));
  }

  texts(): string[] {
    return this.starts.map((_, i) => this.text(i));
  }

  /** The strings from index `from` on, sharing the buffer. */
  from(from: number): CStrings {
    return new CStrings(this.bytes, this.starts.slice(from));
  }

  /** Whether string i starts with the given bytes. */
  startsWith(i: number, prefix: Uint8Array): boolean {
    const start = this.starts[i]!;
    if (start + prefix.length > this.bytes.length) return false;
    for (let k = 0; k < prefix.length; k++) if (this.bytes[start + k] !== prefix[k]) return false;
    return true;
  }
}

/** `first` followed by the strings of `rest` (which may be a view into a larger block). */
export function withFirst(first: string, rest: CStrings): CStrings {
  const head = encoder.encode(`${first}\0`);
  const from = rest.length === 0 ? rest.bytes.length : rest.starts[0]!;
  const starts = [0];
  for (let i = 0; i < rest.length; i++) starts.push(head.length + rest.starts[i]! - from);
  return new CStrings(concat(head, rest.bytes.subarray(from)), starts);
}

/** The byte strings one after the other, in one new buffer. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  let size = 0;
  for (let i = 0; i < parts.length; i++) size += parts[i]!.length;
  const out = new Uint8Array(size);
  for (let i = 0, at = 0; i < parts.length; at += parts[i]!.length, i++) out.set(parts[i]!, at);
  return out;
}

/**
 * An environment with `vars` set: entries of those names dropped wherever they were, the
 * new ones appended. Everything else is kept byte for byte, in order.
 */
export function withVariables(env: CStrings, vars: Readonly<Record<string, string>>): CStrings {
  // Plain loops: this runs on every wrapped call, where each first use of a builtin costs.
  const prefixes: Uint8Array[] = [];
  const entries: string[] = [];
  for (const name in vars) {
    prefixes.push(encoder.encode(`${name}=`));
    entries.push(`${name}=${vars[name]}`);
  }
  if (entries.length === 0) return env;
  const starts: number[] = [];
  for (let i = 0; i < env.length; i++) {
    let replaced = false;
    for (let k = 0; k < prefixes.length && !replaced; k++) replaced = env.startsWith(i, prefixes[k]!);
    if (!replaced) starts.push(env.starts[i]!);
  }
  const added = CStrings.of(entries);
  for (let i = 0; i < added.length; i++) starts.push(added.starts[i]! + env.bytes.length);
  return new CStrings(concat(env.bytes, added.bytes), starts);
}
