// `stitch shim add NAME... | remove NAME... | list | dir` (design §12): links named after the
// commands an agent runs, in a directory put early on PATH, each pointing at stitch. Called
// as `railway`, stitch runs the real `railway` (the next one on PATH that is not stitch)
// with the session environment: no prefix to remember, for every agent and every human
// (who still get an untouched environment).
//
// Not on any per-call path: node:fs is fine here.

import type { ShimAction } from "./args.ts";
import { isAbsolutePath, joinPath } from "../path.ts";
import { privateDirectoryProblem } from "../store/private-directory.ts";
import { candidateVerdicts, firstTaken, isStitchFile, isStitchName, selfToken } from "../self.ts";
import { pathDirectories, searchCandidatesText } from "../path-search.ts";
import { fromSource } from "../build-info.ts";
import { basename } from "../text.ts";
import { sys } from "../sys/sys.ts";
import { jsonText, printable } from "./printable.ts";

export interface ShimResult {
  readonly status: number;
  readonly stdout: string;
  readonly error?: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Where the shims are, and the directories `shim add` may create for it, outermost first. */
interface ShimLocation {
  readonly dir: string;
  readonly creatable: readonly string[];
}

const fs = () => process.getBuiltinModule("node:fs") as typeof import("node:fs");
const windows = process.platform === "win32";
const errorCode = (e: unknown) => (e as { code?: string }).code ?? String(e);
const refused = (status: number, error: string): ShimResult => ({ status, stdout: "", error });
const printed = (lines: readonly string[]): ShimResult => ({ status: 0, stdout: lines.map((l) => `${l}\n`).join("") });
const printedJson = (value: unknown): ShimResult => ({ status: 0, stdout: jsonText(value) });

/** What is at `path` itself (a link not followed), or undefined when nothing is. */
function entryAt(path: string): import("node:fs").Stats | undefined {
  try {
    return fs().lstatSync(path);
  } catch {
    return undefined;
  }
}

/** `$STITCH_SHIM_DIR`, else `${XDG_DATA_HOME:-~/.local/share}/stitch/shims`; absolute paths only. */
export function shimDirectory(env: Env, home: () => string | undefined): ShimLocation | undefined {
  const platform = process.platform;
  const own = env.STITCH_SHIM_DIR;
  if (own && isAbsolutePath(own, platform)) return { dir: own, creatable: [own] };
  const xdg = env.XDG_DATA_HOME;
  const h = home();
  const data = xdg && isAbsolutePath(xdg, platform) ? xdg : h ? joinPath(joinPath(h, ".local", platform), "share", platform) : undefined;
  if (!data) return undefined;
  const stitch = joinPath(data, "stitch", platform);
  const dir = joinPath(stitch, "shims", platform);
  const creatable = xdg && isAbsolutePath(xdg, platform) ? [stitch, dir] : [joinPath(h!, ".local", platform), data, stitch, dir];
  return { dir, creatable };
}

/** A name that can be a command's file name: no separators, not `.`/`..`, not an option, not stitch. */
export function shimNameProblem(name: string): string | undefined {
  if (name === "" || name === "." || name === ".." || name.includes("/") || name.includes("\\") || name.includes("\0")) {
    return `'${printable(name)}' is not a plain file name`;
  }
  if (name.startsWith("-")) return `'${printable(name)}' looks like an option, not a command`;
  if (name.length > 255) return "the name is longer than a file name can be";
  if (isStitchName(name)) return `'${name}' is stitch itself: a shim of it would run itself`;
  return undefined;
}

/** The shim's file: the name, and on Windows with `.exe` (PATHEXT finds it, and it is a hard link). */
const shimFile = (dir: string, name: string) =>
  joinPath(dir, windows && !name.toLowerCase().endsWith(".exe") ? `${name}.exe` : name, process.platform);

/** The directory, created as far as allowed (owner-only), and checked as the session store's is. */
function openDirectory(loc: ShimLocation): string | undefined {
  for (const path of loc.creatable) {
    try {
      fs().mkdirSync(path, { mode: 0o700 });
    } catch (e) {
      if (errorCode(e) !== "EEXIST") return `cannot create ${path} (${errorCode(e)})`;
    }
  }
  const uid = windows ? undefined : process.getuid?.();
  return privateDirectoryProblem(loc.dir, sys().stat(loc.dir), uid, "refuse");
}

/**
 * The file a shim runs now when called by its name (design §12): the PATH search of §10,
 * stitch skipped, from the place on PATH of the stitch it runs (`runs`: its device and
 * inode). An entry that runs no stitch (a program, a broken link) runs itself, not a real
 * command: for it, the first match on PATH that is not stitch.
 */
function realCommand(name: string, runs: string | undefined, env: Env): string | undefined {
  const list = searchCandidatesText(name, env, process.platform);
  return firstTaken(list, candidateVerdicts(list, runs !== undefined, runs)).found;
}

type Status = "ok" | "other_stitch" | "broken" | "not_stitch";

/**
 * `ok`: this very stitch (a link to it, a hard link); `other_stitch`: another stitch binary
 * (a copy, another version or install), recognised by what it carries; `broken`: a
 * dangling link; `not_stitch`: anything else.
 */
function shimStatus(path: string): Status {
  const st = sys().stat(path);
  if (!st) return "broken";
  if (st.token === selfToken()) return "ok";
  return isStitchFile(path) ? "other_stitch" : "not_stitch";
}

const runsStitch = (status: Status) => status === "ok" || status === "other_stitch";

interface Listed {
  readonly name: string;
  readonly path: string;
  readonly target: string | null;
  readonly status: Status;
  readonly real: string | null;
}

function describeShim(dir: string, entry: string, env: Env): Listed | undefined {
  const path = joinPath(dir, entry, process.platform);
  const st = entryAt(path);
  if (!st || st.isDirectory()) return undefined;
  const name = windows && entry.toLowerCase().endsWith(".exe") ? entry.slice(0, -4) : entry;
  const target = st.isSymbolicLink() ? fs().readlinkSync(path, "utf8") : null;
  const status = shimStatus(path);
  const runs = runsStitch(status) ? sys().stat(path)?.token : undefined;
  return { name, path, target, status, real: realCommand(name, runs, env) ?? null };
}

const STATUS_TEXT: Record<Status, string> = { ok: "stitch", other_stitch: "another stitch binary", broken: "a broken link", not_stitch: "NOT stitch" };

/** `shim list`: each entry that is not a directory, what it is, and what it runs now. */
function listShims({ dir }: ShimLocation, env: Env, json: boolean): ShimResult {
  let entries: string[] = [];
  try {
    entries = fs().readdirSync(dir).sort();
  } catch {
    // No directory yet: no shims.
  }
  const shims: Listed[] = [];
  for (const entry of entries) {
    const listed = describeShim(dir, entry, env);
    if (listed) shims.push(listed);
  }
  if (json) return printedJson({ dir, shims });
  const lines = [`shims in ${printable(dir)}:`];
  if (shims.length === 0) lines.push("  (none: stitch shim add railway)");
  for (const s of shims) {
    const target = s.target ? ` (${printable(s.target)})` : "";
    lines.push(`  ${printable(s.name)}  → ${STATUS_TEXT[s.status]}${target}; runs ${s.real ? printable(s.real) : "nothing yet (no other on PATH)"}`);
  }
  return printed(lines);
}

/**
 * Whether `shim remove` may delete the entry: only what runs a stitch binary (a link to one,
 * a hard link or copy of one), or a dangling link whose text names a stitch file (its
 * stitch uninstalled). A link to anything else (`python3` → /usr/bin/python3) was not made
 * by stitch, whatever directory it is in.
 */
function removable(path: string, isLink: boolean): boolean {
  const status = shimStatus(path);
  if (runsStitch(status)) return true;
  if (status !== "broken" || !isLink) return false;
  const text = sys().readlink(path);
  return text !== undefined && isStitchName(basename(text));
}

/** `shim remove NAME...`: only what stitch put there; a missing name is skipped. */
function removeShims({ dir }: ShimLocation, names: readonly string[], json: boolean): ShimResult {
  const removed: string[] = [];
  for (const name of names) {
    const path = shimFile(dir, name);
    const st = entryAt(path);
    if (!st) continue;
    if (!removable(path, st.isSymbolicLink())) return refused(1, `${printable(path)} is not a stitch shim: left alone`);
    fs().unlinkSync(path);
    removed.push(name);
  }
  return json ? printedJson({ dir, removed }) : printed(removed.map((n) => `removed ${printable(n)}`));
}

type How = "created" | "updated" | "unchanged";

/**
 * What `shim add` does with what is at `path` now: nothing there, created; this stitch
 * already (a link whose text is its path, a hard link to it), unchanged; another stitch or
 * a dangling link, updated; anything else is left alone, and the reason returned.
 */
function howToAdd(path: string, target: string): How | { refused: string } {
  const existing = entryAt(path);
  if (!existing) return "created";
  const status = shimStatus(path);
  if (!existing.isSymbolicLink()) {
    // A hard link to this very stitch (Windows) stays; a copy of another (an older
    // version's hard link) is replaced by one to this stitch.
    if (!runsStitch(status)) return { refused: `${printable(path)} exists and is not a stitch shim: left alone` };
    return status === "ok" ? "unchanged" : "updated";
  }
  const text = fs().readlinkSync(path, "utf8");
  if (status === "not_stitch") return { refused: `${printable(path)} is a link to something other than stitch (${printable(text)}): remove it first` };
  return text === target ? "unchanged" : "updated";
}

/**
 * A new link under a private temporary name, renamed over the old one: the name is never
 * missing, and a link planted there meanwhile is replaced, never followed. On Windows a
 * hard link (a symbolic link needs a privilege there).
 */
function placeLink(dir: string, name: string, path: string, target: string): string | undefined {
  const f = fs();
  const temp = joinPath(dir, `.${name}.${process.pid}.tmp`, process.platform);
  try {
    f.rmSync(temp, { force: true });
    if (windows) f.linkSync(target, temp);
    else f.symlinkSync(target, temp);
    f.renameSync(temp, path);
    return undefined;
  } catch (e) {
    f.rmSync(temp, { force: true });
    return `cannot create ${path} (${errorCode(e)})`;
  }
}

/** `shim add NAME...`: a link to this stitch per name, in the checked directory. */
function addShims(loc: ShimLocation, names: readonly string[], env: Env, json: boolean): ShimResult {
  // The runtime running main.ts is no stitch: a link to it would run `bun`.
  if (fromSource) return refused(1, "shim add: run from source, there is no stitch binary to link to (build one: npm run build)");
  const problem = openDirectory(loc);
  if (problem) return refused(1, problem);
  const { dir } = loc;
  const target = process.execPath;
  const added: { name: string; path: string; how: How }[] = [];
  for (const name of names) {
    const path = shimFile(dir, name);
    const how = howToAdd(path, target);
    if (typeof how !== "string") return refused(1, how.refused);
    const failed = how === "unchanged" ? undefined : placeLink(dir, name, path, target);
    if (failed) return refused(1, failed);
    added.push({ name, path, how });
  }
  if (json) return printedJson({ dir, added });
  const lines = added.map((a) => `${a.how === "unchanged" ? "already there" : a.how}: ${printable(a.path)} → stitch`);
  if (!pathDirectories(env, process.platform).includes(dir)) {
    lines.push(`put the directory first on PATH, e.g. in your shell profile:`, `  export PATH="${printable(dir)}:$PATH"`);
  }
  return printed(lines);
}

/** `stitch shim ACTION`; `home` finds the home directory (design §6.3) when it is needed. */
export function shimCommand(env: Env, invocation: { action: ShimAction; names: readonly string[]; json: boolean }, home: () => string | undefined): ShimResult {
  const loc = shimDirectory(env, home);
  if (!loc) return refused(1, "no shim directory: set STITCH_SHIM_DIR, XDG_DATA_HOME or HOME to an absolute path");
  const { action, names, json } = invocation;
  if (action === "dir") return json ? printedJson({ dir: loc.dir }) : printed([printable(loc.dir)]);
  if (action === "list") return listShims(loc, env, json);
  for (const name of names) {
    const problem = shimNameProblem(name);
    if (problem) return refused(2, `shim ${action}: ${problem}`);
  }
  return action === "remove" ? removeShims(loc, names, json) : addShims(loc, names, env, json);
}
