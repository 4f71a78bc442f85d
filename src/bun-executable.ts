// What a Bun standalone executable (the kind build.ts makes stitch into) says it is, read with
// a few small reads and no knowledge of the program inside (design §12).
//
// `bun build --compile` puts the program, its "module graph", in a section of the executable:
// `.bun` in ELF (Linux) and PE (Windows), section `__bun` of segment `__BUN` in Mach-O (macOS).
// The section starts with the payload's length (u64, little-endian) and the payload ends with
// the trailer `\n---- Bun! ----\n`, just after the table of modules and their names,
// `/$bunfs/root/<name>` (on Windows `B:/~BUN/root/<name>`), the entry module named after the
// file the build wrote (`stitch`, `stitch-linux-x64`, ...). Checked on Bun 1.4.5's seven
// targets; build.ts refuses a build whose binary this cannot read, so a runtime that moves
// the payload fails the build instead of letting shims run each other.
//
// Pure: the caller supplies the reads. Every read is bounded (a few KiB), whatever the file.

import type { ReadAt } from "./sys/sys.ts";

/** The start of the file: every header format's fixed part and (in practice) its tables. */
const HEAD = 4096;
/**
 * The end of the payload read for the module names: the table, the names and the trailer.
 * Each module's entry takes ~110 bytes: stitch, split in ~60 chunks (build.ts), has its
 * entry's name ~6.7 KB before the trailer. Read only from a file of a stitch binary's size.
 */
const TAIL = 64 * 1024;
/** Larger header tables are not an executable Bun wrote. */
const MAX_TABLE = 64 * 1024;

const TRAILER = new TextEncoder().encode("\n---- Bun! ----\n");
const ROOTS = ["/$bunfs/root/", "B:/~BUN/root/"].map((root) => new TextEncoder().encode(root));

interface Section {
  readonly offset: number;
  readonly size: number;
}

const view = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
const u64 = (v: DataView, at: number) => Number(v.getBigUint64(at, true));
const text = (bytes: Uint8Array, from: number, length: number) => {
  let end = from;
  while (end < from + length && bytes[end] !== 0) end++;
  return String.fromCharCode(...bytes.subarray(from, end));
};

/** The bytes at [offset, offset + length), all of them, or undefined. */
function readExactly(read: ReadAt, offset: number, length: number, head: Uint8Array): Uint8Array | undefined {
  if (length < 0 || length > MAX_TABLE) return undefined;
  if (offset + length <= head.length) return head.subarray(offset, offset + length);
  const bytes = read(offset, length);
  return bytes && bytes.length === length ? bytes : undefined;
}

/** ELF, 64-bit little-endian (every Linux target): the section named `.bun`. */
function elfSection(read: ReadAt, head: Uint8Array): Section | undefined {
  if (head.length < 64 || head[4] !== 2 || head[5] !== 1) return undefined;
  const h = view(head);
  const shoff = u64(h, 0x28);
  const entrySize = h.getUint16(0x3a, true);
  const count = h.getUint16(0x3c, true);
  const namesIndex = h.getUint16(0x3e, true);
  if (entrySize < 64 || namesIndex >= count) return undefined;
  const table = readExactly(read, shoff, entrySize * count, head);
  if (!table) return undefined;
  const t = view(table);
  const names = readExactly(read, u64(t, namesIndex * entrySize + 0x18), u64(t, namesIndex * entrySize + 0x20), head);
  if (!names) return undefined;
  for (let i = 0; i < count; i++) {
    const at = i * entrySize;
    const name = t.getUint32(at, true);
    if (name < names.length && text(names, name, names.length - name) === ".bun") return { offset: u64(t, at + 0x18), size: u64(t, at + 0x20) };
  }
  return undefined;
}

