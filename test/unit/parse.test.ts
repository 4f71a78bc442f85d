import { describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { commandLine, parseCmdline, parsePsLine, parsePsOutput, parseStat } from "../../src/proc/parse.ts";
import { parsePsStarts, printsLikeC, PsSource, startTimeFromLstart, timeLocale } from "../../src/proc/ps.ts";
import { rustTrim } from "../../src/text.ts";
import { Ancestry } from "../../src/resolve/ancestry.ts";
import { anchorOf } from "../../src/resolve/anchor.ts";

const fixture = (name: string) => readFileSync(`${import.meta.dir}/../fixtures/${name}`, "utf8");

describe("/proc/<pid>/stat", () => {
  test("a plain command name", () => {
    expect(parseStat(fixture("stat-bash.txt"))).toEqual({ pid: 1068, comm: "bash", state: "S", ppid: 1067, startTime: 2972n });
  });
  test("a name with parentheses, spaces and digits is read from the last `)`", () => {
    expect(parseStat(fixture("stat-parens.txt"))).toEqual({ pid: 18432, comm: ") x (y) 1 2 3", state: "S", ppid: 18431, startTime: 820654n });
  });
  test("a name with a newline", () => {
    expect(parseStat(fixture("stat-newline.txt"))).toEqual({ pid: 18433, comm: "new\nline", state: "S", ppid: 18431, startTime: 820654n });
  });
  test("malformed text gives undefined", () => {
    for (const text of [
      "",
      "garbage",
      "12 (x",
      "x (y) S 1",
      "12 (x) S abc 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 99",
      "12 (x) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0", // no start time
      "12 (x) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 -5",
      "99999999999 (x) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5",
      "12 (x) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 99999999999999999999",
    ]) {
      expect(parseStat(text)).toBeUndefined();
    }
  });
});

describe("/proc/<pid>/cmdline", () => {
  const bytes = (s: string) => new TextEncoder().encode(s);
  test("NUL-separated argv, empty arguments kept", () => {
    expect(parseCmdline(bytes("bash\0-c\0echo hi\0\0"))).toEqual(["bash", "-c", "echo hi", ""]);
    expect(parseCmdline(bytes("no-terminator"))).toEqual(["no-terminator"]);
    expect(parseCmdline(new Uint8Array())).toEqual([]);
  });
  test("the command line is what ps shows", () => {
    expect(commandLine(["node", "/x/cli.js", "--a b"], "node")).toBe("node /x/cli.js --a b");
    expect(commandLine([], "kthreadd")).toBe("[kthreadd]");
  });
});

describe("ps output", () => {
  test("real procps output: every line parses", () => {
    const text = fixture("ps-linux-procps.txt");
    const rows = parsePsOutput(text);
    expect(rows.size).toBe(text.trim().split("\n").length);
    expect(rows.get(1)).toEqual({ pid: 1, ppid: 0, state: "S<Ll", lstart: "Tue Nov 24 17:34:37 2026", command: "/process_api --firecracker-init" });
    expect(rows.get(2)?.command).toBe("[kthreadd]");
    expect([...rows.values()].find((r) => r.command.startsWith("claude -c bash -c"))).toBeDefined();
  });
  test("hostile process names as procps prints them", () => {
    expect(parsePsLine("18432 18431 S    Tue Nov 24 19:51:23 2026 ./) x (y) 1 2 3 30")).toEqual({
      pid: 18432,
      ppid: 18431,
      state: "S",
      lstart: "Tue Nov 24 19:51:23 2026",
      command: "./) x (y) 1 2 3 30",
    });
    expect(parsePsLine("18433 18431 S    Tue Nov 24 19:51:23 2026 ./new line 30")?.command).toBe("./new line 30");
  });
  test("the macOS shape: padded day kept in lstart, bundle paths with spaces", () => {
    const rows = parsePsOutput(fixture("ps-macos-sample.txt"));
    expect(rows.size).toBe(10);
    expect(rows.get(4242)).toEqual({ pid: 4242, ppid: 703, state: "S+", lstart: "Tue Nov 24 17:35:01 2026", command: "claude --resume" });
    expect(rows.get(703)?.lstart).toBe("Tue Nov  4 09:00:02 2026");
    expect(rows.get(640)?.command).toContain("Claude Helper (Renderer).app");
  });
  test("malformed lines are skipped", () => {
    for (const line of ["", "  PID  PPID STAT STARTED", "abc 1 S Tue Nov 24 17:34:37 2026 x", "1 2 S Tue Nov 24 17:34 2026 x", "1 2 Tue Nov 24 17:34:37 2026 x", "1 2"]) {
      expect(parsePsLine(line)).toBeUndefined();
    }
  });
  test("start time: SHA-256 of the lstart text, first 8 bytes big-endian (Railway's macOS scheme)", () => {
    const lstart = "Tue Nov  4 09:00:02 2026";
    const expected = createHash("sha256").update(lstart).digest().readBigUInt64BE(0);
    expect(startTimeFromLstart(lstart)).toBe(expected);
  });
  test("the macOS sample walks from stitch to the claude anchor", () => {
    const source = new PsSource(() => fixture("ps-macos-sample.txt"));
    const ancestry = new Ancestry(source, 4251, 4250);
    const anchor = anchorOf(ancestry, {});
    expect(anchor?.hop.process.pid).toBe(4242);
    expect(anchor?.reason).toEqual({ kind: "agent", slug: "claude_code" });
    expect(ancestry.walked()[0]?.is.transient).toContain("-c");
  });
  test("a zombie has exited: no process, no start time", () => {
    const source = new PsSource(() => fixture("ps-macos-sample.txt"));
    expect(source.get(777)).toBeUndefined();
    expect(source.startTimeOf(777)).toBeUndefined();
    expect(source.startTimeOf(701)).toBeDefined();
  });
  test("Railway's trim is Rust's: Unicode White_Space, U+0085 included, U+FEFF kept", () => {
    expect(rustTrim(" \t\n\u0085\u00a0\u3000Fri Dec  4 19:39:40 2026 \u202f\n")).toBe("Fri Dec  4 19:39:40 2026");
    expect(rustTrim("\ufeffx\ufeff")).toBe("\ufeffx\ufeff");
    const hash = (text: string) => createHash("sha256").update(text).digest().readBigUInt64BE(0);
    // `ps -o lstart= -p <pid>` pads the text to 28 bytes and ends it with a newline.
    expect(startTimeFromLstart("Fr.  4 Dez. 19:39:40 2026  \n")).toBe(hash("Fr.  4 Dez. 19:39:40 2026"));
  });
  test("the start times in the user's locale: pid, then the rest of the line, whatever its words", () => {
    const listing = ["    1 金 12/ 4 08:12:44 2026     ", " 4242 Fr.  4 Dez. 19:39:40 2026  ", "4251 ven.  4 déc. 19:39:40 2026 ", "x 1", "   9", "12345678901 Mon"].join("\n");
    expect([...parsePsStarts(listing)]).toEqual([
      [1, "金 12/ 4 08:12:44 2026     "],
      [4242, "Fr.  4 Dez. 19:39:40 2026  "],
      [4251, "ven.  4 déc. 19:39:40 2026 "],
    ]);
  });
  test("the locale ps prints times in: LC_ALL, LC_TIME, LANG, the first set and not empty; a path is none", () => {
    expect(timeLocale({})).toBeUndefined();
    expect(timeLocale({ LANG: "de_DE.UTF-8" })).toBe("de_DE.UTF-8");
    expect(timeLocale({ LANG: "de_DE.UTF-8", LC_TIME: "fr_FR.UTF-8" })).toBe("fr_FR.UTF-8");
    expect(timeLocale({ LANG: "de_DE.UTF-8", LC_TIME: "fr_FR.UTF-8", LC_ALL: "ja_JP.UTF-8" })).toBe("ja_JP.UTF-8");
    expect(timeLocale({ LC_ALL: "", LANG: "de_DE.UTF-8" })).toBe("de_DE.UTF-8");
    expect(timeLocale({ LANG: "./locales/evil" })).toBeUndefined();
    expect([undefined, "C", "POSIX"].map(printsLikeC)).toEqual([true, true, true]);
    expect(["en_US.UTF-8", "C.UTF-8", "de_DE"].map(printsLikeC)).toEqual([false, false, false]);
  });
  test("in another locale the start time is the user's listing's text, asked for once and only when a start time is", () => {
    let asked = 0;
    const local = () => (asked++, " 4242 Di. 24 Nov. 17:35:01 2026    \n 4251 Di. 24 Nov. 17:36:10 2026\n");
    const source = new PsSource(() => fixture("ps-macos-sample.txt"), undefined, local);
    // The walk reads the table only.
    const anchor = anchorOf(new Ancestry(source, 4251, 4250), {});
    expect(anchor?.hop.process.pid).toBe(4242);
    expect(asked).toBe(0);
    expect(anchor!.hop.process.startTime).toBe(startTimeFromLstart("Di. 24 Nov. 17:35:01 2026"));
    expect(source.startTimeOf(4251)).toBe(startTimeFromLstart("Di. 24 Nov. 17:36:10 2026"));
    // In the table but not in the user's listing (it exited in between): no start time.
    expect(source.startTimeOf(703)).toBeUndefined();
    expect(asked).toBe(1);
    // In the C locale the snapshot's own text is used.
    expect(new PsSource(() => fixture("ps-macos-sample.txt")).startTimeOf(4242)).toBe(startTimeFromLstart("Tue Nov 24 17:35:01 2026"));
  });
  test("a failed ps gives no processes", () => {
    const source = new PsSource(() => undefined);
    expect(source.get(1)).toBeUndefined();
    expect(source.startTimeOf(1)).toBeUndefined();
  });
});
