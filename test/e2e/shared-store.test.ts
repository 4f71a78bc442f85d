// One sessions directory shared by many pid namespaces and hosts (design §6.2, §6.4): the
// compiled binary in real pid namespaces (unshare(1), as a non-root user through a user
// namespace), and files planted as another namespace's or another host's would write them.

import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AgentHandle, call, NEEDS_LINUX, PRINT_ID, railwayName, Sandbox, shq, UUID_V4 } from "./harness.ts";

/** Why real pid namespaces cannot be made here, if they cannot. */
function namespacesUnavailable(): string | undefined {
  if (NEEDS_LINUX) return NEEDS_LINUX;
  const probe = Bun.spawnSync(["unshare", "--user", "--map-root-user", "--pid", "--fork", "--mount-proc", "true"], { stdio: ["ignore", "ignore", "ignore"] });
  return probe.exitCode === 0 ? undefined : "skipped: unshare --user --pid --mount-proc is not permitted here";
}
const NO_NAMESPACES = namespacesUnavailable();

/**
 * A time namespace is what makes two namespaces' agents collide on a real machine: its
 * boottime offset shifts the start ticks /proc shows, so an agent started later can show
 * the first one's tick. util-linux sets offsets in whole seconds only; perl sets them to the
 * nanosecond (unshare(2) with CLONE_NEWTIME, then /proc/self/timens_offsets).
 */
const UNSHARE_SYSCALL = process.arch === "x64" ? 272 : process.arch === "arm64" ? 97 : undefined;
const NO_TIME_SHIFT = NO_NAMESPACES ?? (UNSHARE_SYSCALL === undefined || !Bun.which("perl") ? "skipped: needs perl on x86-64 or arm64" : undefined);

const nsTest = (name: string, body: () => Promise<void>) => (NO_NAMESPACES ? test.skip(`${name}: ${NO_NAMESPACES}`, body) : test(name, body));

let sb: Sandbox;
beforeEach(() => {
  sb = new Sandbox();
});
afterEach(() => sb.cleanup());

let namespaces = 0;

/**
 * Runs `body` (bash, `$OUT` its output directory) as a fake agent `claude` that is pid 1 of
 * a new pid namespace with its own /proc. Nothing outside the namespace shows in its
 * process walk, so it needs no detaching. Resolves with its handle at once; `exited`
 * settles when the namespace ends.
 */
function inNamespace(body: string, env: Record<string, string>): { agent: AgentHandle; exited: Promise<number> } {
  const out = join(sb.dir, `namespace${++namespaces}`);
  mkdirSync(out);
  const script = join(out, "agent.sh");
  writeFileSync(script, `export OUT=${shq(out)}\ncd ${shq(sb.work)}\n${body}\ntouch "$OUT/done"\n`);
  const proc = Bun.spawn(["unshare", "--user", "--map-root-user", "--pid", "--fork", "--mount-proc", "bash", "-c", `exec -a claude bash ${shq(script)}`], {
    env: sb.env(env),
    stdio: ["ignore", "ignore", "ignore"],
  });
  return { agent: new AgentHandle(out), exited: proc.exited };
}

const waitForFile = `while [ ! -e "$OUT/go" ]; do sleep 0.01; done`;

/** The host name as stitch reads it on Linux. */
const hostName = () => readFileSync("/proc/sys/kernel/hostname", "utf8").trim();
const bootId = () => readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();

/** Each agent's two calls got one id each, a UUID v4, kept from the first call to the second. */
function twoStableIds(a: AgentHandle, b: AgentHandle): { idA: string; idB: string } {
  const idA = a.read("out.1").trim();
  const idB = b.read("out.1").trim();
  expect(idA).toMatch(UUID_V4);
  expect(idB).toMatch(UUID_V4);
  expect(a.read("out.2").trim()).toBe(idA);
  expect(b.read("out.2").trim()).toBe(idB);
  return { idA, idB };
}

