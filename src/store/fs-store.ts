// The session directory on disk. Defensive by design (design §6.5): the directory must be
// the user's and not writable by others (one its group may write is made private); session
// paths are opened without following symbolic links and without blocking on FIFOs; a file
// of another user is never trusted; files are created 0600 through a private temporary
// name and hard-linked into place, so the first writer wins and no reader ever sees half
// a file (where the file system has no hard links, created in place: see create()).
// Temporary names never end in `.session`, so no sweep touches them.

import { hexOf } from "../hash.ts";
import { sys, type FileInfo, type Sys } from "../sys/sys.ts";
import { joinPath } from "../path.ts";
import type { SessionsLocation } from "./location.ts";
import { privateDirectoryProblem } from "./private-directory.ts";
import type { CreateResult, SessionStore, StoredFile, StoreOpening } from "./store.ts";

/** A valid file is ~300 bytes; anything this large is not one. */
export const MAX_FILE_BYTES = 64 * 1024;
const SUFFIX = ".session";
/**
 * What link(2) answers where the file system has no hard links (FAT, exFAT, some FUSE and
 * SMB mounts): EPERM on Linux's vfat, the others elsewhere. Never EEXIST, nor a reason
 * the final create would fail the same way (ENOSPC, EROFS, EACCES).
 */
const NO_HARD_LINKS = new Set(["EPERM", "EOPNOTSUPP", "ENOTSUP", "ENOSYS", "EXDEV"]);
/** How long a racing first call waits between reads of a file being written (design §6.5). */
const PAUSE_MS = 5;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The exact file a path held when it was read: device and inode, and the inode change time.
 * A sweep that judged a stale file must not delete a fresh one that got its freed inode
 * number (design §6.4): the fresh file was written since, so its change time differs.
 */
const fileIdentity = (info: FileInfo): string => `${info.token}@${info.changed}`;

function randomSuffix(): string {
  return hexOf(crypto.getRandomValues(new Uint8Array(8)));
}

class FsSessionStore implements SessionStore {
  constructor(
    readonly dir: string,
    private readonly files: Sys,
    private readonly platform: string,
    /** The user running stitch; undefined where owners mean nothing (Windows). */
    private readonly owner: number | undefined,
  ) {}

  pathOf(name: string): string {
    return joinPath(this.dir, name, this.platform);
  }

  list(): StoredFile[] {
    const files: StoredFile[] = [];
    for (const name of this.files.list(this.dir) ?? []) {
      if (!name.endsWith(SUFFIX)) continue;
      const file = this.read(name);
      if (file) files.push(file);
    }
    return files;
  }

  read(name: string): StoredFile | undefined {
    const got = this.files.readBounded(this.pathOf(name), MAX_FILE_BYTES, true);
    if (!got) return undefined;
    // Another user's file is never trusted (design §6.5): it may have been planted while
    // the directory was writable by its group, before it was made private.
    const trusted = this.owner === undefined || got.info.uid === this.owner;
    return {
      name,
      text: got.bytes === undefined || !trusted ? undefined : decoder.decode(got.bytes),
      mtimeMs: got.info.mtimeMs,
      isDirectory: got.info.kind === "directory",
      token: fileIdentity(got.info),
    };
  }

  create(name: string, text: string): CreateResult {
    const final = this.pathOf(name);
    const temp = this.pathOf(`.${name}.${randomSuffix()}.tmp`);
    const bytes = encoder.encode(text);
    if (this.files.createExclusive(temp, bytes, 0o600) !== undefined) {
      this.files.unlink(temp);
      return "failed";
    }
    // link(2) fails with EEXIST instead of replacing: the first file to land wins.
    const linked = this.files.link(temp, final);
    this.files.unlink(temp);
    if (linked === undefined) return "created";
    if (linked === "EEXIST") return "exists";
    if (!NO_HARD_LINKS.has(linked)) return "failed";
    // No hard links here: the final name is created in place, O_EXCL keeping the first
    // writer winning. Until its one write lands the file is empty, which readers take for
    // a file being written, not an invalid one (design §6.5). A failed write leaves it so,
    // to be swept once no longer fresh: unlinking by name could remove a rival's file.
    const direct = this.files.createExclusive(final, bytes, 0o600);
    if (direct === undefined) return "created";
    return direct === "EEXIST" ? "exists" : "failed";
  }

  pause(): void {
    Bun.sleepSync(PAUSE_MS);
  }

  remove(file: StoredFile): boolean {
    if (file.isDirectory) return false;
    const path = this.pathOf(file.name);
    // Another process may have replaced a stale file with a live one since it was read.
    const now = this.files.lstat(path);
    if (!now || fileIdentity(now) !== file.token || now.kind === "directory") return false;
    return this.files.unlink(path) === undefined;
  }
}

/**
 * Opens the session directory, creating the components the location allows (mode 0700).
 * Each of them (the ones stitch would create: `.railway` first, since whoever can write it
 * can replace `sessions`) must be a directory of the user's that others cannot write:
 * anyone who can write there could plant ids or links. One its group may write (Railway's
 * CLI creates them 0775 under umask 002) is made private (0700); see SECURITY.md.
 *
 * On Windows those POSIX bits mean nothing (the runtime reports every directory as mode
 * 0666 or 0777, owner 0, so the check would refuse them all): what guards the directory
 * there is the ACL it inherits from the profile folder, which only the user (and SYSTEM
 * and Administrators) may write. stitch checks that it is a directory, as Railway's CLI
 * does, and no more.
 */
export function openFsStore({ dir, creatable }: SessionsLocation, files: Sys = sys(), platform: string = process.platform): StoreOpening {
  // Nearly always the directory is there: one stat, and no mkdir to fail with EEXIST.
  let st = files.stat(dir);
  if (!st) {
    for (const path of creatable) {
      const failed = files.mkdir(path, 0o700);
      if (failed !== undefined && failed !== "EEXIST") return { ok: false, reason: `cannot create ${path} (${failed})` };
    }
    st = files.stat(dir);
  }
  if (!st) return { ok: false, reason: `cannot stat ${dir}` };
  if (st.kind !== "directory") return { ok: false, reason: `${dir} is not a directory` };
  if (platform === "win32") return { ok: true, store: new FsSessionStore(dir, files, platform, undefined) };
  const uid = process.getuid?.();
  if (uid === undefined) return { ok: true, store: new FsSessionStore(dir, files, platform, undefined) };
  // The directory itself always, even where the location lets nothing be created.
  for (const path of creatable.includes(dir) ? creatable : [...creatable, dir]) {
    const refused = privateDirectoryProblem(path, path === dir ? st : files.stat(path), uid, "make private", files);
    if (refused) return { ok: false, reason: refused };
  }
  return { ok: true, store: new FsSessionStore(dir, files, platform, uid) };
}