/** Mach-O, 64-bit little-endian (both macOS targets): section `__bun` of segment `__BUN`. */
function machoSection(read: ReadAt, head: Uint8Array): Section | undefined {
  if (head.length < 32) return undefined;
  const h = view(head);
  const commands = h.getUint32(16, true);
  const cmds = readExactly(read, 32, h.getUint32(20, true), head);
  if (!cmds) return undefined;
  const c = view(cmds);
  const LC_SEGMENT_64 = 0x19;
  for (let i = 0, at = 0; i < commands && at + 8 <= cmds.length; i++) {
    const size = c.getUint32(at + 4, true);
    if (size < 8 || at + size > cmds.length) return undefined;
    if (c.getUint32(at, true) === LC_SEGMENT_64 && size >= 72 && text(cmds, at + 8, 16) === "__BUN") {
      const sections = c.getUint32(at + 64, true);
      for (let s = 0, sect = at + 72; s < sections && sect + 80 <= at + size; s++, sect += 80) {
        if (text(cmds, sect, 16) === "__bun") return { offset: c.getUint32(sect + 48, true), size: u64(c, sect + 40) };
      }
    }
    at += size;
  }
  return undefined;
}

/** PE (Windows): the section named `.bun`, by its place in the file. */
function peSection(read: ReadAt, head: Uint8Array): Section | undefined {
  if (head.length < 0x40) return undefined;
  const pe = view(head).getUint32(0x3c, true);
  const coff = readExactly(read, pe, 24, head);
  if (!coff || text(coff, 0, 4) !== "PE") return undefined;
  const count = view(coff).getUint16(6, true);
  const table = readExactly(read, pe + 24 + view(coff).getUint16(20, true), count * 40, head);
  if (!table) return undefined;
  const t = view(table);
  for (let i = 0; i < count; i++) {
    if (text(table, i * 40, 8) === ".bun") return { offset: t.getUint32(i * 40 + 20, true), size: t.getUint32(i * 40 + 16, true) };
  }
  return undefined;
}

function bunSection(read: ReadAt, head: Uint8Array): Section | undefined {
  if (head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46) return elfSection(read, head);
  if (head[0] === 0xcf && head[1] === 0xfa && head[2] === 0xed && head[3] === 0xfe) return machoSection(read, head);
  if (head[0] === 0x4d && head[1] === 0x5a) return peSection(read, head);
  return undefined;
}

const startsAt = (bytes: Uint8Array, at: number, prefix: Uint8Array) => prefix.every((b, i) => bytes[at + i] === b);

/**
 * The names of the modules a Bun standalone executable embeds (`stitch`, `stitch-linux-x64`:
 * without the virtual root), or undefined when the file is not one: another format, a plain
 * executable, a script (rejected after the first read), or a payload cut short.
 */
export function embeddedModuleNames(read: ReadAt, size: number): string[] | undefined {
  const head = read(0, Math.min(HEAD, size));
  if (!head || head.length < 4) return undefined;
  let section: Section | undefined;
  try {
    section = bunSection(read, head);
  } catch {
    return undefined; // a header that points outside what was read: not an executable Bun wrote
  }
  if (!section || section.size < 8 || section.offset + section.size > size) return undefined;
  const length = read(section.offset, 8);
  if (!length || length.length !== 8) return undefined;
  const payload = u64(view(length), 0);
  if (payload < TRAILER.length || payload > section.size - 8) return undefined;
  const end = section.offset + 8 + payload;
  const from = Math.max(section.offset + 8, end - TAIL);
  const tail = read(from, end - from);
  if (!tail || tail.length !== end - from || !startsAt(tail, tail.length - TRAILER.length, TRAILER)) return undefined;
  const names: string[] = [];
  for (let at = 0; at < tail.length; at++) {
    if (tail[at] !== 0x2f && tail[at] !== 0x42) continue; // `/` or `B`: the roots' first bytes
    const root = ROOTS.find((r) => startsAt(tail, at, r));
    if (!root) continue;
    const name = text(tail, at + root.length, Math.min(255, tail.length - at - root.length));
    if (name !== "" && !names.includes(name)) names.push(name);
  }
  return names;
}
