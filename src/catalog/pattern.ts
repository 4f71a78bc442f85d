// How a catalog row recognises a process: by its program (resolve/program.ts), never by
// the words it was given.

import type { Program } from "../resolve/program.ts";

export interface ProcessPattern {
  /**
   * Short, generic names (`pi`, `amp`, `droid`, `claude`): only as the basename of the
   * command run (argv0, or an npm bin link run by node), exactly, case included. As a
   * script's name they are a human's files (`python3 pi.py`, `node amp.js`); and Claude
   * Desktop's own executable is `Claude` (Claude.app/Contents/MacOS/Claude, Claude.exe).
   */
  readonly argv0?: readonly string[];
  /**
   * The program's name exactly: argv0's basename, or under an interpreter the script's
   * (without `.js`, `.py`, ...) or the module's. Exact, because a name inside a longer one
   * is someone else's: `pilot`, `chamber`, `android`, `test_codex_parser.py`,
   * `codex-notes.sh`.
   */
  readonly names?: readonly string[];
  /**
   * What the program's path says is installed (catalog/installs.ts), exactly, or as a
   * prefix when written with a trailing `*`: `npm:@openai/codex*` covers the platform
   * packages `@openai/codex-linux-x64`, ... A scope belongs to its vendor, so a prefix is
   * written only under one.
   */
  readonly installed?: readonly string[];
}

const HOW: Record<Program["from"], string> = {
  argv0: "argv0 basename",
  bin: "command on PATH",
  script: "script",
  module: "module",
};

/** What about the program matched the pattern, for `stitch resolve`; undefined if nothing. */
export function matchProgram(p: ProcessPattern, program: Program): string | undefined {
  if (program.name !== "") {
    for (const name of p.argv0 ?? []) {
      if (program.command === name) return `${HOW[program.from]} "${name}"`;
    }
    for (const name of p.names ?? []) {
      if (program.name === name) return `${HOW[program.from]} "${name}"`;
    }
  }
  for (const pattern of p.installed ?? []) {
    const prefix = pattern.endsWith("*") ? pattern.slice(0, -1) : undefined;
    for (const installed of program.installed) {
      if (prefix !== undefined ? installed.startsWith(prefix) : installed === pattern) return `installed ${installed}`;
    }
  }
  return undefined;
}
