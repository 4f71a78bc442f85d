// What differs on macOS, tested here on Linux: the ps source on real macOS `ps` text, the
// boot identity macOS does not have, and the locale `lstart` is printed in. (node:fs's Sys,
// which macOS uses, is held to the libc one in sys.test.ts; the macOS CI jobs run all of
// this natively too.)
//
// ps-macos-darwin27.txt is a real capture (test/fixtures/README.md): `LC_ALL=C ps -axww -o
// pid=,ppid=,pgid=,uid=,rss=,%cpu=,time=,lstart=,ucomm=,args=` on a Mac running Darwin 27,
// its columns a superset of stitch's but for `stat`. Each row is turned into the line
// stitch's own invocation prints (pid, ppid, stat, lstart, command: the recorded bytes of
// each, lstart padded to 28 as macOS pads it); the one column not recorded, stat, is `Z`
// for the `<defunct>` rows (as macOS shows a zombie) and `S` for the others.

import { describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { chooseProcessSource } from "../../src/proc/choose.ts";
import { parsePsOutput } from "../../src/proc/parse.ts";
import { parsePsStarts, PsSource, startTimeFromLstart } from "../../src/proc/ps.ts";
import { Ancestry } from "../../src/resolve/ancestry.ts";
import { anchorOf } from "../../src/resolve/anchor.ts";

const RECORDED = readFileSync(`${import.meta.dir}/../fixtures/ps-macos-darwin27.txt`, "utf8");

interface Row {
  readonly pid: number;
  readonly ppid: number;
  /** The lstart column as printed: 24 characters and 4 of padding (C locale). */
  readonly lstart: string;
  readonly args: string;
}

/** The recorded rows, read by their own column layout (independently of src/). */
const ROW = /^ *(\d+) +(\d+) +(-?\d+) +(-?\d+) +(\d+) +([\d.]+) +([\d:.]+) (.{28}) (.{16}) (.*)$/;
const rows: Row[] = RECORDED.split("\n")
  .slice(1) // the command that made it
  .filter((line) => line !== "")
  .map((line) => {
    const m = ROW.exec(line);
    if (!m) throw new Error(`not a row of the capture: ${line}`);
    return { pid: Number(m[1]), ppid: Number(m[2]), lstart: m[8]!, args: m[10]! };
  });

const defunct = (r: Row) => r.args === "<defunct>";

/** The capture as stitch's `ps -A -ww -o pid=,ppid=,stat=,lstart=,command=` prints it. */
const asStitchAsksForIt = rows.map((r) => `${String(r.pid).padStart(5)} ${String(r.ppid).padStart(5)} ${defunct(r) ? "Z   " : "S   "} ${r.lstart} ${r.args}`).join("\n");

describe("the ps source on real macOS ps text", () => {
  test("the capture is what it says: 102 rows, 28-wide lstart, zombies, login shells, app bundles", () => {
    expect(rows).toHaveLength(102);
    for (const r of rows) expect(r.lstart).toMatch(/^[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4} {4}$/);
    expect(rows.filter(defunct)).toHaveLength(3);
    expect(rows.filter((r) => r.args === "-zsh")).toHaveLength(2);
    expect(rows.some((r) => r.args.startsWith("/Applications/Google Chrome.app/"))).toBe(true);
    expect(rows.some((r) => r.lstart.startsWith("Thu Oct  1"))).toBe(true);
  });

  test("every row parses: its command exactly (trailing blanks aside), its lstart text, zombies gone", () => {
    const parsed = parsePsOutput(asStitchAsksForIt);
    expect(parsed.size).toBe(rows.length);
    for (const r of rows) {
      expect(parsed.get(r.pid)).toMatchObject({ ppid: r.ppid, lstart: r.lstart.trimEnd(), command: r.args.trim() });
    }
    const source = new PsSource(() => asStitchAsksForIt);
    for (const r of rows) {
      if (defunct(r)) expect(source.get(r.pid)).toBeUndefined();
      else expect(source.get(r.pid)?.startTime).toBe(createHash("sha256").update(r.lstart.trim()).digest().readBigUInt64BE(0));
    }
  });

  test("a call under Claude Code (through caffeinate, a transient wrapper) anchors on claude, named by its program", () => {
    const source = new PsSource(() => asStitchAsksForIt);
    // caffeinate 63745 runs under `claude --name dusk-shrike ...` (25030), whose executable
    // (ucomm) is its version, 2.1.286: argv0 is what names it.
    const anchor = anchorOf(new Ancestry(source, 999_999, 63745), {});
    expect(anchor?.hop.process.pid).toBe(25030);
    expect(anchor?.reason).toEqual({ kind: "agent", slug: "claude_code" });
    // Under the onenv launcher (node running onenv, then claude): the claude process.
    expect(anchorOf(new Ancestry(source, 999_999, 48367), {})?.hop.process.pid).toBe(48367);
  });

  test("a human's login shell in iTerm2 has no agent among its ancestors", () => {
    const source = new PsSource(() => asStitchAsksForIt);
    const ancestry = new Ancestry(source, 999_999, 67732);
    const anchor = anchorOf(ancestry, {});
    expect(anchor?.reason.kind).not.toBe("agent");
    expect(ancestry.walked().map((hop) => hop.process.pid)).toEqual([67732, 67730, 94813, 94676, 1]);
  });
});

describe("the boot identity: none on macOS", () => {
  test("the process source chosen for macOS is ps, with no boot id (Linux's ps source keeps /proc's)", () => {
    const mac = chooseProcessSource({ PATH: "/usr/bin:/bin" }, "darwin", process.ppid);
    expect(mac?.kind).toBe("ps");
    expect(mac?.bootId()).toBeUndefined();
    if (process.platform === "linux") {
      const linuxPs = chooseProcessSource({ PATH: "/usr/bin:/bin", STITCH_PROCESS_SOURCE: "ps" }, "linux", process.ppid);
      expect(linuxPs?.bootId()).toBe(readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim());
    }
  });
});

describe("lstart in the user's locale", () => {
  test("the recorded Dutch text of the same process keys another file than its C text", () => {
    // Recorded with the capture above (LANG=nl_NL.UTF-8): launchd's start.
    const dutch = parsePsStarts("    1 ma 28 sep. 16:54:04 2026    \n").get(1)!;
    expect(dutch.trim()).toBe("ma 28 sep. 16:54:04 2026");
    expect(startTimeFromLstart(dutch)).not.toBe(startTimeFromLstart(rows[0]!.lstart));
  });
});
