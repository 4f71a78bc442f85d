// The wrapped command must behave as if run directly (design §10): same pid, exit status
// and signals, arguments and environment byte for byte, descriptors and signal
// dispositions as inherited.

import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DIST, EMULATED, linuxDescribe, STITCH } from "./harness.ts";

const tmp = mkdtempSync(join(tmpdir(), "stitch-exec-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const baseEnv = { PATH: `${DIST}:/usr/bin:/bin`, HOME: tmp, RAILWAY_SESSIONS_DIR: join(tmp, "s"), LC_ALL: "C" };

function run(argv: string[], env: Record<string, string> = {}) {
  const r = Bun.spawnSync(argv, { env: { ...baseEnv, ...env }, stdin: "ignore" });
  return { status: r.exitCode, signal: r.signalCode, stdout: r.stdout, stderr: r.stderr.toString() };
}

/** A bash script's view of its own $$ and $PPID, run through stitch. */
const sh = (script: string, env: Record<string, string> = {}) => run(["bash", "-c", script], env);

for (const mode of ["ffi", "runtime", "spawn"] as const) linuxDescribe(`exec mode ${mode}`, () => {
  const env = { STITCH_EXEC: mode };
  test("exit statuses pass through", () => {
    for (const code of [0, 1, 2, 42, 126, 127, 255]) {
      expect(run([STITCH, "sh", "-c", `exit ${code}`], env).status).toBe(code);
    }
  });
  test("death by a signal passes through", () => {
    for (const signal of ["SIGTERM", "SIGKILL", "SIGINT", "SIGSEGV"] as const) {
      const r = run([STITCH, "sh", "-c", `kill -${signal.slice(3)} $$`], env);
      expect(r.signal).toBe(signal);
    }
  });
  // Under qemu-user, posix_spawn's child runs without the parent's memory (qemu makes
  // CLONE_VFORK a plain fork), so an exec failure comes back as the child's exit 127 instead
  // of EACCES: the runtime cannot tell "not executable" there. The native arm64 job runs it.
  const spawnUnderQemu = EMULATED && mode === "spawn";
  test.skipIf(spawnUnderQemu)(`127 when not found, 126 when not executable, one line on stderr${spawnUnderQemu ? ": skipped under qemu-user (posix_spawn reports no exec error there)" : ""}`, () => {
    const missing = run([STITCH, "no-such-command-xyz"], env);
    expect(missing.status).toBe(127);
    expect(missing.stderr).toBe("stitch: no-such-command-xyz: command not found\n");
    const file = join(tmp, "not-executable");
    writeFileSync(file, "#!/bin/sh\necho hi\n");
    chmodSync(file, 0o644);
    const r = run([STITCH, file], env);
    expect(r.status).toBe(126);
    expect(r.stderr).toBe(`stitch: ${file}: permission denied\n`);
    expect(run([STITCH, join(tmp, "missing")], env).status).toBe(127);
  });
});

linuxDescribe("exec in place", () => {
  test("the command keeps stitch's pid", () => {
    const r = sh(`stitch sh -c 'echo $$' & echo $!; wait`);
    const [child, reported] = r.stdout.toString().trim().split("\n");
    expect(reported).toBe(child);
  });

  test("arguments reach the command byte for byte, non-UTF-8 included", () => {
    const args = ["a b", "it's", 'quo"te', "new\nline", "", "--", "-x", "tab\there", "ünï"];
    const r = run([STITCH, "printf", "%s\\0", ...args]);
    expect(r.stdout.toString()).toBe(args.map((a) => `${a}\0`).join(""));
    // Bytes that are not UTF-8 cannot be spelled in a JS string: bash makes them.
    const raw = sh(`stitch printf '%s' $'\\xff\\xfeA\\x80' | od -An -tx1`);
    expect(raw.stdout.toString().trim()).toBe("ff fe 41 80");
  });

  test("the environment is byte-identical apart from the variables stitch adds", () => {
    const entries = (b: Uint8Array) =>
      Buffer.from(b).toString("latin1").split("\0").filter((e) => e !== "" && !e.startsWith("_=")).sort();
    const env = { CODEX_THREAD_ID: "t-1" };
    const direct = entries(sh(`X=$'v\\xffw' env -0`, env).stdout);
    const through = entries(sh(`X=$'v\\xffw' stitch env -0`, env).stdout);
    const added = ["RAILWAY_AGENT_SESSION_ID=t-1", "RAILWAY_AGENT_SESSION=t-1", "RAILWAY_CALLER=codex"];
    expect(through).toEqual([...direct, ...added].sort());
    expect(direct).toContain(`X=v${String.fromCharCode(0xff)}w`);
  });

  test("a PATH entry that is not UTF-8: the command is found there, and PATH and a value reach it byte for byte", () => {
    // A real 0xff byte (not U+00FF, which UTF-8 spells c3 bf): a Buffer path, and bash's $'\xff'.
    const dir = Buffer.concat([Buffer.from(`${tmp}/d`), Buffer.from([0xff])]);
    mkdirSync(dir, { recursive: true });
    const probe = Buffer.concat([dir, Buffer.from("/probe-ff")]);
    writeFileSync(probe, `#!/bin/sh\nprintf '%s' "$PATH" | od -An -tx1\nprintf '%s' "$X" | od -An -tx1\n`);
    chmodSync(probe, 0o755);
    const r = sh(`PATH=${tmp}/d$'\\xff':/usr/bin:/bin X=$'a\\xffb' ${STITCH} probe-ff`);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: "" });
    const hex = (bytes: number[]) => bytes.map((b) => b.toString(16).padStart(2, "0")).join(" ");
    const [path, x] = r.stdout.toString().trim().split(/\n(?=\s*61 )/);
    expect(path!.replace(/\s+/g, " ").trim()).toBe(hex([...Buffer.from(`${tmp}/d`), 0xff, ...Buffer.from(":/usr/bin:/bin")]));
    expect(x!.trim()).toBe("61 ff 62");
  });

  test("a human's environment is not touched at all", () => {
    // Under `script` stdout is a terminal; the command writes its environment to a file.
    const dump = (f: string) => `env -0 > ${tmp}/${f}`;
    expect(sh(`script -qec ${JSON.stringify(`sh -c '${dump("direct")}'`)} /dev/null > /dev/null`).status).toBe(0);
    expect(sh(`script -qec ${JSON.stringify(`stitch sh -c '${dump("through")}'`)} /dev/null > /dev/null`).status).toBe(0);
    const read = (f: string) => readFileSync(join(tmp, f), "latin1").split("\0").filter((e) => e !== "" && !e.startsWith("_=")).sort();
    expect(read("through")).toEqual(read("direct"));
    expect(read("direct").length).toBeGreaterThan(3);
  });

  test("inherited descriptors reach the command with their flags unchanged", () => {
    // The command reports its own descriptors: which are open, and each one's flags.
    const PROBE = `cd /proc/$$/fd && for fd in *; do printf "%s=%s " $fd "$(grep -m1 flags ../fdinfo/$fd)"; done`;
    const setup = `exec 5>${tmp}/fd5 7< <(echo piped) 9</dev/null;`;
    const direct = sh(`${setup} sh -c "$PROBE"`, { PROBE }).stdout.toString();
    for (const fd of [5, 7, 9]) expect(direct).toContain(` ${fd}=flags:`);
    // As an agent caller, so the process walk and the store run, through both sources
    // (the ps source spawns a child of its own first, whose pipe the runtime may still hold
    // at the exec: one run in twelve once leaked it, so each source runs thirty times).
    for (const source of ["proc", "ps"]) {
      const env = { PROBE, CLAUDECODE: "1", STITCH_PROCESS_SOURCE: source };
      const seen = new Set<string>();
      for (let i = 0; i < 30; i++) seen.add(sh(`${setup} stitch sh -c "$PROBE"`, env).stdout.toString());
      expect([...seen]).toEqual([direct]);
    }
  });

  test("SIGPIPE and SIGXFSZ reach the command at their defaults (Bun ignores them)", () => {
    const ignored = (out: string) => BigInt(`0x${/SigIgn:\s*([0-9a-f]+)/.exec(out)![1]}`);
    const direct = ignored(sh("grep SigIgn /proc/self/status").stdout.toString());
    const through = ignored(sh("stitch grep SigIgn /proc/self/status").stdout.toString());
    expect(through).toBe(direct);
    // `yes` must die of SIGPIPE when head is done, not spin on EPIPE.
    const r = sh("stitch yes | head -1; echo ${PIPESTATUS[0]}");
    expect(r.stdout.toString()).toBe("y\n141\n");
  });

  test("stitch never reads stdin", () => {
    const r = sh(`printf 'line1\\nline2\\n' | { stitch true; cat; }`);
    expect(r.stdout.toString()).toBe("line1\nline2\n");
  });
});

linuxDescribe("fail open (design §9)", () => {
  test("no HOME, unusable sessions dir: the command still runs", () => {
    const r = run([STITCH, "sh", "-c", "echo ran:$RAILWAY_AGENT_SESSION_ID"], { HOME: "", RAILWAY_SESSIONS_DIR: "/proc/no/such/dir", CLAUDECODE: "1" });
    expect(r.status).toBe(0);
    expect(r.stdout.toString()).toMatch(/^ran:cli_[A-Za-z0-9_-]{22}\n$/);
    expect(r.stderr).toBe("");
  });
  test("ps missing and /proc forced unusable: the command still runs", () => {
    const r = run([STITCH, "/bin/sh", "-c", "echo ran"], { STITCH_PROCESS_SOURCE: "ps", PATH: DIST, CLAUDECODE: "1" });
    expect(r.stdout.toString()).toBe("ran\n");
  });
});
