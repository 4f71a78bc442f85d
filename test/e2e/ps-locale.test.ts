// Railway's start time on macOS in every locale (design §6.2, §11): Railway's CLI hashes
// `ps -o lstart= -p <pid>` as the user's own `ps` prints it, in their locale and time zone;
// stitch must compute the same session file name, or the two never share a session, while
// still parsing the process table reliably (in the C locale).
//
// There is no Mac here: a stand-in `ps` prints `lstart` the way macOS's does (strftime's
// %c in the locale setlocale(LC_ALL, "") picks, padded to 28 bytes), with the day and month
// names and formats recorded from macOS 15 and 26 (`ps -o lstart` under LC_ALL=de_DE.UTF-8,
// fr_FR.UTF-8, ja_JP.UTF-8: "Di. 15 Sep. 23:54:57 2026", "mar. 15 sept. 23:54:57 2026",
// "火  9/15 23:54:57 2026"). The process table itself comes from the system's ps. The binary
// runs with the ps source (STITCH_PROCESS_SOURCE=ps), as on macOS.

import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { railwayCreatedAt, railwayFile } from "../support/railway.ts";
import { call, DIST, linuxDescribe, PRINT_ID, railwayName, Sandbox } from "./harness.ts";

/**
 * The abbreviated day (Sunday first) and month names of macOS's locale data, as bash words.
 * Kept out of the raw template below: the transpiler writes characters beyond Latin-1 in a
 * template's raw text as \u escapes.
 */
const NAMES = {
  de: { days: "So. Mo. Di. Mi. Do. Fr. Sa.", months: "Jan. Feb. März Apr. Mai Juni Juli Aug. Sep. Okt. Nov. Dez." },
  fr: { days: "dim. lun. mar. mer. jeu. ven. sam.", months: "janv. févr. mars avr. mai juin juil. août sept. oct. nov. déc." },
  ja: { days: "日 月 火 水 木 金 土", months: '" 1" " 2" " 3" " 4" " 5" " 6" " 7" " 8" " 9" 10 11 12' },
};

/** The system's own ps (procps): the process table, and the start times it translates. */
const SYSTEM_PS = Bun.which("ps", { PATH: "/usr/bin:/bin" }) ?? "/bin/ps";

const STAND_IN_PS = String.raw`#!/bin/bash
# macOS's ps, as far as stitch and Railway's CLI use it. Every call is logged, with its locale.
locale=${"${LC_ALL:-${LC_TIME:-${LANG:-C}}}"}
echo "$locale|$*" >> "$(dirname "$0")/ps.log"
case "$*" in
  *"pid=,ppid=,stat=,lstart=,command="*) exec ${SYSTEM_PS} "$@" ;;
  *"-A -ww -o pid=,lstart="*) select=(-A) ;;
  "-o lstart= -p "*) select=(-p "$4") ;;
  *) echo "stand-in ps: unexpected arguments: $*" >&2; exit 1 ;;
esac
case "$locale" in
  de_*) days=(${NAMES.de.days}); months=(${NAMES.de.months}); form=eu ;;
  fr_*) days=(${NAMES.fr.days}); months=(${NAMES.fr.months}); form=eu ;;
  ja_*) days=(${NAMES.ja.days}); months=(${NAMES.ja.months}); form=ja ;;
  *) days=(Sun Mon Tue Wed Thu Fri Sat); months=(Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec); form=c ;;
esac
# Each process's start, in UTC from the system's ps, then as local time in the caller's zone:
# two date(1) runs for the whole listing.
table=$(LC_ALL=C TZ=UTC ${SYSTEM_PS} "${"${select[@]}"}" -o pid=,lstart=) || exit 1
pids=($(awk '{ print $1 }' <<< "$table"))
fields=$(awk '{ $1 = ""; print $0 " UTC" }' <<< "$table" | TZ=UTC date -f - +@%s | TZ=${"${TZ:-UTC}"} date -f - +'%w %-m %e %T %Y')
i=0
while read -r w m e t y; do
  case $form in
    eu) text="${"${days[$w]}"} $(printf '%2d' "$e") ${"${months[$((m - 1))]}"} $t $y" ;;
    ja) text="${"${days[$w]}"} ${"${months[$((m - 1))]}"}/$(printf '%2d' "$e") $t $y" ;;
    *) text="${"${days[$w]}"} ${"${months[$((m - 1))]}"} $(printf '%2d' "$e") $t $y" ;;
  esac
  # Padded to 28 bytes, as printf("%-*s") pads: bytes, not characters.
  bytes=$(LC_ALL=C; echo ${"${#text}"})
  pad=$((bytes < 28 ? 28 - bytes : 0))
  if [ "$1" = -A ]; then printf '%5d %s%*s
' "${"${pids[$i]}"}" "$text" "$pad" ""; else printf '%s%*s
' "$text" "$pad" ""; fi
  i=$((i + 1))
done <<< "$fields"
`;

