// The session directory on disk. Defensive by design (SPEC §6): the directory must be
// ours and not writable by group or others; session paths are opened without following
// symbolic links and without blocking on FIFOs; files are created 0600 through a private
// temporary name and hard-linked into place, so the first writer wins and no reader ever
// sees half a file. Temporary names never end in `.session`, so no sweep touches them.

import { closeSync, constants, linkSync, lstatSync, mkdirSync, openSync, readdirSync, statSync, unlinkSync, writeSync } from "node:fs";
import { errnoOf as errno, readBounded } from "../sys/files.ts";
import type { SessionsLocation } from "./location.ts";
import type { CreateResult, SessionStore, StoredFile, StoreOpening } from "./store.ts";

/** A valid file is ~300 bytes; anything this large is not one. */
export const MAX_FILE_BYTES = 64 * 1024;
const SUFFIX = ".session";

function writeAll(fd: number, bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
}

function randomSuffix(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

class FsSessionStore implements SessionStore {
  constructor(readonly dir: string) {}

  private path(name: string): string {
    return `${this.dir}/${name}`;
  }

  list(): StoredFile[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return [];
    }
    const files: StoredFile[] = [];
    for (const name of names) {
      if (!name.endsWith(SUFFIX)) continue;
      const file = this.read(name);
      if (file) files.push(file);
    }
    return files;
  }

  read(name: string): StoredFile | undefined {
    const got = readBounded(this.path(name), MAX_FILE_BYTES, true);
    if (!got) return undefined;
    const { stat, bytes } = got;
    return {
      name,
      text: bytes === undefined ? undefined : new TextDecoder().decode(bytes),
      mtimeMs: stat.mtimeMs,
      isDirectory: stat.isDirectory(),
      token: `${stat.dev}:${stat.ino}`,
    };
  }

  create(name: string, text: string): CreateResult {
    const final = this.path(name);
    const temp = this.path(`.${name}.${randomSuffix()}.tmp`);
    let fd: number;
    try {
      fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    } catch {
      return "failed";
    }
    try {
      try {
        writeAll(fd, new TextEncoder().encode(text));
      } finally {
        closeSync(fd);
      }
      // link(2) fails with EEXIST instead of replacing: the first file to land wins.
      linkSync(temp, final);
      return "created";
    } catch (e) {
      return errno(e) === "EEXIST" ? "exists" : "failed";
    } finally {
      try {
        unlinkSync(temp);
      } catch {
        // Already gone; nothing else to do.
      }
    }
  }

  remove(file: StoredFile): boolean {
    if (file.isDirectory) return false;
    const path = this.path(file.name);
    try {
      const st = lstatSync(path);
      // Another process may have replaced a stale file with a live one since it was read.
      if (`${st.dev}:${st.ino}` !== file.token || st.isDirectory()) return false;
      unlinkSync(path);
      return true;
    } catch {
      return false;
    }
  }
}

/**
 * Opens the session directory, creating the components the location allows (mode 0700),
 * and refuses one that belongs to another user or that group or others may write: anyone
 * who can write there could plant ids or links.
 */
export function openFsStore({ dir, creatable }: SessionsLocation): StoreOpening {
  for (const path of creatable) {
    try {
      mkdirSync(path, { mode: 0o700 });
    } catch (e) {
      if (errno(e) !== "EEXIST") return { ok: false, reason: `cannot create ${path} (${errno(e) ?? "error"})` };
    }
  }
  let st;
  try {
    st = statSync(dir);
  } catch (e) {
    return { ok: false, reason: `cannot stat ${dir} (${errno(e) ?? "error"})` };
  }
  if (!st.isDirectory()) return { ok: false, reason: `${dir} is not a directory` };
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) return { ok: false, reason: `${dir} belongs to uid ${st.uid}, not ${uid}` };
  if ((st.mode & 0o022) !== 0) {
    return { ok: false, reason: `${dir} is writable by group or others (mode ${(st.mode & 0o777).toString(8)})` };
  }
  return { ok: true, store: new FsSessionStore(dir) };
}
