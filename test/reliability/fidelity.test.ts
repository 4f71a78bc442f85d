// The wrapped command must not be able to tell stitch was there (design §10), apart from the
// variables it adds: every exit status, every common signal, 100 MB of data, a terminal,
// job control, and arguments and environments of arbitrary bytes.

import { afterAll, expect, test } from "bun:test";
import fc from "fast-check";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DIST, shq, STITCH } from "../e2e/harness.ts";
import { record, RUNS, SEED } from "./figures.ts";

const tmp = mkdtempSync(join(tmpdir(), "stitch-fidelity-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const env = { PATH: `${DIST}:/usr/bin:/bin`, HOME: tmp, RAILWAY_SESSIONS_DIR: join(tmp, "s"), LC_ALL: "C" };

async function run(argv: string[], extra: Record<string, string> = {}) {
  const p = Bun.spawn(argv, { env: { ...env, ...extra }, stdio: ["ignore", "pipe", "pipe"] });
  const [stdout, stderr] = await Promise.all([new Response(p.stdout).arrayBuffer(), new Response(p.stderr).text()]);
  await p.exited;
  return { status: p.exitCode, signal: p.signalCode, stdout: new Uint8Array(stdout), stderr };
}

/** Runs `work` over `items`, `width` at a time. */
async function inBatches<T, R>(items: T[], width: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += width) out.push(...(await Promise.all(items.slice(i, i + width).map(work))));
  return out;
}

test("every exit status 0-255 is the caller's to see", async () => {
  const codes = Array.from({ length: 256 }, (_, i) => i);
  const results = await inBatches(codes, 8, async (code) => {
    const direct = await run(["sh", "-c", `exit ${code}`]);
    const through = await run([STITCH, "sh", "-c", `exit ${code}`]);
    return direct.status === code && through.status === code;
  });
  const wrong = results.filter((ok) => !ok).length;
  record({ area: "fidelity: exit statuses 0-255", cases: 256, crashes: wrong, filesLost: 0 });
  expect(codes.filter((_, i) => !results[i]), "the statuses that did not pass through").toEqual([]);
});

test("death by each common signal looks the same as without stitch", async () => {
  const signals = ["HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "XCPU", "XFSZ"];
  const results = await inBatches(signals, 6, async (sig) => {
    const direct = await run(["sh", "-c", `kill -${sig} $$`]);
    const through = await run([STITCH, "sh", "-c", `kill -${sig} $$`]);
    return direct.signal === `SIG${sig}` && through.signal === direct.signal && through.status === direct.status;
  });
  const wrong = results.filter((ok) => !ok).length;
  record({ area: "fidelity: death by signal", cases: signals.length, crashes: wrong, filesLost: 0 });
  expect(signals.filter((_, i) => !results[i]), "the signals whose death looked different through stitch").toEqual([]);
});

test("100 MB through stdin and stdout, intact", async () => {
  const script = `head -c 100000000 /dev/urandom > ${tmp}/big && sha256sum < ${tmp}/big && stitch cat < ${tmp}/big | sha256sum && stitch sh -c 'cat; cat ${tmp}/big' < ${tmp}/big | wc -c`;
  const r = await run(["bash", "-c", script]);
  const [direct, through, count] = new TextDecoder().decode(r.stdout).trim().split("\n");
  record({ area: "fidelity: 100 MB stdin/stdout", cases: 1, crashes: direct === through ? 0 : 1, filesLost: 0 });
  expect(through).toBe(direct!);
  expect(count?.trim()).toBe("200000000");
});

test("a terminal stays a terminal, and job control works", async () => {
  const inPty = (command: string) => run(["script", "-qec", command, "/dev/null"]);
  const probe = `sh -c '[ -t 0 ] && [ -t 1 ] && [ -t 2 ] && echo all-tty; tty'`;
  const direct = await inPty(probe);
  const through = await inPty(`stitch ${probe}`);
  const text = (b: Uint8Array) => new TextDecoder().decode(b).replace(/\r/g, "");
  expect(text(direct.stdout)).toContain("all-tty");
  // The same terminal device, seen from the command.
  expect(text(through.stdout)).toBe(text(direct.stdout).replace(/\/dev\/pts\/\d+/, text(through.stdout).match(/\/dev\/pts\/\d+/)?.[0] ?? ""));
  expect(text(through.stdout)).toContain("all-tty");
  // An interactive shell under stitch gets the terminal's job control. The job runs until the
  // test removes its hold file, so it is running for sure when `jobs` lists it and when `fg`
  // takes it; the file goes once fg has printed the job (it is then in the foreground).
  const hold = join(tmp, "hold");
  const job = join(tmp, "held-job");
  writeFileSync(hold, "");
  writeFileSync(job, `#!/bin/sh\nwhile [ -e ${shq(hold)} ]; do sleep 0.01; done\n`, { mode: 0o755 });
  const out = await inPtyUntil(`stitch bash --norc -ic '${job} & jobs; fg %1 && echo fg-ok'`, (text) => {
    if (/^\S*held-job\s*$/m.test(text) && existsSync(hold)) rmSync(hold); // fg printed the job: release it
  }).finally(() => rmSync(hold, { force: true })); // a job fg never took ends too
  record({ area: "fidelity: terminal and job control", cases: 2, crashes: out.includes("fg-ok") && !out.includes("no job control") ? 0 : 1, filesLost: 0 });
  expect(out, "jobs lists the job as running").toMatch(/\[1\]\+\s+Running\s+\S*held-job &/);
  expect(out, "fg brought the job to the foreground and it ended there with status 0").toContain("fg-ok");
  expect(out, "the shell has job control").not.toContain("no job control");
});

/** PTY_MS: how long the job control case may take in all (a hang detector, not a wait). */
const PTY_MS = 30_000;

/** Runs `command` under script(1) on a fresh terminal, calling `seen` with the output so far as it arrives. */
async function inPtyUntil(command: string, seen: (text: string) => void): Promise<string> {
  const p = Bun.spawn(["script", "-qec", command, "/dev/null"], { env, stdio: ["ignore", "pipe", "pipe"] });
  const timer = setTimeout(() => p.kill(), PTY_MS);
  let text = "";
  const decoder = new TextDecoder();
  for await (const chunk of p.stdout) {
    text += decoder.decode(chunk, { stream: true }).replace(/\r/g, "");
    seen(text);
  }
  await p.exited;
  clearTimeout(timer);
  if (p.signalCode === "SIGTERM") throw new Error(`the job control case did not end within ${PTY_MS} ms; output so far:\n${text}`);
  return text;
}

/** bash's $'...' spelling of arbitrary bytes. */
const ansiC = (bytes: Uint8Array) => `$'${Array.from(bytes, (b) => `\\x${b.toString(16).padStart(2, "0")}`).join("")}'`;
const noNul = fc.uint8Array({ minLength: 0, maxLength: 40 }).map((b) => b.filter((x) => x !== 0));

test("arguments of arbitrary bytes reach the command exactly", async () => {
  const runs = Math.max(40, Math.ceil(RUNS / 60));
  const cases = fc.sample(fc.array(noNul, { minLength: 1, maxLength: 6 }), { numRuns: runs, seed: SEED });
  let wrong = 0;
  await inBatches(cases, 4, async (args) => {
    const words = args.map(ansiC).join(" ");
    const direct = await run(["bash", "-c", `printf '%s\\0' ${words} | od -An -tx1`]);
    const through = await run(["bash", "-c", `stitch printf '%s\\0' ${words} | od -An -tx1`]);
    const expected = args.map((a) => [...a, 0].map((b) => b.toString(16).padStart(2, "0")).join(" ")).join(" ");
    const flat = (b: Uint8Array) => new TextDecoder().decode(b).replace(/\s+/g, " ").trim();
    if (flat(through.stdout) !== flat(direct.stdout) || flat(direct.stdout) !== expected) wrong++;
  });
  record({ area: "fidelity: argv of arbitrary bytes", cases: runs, crashes: wrong, filesLost: 0 });
  expect(wrong).toBe(0);
});

test("an environment of arbitrary bytes is byte-identical apart from the variables stitch adds", async () => {
  const runs = Math.max(40, Math.ceil(RUNS / 60));
  const cases = fc.sample(fc.dictionary(fc.stringMatching(/^[A-Z0-9_]{1,10}$/).map((n) => `FUZZ_${n}`), noNul, { maxKeys: 5 }), { numRuns: runs, seed: SEED });
  let wrong = 0;
  await inBatches(cases, 4, async (vars) => {
    const exports = Object.entries(vars).map(([k, v]) => `export ${k}=${ansiC(v)};`).join(" ");
    const entries = (b: Uint8Array) =>
      Buffer.from(b).toString("latin1").split("\0").filter((e) => e !== "" && !e.startsWith("_=")).sort();
    const direct = entries((await run(["bash", "-c", `${exports} env -0`], { CODEX_THREAD_ID: "t-1" })).stdout);
    const through = entries((await run(["bash", "-c", `${exports} stitch env -0`], { CODEX_THREAD_ID: "t-1" })).stdout);
    const added = ["RAILWAY_AGENT_SESSION_ID=t-1", "RAILWAY_AGENT_SESSION=t-1", "RAILWAY_CALLER=codex"];
    const expected = [...direct, ...added].sort();
    if (JSON.stringify(through) !== JSON.stringify(expected)) wrong++;
  });
  record({ area: "fidelity: environment of arbitrary bytes", cases: runs, crashes: wrong, filesLost: 0 });
  expect(wrong).toBe(0);
});
