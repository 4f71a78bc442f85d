// The session directory on disk. Defensive by design (design §6): the directory must be
// ours and not writable by group or others; session paths are opened without following
// symbolic links and without blocking on FIFOs; files are created 0600 through a private
// temporary name and hard-linked into place, so the first writer wins and no reader ever
// sees half a file. Temporary names never end in `.session`, so no sweep touches them.

import { sys, type Sys } from "../sys/sys.ts";
import { joinPath, type SessionsLocation } from "./location.ts";
import type { CreateResult, SessionStore, StoredFile, StoreOpening } from "./store.ts";

/** A valid file is ~300 bytes; anything this large is not one. */
export const MAX_FILE_BYTES = 64 * 1024;
const SUFFIX = ".session";
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function randomSuffix(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

class FsSessionStore implements SessionStore {
  constructor(
    readonly dir: string,
    private readonly files: Sys,
    private readonly platform: string,
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
    return {
      name,
      text: got.bytes === undefined ? undefined : decoder.decode(got.bytes),
      mtimeMs: got.info.mtimeMs,
      isDirectory: got.info.kind === "directory",
      token: got.info.token,
    };
  }

  create(name: string, text: string): CreateResult {
    const final = this.pathOf(name);
    const temp = this.pathOf(`.${name}.${randomSuffix()}.tmp`);
    if (this.files.createExclusive(temp, encoder.encode(text), 0o600) !== undefined) {
      this.files.unlink(temp);
      return "failed";
    }
    // link(2) fails with EEXIST instead of replacing: the first file to land wins.
    const linked = this.files.link(temp, final);
    this.files.unlink(temp);
    if (linked === undefined) return "created";
    return linked === "EEXIST" ? "exists" : "failed";
  }

  remove(file: StoredFile): boolean {
    if (file.isDirectory) return false;
    const path = this.pathOf(file.name);
    // Another process may have replaced a stale file with a live one since it was read.
    const now = this.files.lstat(path);
    if (!now || now.token !== file.token || now.kind === "directory") return false;
    return this.files.unlink(path) === undefined;
  }
}

/**
 * Opens the session directory, creating the components the location allows (mode 0700),
 * and refuses one that belongs to another user or that group or others may write: anyone
 * who can write there could plant ids or links.
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
  if (platform === "win32") return { ok: true, store: new FsSessionStore(dir, files, platform) };
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) return { ok: false, reason: `${dir} belongs to uid ${st.uid}, not ${uid}` };
  if ((st.perm & 0o022) !== 0) {
    return { ok: false, reason: `${dir} is writable by group or others (mode ${(st.perm & 0o777).toString(8)})` };
  }
  return { ok: true, store: new FsSessionStore(dir, files, platform) };
}
