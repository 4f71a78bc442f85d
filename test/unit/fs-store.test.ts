// The store adapter on a real directory (design §6.5): the directory made private or
// refused, another user's files, and the write without hard links (link(2) answered by a
// wrapped Sys).

import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openFsStore } from "../../src/store/fs-store.ts";
import type { SessionStore } from "../../src/store/store.ts";
import { sys, type Sys } from "../../src/sys/sys.ts";

const root = mkdtempSync(join(tmpdir(), "stitch-fs-store-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(root, String(++n));
const modeOf = (path: string) => statSync(path).mode & 0o777;
const posix = process.platform !== "win32";
const root0 = process.getuid?.() === 0;

function open(dir: string, files: Sys = sys(), creatable: string[] = [dir]): SessionStore {
  const opened = openFsStore({ dir, creatable }, files);
  if (!opened.ok) throw new Error(opened.reason);
  return opened.store;
}

/** The real Sys, with link(2) answering `error`. */
const linkFails = (error: string): Sys => ({ ...sys(), link: () => error });

describe("without hard links (design §6.5)", () => {
  test("link EPERM: the file is created in place, whole, 0600; a second writer finds it taken, the first content stays", () => {
    const dir = fresh();
    mkdirSync(dir, { mode: 0o700 });
    const store = open(dir, linkFails("EPERM"));
    expect(store.create("a.session", "first\n")).toBe("created");
    expect(store.create("a.session", "second\n")).toBe("exists");
    expect(readFileSync(join(dir, "a.session"), "utf8")).toBe("first\n");
    expect(readdirSync(dir)).toEqual(["a.session"]);
    if (posix) expect(modeOf(join(dir, "a.session"))).toBe(0o600);
  });

  test("every error meaning no hard links takes the fallback; any other still fails, leaving nothing", () => {
    for (const error of ["EOPNOTSUPP", "ENOTSUP", "ENOSYS", "EXDEV"]) {
      const dir = fresh();
      mkdirSync(dir, { mode: 0o700 });
      expect(open(dir, linkFails(error)).create("a.session", "x\n")).toBe("created");
    }
    for (const error of ["EACCES", "ENOSPC", "EROFS", "EIO"]) {
      const dir = fresh();
      mkdirSync(dir, { mode: 0o700 });
      expect(open(dir, linkFails(error)).create("a.session", "x\n")).toBe("failed");
      expect(readdirSync(dir)).toEqual([]);
    }
  });
});

describe.skipIf(!posix)("the directory (design §6.5)", () => {
  test("group-writable and the user's: made 0700 and used", () => {
    const dir = fresh();
    mkdirSync(dir);
    chmodSync(dir, 0o775);
    open(dir);
    expect(modeOf(dir)).toBe(0o700);
  });

  test("the default location: .railway and sessions, both group-writable, both made 0700", () => {
    const railway = fresh();
    const dir = join(railway, "sessions");
    mkdirSync(dir, { recursive: true });
    chmodSync(railway, 0o770);
    chmodSync(dir, 0o775);
    open(dir, sys(), [railway, dir]);
    expect([modeOf(railway), modeOf(dir)]).toEqual([0o700, 0o700]);
  });

  test("refused and left as they are: writable by others, a group-writable one behind a symbolic link, a .railway writable by others, another user's (as root), a mode that does not change", () => {
    const world = fresh();
    mkdirSync(world);
    chmodSync(world, 0o777);
    expect(openFsStore({ dir: world, creatable: [world] })).toEqual({ ok: false, reason: `${world} is writable by group or others (mode 777)` });
    expect(modeOf(world)).toBe(0o777);

    const target = fresh();
    mkdirSync(target);
    chmodSync(target, 0o775);
    const link = fresh();
    symlinkSync(target, link);
    expect(openFsStore({ dir: link, creatable: [link] })).toEqual({ ok: false, reason: `${link} is writable by its group (mode 775) and could not be made private (ELOOP)` });
    expect(modeOf(target)).toBe(0o775);

    const railway = fresh();
    mkdirSync(join(railway, "sessions"), { recursive: true, mode: 0o700 });
    chmodSync(railway, 0o707);
    expect(openFsStore({ dir: join(railway, "sessions"), creatable: [railway, join(railway, "sessions")] }).ok).toBe(false);

    if (root0) {
      // Another user's, group-writable (only root can make one here).
      const theirs = fresh();
      mkdirSync(theirs);
      chmodSync(theirs, 0o775);
      chownSync(theirs, 65534, 65534);
      expect(openFsStore({ dir: theirs, creatable: [theirs] }).ok).toBe(false);
      expect(modeOf(theirs)).toBe(0o775);
    }

    // Where the location lets nothing be created, the directory is still checked.
    expect(openFsStore({ dir: world, creatable: [] }).ok).toBe(false);

    const ignored = fresh();
    mkdirSync(ignored);
    chmodSync(ignored, 0o775);
    const ignoresChmod: Sys = { ...sys(), chmodDirectory: () => "EPERM" };
    expect(openFsStore({ dir: ignored, creatable: [ignored] }, ignoresChmod)).toEqual({
      ok: false,
      reason: `${ignored} is writable by its group (mode 775) and could not be made private (EPERM)`,
    });
  });

  test.skipIf(!root0)(`a file of another user is never trusted: read as invalid, removable${root0 ? "" : ": skipped, needs root to chown"}`, () => {
    const dir = fresh();
    mkdirSync(dir, { mode: 0o700 });
    writeFileSync(join(dir, "theirs.session"), '{"agent_session_id":"planted"}');
    chownSync(join(dir, "theirs.session"), 65534, 65534);
    writeFileSync(join(dir, "mine.session"), '{"agent_session_id":"mine"}');
    const store = open(dir);
    expect(store.read("theirs.session")).toMatchObject({ text: undefined, isDirectory: false });
    expect(store.read("mine.session")?.text).toBe('{"agent_session_id":"mine"}');
    expect(store.remove(store.read("theirs.session")!)).toBe(true);
  });
});

describe("a sweep removes only the file it read (design §6.4)", () => {
  // Both adapters: libc through FFI (Linux) and node:fs (macOS, and wherever FFI is not there).
  const adapters: [string, Sys | undefined][] = [
    ["libc", process.platform === "linux" ? require("../../src/sys/libc-sys.ts").libcSys() : undefined],
    ["node:fs", require("../../src/sys/node-sys.ts").nodeSys()],
  ];
  for (const [label, files] of adapters) {
    test.skipIf(!files)(`${label}: a fresh file in the same inode (number reused) is kept`, () => {
      const dir = fresh();
      mkdirSync(dir, { mode: 0o700 });
      const path = join(dir, "a1b2c3d4e5f60718.session");
      writeFileSync(path, '{"agent_session_id":"stale"}');
      const store = open(dir, files!);
      const judged = store.read("a1b2c3d4e5f60718.session")!;
      const inode = statSync(path).ino;
      // What a freed and reused inode number looks like to the sweep: the same device and
      // inode at that name, holding a file written after the read. Written in place here,
      // since a file system need not hand a freed number out again on demand.
      Bun.sleepSync(20);
      writeFileSync(path, '{"agent_session_id":"fresh"}');
      expect(statSync(path).ino).toBe(inode);
      expect(store.remove(judged)).toBe(false);
      expect(readFileSync(path, "utf8")).toBe('{"agent_session_id":"fresh"}');
      // The same file, unchanged since it was read, is removed.
      expect(store.remove(store.read("a1b2c3d4e5f60718.session")!)).toBe(true);
      expect(readdirSync(dir)).toEqual([]);
    });
  }
});
