// Interpreters and runtimes (design §4.3): for these, the program that really runs is not
// argv0 but the script they were given (`node /usr/lib/node_modules/@openai/codex/bin/
// codex.js`) or the module (`python3 -m aider`). Each row says how its command line is
// read, so that an option's value is never mistaken for the script: `node --require
// ./codex-hook.js server.js` runs server.js, `python3 -W ignore eval.py` runs eval.py.
// Whatever comes after the script is the user's data and is never read.

import { withoutVersionSuffix } from "../text.ts";

export interface RuntimeRow {
  /** argv0 basenames; a version suffix (`python3.12`, `node22`) is ignored. */
  readonly names: readonly string[];
  /** Options that take the next argument as their value (unless written `--opt=value`). */
  readonly optionsWithValue: readonly string[];
  /** Options whose value is inline code: no script runs, the program is the runtime. */
  readonly inlineCode: readonly string[];
  /** Options whose value is the module to run (`python -m aider`). */
  readonly module?: readonly string[];
  /** Short options may be clustered, the last one taking a value (`python3 -um aider`). */
  readonly clusters?: boolean;
  /** Subcommands stepped over before the script (`deno run x.ts`, `bun run x.ts`). */
  readonly runVerbs?: readonly string[];
  /**
   * The first word is a script only if it looks like a file (a `/` or a script
   * extension): `bun test` and `bun run dev` name a subcommand or a package.json script,
   * which is the user's word, not a program.
   */
  readonly scriptLooksLikeFile?: boolean;
  /** Extensions dropped from the script's basename (`codex.js` is the program `codex`). */
  readonly extensions: readonly string[];
  readonly evidence: string;
}

