// A parent that started after stitch is not its parent (design §4.3): stitch's parent
// exited while the table was read and its pid went to a new process. Made exact with a
// stand-in `ps` (the binary runs with the ps source, STITCH_PROCESS_SOURCE=ps): the
// system's table, with stitch's parent shown as a `claude` that started in 2099, after
// stitch. The control shows the same `claude` row with the parent's real start time.

import { afterAll, expect } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { call, linuxDescribe, linuxTest, Sandbox, shq } from "./harness.ts";

const SYSTEM_PS = Bun.which("ps", { PATH: "/usr/bin:/bin" }) ?? "/bin/ps";

/** A `ps` that shows stitch's parent (its own parent's parent) as `claude`, started `lstart` (or when it did). */
const standInPs = (lstart: string | undefined) => String.raw`#!/bin/bash
table=$(${shq(SYSTEM_PS)} "$@") || exit 1
if [ "$*" != "-A -ww -o pid=,ppid=,stat=,lstart=,command=" ]; then printf '%s\n' "$table"; exit 0; fi
parent=$(awk -v p="$PPID" '$1 == p { print $2 }' <<< "$table")
awk -v p="$parent" -v later=${shq(lstart ?? "")} '$1 == p && match($0, /(Sun|Mon|Tue|Wed|Thu|Fri|Sat) /) {
  # The columns up to lstart (24 characters, C locale), then the program.
  start = later == "" ? substr($0, RSTART, 24) : later
  print substr($0, 1, RSTART - 1) start " claude"; next } { print }' <<< "$table"
`;

const sb = new Sandbox();
afterAll(() => sb.cleanup());

async function resolveWith(lstart: string | undefined): Promise<Record<string, unknown>> {
  const bin = join(sb.dir, `ps-${lstart ? "later" : "real"}`);
  mkdirSync(bin);
  writeFileSync(join(bin, "ps"), standInPs(lstart), { mode: 0o755 });
  const env = { PATH: `${bin}:${sb.env().PATH}`, STITCH_PROCESS_SOURCE: "ps" };
  const a = await sb.agent("bash", call("1", "stitch resolve --json </dev/null"), { env });
  expect(a.read("err.1")).toBe("");
  return JSON.parse(a.read("out.1"));
}

linuxDescribe("a parent that started after stitch (design §4.3)", () => {
  linuxTest("control: the parent shown as claude with its real start time names the caller", async () => {
    const r = await resolveWith(undefined);
    expect({ caller: r.caller, agent_caller: r.agent_caller }).toEqual({ caller: "claude_code", agent_caller: true });
  });

  linuxTest("the same claude row started after stitch is not its parent: the walk ends, nothing is keyed on it", async () => {
    const before = sb.sessionFiles();
    const r = await resolveWith("Thu Dec 31 23:59:59 2099");
    // With no parent known and no terminal, the §4.7 fallback: an unnamed automated caller
    // with a one-call id; never claude_code, never a session file keyed on the stranger.
    expect({ caller: r.caller, caller_layer: r.caller_layer, ancestry: r.ancestry }).toEqual({ caller: "agent_unknown", caller_layer: "fallback", ancestry: [] });
    expect(String(r.session_id)).toStartWith("cli_");
    expect(sb.sessionFiles()).toEqual(before);
  });
});
