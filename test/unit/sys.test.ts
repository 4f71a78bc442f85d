// The two Sys implementations (libc through FFI, node:fs) must behave the same: the store
// and the process source rest on this contract.

import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { libcSys } from "../../src/sys/libc-sys.ts";
import { nodeSys } from "../../src/sys/node-sys.ts";
import type { Sys } from "../../src/sys/sys.ts";

const root = mkdtempSync(join(tmpdir(), "stitch-sys-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const linux = process.platform === "linux";

// The libc Sys is Linux's (design §11); elsewhere stitch uses node:fs, tested here on every
// platform (the macOS CI jobs run this file natively).
const implementations: [string, Sys | undefined][] = linux ? [["libc", libcSys()], ["node:fs", nodeSys()]] : [["node:fs", nodeSys()]];

test.skipIf(!linux)(`libc is reachable through FFI here${linux ? "" : ": skipped, the libc Sys is Linux's"}`, () => {
  expect(implementations[0]![1]).toBeDefined();
});

describe.each(implementations)("%s", (name, maybe) => {
  const s = maybe!;
  const dir = join(root, name.replace(/\W/g, ""));
  mkdirSync(dir);
  writeFileSync(join(dir, "file"), "hello");
  symlinkSync(join(dir, "file"), join(dir, "link"));
  mkdirSync(join(dir, "sub"));
  Bun.spawnSync(["mkfifo", join(dir, "fifo")]);
  writeFileSync(join(dir, "big"), "x".repeat(100));

  test("readWhole reads /proc files (Linux) and regular files; undefined when missing", () => {
    if (linux) expect(new TextDecoder().decode(s.readWhole(`/proc/${process.pid}/stat`)!)).toStartWith(`${process.pid} (`);
    expect(s.readWhole(join(dir, "file"))).toEqual(new TextEncoder().encode("hello"));
    expect(s.readWhole(join(dir, "nothing"))).toBeUndefined();
  });

  test("readBounded: files, refused links, FIFOs, directories, the bound", () => {
    const file = s.readBounded(join(dir, "file"), 64, true)!;
    expect(new TextDecoder().decode(file.bytes!)).toBe("hello");
    expect(file.info).toMatchObject({ kind: "file", size: 5 });
    expect(s.readBounded(join(dir, "link"), 64, true)).toMatchObject({ bytes: undefined, info: { kind: "symlink" } });
    expect(new TextDecoder().decode(s.readBounded(join(dir, "link"), 64, false)!.bytes!)).toBe("hello");
    expect(s.readBounded(join(dir, "fifo"), 64, true)).toMatchObject({ bytes: undefined, info: { kind: "other" } });
    expect(s.readBounded(join(dir, "sub"), 64, true)).toMatchObject({ bytes: undefined, info: { kind: "directory" } });
    expect(s.readBounded(join(dir, "big"), 99, true)?.bytes).toBeUndefined();
    expect(s.readBounded(join(dir, "big"), 100, true)?.bytes).toHaveLength(100);
    expect(s.readBounded(join(dir, "nothing"), 64, true)).toBeUndefined();
  });

  test("list, stat, lstat, readlink", () => {
    expect(s.list(dir)!.sort()).toEqual(["big", "fifo", "file", "link", "sub"]);
    expect(s.list(join(dir, "nothing"))).toBeUndefined();
    expect(s.stat(join(dir, "link"))).toMatchObject({ kind: "file" });
    expect(s.lstat(join(dir, "link"))).toMatchObject({ kind: "symlink" });
    expect(s.stat(join(dir, "file"))!.token).toBe(s.lstat(join(dir, "file"))!.token);
    expect(s.stat(join(dir, "file"))!.token).not.toBe(s.stat(join(dir, "big"))!.token);
    expect(s.readlink(join(dir, "link"))).toBe(join(dir, "file"));
    expect(s.readlink(join(dir, "file"))).toBeUndefined();
    chmodSync(join(dir, "sub"), 0o750);
    expect(s.stat(join(dir, "sub"))).toMatchObject({ perm: 0o750, uid: process.getuid!() });
  });

  test("chmodDirectory: the owner's directory through one descriptor; links, files, other owners refused", () => {
    const own = join(dir, "own");
    mkdirSync(own);
    chmodSync(own, 0o775);
    const uid = process.getuid?.() ?? 0;
    expect(s.chmodDirectory(own, 0o700, uid)).toBeUndefined();
    expect(s.stat(own)?.perm).toBe(0o700);
    chmodSync(own, 0o775);
    expect(s.chmodDirectory(own, 0o700, uid + 1)).toBe("EPERM");
    expect(s.stat(own)?.perm).toBe(0o775);
    symlinkSync(own, join(dir, "own-link"));
    expect(s.chmodDirectory(join(dir, "own-link"), 0o700, uid)).toBe("ELOOP");
    expect(s.stat(own)?.perm).toBe(0o775);
    expect(s.chmodDirectory(join(dir, "file"), 0o700, uid)).toBe("ENOTDIR");
    expect(s.chmodDirectory(join(dir, "missing"), 0o700, uid)).toBe("ENOENT");
  });

  test("mkdir, createExclusive, link, unlink report errno names", () => {
    expect(s.mkdir(join(dir, "new"), 0o700)).toBeUndefined();
    expect(s.mkdir(join(dir, "new"), 0o700)).toBe("EEXIST");
    expect(s.mkdir(join(dir, "no/such/parent"), 0o700)).toBe("ENOENT");
    const target = join(dir, "created");
    expect(s.createExclusive(target, new TextEncoder().encode("data"), 0o600)).toBeUndefined();
    expect(readFileSync(target, "utf8")).toBe("data");
    expect(s.stat(target)!.perm).toBe(0o600);
    expect(s.createExclusive(target, new Uint8Array(), 0o600)).toBe("EEXIST");
    // Never through a link, even a dangling one.
    symlinkSync(join(dir, "elsewhere"), join(dir, "dangling"));
    expect(s.createExclusive(join(dir, "dangling"), new Uint8Array(), 0o600)).toBe("EEXIST");
    expect(s.link(target, join(dir, "hard"))).toBeUndefined();
    expect(s.link(target, join(dir, "hard"))).toBe("EEXIST");
    expect(s.unlink(join(dir, "hard"))).toBeUndefined();
    expect(s.unlink(join(dir, "hard"))).toBe("ENOENT");
  });
});

/** This user's passwd entry, read by the system's own tool (never from HOME). */
function passwdEntryHome(): string | undefined {
  const uid = String(process.getuid!());
  // Linux: getent; macOS: `id -P` prints the entry in passwd(5) form.
  const command = Bun.which("getent") ? ["getent", "passwd", uid] : ["id", "-P", uid];
  const fields = Bun.spawnSync(command).stdout.toString().trim().split(":");
  return fields.length >= 7 ? fields[fields.length - 2] : undefined;
}

test("passwdHome: the user database's home, whatever HOME says", () => {
  const { passwdHome } = require("../../src/sys/passwd.ts") as typeof import("../../src/sys/passwd.ts");
  const expected = passwdEntryHome();
  expect(expected).toBeString();
  expect(passwdHome()).toBe(expected!);
});
