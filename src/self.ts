// stitch's own executable (design §12): the names it answers to as itself, and how a file on
// PATH is recognised as a stitch binary (this one, a copy, another version), so that a shim
// (a link to stitch named `railway`) never runs a stitch: the command a shim stands for is
// the next `railway` on PATH that is not stitch, however linked or copied.

import { fromSource } from "./build-info.ts";
import { sys, type FileInfo } from "./sys/sys.ts";
import { basename, withoutExe } from "./text.ts";

/** A name as stitch's own names are compared: case ignored, and without `.exe`. */
const comparedName = (base: string) => withoutExe(base).toLowerCase();

/**
 * The names build.ts compiles stitch under, which its binaries carry inside (the entry
 * module's name): `stitch`, and the release files `stitch-<os>-<arch>[-musl]`.
 */
export function isBuildName(base: string): boolean {
  const name = comparedName(base);
  if (name === "stitch") return true;
  if (!name.startsWith("stitch-")) return false;
  const [os, arch, libc, ...rest] = name.slice("stitch-".length).split("-");
  return (
    rest.length === 0 &&
    (os === "linux" || os === "darwin" || os === "windows") &&
    (arch === "x64" || arch === "arm64") &&
    (libc === undefined || libc === "musl")
  );
}

/**
 * argv0 basenames that are stitch itself, not a shim: `stitch`, or `stitch` followed by `-`,
 * `.` or `_` and anything (`stitch-linux-x64` as downloaded, `stitch-0.1.0`, `stitch.old`,
 * `stitch_v2`: a file kept under its version is stitch, not a command named so), ignoring
 * case and a `.exe`. A command whose name starts so cannot have a shim.
 */
export function isStitchName(base: string): boolean {
  const name = comparedName(base);
  if (!name.startsWith("stitch")) return false;
  const next = name.charAt("stitch".length);
  return next === "" || next === "-" || next === "." || next === "_";
}

let ownToken: string | null | undefined = null;

/**
 * Device and inode of the running executable (the file, whatever links led to it). Run from
 * source there is none: the runtime running is not stitch, and a `bun` on PATH is no shim.
 */
export function selfToken(): string | undefined {
  if (fromSource) return undefined;
  if (ownToken === null) {
    const files = sys();
    ownToken = (process.platform === "linux" ? files.stat("/proc/self/exe") : undefined)?.token ?? files.stat(process.execPath)?.token;
  }
  return ownToken;
}

/**
 * Whether a file is a stitch binary, by what it carries, not by its path or name: a Bun
 * standalone executable (bun-executable.ts) whose module is named as build.ts names
 * stitch. A copy, a hard link, another version or another platform's build all are; a
 * script, a plain executable or another Bun-compiled program is not, after a few reads.
 */
function isStitchBinary(path: Uint8Array | string): boolean {
  // Loaded here: read only for a candidate of a stitch binary's size (start-up, hot-path.ts).
  const { embeddedModuleNames } = require("./bun-executable.ts") as typeof import("./bun-executable.ts");
  return sys().readRanges(path, (read, size) => size >= SMALLEST_STITCH && (embeddedModuleNames(read, size)?.some(isBuildName) ?? false)) ?? false;
}

/**
 * No stitch binary is smaller: each carries the whole runtime (90 to 116 MB for Bun 1.4.5's
 * targets; build.ts refuses a smaller one). A smaller file on PATH (a script, most
 * programs) is not opened at all, so a search costs nothing more than the stat it made.
 */
export const SMALLEST_STITCH = 32 * 1024 * 1024;

/** A regular file large enough to be a stitch binary, then what it carries. */
const carriesStitch = (path: Uint8Array | string, st: FileInfo) => st.kind === "file" && st.size >= SMALLEST_STITCH && isStitchBinary(path);

/**
 * Whether an existing file on PATH (not a directory) is stitch: the very file running (a
 * hard or symbolic link to it), or any other stitch binary (a copy, another install or
 * version: two stitches whose shims reached each other would otherwise run each other
 * forever). undefined when the file does not exist.
 */
export function isStitchFile(path: Uint8Array | string): boolean | undefined {
  const st = sys().stat(path);
  if (!st || st.kind === "directory") return undefined;
  if (st.token === selfToken()) return true;
  return carriesStitch(path, st);
}

/** What the PATH search makes of one candidate (design §12). */
export type CandidateVerdict = "absent" | "stitch" | "passed" | "take";

/**
 * The PATH search's rule for the candidates of one command, in PATH order: a stitch binary
 * is never taken; and when this stitch was itself found on PATH under the command's name
 * (`viaPath`: a shim called by name, as a shell or a previous stitch runs it), nothing up to
 * its own first place there is taken, nor a file that was already passed there. So each
 * stitch that runs another (one it could not recognise: a future format) runs one strictly
 * later on PATH: a chain of shims ends within PATH's length, whatever each recognises.
 * `self`: the stitch file deciding (the running one; for `shim list`, the shim's own).
 */
export function candidateVerdicts(candidates: readonly (string | Uint8Array)[], viaPath: boolean, self: string | undefined = selfToken()): (index: number) => CandidateVerdict {
  const files = sys();
  const passed = new Set<string>();
  let place = -1;
  if (viaPath && self !== undefined) {
    for (let i = 0; i < candidates.length && place < 0; i++) {
      const token = files.stat(candidates[i]!)?.token;
      if (token === self) place = i;
      else if (token !== undefined) passed.add(token);
    }
    // Not on this PATH at all (started by a path, or with another PATH): no place to start from.
    if (place < 0) passed.clear();
  }
  return (index) => {
    const st = files.stat(candidates[index]!);
    if (!st || st.kind === "directory") return "absent";
    if (st.token === self) return "stitch";
    if (index <= place || passed.has(st.token)) return "passed";
    return carriesStitch(candidates[index]!, st) ? "stitch" : "take";
  };
}

/**
 * The candidate the rule takes (the first `take`); without one, whether any was skipped as
 * stitch or passed over (then a shim has nothing to run besides itself).
 */
export function firstTaken<T extends string | Uint8Array>(candidates: readonly T[], verdict: (index: number) => CandidateVerdict): { found?: T; skipped: boolean } {
  let skipped = false;
  for (let i = 0; i < candidates.length; i++) {
    const seen = verdict(i);
    if (seen === "take") return { found: candidates[i], skipped };
    if (seen !== "absent") skipped = true;
  }
  return { skipped };
}
