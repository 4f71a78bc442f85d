// What program a process runs (design §4.3), the one thing the catalog matches a process
// by. argv0, or under an interpreter the script it runs (or its `-m` module); of that
// path only the basename and the directories that name an installed package
// (catalog/installs.ts). Every other word of the command line is the user's data: file
// names, session names, model names, directories. `vim codex.md`, `tmux new -s claude`,
// `python3 eval.py --model codex-mini` run vim, tmux and eval, none of them an agent.
// Pure: an argv in, a Program out.

import { APP_BUNDLE_SUFFIX, extensionId, INSTALL_LAYOUTS } from "../catalog/installs.ts";
import { SHELLS } from "../catalog/kinds.ts";
import type { Program } from "../catalog/pattern.ts";
import { runtimeOf, shellGrammar, windowsShellOf, type RuntimeRow, type ShellGrammar } from "../catalog/runtimes.ts";
import { asciiLower, basename, isDigit, isLetterCluster, splitPath, withoutExe, withoutLoginDash } from "../text.ts";

const dirnameOf = (path: string) => path.slice(0, Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1);

function withoutExtension(name: string, extensions: readonly string[]): string {
  for (const ext of extensions) if (name.endsWith(ext) && name.length > ext.length) return name.slice(0, -ext.length);
  return name;
}

const isVersion = (segment: string) => isDigit(segment.charCodeAt(segment.charCodeAt(0) === 0x76 ? 1 : 0)); // v?\d

/** The installed packages, extensions and applications named by a path's directories. */
export function installedIn(path: string): string[] {
  const segments = splitPath(asciiLower(path));
  const lastDir = segments.length - 2; // the last segment is the file itself
  const found: string[] = [];
  for (let i = 0; i <= lastDir; i++) {
    const segment = segments[i]!;
    if (segment.endsWith(APP_BUNDLE_SUFFIX) && segment.length > APP_BUNDLE_SUFFIX.length) {
      found.push(`app:${segment.slice(0, -APP_BUNDLE_SUFFIX.length)}`);
    }
    for (const layout of INSTALL_LAYOUTS) {
      let j = i;
      let wildcard: string | undefined;
      let matches = true;
      for (const part of layout.path) {
        const s = segments[j++];
        if (s === undefined || j - 1 > lastDir) matches = false;
        else if (part === "*") wildcard = s;
        else if (s !== part) matches = false;
        if (!matches) break;
      }
      if (!matches) continue;
      const next = segments[j];
      if (wildcard !== undefined) {
        // share/<tool>/versions/<version>: the version may be the executable itself.
        if (next !== undefined && isVersion(next)) found.push(`${layout.kind}:${wildcard}`);
        continue;
      }
      if (next === undefined || j > lastDir) continue;
      if (layout.kind === "npm") {
        if (next === ".bin" || next === ".pnpm" || next.startsWith(".")) continue;
        if (next.startsWith("@")) {
          const name = segments[j + 1];
          if (name !== undefined && j + 1 <= lastDir) found.push(`npm:${next}/${name}`);
        } else found.push(`npm:${next}`);
      } else if (layout.kind === "ext") {
        const id = extensionId(next);
        if (id) found.push(`ext:${id}`);
      } else found.push(`${layout.kind}:${next}`);
    }
  }
  return found;
}

/** An extension-less file directly in a `bin` or `.bin` directory: a command on PATH. */
function isBinCommand(script: string, extensions: readonly string[]): boolean {
  const parts = splitPath(script);
  const dir = parts[parts.length - 2];
  const base = parts[parts.length - 1] ?? "";
  return (dir === "bin" || dir === ".bin") && base !== "" && !base.includes(".") && withoutExtension(base, extensions) === base;
}

/** `npm:@google/gemini-cli@0.61.0/gemini` (deno) → `npm:@google/gemini-cli`. */
function npmSpecifier(word: string): string | undefined {
  if (!word.startsWith("npm:")) return undefined;
  const m = /^npm:(@[^/@]+\/[^/@]+|[^/@]+)/.exec(asciiLower(word));
  return m ? `npm:${m[1]}` : undefined;
}

