// Recognising a stitch binary by what it carries (design §12, src/bun-executable.ts): the Bun
// payload's section in ELF, Mach-O and PE, read with a few bounded reads. Synthetic files of
// each format here, built as Bun 1.4.5 lays them out; the real release binaries too, where
// dist/ has them (`bun build.ts --all`).

import { describe, expect, test } from "bun:test";
import { closeSync, existsSync, fstatSync, openSync, readdirSync, readSync } from "node:fs";
import { join } from "node:path";
import { embeddedModuleNames } from "../../src/bun-executable.ts";
import { isBuildName } from "../../src/self.ts";

const enc = new TextEncoder();
const TRAILER = enc.encode("\n---- Bun! ----\n");

/** A payload as Bun lays it out: contents, then names, the module table, offsets, trailer. */
function section(names: string[], root = "/$bunfs/root/", filler = 5000): Uint8Array {
  const parts = [new Uint8Array(filler).fill(0x61), ...names.map((n) => enc.encode(`${root}${n}\0`)), new Uint8Array(52 + 32), TRAILER];
  const payload = concat(parts);
  const out = new Uint8Array(8 + payload.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(payload.length), true);
  out.set(payload, 8);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function elf(bun: Uint8Array, sectionName = ".bun"): Uint8Array {
  const names = enc.encode(`\0.shstrtab\0${sectionName}\0`);
  const namesAt = 64;
  const bunAt = 4096;
  const shoff = bunAt + bun.length + 8;
  const file = new Uint8Array(shoff + 3 * 64);
  file.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
  const v = new DataView(file.buffer);
  v.setBigUint64(0x28, BigInt(shoff), true);
  v.setUint16(0x3a, 64, true);
  v.setUint16(0x3c, 3, true);
  v.setUint16(0x3e, 1, true);
  file.set(names, namesAt);
  file.set(bun, bunAt);
  // [0] null, [1] .shstrtab, [2] the payload's section.
  v.setUint32(shoff + 64, 1, true);
  v.setBigUint64(shoff + 64 + 0x18, BigInt(namesAt), true);
  v.setBigUint64(shoff + 64 + 0x20, BigInt(names.length), true);
  v.setUint32(shoff + 128, 11, true);
  v.setBigUint64(shoff + 128 + 0x18, BigInt(bunAt), true);
  v.setBigUint64(shoff + 128 + 0x20, BigInt(bun.length), true);
  return file;
}

function macho(bun: Uint8Array, segment = "__BUN"): Uint8Array {
  const bunAt = 16384;
  const file = new Uint8Array(bunAt + bun.length + 4096); // page padding, a signature after
  const v = new DataView(file.buffer);
  v.setUint32(0, 0xfeedfacf, true);
  v.setUint32(16, 1, true);
  v.setUint32(20, 72 + 80, true);
  v.setUint32(32, 0x19, true);
  v.setUint32(36, 72 + 80, true);
  file.set(enc.encode(segment), 32 + 8);
  v.setUint32(32 + 64, 1, true);
  const sect = 32 + 72;
  file.set(enc.encode("__bun"), sect);
  file.set(enc.encode(segment), sect + 16);
  v.setBigUint64(sect + 40, BigInt(bun.length), true);
  v.setUint32(sect + 48, bunAt, true);
  file.set(bun, bunAt);
  return file;
}

function pe(bun: Uint8Array): Uint8Array {
  const bunAt = 1024;
  const raw = Math.ceil(bun.length / 512) * 512; // file alignment: the section is padded
  const file = new Uint8Array(bunAt + raw + 300);
  const v = new DataView(file.buffer);
  file.set(enc.encode("MZ"));
  v.setUint32(0x3c, 0x80, true);
  file.set(enc.encode("PE\0\0"), 0x80);
  v.setUint16(0x80 + 6, 2, true);
  v.setUint16(0x80 + 20, 0, true);
  const table = 0x80 + 24;
  file.set(enc.encode(".text"), table);
  file.set(enc.encode(".bun"), table + 40);
  v.setUint32(table + 40 + 16, raw, true);
  v.setUint32(table + 40 + 20, bunAt, true);
  file.set(bun, bunAt);
  return file;
}

/** Names read from the bytes, with every read counted and measured. */
function read(file: Uint8Array) {
  const reads: number[] = [];
  const names = embeddedModuleNames((offset, length) => {
    reads.push(length);
    return file.subarray(offset, Math.min(file.length, offset + length));
  }, file.length);
  return { names, reads: reads.length, largest: Math.max(0, ...reads) };
}

describe("a Bun standalone executable's module names (design §12)", () => {
  test("ELF, Mach-O and PE, as each target lays them out", () => {
    expect(read(elf(section(["stitch"]))).names).toEqual(["stitch"]);
    expect(read(macho(section(["stitch-darwin-arm64"]))).names).toEqual(["stitch-darwin-arm64"]);
    expect(read(pe(section(["stitch-windows-x64"], "B:/~BUN/root/"))).names).toEqual(["stitch-windows-x64"]);
  });
  test("another Bun program is read, and is not stitch", () => {
    const names = read(elf(section(["mytool"]))).names;
    expect(names).toEqual(["mytool"]);
    expect(names!.some(isBuildName)).toBe(false);
    expect(isBuildName("stitch-0.1.0")).toBe(false); // a kept file's name, never a build's
  });
  test("anything else is not one, after a few small reads", () => {
    const script = enc.encode("#!/bin/sh\necho /$bunfs/root/stitch\n---- Bun! ----\n");
    expect(read(script)).toMatchObject({ names: undefined, reads: 1 });
    expect(read(elf(section(["stitch"]), ".data")).names).toBeUndefined();
    expect(read(macho(section(["stitch"]), "__DATA")).names).toBeUndefined();
    const cut = section(["stitch"]);
    cut.set(enc.encode("\n---- Bun? ----\n"), cut.length - TRAILER.length);
    expect(read(elf(cut)).names).toBeUndefined();
    // A payload length that points past its section.
    const long = section(["stitch"]);
    new DataView(long.buffer).setBigUint64(0, BigInt(long.length), true);
    expect(read(pe(long)).names).toBeUndefined();
    expect(read(new Uint8Array()).names).toBeUndefined();
  });
  test("every read is bounded, whatever the headers claim", () => {
    const file = elf(section(["stitch"], "/$bunfs/root/", 10_000_000));
    const r = read(file);
    expect(r.names).toEqual(["stitch"]);
    expect(r.reads).toBeLessThanOrEqual(6);
    expect(r.largest).toBeLessThanOrEqual(64 * 1024);
    // A section table claimed to be 65535 entries of 4 KiB: refused, not read.
    const huge = elf(section(["stitch"]));
    const v = new DataView(huge.buffer);
    v.setUint16(0x3a, 4096, true);
    v.setUint16(0x3c, 65535, true);
    const h = read(huge);
    expect(h.names).toBeUndefined();
    expect(h.largest).toBeLessThanOrEqual(64 * 1024);
  });
});

const DIST = join(import.meta.dir, "../../dist");
const built = existsSync(DIST) ? readdirSync(DIST).filter((f) => f === "stitch" || f.startsWith("stitch-")) : [];
describe("the binaries build.ts wrote", () => {
  test.skipIf(built.length === 0)(`each carries a stitch build's name (${built.join(", ") || "none built: skipped"})`, () => {
    for (const file of built) {
      const fd = openSync(join(DIST, file), "r");
      try {
        const size = fstatSync(fd).size;
        const names = embeddedModuleNames((offset, length) => {
          const buf = new Uint8Array(Math.max(0, Math.min(length, size - offset)));
          return buf.subarray(0, readSync(fd, buf, 0, buf.length, offset));
        }, size);
        expect({ file, stitch: names?.some(isBuildName) }).toEqual({ file, stitch: true });
      } finally {
        closeSync(fd);
      }
    }
  });
});

describe("the PATH search's rule for a shim's candidates (design §12)", () => {
  const { candidateVerdicts } = require("../../src/self.ts") as typeof import("../../src/self.ts");
  const { mkdtempSync, mkdirSync, writeFileSync, symlinkSync, linkSync, rmSync } = require("node:fs") as typeof import("node:fs");
  const { tmpdir } = require("node:os") as typeof import("node:os");
  test.skipIf(process.platform === "win32")("a stitch is never taken; a shim called by name takes only what comes after its place", () => {
    // The test runner's executable stands for the shim (run from source, selfToken() is
    // undefined: the runtime is no stitch), passed as the deciding file: a link to it is "this stitch".
    const { sys } = require("../../src/sys/sys.ts") as typeof import("../../src/sys/sys.ts");
    const self = sys().stat(process.execPath)!.token;
    const t = mkdtempSync(join(tmpdir(), "stitch-verdicts-"));
    try {
      const dirs = ["d0", "d1", "d2", "d3", "d4"].map((d) => join(t, d));
      for (const d of dirs) mkdirSync(d);
      const [d0, d1, d2, d3] = dirs as [string, string, string, string, string];
      writeFileSync(join(d0, "railway"), "#!/bin/sh\n", { mode: 0o755 });
      symlinkSync(process.execPath, join(d1, "railway"));
      writeFileSync(join(d2, "railway"), "#!/bin/sh\n", { mode: 0o755 });
      linkSync(join(d0, "railway"), join(d3, "railway")); // the file passed at d0, again
      const candidates = dirs.map((d) => join(d, "railway"));
      const all = (viaPath: boolean) => candidates.map((_, i) => candidateVerdicts(candidates, viaPath, self)(i));
      expect(all(false)).toEqual(["take", "stitch", "take", "take", "absent"]);
      expect(all(true)).toEqual(["passed", "stitch", "take", "passed", "absent"]);
      // Not on this PATH at all: nothing is passed over.
      const elsewhere = candidates.filter((_, i) => i !== 1);
      expect(elsewhere.map((_, i) => candidateVerdicts(elsewhere, true, self)(i))).toEqual(["take", "take", "take", "absent"]);
    } finally {
      rmSync(t, { recursive: true, force: true });
    }
  });
});
