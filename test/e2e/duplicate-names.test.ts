// An environment that holds a name twice (design Appendix A): stitch reads the first value,
// as getenv(3) reads it (and so Railway's CLI, and most programs: shells keep the last), and
// the command gets the block as it was.
// The block is made with execve itself (test/support/raw-exec.ts): shells and env(1)
// would keep one value. The caller is a fake `claude` agent, detached.

import { afterAll, expect, test } from "bun:test";
import { resolve } from "node:path";
import { call, EMULATED, linuxDescribe, Sandbox, shq, STITCH, UUID_V4 } from "./harness.ts";

const RAW_EXEC = resolve(import.meta.dir, "../support/raw-exec.ts");
const sb = new Sandbox();
afterAll(() => sb.cleanup());

/** What the command prints, run by stitch with `block` as its whole environment. */
async function seen(block: string[]): Promise<{ out: string; err: string; rc: string }> {
  const env = Object.entries(sb.env()).map(([k, v]) => `${k}=${v}`);
  const spec = JSON.stringify({
    // perl reads the environment as getenv(3) does (as do Rust's, Go's, Python's and Node's
    // runtimes; shells keep the last value, and pass one on). Then the block itself, in order.
    argv: [
      STITCH,
      "perl",
      "-e",
      'print "$ENV{DO_NOT_TRACK}|", $ENV{RAILWAY_AGENT_SESSION_ID} // "none", "\\n"; open my $f, "<", "/proc/self/environ"; local $/; print map "$_\\n", grep /^DO_NOT_TRACK=/, split /\\0/, <$f>',
    ],
    env: [...env, ...block],
  });
  const a = await sb.agent("claude", call("1", `exec ${shq(process.execPath)} ${shq(RAW_EXEC)} ${shq(spec)}`));
  return { out: a.read("out.1"), err: a.read("err.1"), rc: a.read("rc.1").trim() };
}

// Under qemu-user (test:arm64) stitch is a shell script that execs qemu, and the shell
// keeps one value of each name: the block cannot reach the binary.
const EMULATION = EMULATED ? ": skipped under qemu-user (stitch is a shell script there, which keeps one value per name)" : "";

linuxDescribe("a name set twice in the environment (design Appendix A)", () => {
  test.skipIf(EMULATED)(`DO_NOT_TRACK=1 then DO_NOT_TRACK=0: opted out, as the command sees it; the command gets both${EMULATION}`, async () => {
    const r = await seen(["DO_NOT_TRACK=1", "DO_NOT_TRACK=0"]);
    expect(r).toEqual({ out: "1|none\nDO_NOT_TRACK=1\nDO_NOT_TRACK=0\n", err: "", rc: "0" });
  });

  test.skipIf(EMULATED)(`DO_NOT_TRACK=0 then DO_NOT_TRACK=1: not opted out, as the command sees it; the command gets both${EMULATION}`, async () => {
    const r = await seen(["DO_NOT_TRACK=0", "DO_NOT_TRACK=1"]);
    const [first, ...block] = r.out.trimEnd().split("\n");
    const [value, id] = first!.split("|");
    expect({ value, block, err: r.err, rc: r.rc }).toEqual({ value: "0", block: ["DO_NOT_TRACK=0", "DO_NOT_TRACK=1"], err: "", rc: "0" });
    expect(id).toMatch(UUID_V4);
  });
});