let sb: Sandbox;
let standIn: string;
beforeEach(() => {
  sb = new Sandbox();
  standIn = join(sb.dir, "ps-bin");
  mkdirSync(standIn);
  writeFileSync(join(standIn, "ps"), STAND_IN_PS, { mode: 0o755 });
});
afterEach(() => sb.cleanup());

/** What Railway's CLI computes for a process: its own `ps` run, trimmed, hashed. */
function railwayStartTime(pid: number, env: Record<string, string>): { text: string; btime: bigint } {
  const out = Bun.spawnSync(["ps", "-o", "lstart=", "-p", String(pid)], { env, stdout: "pipe", stderr: "pipe" });
  if (out.exitCode !== 0) throw new Error(`stand-in ps failed: ${out.stderr.toString()}`);
  const text = out.stdout.toString().trim();
  return { text, btime: createHash("sha256").update(text).digest().readBigUInt64BE(0) };
}

const CASES: readonly [name: string, env: Record<string, string>, shape: RegExp][] = [
  ["C", { LC_ALL: "C" }, /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4}$/],
  ["German (LANG)", { LC_ALL: "", LANG: "de_DE.UTF-8" }, /^(So|Mo|Di|Mi|Do|Fr|Sa)\. [ \d]\d \S+ \d\d:\d\d:\d\d \d{4}$/],
  ["French (LC_TIME over LANG)", { LC_ALL: "", LANG: "de_DE.UTF-8", LC_TIME: "fr_FR.UTF-8" }, /^(dim|lun|mar|mer|jeu|ven|sam)\. [ \d]\d \S+ \d\d:\d\d:\d\d \d{4}$/],
  ["Japanese (LC_ALL)", { LC_ALL: "ja_JP.UTF-8" }, /^[日月火水木金土] [ \d]\d\/[ \d]\d \d\d:\d\d:\d\d \d{4}$/],
  ["C in another time zone", { LC_ALL: "C", TZ: "Asia/Tokyo" }, /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) /],
];

linuxDescribe("the ps source agrees with Railway's CLI on the start time, in every locale", () => {
  for (const [name, locale, shape] of CASES) {
    test(name, async () => {
      mkdirSync(sb.sessions, { mode: 0o700 });
      const log = join(standIn, "ps.log");
      const env = { STITCH_PROCESS_SOURCE: "ps", PATH: `${standIn}:${DIST}:/usr/local/bin:/usr/bin:/bin`, ...locale };
      let railway: { text: string; btime: bigint } | undefined;
      const railwayId = "0b5d3ab4-7f50-4c6c-9e0e-2f4b51c3c0de";
      const a = await sb.agent("claude", [`while [ ! -e "$OUT/go" ]; do sleep 0.01; done`, call("j", "stitch resolve --json"), call("1", PRINT_ID), call("2", PRINT_ID)].join("\n"), {
        env,
        beforeFinish: async (h) => {
          // Railway's CLI, called by the same agent, wrote its file first.
          railway = railwayStartTime(h.pid, sb.env(env));
          writeFileSync(join(sb.sessions, railwayName(h.pid, railway.btime, "claude")), railwayFile(h.pid, railway.btime, railwayId, railwayCreatedAt(Date.now())), { mode: 0o600 });
          h.touch("go");
        },
      });
      expect(railway!.text).toMatch(shape);
      // Nothing from stitch on stderr (bash itself warns of a locale this machine lacks).
      const stitchSaid = a.read("err.1").split("\n").filter((line) => !line.startsWith("bash: warning: setlocale:") && line !== "");
      expect({ err: stitchSaid, id: a.read("out.1").trim() }).toEqual({ err: [], id: railwayId });
      expect(a.read("out.2")).toBe(a.read("out.1"));
      // The table was parsed: the agent named and anchored through the ps source.
      expect(JSON.parse(a.read("out.j"))).toMatchObject({ process_source: "ps", caller: "claude_code", anchor: { pid: a.pid, reason: "agent" } });
      expect(sb.sessionFiles()).toEqual([railwayName(a.pid, railway!.btime, "claude")]);
      // ... and always taken in the C locale.
      const calls = readFileSync(log, "utf8").trim().split("\n");
      for (const line of calls.filter((c) => c.includes("command="))) expect(line).toStartWith("C|");
    });
  }
});