for (const source of ["proc", "ps"] as const) {
  const env = { STITCH_PROCESS_SOURCE: source };

  describe(`STITCH_PROCESS_SOURCE=${source}`, () => {
    nsTest("two pid namespaces sharing one directory: each agent keeps its id over calls, the ids differ, neither's file is swept by the other", async () => {
      // A calls once and waits; B (its own agent pid 1, its own ticks) creates a file,
      // which sweeps the directory; then A calls again.
      const a = inNamespace([call("1", PRINT_ID), `touch "$OUT/ready"`, waitForFile, call("2", PRINT_ID)].join("\n"), env);
      await a.agent.waitFor("ready");
      const b = inNamespace([call("1", PRINT_ID), call("2", PRINT_ID)].join("\n"), env);
      expect(await b.exited).toBe(0);
      a.agent.touch("go");
      expect(await a.exited).toBe(0);

      const { idA, idB } = twoStableIds(a.agent, b.agent);
      expect(idA).not.toBe(idB);
      const files = sb.sessionFiles().map((f) => sb.readSession(f));
      expect(files.map((f) => f.agent_session_id).sort()).toEqual([idA, idB].sort());
      const namespacesRecorded = files.map((f) => f.pid_ns);
      for (const ns of namespacesRecorded) expect(ns).toMatch(/^pid:\[\d+\]$/);
      expect(new Set(namespacesRecorded).size).toBe(2);
    });

    test("a live-looking file of another pid namespace at the agent's own name is neither reused nor removed: the agent gets its own id, stable, at its placed name", async () => {
      const a = await sb.start("claude", [call("1", PRINT_ID), `touch "$OUT/ready"`, waitForFile, call("2", PRINT_ID), call("3", PRINT_ID)].join("\n"), env);
      await a.waitFor("ready");
      // What a container whose agent collides with this one (same pid, start, argv0) wrote.
      const [own] = sb.sessionFiles();
      const theirs = { ...sb.readSession(own!), agent_session_id: "their-id", pid_ns: "pid:[4026599999]", host: "container-x" };
      const text = JSON.stringify(theirs);
      writeFileSync(join(sb.sessions, own!), text);
      a.touch("go");
      await a.finished();

      const id = a.read("out.2").trim();
      expect(id).toMatch(UUID_V4);
      expect(id).not.toBe(a.read("out.1").trim());
      expect(a.read("out.3").trim()).toBe(id);
      expect(readFileSync(join(sb.sessions, own!), "utf8")).toBe(text);
      const placed = sb.sessionFiles().filter((f) => f !== own);
      expect(placed).toHaveLength(1);
      expect(placed[0]).toMatch(new RegExp(`^${own!.slice(0, 16)}-[0-9a-f]{8}\\.session$`));
      expect(sb.readSession(placed[0]!)).toMatchObject({ agent_session_id: id, parent_pid: a.pid, boot_id: bootId(), host: hostName() });
    });

    test("another host's files (another boot id and host name), live-looking, survive a sweep and are not reused; this host's earlier boot's are swept", async () => {
      const a = await sb.start("claude", [call("1", PRINT_ID), `touch "$OUT/ready"`, waitForFile, call("2", PRINT_ID), call("3", PRINT_ID)].join("\n"), env);
      await a.waitFor("ready");
      const [own] = sb.sessionFiles();
      const mine = sb.readSession(own!);
      // At the agent's own name, as a host on the same NFS home whose agent collides writes it.
      const otherHost = JSON.stringify({ ...mine, agent_session_id: "other-host-id", boot_id: "0c2c7d55-6b3e-4d8a-9f21-5a7c3e1b9d40", host: "other-host" });
      writeFileSync(join(sb.sessions, own!), otherHost);
      // Another of that host's files, its pid dead here; and one of this host's earlier boot.
      const deadHere = JSON.stringify({ ...mine, agent_session_id: "other-host-2", parent_pid: 4_000_000, boot_id: "0c2c7d55-6b3e-4d8a-9f21-5a7c3e1b9d40", host: "other-host" });
      writeFileSync(join(sb.sessions, "other-host-2.session"), deadHere, { mode: 0o600 });
      const earlierBoot = JSON.stringify({ ...mine, agent_session_id: "earlier", boot_id: "11111111-2222-4333-8444-555555555555" });
      writeFileSync(join(sb.sessions, "earlier-boot.session"), earlierBoot, { mode: 0o600 });
      a.touch("go");
      await a.finished();

      const id = a.read("out.2").trim();
      expect(id).toMatch(UUID_V4);
      expect([a.read("out.1").trim(), "other-host-id"]).not.toContain(id);
      expect(a.read("out.3").trim()).toBe(id);
      expect(readFileSync(join(sb.sessions, own!), "utf8")).toBe(otherHost);
      expect(readFileSync(join(sb.sessions, "other-host-2.session"), "utf8")).toBe(deadHere);
      expect(existsSync(join(sb.sessions, "earlier-boot.session"))).toBe(false);
      expect(sb.sessionFiles()).toHaveLength(3);
    });
  });
}

