// The one PATH search (design §10, §11): exec, `stitch stitch` and `shim list` all use it.

import { describe, expect, test } from "bun:test";
import { namesPath, pathDirectories, searchCandidates, searchCandidatesText, variable } from "../../src/path-search.ts";
import { firstTaken, type CandidateVerdict } from "../../src/self.ts";
import { CStrings } from "../../src/sys/cstrings.ts";

const e = (s: string) => new TextEncoder().encode(s);
const d = (list: Uint8Array[]) => list.map((b) => new TextDecoder().decode(b));
const unix = (file: string, env: Record<string, string>) => d(searchCandidates(e(file), env, "linux"));
const win = (file: string, env: Record<string, string>) => d(searchCandidates(e(file), env, "win32"));

describe("on Unix, execvp's rules", () => {
  test("a name with a slash is not searched", () => {
    expect(unix("./x", { PATH: "/bin" })).toEqual(["./x"]);
    expect(unix("/usr/bin/env", { PATH: "/bin" })).toEqual(["/usr/bin/env"]);
    // A backslash is a file name's character on Unix.
    expect(unix("a\\b", { PATH: "/bin" })).toEqual(["/bin/a\\b"]);
  });
  test("each PATH entry in order; an empty entry is the current directory", () => {
    expect(unix("ls", { PATH: "/a:/b/:" })).toEqual(["/a/ls", "/b/ls", "ls"]);
    expect(unix("ls", { PATH: ":/a" })).toEqual(["ls", "/a/ls"]);
    expect(unix("ls", { PATH: "/a::/b" })).toEqual(["/a/ls", "ls", "/b/ls"]);
    expect(unix("ls", { PATH: "" })).toEqual(["ls"]);
  });
  test("PATH unset: glibc's default, not nothing", () => {
    expect(unix("ls", {})).toEqual(["/bin/ls", "/usr/bin/ls"]);
    expect(unix("ls", { Path: "/a", path: "/b" })).toEqual(["/bin/ls", "/usr/bin/ls"]);
  });
  test("PATH bytes that are not UTF-8 are kept (the byte 0xFF, not U+00FF)", () => {
    const env = CStrings.of([new Uint8Array([...e("PATH=/"), 0xff, 0x3a, 0x2f, 0x62])]);
    const list = searchCandidates(e("x"), env, "linux");
    expect(list).toEqual([new Uint8Array([0x2f, 0xff, 0x2f, 0x78]), e("/b/x")]);
  });
  test("the first PATH= entry of the block is the one used, as getenv reads it", () => {
    const env = CStrings.of(["PATHX=1", "PATH=/a", "PATH=/b"]);
    expect(d([variable(env, "PATH", "linux")!])).toEqual(["/a"]);
    expect(d(searchCandidates(e("x"), env, "linux"))).toEqual(["/a/x"]);
    expect(variable(CStrings.of(["X=1", "path=/p"]), "PATH", "linux")).toBeUndefined();
  });
  test("as text, a candidate in the current directory is a path (`./NAME`), so nothing searches for it again", () => {
    expect(searchCandidatesText("ls", { PATH: ":/a" }, "linux")).toEqual(["./ls", "/a/ls"]);
    expect(searchCandidatesText("./ls", { PATH: ":/a" }, "linux")).toEqual(["./ls"]);
  });
});

describe("on Windows, PATH and PATHEXT, their names in any case", () => {
  test("`Path` (the usual spelling) and any other case; the first of them", () => {
    expect(win("x", { Path: "C:\\a", PATHEXT: ".EXE" })).toEqual(["C:\\a\\x", "C:\\a\\x.EXE"]);
    expect(win("x", { path: "C:\\a;C:\\b\\", PATHEXT: ".EXE" })).toEqual(["C:\\a\\x", "C:\\a\\x.EXE", "C:\\b\\x", "C:\\b\\x.EXE"]);
    expect(win("x", { Path: "C:\\first", PATH: "C:\\second", PATHEXT: ".EXE" })).toEqual(["C:\\first\\x", "C:\\first\\x.EXE"]);
    expect(d(searchCandidates(e("x"), CStrings.of(["pAtH=C:\\a", "PathExt=.CMD"]), "win32"))).toEqual(["C:\\a\\x", "C:\\a\\x.CMD"]);
  });
  test("PATHEXT: its empty entries ignored; unset, the default", () => {
    expect(win("x", { PATH: "C:\\a", PATHEXT: ";.EXE;;.CMD;" })).toEqual(["C:\\a\\x", "C:\\a\\x.EXE", "C:\\a\\x.CMD"]);
    expect(win("x", { PATH: "C:\\a" })).toEqual(["C:\\a\\x", "C:\\a\\x.COM", "C:\\a\\x.EXE", "C:\\a\\x.BAT", "C:\\a\\x.CMD"]);
    expect(win("x", { PATH: "C:\\a", pathext: ".BAT" })).toEqual(["C:\\a\\x", "C:\\a\\x.BAT"]);
  });
  test("an empty entry, or PATH unset: the current directory; a backslash names a path", () => {
    expect(win("x", { PATH: ";C:\\a", PATHEXT: ".EXE" })).toEqual([".\\x", ".\\x.EXE", "C:\\a\\x", "C:\\a\\x.EXE"]);
    expect(win("x", { PATHEXT: ".EXE" })).toEqual([".\\x", ".\\x.EXE"]);
    expect(win("bin\\x", { PATH: "C:\\a" })).toEqual(["bin\\x"]);
    expect(namesPath(e("bin\\x"), "win32")).toBe(true);
    expect(namesPath(e("bin\\x"), "linux")).toBe(false);
  });
  test("PATH's directories, for the hint of `shim add`", () => {
    expect(pathDirectories({ Path: "C:\\a;C:\\s" }, "win32")).toEqual(["C:\\a", "C:\\s"]);
    expect(pathDirectories({ PATH: "/a:/s" }, "linux")).toEqual(["/a", "/s"]);
  });
});

test("the candidate taken: the first the rule takes; without one, whether any was skipped", () => {
  const verdicts = (...v: CandidateVerdict[]) => (i: number) => v[i]!;
  expect(firstTaken(["a", "b", "c"], verdicts("absent", "stitch", "take"))).toEqual({ found: "c", skipped: true });
  expect(firstTaken(["a", "b"], verdicts("passed", "absent"))).toEqual({ skipped: true });
  expect(firstTaken(["a", "b"], verdicts("absent", "absent"))).toEqual({ skipped: false });
  expect(firstTaken(["a", "b"], verdicts("take", "take"))).toEqual({ found: "a", skipped: false });
});
