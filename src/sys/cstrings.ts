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
    const parts = strings.map((s) => (typeof s === "string" ? encoder.encode(s) : s));
    const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length + 1, 0));
    const starts: number[] = [];
    let at = 0;
    for (const p of parts) {
      starts.push(at);
      bytes.set(p, at);
      at += p.length + 1;
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

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/**
 * An environment with `vars` set: entries of those names dropped wherever they were, the
 * new ones appended. Everything else is kept byte for byte, in order.
 */
export function withVariables(env: CStrings, vars: Readonly<Record<string, string>>): CStrings {
  const names = Object.keys(vars);
  if (names.length === 0) return env;
  const prefixes = names.map((n) => encoder.encode(`${n}=`));
  const kept = env.starts.filter((_, i) => !prefixes.some((p) => env.startsWith(i, p)));
  const added = CStrings.of(names.map((n) => `${n}=${vars[n]}`));
  return new CStrings(concat(env.bytes, added.bytes), [...kept, ...added.starts.map((s) => s + env.bytes.length)]);
}
