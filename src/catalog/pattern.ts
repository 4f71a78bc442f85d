// How a catalog row recognises a process: by its program, never by the words it was given.
// What a Program is, is said here, beside the patterns that match it; resolve/program.ts
// derives one from an argv.

export interface Program {
  /**
   * The program's name: the basename of argv0, or of the script or module an interpreter
   * runs; ASCII lower-cased, without `.exe` or the script's extension (`codex.js` →
   * `codex`). "" when it cannot be told (an unreadable process, or a `ps` line whose
   * path was cut at a space).
   */
  readonly name: string;
  /**
   * Where the name came from, for `stitch resolve`. `bin`: an interpreter's script that is
   * a command on PATH (an extension-less file in a `bin` directory, as npm links them:
   * `node /usr/local/bin/amp`), which is what argv0 would have been without the shebang.
   */
  readonly from: "argv0" | "bin" | "script" | "module";
  /**
   * The command's own basename, case kept (without `.exe`), when the program is a command
   * run by name (`from` argv0 or bin); "" otherwise. Short names are matched on it.
   */
  readonly command: string;
  /** What its path says is installed there: `npm:@openai/codex`, `ext:anthropic.claude-code`. */
  readonly installed: readonly string[];
  /** The words after the program: the user's data; only wrappers' verbs are read (`npm exec`). */
  readonly args: readonly string[];
  /** argv0's basename, lower-cased, without a login shell's `-` or `.exe`: the parent kind's input. */
  readonly argv0: string;
  /** A shell running a command string (`bash -c`, `zsh -lc`): a transient wrapper (§6). */
  readonly commandString: boolean;
}

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
