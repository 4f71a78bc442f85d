// `stitch shim add NAME... | remove NAME... | list | dir` (design §12): links named after the
// commands an agent runs, in a directory put early on PATH, each pointing at stitch. Called
// as `railway`, stitch runs the real `railway` (the next one on PATH that is not stitch)
// with the session environment: no prefix to remember, for every agent and every human
// (who still get an untouched environment).
//
// Not on any per-call path: node:fs is fine here.

import type { ShimAction } from "./args.ts";
import { isAbsolutePath, joinPath } from "../path.ts";
import { homeDirectory } from "../store/location.ts";
import { isStitchFile, isStitchName, selfToken } from "../self.ts";
import { basename } from "../text.ts";
import { sys } from "../sys/sys.ts";
import { jsonText, printable } from "./printable.ts";

export interface ShimResult {
  readonly status: number;
  readonly stdout: string;
  readonly error?: string;
}

type Env = Readonly<Record<string, string | undefined>>;

const fs = () => process.getBuiltinModule("node:fs") as typeof import("node:fs");
const windows = process.platform === "win32";

/** `$STITCH_SHIM_DIR`, else `${XDG_DATA_HOME:-~/.local/share}/stitch/shims`; absolute paths only. */
export function shimDirectory(env: Env, home: () => string | undefined): { dir: string; creatable: string[] } | undefined {
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

/** The directory, created as far as allowed (owner-only), and checked like the session store's. */
function openDirectory(loc: { dir: string; creatable: string[] }): string | undefined {
  const f = fs();
  for (const path of loc.creatable) {
    try {
      f.mkdirSync(path, { mode: 0o700 });
    } catch (e) {
      if ((e as { code?: string }).code !== "EEXIST") return `cannot create ${path} (${(e as { code?: string }).code ?? e})`;
    }
  }
  let st: import("node:fs").Stats;
  try {
    st = f.statSync(loc.dir);
  } catch {
    return `cannot use ${loc.dir}`;
  }
  if (!st.isDirectory()) return `${loc.dir} is not a directory`;
  if (windows) return undefined;
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) return `${loc.dir} belongs to uid ${st.uid}, not ${uid}`;
  // Anyone who can write there could plant a `railway` of their own in front of the real one.
  if ((st.mode & 0o022) !== 0) return `${loc.dir} is writable by group or others (mode ${(st.mode & 0o777).toString(8)})`;
  return undefined;
}

/** The real command a shim stands for now: the first match on PATH that is not stitch. */
export function realCommand(name: string, env: Env): string | undefined {
  const path = env.PATH ?? env.Path;
  const separator = windows ? ";" : ":";
  const extensions = windows ? ["", ...(env.PATHEXT ?? ".COM;.EXE;.BAT;.CMD").split(";")] : [""];
  for (const dir of (path ?? "").split(separator)) {
    for (const ext of extensions) {
      const candidate = joinPath(dir === "" ? "." : dir, `${name}${ext}`, process.platform);
      if (isStitchFile(candidate) === false) return candidate;
    }
  }
  return undefined;
}

type Status = "ok" | "other_stitch" | "broken" | "not_stitch";

interface Listed {
  readonly name: string;
  readonly path: string;
  readonly target: string | null;
  readonly status: Status;
  readonly real: string | null;
}

function describeShim(dir: string, entry: string, env: Env): Listed | undefined {
  const f = fs();
  const path = joinPath(dir, entry, process.platform);
  let st: import("node:fs").Stats;
  try {
    st = f.lstatSync(path);
  } catch {
    return undefined;
  }
  if (st.isDirectory()) return undefined;
  const name = windows && entry.toLowerCase().endsWith(".exe") ? entry.slice(0, -4) : entry;
  const target = st.isSymbolicLink() ? f.readlinkSync(path, "utf8") : null;
  return { name, path, target, status: shimStatus(path), real: realCommand(name, env) ?? null };
}

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

/**
 * Whether `shim remove` may delete the entry: only what runs a stitch binary (a link to one,
 * a hard link or copy of one), or a dangling link whose text names a stitch file (its
 * stitch uninstalled). A link to anything else (`python3` → /usr/bin/python3) was not made
 * by stitch, whatever directory it is in.
 */
function removable(path: string, isLink: boolean): boolean {
  const status = shimStatus(path);
  if (status === "ok" || status === "other_stitch") return true;
  if (status !== "broken" || !isLink) return false;
  const text = sys().readlink(path);
  return text !== undefined && isStitchName(basename(text));
}