/**
 * From `ps`, argv is the command line split on spaces, so a path with a space in it is
 * cut: `/Applications/Claude.app/Contents/Frameworks/Claude Helper (Renderer).app/...`
 * reads as `.../Frameworks/Claude`, basename `claude`. The word at `at` is not trusted as
 * a whole path when, before any option, a later word continues a path (has a `/` but does
 * not start with one) or is the rest of a script's file name (`/Users/u/codex notes.py`,
 * with the interpreter's script `extensions`).
 */
export function cutAtSpace(argv: readonly string[], at: number, extensions: readonly string[] = []): boolean {
  const word = argv[at]!;
  if (!word.includes("/")) return false;
  const hasExtension = (w: string) => extensions.some((e) => asciiLower(w).endsWith(e));
  for (let i = at + 1; i < argv.length; i++) {
    const next = argv[i]!;
    if (next.startsWith("-")) return false;
    if (next.includes("/") && !next.startsWith("/")) return true;
    if (i === at + 1 && hasExtension(next) && !hasExtension(word)) return true;
  }
  return false;
}

type Found = { kind: "script"; at: number } | { kind: "module"; at: number; name: string } | { kind: "none" };

/** Where an interpreter's script (or module) is in its argv, stepping over its options. */
function scriptOf(rt: RuntimeRow, argv: readonly string[]): Found {
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") {
      i++;
      break;
    }
    if (a === "-" || rt.inlineCode.includes(a)) return { kind: "none" };
    if (rt.runVerbs?.includes(a)) continue;
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const option = eq === -1 ? a : a.slice(0, eq);
      if (rt.inlineCode.includes(option)) return { kind: "none" };
      if (eq === -1 && rt.optionsWithValue.includes(option)) i++;
      continue;
    }
    if (a.startsWith("-") && a.length > 1) {
      if (!rt.clusters) {
        if (rt.optionsWithValue.includes(a)) i++;
        continue;
      }
      // A cluster: letters until one that takes a value, which is the rest or the next word.
      for (let c = 1; c < a.length; c++) {
        const flag = `-${a[c]}`;
        const rest = a.slice(c + 1);
        if (rt.inlineCode.includes(flag)) return { kind: "none" };
        if (rt.module?.includes(flag)) {
          const name = rest || argv[i + 1];
          return name ? { kind: "module", at: rest ? i : i + 1, name } : { kind: "none" };
        }
        if (rt.optionsWithValue.includes(flag)) {
          if (rest === "") i++;
          break;
        }
      }
      continue;
    }
    break;
  }
  const script = argv[i];
  if (script === undefined || script === "") return { kind: "none" };
  if (rt.scriptLooksLikeFile) {
    const lower = asciiLower(script);
    const fileLike = lower.includes("/") || lower.includes("\\") || rt.extensions.some((e) => lower.endsWith(e)) || lower.startsWith("npm:");
    if (!fileLike) return { kind: "none" };
  }
  return { kind: "script", at: i };
}

/** `cmd /d /s /c "..."`, `powershell -NoProfile -Command ...`: a command option among the leading options. */
function runsCommandOption(commandOptions: readonly string[], argv: readonly string[]): boolean {
  for (let i = 1; i < argv.length; i++) {
    const a = asciiLower(argv[i]!);
    if (!a.startsWith("-") && !a.startsWith("/")) return false;
    if (commandOptions.includes(a)) return true;
  }
  return false;
}

/** A shell's command line: a command string (`-c`), a script file, or neither. */
function shellCommandLine(g: ShellGrammar, argv: readonly string[]): { commandString: boolean; script?: number } {
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--" || a === "-") return { commandString: false, script: argv[i + 1] === undefined ? undefined : i + 1 };
    if (g.singleDashLong.includes(a)) {
      if (g.singleDashLongWithValue.includes(a)) i++;
      continue;
    }
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const option = eq === -1 ? a : a.slice(0, eq);
      if (g.longCommand.includes(option)) return { commandString: true };
      if (eq === -1 && g.longWithValue.includes(option)) i++;
      continue;
    }
    if (isLetterCluster(a)) {
      let values = 0;
      for (const letter of a.slice(1)) {
        if (letter === "c" && a[0] === "-") return { commandString: true };
        if (g.shortNoScript.includes(letter)) return { commandString: false };
        if (g.shortWithValue.includes(letter)) values++;
      }
      i += values;
      continue;
    }
    if (a.startsWith("-") || a.startsWith("+")) continue;
    return { commandString: false, script: i };
  }
  return { commandString: false };
}

