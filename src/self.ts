// stitch's own executable (design §12): the names it answers to as itself, and how a file on
// PATH is recognised as stitch, so that a shim (a link to stitch named `railway`) never
// runs itself: the command a shim stands for is the next `railway` on PATH that is not
// stitch, however linked.

import { sys } from "./sys/sys.ts";
import { basename } from "./text.ts";

/**
 * argv0 basenames that are stitch itself, not a shim: `stitch`, and the release files as
 * downloaded (`stitch-linux-x64`, `stitch-darwin-arm64`, `stitch-linux-arm64-musl`,
 * `stitch-windows-x64.exe`), so that running a download before renaming it works.
 */
export function isStitchName(base: string): boolean {
  const name = base.toLowerCase().endsWith(".exe") ? base.slice(0, -4).toLowerCase() : base.toLowerCase();
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

let ownToken: string | null | undefined = null;

/** Device and inode of the running executable (the file, whatever links led to it). */
function selfToken(): string | undefined {
  if (ownToken === null) {
    const files = sys();
    ownToken = (process.platform === "linux" ? files.stat("/proc/self/exe") : undefined)?.token ?? files.stat(process.execPath)?.token;
  }
  return ownToken;
}

const decoder = new TextDecoder();

/**
 * Whether an existing file on PATH (not a directory) is stitch: the very file running (a hard or symbolic
 * link to it, however chained), or a symbolic link whose chain ends in a file named as
 * stitch (another stitch binary: following it would run stitch again, and two stitches
 * whose shims point at each other would never reach the command). undefined when the
 * file does not exist.
 */
export function isStitchFile(path: Uint8Array | string): boolean | undefined {
  const files = sys();
  const st = files.stat(path);
  if (!st || st.kind === "directory") return undefined;
  if (st.token === selfToken()) return true;
  let current = typeof path === "string" ? path : decoder.decode(path);
  for (let hops = 0; hops < 40; hops++) {
    const link = files.lstat(current);
    if (!link || link.kind !== "symlink") break;
    const target = files.readlink(current);
    if (target === undefined) break;
    current = target.startsWith("/") || /^[A-Za-z]:[\\/]/.test(target) ? target : `${current.slice(0, Math.max(current.lastIndexOf("/"), current.lastIndexOf("\\")) + 1)}${target}`;
  }
  return current !== (typeof path === "string" ? path : decoder.decode(path)) && isStitchName(basename(current));
}
