// The one check of a directory that holds what others must not plant: the session store
// (design §6.5: ids and links) and the shim directory (§12: a `railway` of someone else's
// run in front of the real one). It must be a directory of the user's that others cannot
// write. On Windows the POSIX bits mean nothing (the runtime reports every directory as
// mode 0666 or 0777, owner 0): there only its being a directory is checked.

import { sys, type FileInfo, type Sys } from "../sys/sys.ts";

/**
 * What to make of a directory its group may write: the store makes it private (Railway's
 * CLI creates its directories 0775 under umask 002); the shim directory, which stitch alone
 * creates, is refused.
 */
export type GroupWritable = "make private" | "refuse";

/**
 * Why `path` (stat'ed as `st`) cannot be trusted, or undefined once it is the user's and
 * private. `uid` undefined (Windows, or no getuid): only that it is a directory.
 */
export function privateDirectoryProblem(path: string, st: FileInfo | undefined, uid: number | undefined, groupWritable: GroupWritable, files: Sys = sys()): string | undefined {
  if (!st) return `cannot stat ${path}`;
  if (st.kind !== "directory") return `${path} is not a directory`;
  if (uid === undefined) return undefined;
  if (st.uid !== uid) return `${path} belongs to uid ${st.uid}, not ${uid}`;
  const mode = (st.perm & 0o777).toString(8);
  const refused = groupWritable === "refuse" ? 0o022 : 0o002;
  if ((st.perm & refused) !== 0) return `${path} is writable by group or others (mode ${mode})`;
  if ((st.perm & 0o020) === 0) return undefined;
  const failed = files.chmodDirectory(path, 0o700, uid);
  return failed === undefined ? undefined : `${path} is writable by its group (mode ${mode}) and could not be made private (${failed})`;
}
