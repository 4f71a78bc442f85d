// Small string helpers for the per-hop classification, written as loops over char codes.
// In JavaScriptCore a RegExp method (test, replace, split with a pattern) runs a built-in
// written in JavaScript, compiled on its first use in the process: on a path that runs
// once per call, that compile costs more than the matching. These do the same work
// without one.

const SLASH = 0x2f;
const BACKSLASH = 0x5c;

/** The last segment of a path, `/` and `\` both separators: `C:\bin\claude.exe` → `claude.exe`. */
export function basename(path: string): string {
  return path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1);
}

/** The path's segments, `/` and `\` both separators, a run of them one: split(/[/\\]+/). */
export function splitPath(path: string): string[] {
  const isSeparator = (i: number) => {
    const c = path.charCodeAt(i);
    return c === SLASH || c === BACKSLASH;
  };
  const segments: string[] = [];
  for (let start = 0; ; ) {
    let end = start;
    while (end < path.length && !isSeparator(end)) end++;
    segments.push(path.slice(start, end));
    if (end === path.length) return segments;
    while (end < path.length && isSeparator(end)) end++;
    start = end;
    if (start === path.length) {
      segments.push("");
      return segments;
    }
  }
}

export const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

/** 1 to 20 decimal digits (a u64 at most), checked by char codes: no RegExp on the walk. */
export function isUint(text: string | undefined): text is string {
  if (text === undefined || text.length < 1 || text.length > 20) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/**
 * `codex.exe` → `codex`, `Claude.EXE` → `Claude`: Windows file names ignore case, so the
 * extension is found in any case; the rest keeps its own.
 */
export const withoutExe = (name: string) => (asciiLower(name.slice(-4)) === ".exe" ? name.slice(0, -4) : name);

/** A login shell's argv0 (`-bash`) without its dash. */
export const withoutLoginDash = (name: string) => (name.charCodeAt(0) === 0x2d ? name.slice(1) : name);

/** `python3.12` → `python`, `node22` → `node`: trailing digits and dots dropped. */
export function withoutVersionSuffix(name: string): string {
  let end = name.length;
  while (end > 0 && (isDigit(name.charCodeAt(end - 1)) || name.charCodeAt(end - 1) === 0x2e)) end--;
  return name.slice(0, end);
}

/** `-abc` or `+abc`: a cluster of ASCII letters after one sign. */
export function isLetterCluster(word: string): boolean {
  if (word.length < 2) return false;
  const sign = word.charCodeAt(0);
  if (sign !== 0x2d && sign !== 0x2b) return false;
  for (let i = 1; i < word.length; i++) {
    const c = word.charCodeAt(i) | 0x20;
    if (c < 0x61 || c > 0x7a) return false;
  }
  return true;
}

/** What `\s` matches in a JavaScript RegExp. */
export function isJsWhitespace(c: number): boolean {
  return (
    c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

/** Rust's char::is_whitespace (Unicode White_Space): JavaScript's \s less U+FEFF, plus U+0085. */
const isRustWhitespace = (c: number) => (isJsWhitespace(c) && c !== 0xfeff) || c === 0x85;

/** Rust's str::trim: what Railway's CLI trims from a text before hashing it. */
export function rustTrim(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isRustWhitespace(text.charCodeAt(start))) start++;
  while (end > start && isRustWhitespace(text.charCodeAt(end - 1))) end--;
  return text.slice(start, end);
}

/** Lower-cases ASCII letters only, byte for byte what Rust's `to_ascii_lowercase` does. */
export function asciiLower(s: string): string {
  let i = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) break;
  }
  if (i === s.length) return s;
  let out = s.slice(0, i);
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c >= 0x41 && c <= 0x5a ? String.fromCharCode(c + 0x20) : s[i]!;
  }
  return out;
}