// The ps clock is the wall-clock start (`lstart`), which a time namespace does not shift:
// two agents collide there only when they start in the same second, so the collision is
// made real on /proc's clock, and planted for ps (above).
describe("STITCH_PROCESS_SOURCE=proc: a real collision", () => {
  const name = "anchors colliding on pid, start tick and program in two pid namespaces get two ids, each stable; the first's file untouched";
  const run = async () => {
    const env = { STITCH_PROCESS_SOURCE: "proc" };
    const a = inNamespace([call("1", PRINT_ID), `cut -d' ' -f22 /proc/1/stat > "$OUT/ticks"`, `touch "$OUT/ready"`, waitForFile, call("2", PRINT_ID)].join("\n"), env);
    await a.agent.waitFor("ready");
    const shift = join(sb.dir, "timeshift.pl");
    writeFileSync(
      shift,
      `my ($s, $n, @cmd) = @ARGV;\nsyscall(${UNSHARE_SYSCALL}, 0x80) == 0 or die "unshare: $!";\n` +
        `open(my $f, ">", "/proc/self/timens_offsets") or die "open: $!";\nprint $f "7 $s $n\\n";\nclose($f) or die "offsets: $!";\nexec(@cmd) or die "exec: $!";\n`,
    );
    // B's calls run in a time namespace whose boottime offset makes B's agent (pid 1) show
    // A's agent's start tick: one Railway file name for both.
    const shifted = (tag: string) => call(tag, `perl ${shq(shift)} "$S" "$N" sh -c ${shq(`${PRINT_ID}; true`)}`);
    const b = inNamespace(
      [
        `TICKS_A=$(cat ${shq(join(a.agent.out, "ticks"))}); TICKS_B=$(cut -d' ' -f22 /proc/1/stat)`,
        `D=$(( (TICKS_A - TICKS_B) * 10000000 )); S=$(( D / 1000000000 )); N=$(( D % 1000000000 ))`,
        `if [ "$N" -lt 0 ]; then S=$(( S - 1 )); N=$(( N + 1000000000 )); fi; export S N`,
        shifted("1"),
        shifted("2"),
      ].join("\n"),
      env,
    );
    expect(await b.exited).toBe(0);
    a.agent.touch("go");
    expect(await a.exited).toBe(0);

    const { idA, idB } = twoStableIds(a.agent, b.agent);
    expect(idB).not.toBe(idA);
    const ticks = BigInt(a.agent.read("ticks").trim());
    const railway = railwayName(1, ticks, "claude");
    const files = sb.sessionFiles();
    expect(files).toContain(railway);
    expect(sb.readSession(railway)).toMatchObject({ agent_session_id: idA, parent_pid: 1, parent_btime: Number(ticks) });
    const placed = files.filter((f) => f !== railway);
    expect(placed).toHaveLength(1);
    expect(placed[0]!.startsWith(railway.slice(0, 16))).toBe(true);
    expect(sb.readSession(placed[0]!)).toMatchObject({ agent_session_id: idB, parent_pid: 1, parent_btime: Number(ticks) });
  };
  if (NO_TIME_SHIFT) test.skip(`${name}: ${NO_TIME_SHIFT}`, run);
  else test(name, run);
});
