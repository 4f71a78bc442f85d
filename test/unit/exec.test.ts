import { describe, expect, test } from "bun:test";
import { candidates, envValue } from "../../src/exec.ts";
import { CStrings } from "../../src/sys/cstrings.ts";

const e = (s: string) => new TextEncoder().encode(s);
const d = (list: Uint8Array[]) => list.map((b) => new TextDecoder().decode(b));

describe("PATH search like execvp", () => {
  test("a name with a slash is not searched", () => {
    expect(d(candidates(e("./x"), e("/bin")))).toEqual(["./x"]);
    expect(d(candidates(e("/usr/bin/env"), e("/bin")))).toEqual(["/usr/bin/env"]);
  });
  test("each PATH entry in order; an empty entry is the current directory", () => {
    expect(d(candidates(e("ls"), e("/a:/b/:")))).toEqual(["/a/ls", "/b/ls", "ls"]);
    expect(d(candidates(e("ls"), e(":/a")))).toEqual(["ls", "/a/ls"]);
    expect(d(candidates(e("ls"), e("")))).toEqual(["ls"]);
  });
  test("PATH unset: glibc's default", () => {
    expect(d(candidates(e("ls"), undefined))).toEqual(["/bin/ls", "/usr/bin/ls"]);
  });
  test("PATH bytes that are not UTF-8 are kept", () => {
    const path = new Uint8Array([0x2f, 0xff, 0x3a, 0x2f, 0x62]);
    expect(candidates(e("x"), path)[0]).toEqual(new Uint8Array([0x2f, 0xff, 0x2f, 0x78]));
  });
  test("the first PATH= entry is the one used", () => {
    expect(d([envValue(CStrings.of(["PATHX=1", "PATH=/a", "PATH=/b"]), "PATH")!])).toEqual(["/a"]);
    expect(envValue(CStrings.of(["X=1"]), "PATH")).toBeUndefined();
  });
});