const JS = [".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".jsx", ".tsx"];

export const RUNTIMES: readonly RuntimeRow[] = [
  {
    names: ["node", "nodejs"],
    optionsWithValue: [
      "-r", "--require", "--import", "--loader", "--experimental-loader", "-C", "--conditions",
      "--env-file", "--env-file-if-exists", "--input-type", "--inspect-port", "--debug-port", "--title",
      "--max-old-space-size", "--max-semi-space-size", "--stack-size", "--stack-trace-limit",
      "--openssl-config", "--redirect-warnings", "--report-dir", "--report-directory", "--report-filename",
      "--report-signal", "--secure-heap", "--secure-heap-min", "--snapshot-blob", "--tls-cipher-list",
      "--use-largepages", "--watch-path", "--diagnostic-dir", "--dns-result-order", "--heapsnapshot-signal",
      "--icu-data-dir", "--unhandled-rejections", "--cpu-prof-dir", "--cpu-prof-name", "--heap-prof-dir",
      "--heap-prof-name", "--disable-warning", "--localstorage-file", "--experimental-config-file",
    ],
    inlineCode: ["-e", "--eval", "-p", "--print"],
    extensions: JS,
    evidence: "`node --help` (v20–v24): options that take a value, and the inline-code forms",
  },
  {
    names: ["bun"],
    optionsWithValue: [
      "-r", "--preload", "--require", "--import", "--cwd", "-c", "--config", "--env-file", "--tsconfig-override",
      "-d", "--define", "-l", "--loader", "--port", "--conditions", "--main-fields", "--extension-order",
      "--jsx-factory", "--jsx-fragment", "--jsx-import-source", "--jsx-runtime", "--install", "--console-depth",
      "--max-http-header-size", "--dns-result-order", "--elide-lines", "--filter", "-F",
    ],
    inlineCode: ["-e", "--eval", "-p", "--print"],
    runVerbs: ["run"],
    scriptLooksLikeFile: true,
    extensions: JS,
    evidence: "`bun --help` (1.x): `bun [run] FILE`; other first words are subcommands or package.json scripts",
  },
  {
    names: ["deno"],
    optionsWithValue: [
      "-c", "--config", "--import-map", "--location", "--seed", "--cert", "--env-file", "--lock", "--ext",
      "--v8-flags", "-L", "--log-level", "--preload", "--inspect-wait",
    ],
    inlineCode: ["eval"],
    runVerbs: ["run"],
    scriptLooksLikeFile: true,
    extensions: JS,
    evidence: "`deno run --help` (2.x); `deno run npm:@scope/pkg` runs an npm package's bin",
  },
  {
    names: ["python", "pypy", "pypy3"],
    optionsWithValue: ["-W", "-X", "--check-hash-based-pycs"],
    inlineCode: ["-c"],
    module: ["-m"],
    clusters: true,
    extensions: [".py", ".pyw", ".pyz"],
    evidence: "`python3 --help`: single-letter options may be clustered; -W and -X take a value",
  },
  {
    names: ["ruby"],
    optionsWithValue: ["-r", "-I", "-C", "-E", "--encoding", "--enable", "--disable"],
    inlineCode: ["-e"],
    clusters: true,
    extensions: [".rb"],
    evidence: "`ruby --help`",
  },
  {
    names: ["perl"],
    optionsWithValue: ["-I", "-M", "-m"],
    inlineCode: ["-e", "-E"],
    clusters: true,
    extensions: [".pl"],
    evidence: "`perl -h`",
  },
];

/** The runtime row for an argv0 basename (lower-cased, login dash removed), if any. */
export function runtimeOf(base: string): RuntimeRow | undefined {
  const unversioned = withoutVersionSuffix(base);
  for (const r of RUNTIMES) if (r.names.includes(base) || r.names.includes(unversioned)) return r;
  return undefined;
}

// Shells (design §4.3, §6). A shell runs a command string (`-c`: the string is the caller's
// data, and the shell is a transient wrapper), a script file (the script is the program,
// as for any interpreter: `/bin/sh .git/hooks/pre-commit` is `pre-commit`), or commands
// from a terminal or stdin (the shell is the program).

export interface ShellGrammar {
  /** Long options that take the next argument as their value. */
  readonly longWithValue: readonly string[];
  /** Long options whose value is the command string (fish's `--command`). */
  readonly longCommand: readonly string[];
  /** Short option letters that take the next argument as their value (`-o pipefail`). */
  readonly shortWithValue: string;
  /** Short option letters that make the rest of the command line commands, not a script. */
  readonly shortNoScript: string;
  /**
   * bash reads `-rcfile`, `-login`, `-norc`, ... with one dash as its long options before
   * any short ones: `bash -rcfile FILE` is --rcfile FILE, not `-r -c`.
   */
  readonly singleDashLong: readonly string[];
  /** Of those, the ones that take a value. */
  readonly singleDashLongWithValue: readonly string[];
}

const POSIX_SHELL: ShellGrammar = {
  longWithValue: [],
  longCommand: [],
  shortWithValue: "oO",
  shortNoScript: "s",
  singleDashLong: [],
  singleDashLongWithValue: [],
};

// bash 5.2, shell.c long_args[], as bash also reads them with one dash.
const BASH_LONG = [
  "-debug", "-debugger", "-dump-po-strings", "-dump-strings", "-help", "-init-file", "-login", "-noediting",
  "-noprofile", "-norc", "-posix", "-pretty-print", "-protected", "-rcfile", "-restricted", "-verbose", "-version", "-wordexp",
];

export const SHELL_GRAMMARS: Readonly<Record<string, ShellGrammar>> = {
  bash: {
    ...POSIX_SHELL,
    longWithValue: ["--init-file", "--rcfile"],
    singleDashLong: BASH_LONG,
    singleDashLongWithValue: ["-init-file", "-rcfile"],
  },
  zsh: { ...POSIX_SHELL, longWithValue: ["--emulate"] },
  fish: {
    ...POSIX_SHELL,
    longWithValue: ["--init-command", "--debug", "--debug-output", "--features", "--profile", "--profile-startup"],
    longCommand: ["--command"],
    shortWithValue: "Cdfop",
    shortNoScript: "",
  },
};

/**
 * Windows shells: transient when their first argument runs a command string (`cmd /c`,
 * `powershell -Command`, `pwsh -c`). Matched ignoring case, as Windows reads them.
 */
export interface WindowsShellRow {
  readonly names: readonly string[];
  readonly commandOptions: readonly string[];
  readonly evidence: string;
}

export const WINDOWS_SHELLS: readonly WindowsShellRow[] = [
  { names: ["cmd"], commandOptions: ["/c", "/r"], evidence: "`cmd /?`: /C (or /R) runs the string and ends; /K stays" },
  {
    names: ["powershell", "pwsh"],
    commandOptions: ["-command", "-c", "-encodedcommand", "-ec", "-e", "/command", "/c"],
    evidence: "`pwsh -?`: -Command (-c) and -EncodedCommand run a string; -File runs a script",
  },
];

/** The Windows shell row for an argv0 basename (lower-cased, `.exe` removed), if any. */
export function windowsShellOf(base: string): WindowsShellRow | undefined {
  for (const row of WINDOWS_SHELLS) if (row.names.includes(base)) return row;
  return undefined;
}

/** The grammar of a shell by its argv0 basename: bash's, zsh's, fish's or plain POSIX. */
export function shellGrammar(base: string): ShellGrammar {
  return SHELL_GRAMMARS[base] ?? POSIX_SHELL;
}
