// The char-code helpers that replace regular expressions on the per-call path
// (src/text.ts) must agree with the expressions they replace, on any input.

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { argv0Of } from "../../src/proc/command.ts";
import { safeValue } from "../../src/safe.ts";
import { asciiLower, isLetterCluster, withoutExe, splitPath, withoutLoginDash, withoutVersionSuffix } from "../../src/text.ts";
import { absoluteDir, joinPath } from "../../src/path.ts";
import { isPlainPath, isPlainWord } from "../../src/records/tool-call-db.ts";

const pathish = fc.stringMatching(/^[-a-zA-Z0-9._/\\ @:+\u00e9\u3000\t]{0,40}$/);

test("splitPath is split(/[/\\\\]+/)", () => {
  fc.assert(fc.property(pathish, (p) => expect(splitPath(p)).toEqual(p.split(/[/\\]+/))), { numRuns: 3000 });
});

test("argv0Of is the first \\s-separated word, ASCII lower-cased", () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 40, unit: "binary" }), (s) => {
      const old = s.replace(/[A-Z]+/g, (m) => m.toLowerCase()).trimStart().split(/\s/, 1)[0] ?? "";
      expect(argv0Of(s)).toBe(old);
    }),
    { numRuns: 3000 },
  );
});

test("asciiLower, safeValue, the little name helpers: as their expressions", () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 300, unit: "binary" }), (s) => {
      expect(asciiLower(s)).toBe(s.replace(/[A-Z]+/g, (m) => m.toLowerCase()));
      const t = s.trim();
      expect(safeValue(s)).toBe(/^[A-Za-z0-9._:@/-]{1,256}$/.test(t) ? t : undefined);
      expect(withoutLoginDash(s)).toBe(s.replace(/^-/, ""));
      expect(withoutVersionSuffix(s)).toBe(s.replace(/[0-9.]+$/, ""));
      expect(isLetterCluster(s)).toBe(/^[-+][A-Za-z]+$/.test(s));
      expect(withoutExe(s)).toBe(s.replace(/\.exe$/i, ""));
    }),
    { numRuns: 3000 },
  );
  // Windows file names ignore case, so `.EXE` goes as `.exe` does; the name keeps its case.
  expect(["codex.exe", "Claude.EXE", "a.Exe", ".exe", "exe", "tool.exe.bak"].map(withoutExe)).toEqual(["codex", "Claude", "a", "", "exe", "tool.exe.bak"]);
  for (const s of ["-bash", "python3.12", "node22", "-lc", "+o", "-", "--rcfile", "a".repeat(256), "a".repeat(257)]) {
    expect(withoutLoginDash(s)).toBe(s.replace(/^-/, ""));
    expect(withoutVersionSuffix(s)).toBe(s.replace(/[0-9.]+$/, ""));
    expect(isLetterCluster(s)).toBe(/^[-+][A-Za-z]+$/.test(s));
    expect(safeValue(s)).toBe(/^[A-Za-z0-9._:@/-]{1,256}$/.test(s) ? s : undefined);
  }
});

test("paths: absolute on each platform, joined with its separator", () => {
  for (const [value, platform, absolute] of [
    ["/a", "linux", true],
    ["a", "linux", false],
    ["C:\\Users\\u", "win32", true],
    ["c:/x", "win32", true],
    ["C:x", "win32", false],
    ["\\\\server\\share", "win32", true],
    ["\\\\", "win32", false],
    ["\\x", "win32", false],
    ["/x", "win32", false],
  ] as const) {
    expect({ value, platform, absolute: absoluteDir(value, platform) !== undefined }).toEqual({ value, platform, absolute });
  }
  expect(joinPath("/h//", "x", "linux")).toBe("/h/x");
  expect(joinPath("/", "x", "linux")).toBe("/x");
  expect(joinPath("C:\\u\\/", "x", "win32")).toBe("C:\\u\\x");
});