export function shimCommand(env: Env, invocation: { action: ShimAction; names: readonly string[]; json: boolean }, home?: () => string | undefined): ShimResult {
  const homeDir =
    home ??
    (() =>
      homeDirectory(env, process.platform, {
        passwd: () => (require("../sys/passwd.ts") as typeof import("../sys/passwd.ts")).passwdHome(),
        profileFolder: () => (require("../sys/kernel32.ts") as typeof import("../sys/kernel32.ts")).profileFolder(),
      }));
  const loc = shimDirectory(env, homeDir);
  if (!loc) return { status: 1, stdout: "", error: "no shim directory: set STITCH_SHIM_DIR, XDG_DATA_HOME or HOME to an absolute path" };
  const { dir } = loc;
  const json = invocation.json;

  if (invocation.action === "dir") return { status: 0, stdout: json ? jsonText({ dir }) : `${printable(dir)}\n` };

  if (invocation.action === "list") {
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
    if (json) return { status: 0, stdout: jsonText({ dir, shims }) };
    const lines = [`shims in ${printable(dir)}:`];
    if (shims.length === 0) lines.push("  (none: stitch shim add railway)");
    for (const s of shims) {
      const what = { ok: "stitch", other_stitch: "another stitch binary", broken: "a broken link", not_stitch: "NOT stitch" }[s.status];
      lines.push(`  ${printable(s.name)}  → ${what}${s.target ? ` (${printable(s.target)})` : ""}; runs ${s.real ? printable(s.real) : "nothing yet (no other on PATH)"}`);
    }
    return { status: 0, stdout: `${lines.join("\n")}\n` };
  }

  for (const name of invocation.names) {
    const problem = shimNameProblem(name);
    if (problem) return { status: 2, stdout: "", error: `shim ${invocation.action}: ${problem}` };
  }

  const f = fs();
  if (invocation.action === "remove") {
    const removed: string[] = [];
    for (const name of invocation.names) {
      const path = shimFile(dir, name);
      let st: import("node:fs").Stats;
      try {
        st = f.lstatSync(path);
      } catch {
        continue; // Not there: nothing to remove.
      }
      // Only what stitch put there, never a real program or a link to one that happens to
      // be in the directory.
      if (!removable(path, st.isSymbolicLink())) return { status: 1, stdout: "", error: `${printable(path)} is not a stitch shim: left alone` };
      f.unlinkSync(path);
      removed.push(name);
    }
    return { status: 0, stdout: json ? jsonText({ dir, removed }) : removed.map((n) => `removed ${printable(n)}\n`).join("") };
  }

  // add
  const problem = openDirectory(loc);
  if (problem) return { status: 1, stdout: "", error: problem };
  const target = process.execPath;
  const added: { name: string; path: string; how: "created" | "updated" | "unchanged" }[] = [];
  for (const name of invocation.names) {
    const path = shimFile(dir, name);
    let how: "created" | "updated" | "unchanged" = "created";
    let existing: import("node:fs").Stats | undefined;
    try {
      existing = f.lstatSync(path);
    } catch {
      existing = undefined;
    }
    if (existing) {
      const isLink = existing.isSymbolicLink();
      const status = shimStatus(path);
      if (!isLink && status !== "ok" && status !== "other_stitch") return { status: 1, stdout: "", error: `${printable(path)} exists and is not a stitch shim: left alone` };
      if (isLink && status === "not_stitch") {
        return { status: 1, stdout: "", error: `${printable(path)} is a link to something other than stitch (${printable(f.readlinkSync(path, "utf8"))}): remove it first` };
      }
      if (isLink && f.readlinkSync(path, "utf8") === target) how = "unchanged";
      // A hard link to this very stitch (Windows) stays; a copy of another (an older
      // version's hard link) is replaced by one to this stitch.
      else if (!isLink) how = status === "ok" ? "unchanged" : "updated";
      else how = "updated";
    }
    if (how !== "unchanged") {
      // A new link under a private temporary name, renamed over the old one: the name is
      // never missing, and a link planted there meanwhile is replaced, never followed.
      const temp = joinPath(dir, `.${name}.${process.pid}.tmp`, process.platform);
      try {
        f.rmSync(temp, { force: true });
        if (windows) f.linkSync(target, temp);
        else f.symlinkSync(target, temp);
        f.renameSync(temp, path);
      } catch (e) {
        f.rmSync(temp, { force: true });
        return { status: 1, stdout: "", error: `cannot create ${path} (${(e as { code?: string }).code ?? e})` };
      }
    }
    added.push({ name, path, how });
  }
  if (json) return { status: 0, stdout: jsonText({ dir, added }) };
  const lines = added.map((a) => `${a.how === "unchanged" ? "already there" : a.how}: ${printable(a.path)} → stitch`);
  const onPath = (env.PATH ?? "").split(windows ? ";" : ":").includes(dir);
  if (!onPath) lines.push(`put the directory first on PATH, e.g. in your shell profile:`, `  export PATH="${printable(dir)}:$PATH"`);
  return { status: 0, stdout: `${lines.join("\n")}\n` };
}
