// How a catalog row recognises a process by its command line (argv joined by spaces, the
// way `ps -o command=` shows it).

import { argv0Of } from "../proc/command.ts";
import { asciiLower } from "../resolve/safe.ts";

export interface ProcessPattern {
  /**
   * argv0's basename equals one of these exactly. For short, generic names (`pi`, `amp`,
   * `droid`, `claude`) a substring would hit `pilot`, `chamber`, `android`, `~/.claude/`.
   */
  readonly basename?: readonly string[];
  /**
   * Appears anywhere in the command line as a whole word: preceded and followed by the
   * line's ends or a character outside [a-z0-9]. `codex` matches `.../@openai/codex/bin`
   * and `codex-linux-x64`, but `goose` does not match `mongoose`.
   */
  readonly word?: readonly string[];
}

/** The two views of a command line that patterns look at. */
export interface CommandView {
  /** The whole command line, ASCII lower-cased. */
  readonly lower: string;
  /** Basename of argv[0], ASCII lower-cased; "" when it cannot be told. */
  readonly base: string;
}

const basenameOf = (path: string) => path.slice(path.lastIndexOf("/") + 1);

/**
 * `argv0` is argv[0] when known exactly (/proc). From `ps`, only the joined command line
 * is known, and an executable path with spaces in it is cut at the first space:
 * `/Applications/Claude.app/Contents/Frameworks/Claude Helper (Renderer).app/...` would
 * read as `.../Frameworks/Claude`, basename `claude`. So when a path-like first word is
 * followed, before any option, by a word that continues a path, no basename is trusted.
 */
export function commandView(command: string, argv0?: string): CommandView {
  const lower = asciiLower(command);
  if (argv0 !== undefined) return { lower, base: asciiLower(basenameOf(argv0)) };
  const words = lower.trim().split(/\s+/);
  const first = words[0] ?? "";
  const next = words.slice(1);
  const optionAt = next.findIndex((w) => w.startsWith("-"));
  const beforeOptions = optionAt === -1 ? next : next.slice(0, optionAt);
  const ambiguous = first.includes("/") && beforeOptions.some((w) => w.includes("/") && !w.startsWith("/"));
  return { lower, base: ambiguous ? "" : basenameOf(argv0Of(command)) };
}

const WORD_CHAR = /[a-z0-9]/;

export function containsWord(haystack: string, word: string): boolean {
  for (let at = haystack.indexOf(word); at !== -1; at = haystack.indexOf(word, at + 1)) {
    const before = at === 0 ? "" : haystack[at - 1]!;
    const after = haystack[at + word.length] ?? "";
    if (!WORD_CHAR.test(before) && !WORD_CHAR.test(after)) return true;
  }
  return false;
}

/** What in the command line matched the pattern, or undefined. */
export function matchPattern(p: ProcessPattern, view: CommandView): string | undefined {
  for (const name of p.basename ?? []) {
    if (view.base === name) return `argv0 basename "${name}"`;
  }
  for (const word of p.word ?? []) {
    if (containsWord(view.lower, word)) return `"${word}" in the command line`;
  }
  return undefined;
}