test("parseRfc3339 reads what its former expression read, and only that", () => {
  const { parseRfc3339 } = require("../../src/store/schema.ts") as typeof import("../../src/store/schema.ts");
  const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  // The implementation this replaced, kept as the oracle.
  const oracle = (text: string): number | undefined => {
    const m = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.exec(text);
    if (!m) return undefined;
    const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as number[] as [number, number, number, number, number, number];
    if (month < 1 || month > 12) return undefined;
    const monthDays = month === 2 && isLeap(year) ? 29 : DAYS[month - 1]!;
    if (day < 1 || day > monthDays || hour > 23 || minute > 59 || second > 60) return undefined;
    const zone = m[8]!;
    let offset = 0;
    if (zone !== "Z" && zone !== "z") {
      const oh = Number(zone.slice(1, 3));
      const om = Number(zone.slice(4, 6));
      if (oh > 23 || om > 59) return undefined;
      offset = (zone[0] === "-" ? -1 : 1) * (oh * 60 + om);
    }
    const date = new Date(0);
    date.setUTCFullYear(year, month - 1, day);
    date.setUTCHours(hour, minute, Math.min(second, 59), 0);
    const fraction = m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0;
    const ms = date.getTime() + fraction - offset * 60_000;
    return Number.isFinite(ms) ? ms : undefined;
  };
  const d = (n: number) => fc.integer({ min: 0, max: 10 ** n - 1 }).map((x) => String(x).padStart(n, "0"));
  const wellFormed = fc
    .tuple(d(4), d(2), d(2), fc.constantFrom("T", "t", " ", "x"), d(2), d(2), d(2), fc.option(fc.stringMatching(/^\.[0-9]{0,4}$/)), fc.constantFrom("Z", "z", "+05:30", "-23:59", "+24:00", "-00:60", "", "+1:00"))
    .map(([y, mo, da, t, h, mi, s, f, z]) => `${y}-${mo}-${da}${t}${h}:${mi}:${s}${f ?? ""}${z}`);
  fc.assert(fc.property(wellFormed, (s) => expect(parseRfc3339(s)).toBe(oracle(s))), { numRuns: 5000 });
  fc.assert(fc.property(fc.string({ maxLength: 40 }), (s) => expect(parseRfc3339(s)).toBe(oracle(s))), { numRuns: 3000 });
  for (const s of ["2026-11-24T12:00:00Z", "2026-11-24T12:00:00.123456+01:00", "2024-02-29 00:00:60z", "2023-02-29T00:00:00Z", "2026-11-24T12:00:00Zx"]) {
    expect(parseRfc3339(s)).toBe(oracle(s));
  }
});

// records/tool-call-db.ts checks the catalog's SQL words and JSON paths by char codes (no
// RegExp on the per-call path): the same answers as the expressions they replaced.
describe("tool_call_db's plain words and paths, against the expressions they replaced", () => {
  const PLAIN = /^[A-Za-z_][A-Za-z0-9_]*$/;
  const PLAIN_PATH = /^\$(\.[A-Za-z_][A-Za-z0-9_]*)+$/;
  const pieces = fc.constantFrom("$", ".", "a", "Z", "_", "0", "9", "-", " ", "é", "'", "$.", ".x");
  const wordish = fc.array(pieces, { maxLength: 8 }).map((p) => p.join(""));
  test("isPlainWord", () => {
    fc.assert(fc.property(fc.oneof(wordish, fc.string({ maxLength: 12 })), (w) => expect(isPlainWord(w)).toBe(PLAIN.test(w))), { numRuns: 5000 });
    for (const w of ["session_id", "part", "_x9", "", "9a", "a-b", "a b"]) expect(isPlainWord(w)).toBe(PLAIN.test(w));
  });
  test("isPlainPath", () => {
    fc.assert(fc.property(fc.oneof(wordish, fc.string({ maxLength: 12 })), (p) => expect(isPlainPath(p)).toBe(PLAIN_PATH.test(p))), { numRuns: 5000 });
    for (const p of ["$.state.status", "$.tool", "$", "$.", "$..a", "$.a.", "$.9", ".a", "$.a b"]) expect(isPlainPath(p)).toBe(PLAIN_PATH.test(p));
  });
});
