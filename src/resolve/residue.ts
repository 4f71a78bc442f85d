// The ancestor residue (design §4.8): when no catalog row names the agent, the caller still
// says what drives it (`agent_unknown:node:@acme/agent-kit`), so that new harnesses can be
// counted downstream before anyone catalogs them. It must never leak user data: only a
// program's own name (an npm package name, a file's basename, an executable's name), never
// a directory, an argument value or inline code. Losing a residue is always acceptable.

import { GENERIC_NAMES, PACKAGE_RUNNERS, RESIDUE_MAX_LENGTH, RUN_VERBS, SCRIPT_EXTENSIONS, WALKED_PAST } from "../catalog/residue.ts";
import { SHELLS } from "../catalog/kinds.ts";
import { runtimeOf, windowsShellOf } from "../catalog/runtimes.ts";
import { asciiLower, basename, withoutExe, withoutLoginDash } from "../text.ts";
import type { Ancestry, Hop } from "./ancestry.ts";
import { isSafeChar } from "../safe.ts";
import { cutAtSpace, installedIn } from "./program.ts";

/** A script's name without its extension: `agent.mjs` → `agent`, `run.sh` → `run`. */
function withoutExtension(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(0, dot) : name;
}

/** `@acme/agent-kit@1.2.3` → `@acme/agent-kit`: a package name as npx and uvx take it. */
function packageName(word: string): string {
  const at = word.indexOf("@", 1);
  return at === -1 ? word : word.slice(0, at);
}

/** A script's file name, by its extension in any case (catalog/residue.ts). */
function hasScriptExtension(name: string): boolean {
  const lower = asciiLower(name);
  for (const ext of SCRIPT_EXTENSIONS) if (lower.endsWith(ext)) return true;
  return false;
}

/** A Windows shell's option: `/` and one letter or `?`, any case (`/c`, `/C`, `/?`). */
function isWindowsOption(word: string): boolean {
  if (word.length !== 2 || word.charCodeAt(0) !== 0x2f) return false;
  const c = word.charCodeAt(1);
  const lower = c | 0x20; // ASCII letters to lower case
  return (lower >= 0x61 && lower <= 0x7a) || c === 0x3f;
}

/**
 * Only the design §7 charset, no `:` (it separates the caller's segments), bounded. One `_`
 * per character replaced: a character outside the Basic Multilingual Plane (two UTF-16
 * units) is one character.
 */
function sanitized(name: string): string | undefined {
  let out = "";
  for (const ch of name) {
    const c = ch.charCodeAt(0);
    out += ch.length === 1 && isSafeChar(c) && c !== 0x3a ? ch : "_";
  }
  out = out.slice(0, RESIDUE_MAX_LENGTH);
  if (out.length < 2 || GENERIC_NAMES.includes(asciiLower(out))) return undefined;
  return out;
}

/** What a script names: its npm package when it lies under node_modules/, else its basename. */
function scriptResidue(script: string): string | undefined {
  const packages = installedIn(script).filter((p) => p.startsWith("npm:"));
  const innermost = packages[packages.length - 1];
  if (innermost) return innermost.slice("npm:".length);
  return withoutExtension(basename(script));
}

/** The residue of one process's argv, or undefined. `exact`: argv is real (/proc), not a split `ps` line. */
export function residueOf(argv: readonly string[], exact: boolean): string | undefined {
  const first = argv[0];
  if (!first || (!exact && cutAtSpace(argv, 0))) return undefined;
  const base = withoutExe(withoutLoginDash(basename(first)));
  const lower = asciiLower(base);
  const runner = PACKAGE_RUNNERS.includes(lower);
  if (!runner && !runtimeOf(lower) && !SHELLS.includes(lower) && !windowsShellOf(lower)) return sanitized(base);

  let i = 1;
  let verb: string | undefined;
  while (runner && argv[i] !== undefined && RUN_VERBS.includes(argv[i]!)) verb = argv[i++];
  const word = argv[i];
  // A flag before the script ends the attempt: its value could be the next word. So do
  // inline code (`-c`, `-e`, `-Command`) and stdin (`-`).
  const windowsOption = windowsShellOf(lower) !== undefined && isWindowsOption(word ?? "");
  if (word === undefined || word === "" || word.startsWith("-") || word.startsWith("+") || windowsOption) return undefined;
  if (!exact && cutAtSpace(argv, i)) return undefined;
  const scopedPackage = runner && word.startsWith("@") && word.indexOf("/") === word.lastIndexOf("/");
  if (!scopedPackage && (word.includes("/") || word.includes("\\") || !runner)) return sanitized(scriptResidue(word) ?? "");
  // A bare word under a runner: after `run`, npm, pnpm and yarn take a package.json script,
  // the user's word; otherwise a package or a file (`npx @acme/agent-kit`, `uvx
  // some-agent@1.2`, `uv run agent.py`).
  if (verb === "run" && (lower === "npm" || lower === "pnpm" || lower === "yarn")) return undefined;
  const name = packageName(word);
  return sanitized(hasScriptExtension(name) ? withoutExtension(name) : name);
}

/** Whether the residue walks past this hop, as it walks past transient wrappers. */
function walkedPast(hop: Hop): boolean {
  if (hop.is.transient !== undefined) return true;
  const name = hop.is.program.argv0;
  for (const row of WALKED_PAST) if (row.programs.includes(name)) return true;
  return false;
}

/** The residue of the nearest ancestor that drives the call (design §4.8), or undefined. */
export function ancestorResidue(ancestry: Ancestry): string | undefined {
  const driver = ancestry.find((h) => !walkedPast(h));
  return driver ? residueOf(driver.process.argv, driver.process.argvExact) : undefined;
}
