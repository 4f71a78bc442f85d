// Which command this call is running, as an agent records it in its tool call: the script
// the nearest shell between stitch and the agent was given (`bash -c <script>`,
// `/bin/sh -lc <script>`), exactly, or its lines after a prefix the agent added. A shell given a single command often execs it in
// place (bash and dash do), so stitch may itself be that shell's process and no `-c` hop
// is left to read; then a recorded command counts when its words hold stitch's own argv,
// in order and together (the program compared by its last path segment). That is looser,
// so it only ever picks among candidates: a record answers only when exactly one
// conversation's call matches.

import type { Hop } from "./ancestry.ts";
import { basename } from "../text.ts";

/** Shells whose `-c` runs a script an agent's tool call gave them. */
const SHELLS = new Set(["sh", "bash", "dash", "zsh", "ksh", "mksh", "ash", "fish", "busybox"]);

/** The script of a `<shell> [options] -c <script>` command line, or undefined. */
export function shellScript(argv: readonly string[]): string | undefined {
  const program = basename(argv[0] ?? "");
  if (!SHELLS.has(program.startsWith("-") ? program.slice(1) : program)) return undefined;
  let sawC = false;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") return sawC ? argv[i + 1] : undefined;
    if (a.startsWith("-") && !a.startsWith("--") && a.length > 1) {
      if (a.slice(1).includes("c")) sawC = true;
      continue;
    }
    if (a.startsWith("--")) continue;
    return sawC ? a : undefined;
  }
  return undefined;
}

const OPERATORS = ";&|()<>";

/**
 * Splits a command text into words roughly as a POSIX shell would: quotes and backslashes
 * removed, each run of operator characters (`;&|()<>`) a word of its own.
 */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === "'") {
      const end = text.indexOf("'", i + 1);
      word += end < 0 ? text.slice(i + 1) : text.slice(i + 1, end);
      i = end < 0 ? text.length : end;
      inWord = true;
    } else if (ch === '"') {
      i++;
      for (; i < text.length && text[i] !== '"'; i++) {
        if (text[i] === "\\" && i + 1 < text.length && '"\\$`'.includes(text[i + 1]!)) i++;
        word += text[i];
      }
      inWord = true;
    } else if (ch === "\\" && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (ch === " " || ch === "\t" || ch === "\n") {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else if (OPERATORS.includes(ch)) {
      // An operator is a word of its own, so words on either side of it are never together.
      if (inWord) words.push(word);
      let op = ch;
      while (i + 1 < text.length && OPERATORS.includes(text[i + 1]!)) op += text[++i];
      words.push(op);
      word = "";
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** Whether `words` hold `argv` in order and together, argv[0] compared by its last path segment. */
export function holdsArgv(words: readonly string[], argv: readonly string[]): boolean {
  if (argv.length === 0) return false;
  const program = basename(argv[0]!);
  for (let i = 0; i + argv.length <= words.length; i++) {
    if (basename(words[i]!) !== program) continue;
    let j = 1;
    while (j < argv.length && words[i + j] === argv[j]) j++;
    if (j === argv.length) return true;
  }
  return false;
}

/**
 * The test for a recorded command: the scripts of the shells between stitch and the anchor
 * (hops before it, nearest first), else stitch's own argv among the command's words.
 */
export function thisCommand(hopsBelowAnchor: readonly Hop[], selfArgv: readonly string[]): (text: string) => boolean {
  for (const hop of hopsBelowAnchor) {
    if (!hop.process.argvExact) continue;
    const script = shellScript(hop.process.argv);
    // Or the script's last lines: an agent may put a line of its own before the command
    // (Pi's shellCommandPrefix) while its record keeps the command alone.
    if (script !== undefined) return (text) => text === script || (text !== "" && script.endsWith(`\n${text}`));
  }
  return (text) => holdsArgv(shellWords(text), selfArgv);
}