/** What a process's argv says, read once: the argv, whether it is exact (/proc), argv0's name. */
interface Read {
  readonly argv: readonly string[];
  /** argv is the real argv (/proc), not a `ps` line split on spaces. */
  readonly exact: boolean;
  /** argv0's basename, lower-cased, without a login shell's `-` or `.exe`. */
  readonly argv0: string;
}

/**
 * The program a process runs. `exact`: argv is the real argv (/proc), not a `ps` line split
 * on spaces. `argsUnknown`: argv is the executable's path alone (a Windows snapshot); a
 * shell is then taken to run a command string, since that is how agents run commands
 * (`cmd /c`, `powershell -Command`, Git Bash's `bash -c`), and a session anchored on a shell
 * that lives for one call would change with every call.
 */
export function programOf(argv: readonly string[], exact: boolean, argsUnknown = false): Program {
  const read: Read = { argv, exact, argv0: withoutExe(withoutLoginDash(asciiLower(basename(argv[0] ?? "")))) };
  const runtime = runtimeOf(read.argv0);
  if (runtime) return interpretedProgram(read, runtime);
  const windowsShell = windowsShellOf(read.argv0);
  if (windowsShell) return argv0Program(read, argsUnknown || runsCommandOption(windowsShell.commandOptions, argv));
  if (SHELLS.includes(read.argv0)) return shellProgram(read, argsUnknown);
  return argv0Program(read);
}

/** The program is argv0 itself: its basename, and what its path says is installed. */
function argv0Program({ argv, exact, argv0 }: Read, commandString = false): Program {
  const first = argv[0] ?? "";
  const cut = !exact && first !== "" && cutAtSpace(argv, 0);
  return {
    name: cut ? "" : argv0,
    from: "argv0",
    command: cut ? "" : withoutExe(withoutLoginDash(basename(first))),
    installed: installedIn(cut ? dirnameOf(first) : first),
    args: argv.slice(1),
    argv0,
    commandString,
  };
}

/** An interpreter's program: the script it runs, or the package of its `-m` module, else itself. */
function interpretedProgram(read: Read, runtime: RuntimeRow): Program {
  const found = scriptOf(runtime, read.argv);
  if (found.kind === "script") return scriptProgram(read, found.at, runtime.extensions);
  if (found.kind === "module") {
    // `python -m aider.main` runs the package aider.
    const lower = asciiLower(found.name);
    const dot = lower.indexOf(".");
    const name = dot === -1 ? lower : lower.slice(0, dot);
    return { name, from: "module", command: "", installed: [], args: read.argv.slice(found.at + 1), argv0: read.argv0, commandString: false };
  }
  return argv0Program(read);
}

/** A POSIX shell's program: a command string makes it a transient wrapper; a script file is the program. */
function shellProgram(read: Read, argsUnknown: boolean): Program {
  if (argsUnknown) return argv0Program(read, true);
  const line = shellCommandLine(shellGrammar(read.argv0), read.argv);
  if (line.commandString) return argv0Program(read, true);
  if (line.script !== undefined) return scriptProgram(read, line.script, []);
  return argv0Program(read);
}

/** The script at `at` is the program: its name without the interpreter's extensions, or its npm specifier. */
function scriptProgram({ argv, exact, argv0 }: Read, at: number, extensions: readonly string[]): Program {
  const script = argv[at]!;
  const specifier = npmSpecifier(script);
  if (specifier) return { name: "", from: "script", command: "", installed: [specifier], args: argv.slice(at + 1), argv0, commandString: false };
  const cut = !exact && cutAtSpace(argv, at, extensions);
  const base = basename(script);
  const onPath = !cut && isBinCommand(script, extensions);
  return {
    name: cut ? "" : withoutExtension(asciiLower(base), extensions),
    from: onPath ? "bin" : "script",
    command: onPath ? base : "",
    installed: installedIn(cut ? dirnameOf(script) : script),
    args: argv.slice(at + 1),
    argv0,
    commandString: false,
  };
}
