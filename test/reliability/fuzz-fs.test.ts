// Property-based attacks on a real session directory: symbolic links out of it, hard
// links, directories and FIFOs named *.session, unreadable files, garbage, next to live
// sessions. First through the store adapter in-process (many cases), then through the
// compiled binary (every case a real run).

import { afterAll, expect, test } from "bun:test";
import fc from "fast-check";
import {
  chmodSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ProcfsSource } from "../../src/proc/procfs.ts";
import { sessionFileName } from "../../src/store/identity.ts";
import { UNKNOWN_PLACE } from "../../src/store/place.ts";
import { sessionFor, sweep } from "../../src/store/lifecycle.ts";
import { openFsStore } from "../../src/store/fs-store.ts";
import { STITCH } from "../e2e/harness.ts";
import { record, RUNS, SEED } from "./figures.ts";

const root = mkdtempSync(join(tmpdir(), "stitch-fuzzfs-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

type Shape =
  | { kind: "file"; name: string; text: string }
  | { kind: "symlink-out"; name: string; toDir: boolean }
  | { kind: "dangling"; name: string }
  | { kind: "hardlink-out"; name: string }
  | { kind: "dir"; name: string }
  | { kind: "fifo"; name: string }
  | { kind: "unreadable"; name: string; text: string }
  | { kind: "huge"; name: string };

const name = fc.oneof(
  fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: 16, maxLength: 16 }).map((h) => `${h}.session`),
  fc.string({ unit: fc.constantFrom(..."abc.-_ x"), minLength: 1, maxLength: 12 }).filter((n) => n !== "." && n !== ".."),
  fc.constantFrom("x.session", ".session", "notes.txt", "keep.json", "a.session.tmp"),
);
// A well-formed file, created an hour ago by the clock (never a calendar date, which the
// 7-day rule would one day make stale).
const wellFormed = `{"agent_session_id":"a","parent_pid":1,"parent_btime":1,"created_at":"${new Date(Date.now() - 3600e3).toISOString()}"}`;
const text = fc.oneof(fc.json(), fc.string({ unit: "binary", maxLength: 300 }), fc.constant(wellFormed));
const shape: fc.Arbitrary<Shape> = fc.oneof(
  fc.record({ kind: fc.constant("file" as const), name, text }),
  fc.record({ kind: fc.constant("symlink-out" as const), name, toDir: fc.boolean() }),
  fc.record({ kind: fc.constant("dangling" as const), name }),
  fc.record({ kind: fc.constant("hardlink-out" as const), name }),
  fc.record({ kind: fc.constant("dir" as const), name }),
  fc.record({ kind: fc.constant("fifo" as const), name }),
  fc.record({ kind: fc.constant("unreadable" as const), name, text }),
  fc.record({ kind: fc.constant("huge" as const), name }),
);
const shapes = fc.uniqueArray(shape, { maxLength: 10, selector: (s) => s.name });

let caseNo = 0;

/** A fresh case: an outside directory with precious files, and a session dir of shapes. */
function build(list: Shape[]) {
  const base = join(root, String(++caseNo));
  const outside = join(base, "outside");
  const sessions = join(base, "sessions");
  mkdirSync(join(outside, "dir"), { recursive: true });
  mkdirSync(sessions, { mode: 0o700 });
  writeFileSync(join(outside, "precious"), "precious");
  writeFileSync(join(outside, "dir", "inner"), "inner");
  for (const s of list) {
    const p = join(sessions, s.name);
    switch (s.kind) {
      case "file":
        writeFileSync(p, s.text);
        break;
      case "unreadable":
        writeFileSync(p, s.text);
        chmodSync(p, 0);
        break;
      case "symlink-out":
        symlinkSync(join(outside, s.toDir ? "dir" : "precious"), p);
        break;
      case "dangling":
        symlinkSync(join(outside, "nothing-here"), p);
        break;
      case "hardlink-out":
        linkSync(join(outside, "precious"), p);
        break;
      case "dir":
        mkdirSync(p);
        writeFileSync(join(p, "inside"), "inside");
        break;
      case "fifo":
        Bun.spawnSync(["mkfifo", p]);
        break;
      case "huge":
        // Valid JSON, far over the 64 KiB a session file may have.
        writeFileSync(p, JSON.stringify({ agent_session_id: "a", parent_pid: process.pid, parent_btime: 1, created_at: new Date().toISOString(), pad: "x".repeat(70_000) }));
        break;
    }
  }
  return { base, outside, sessions };
}

/** Everything that must survive: outside files, and every entry not named *.session or a directory. */
function snapshot(outside: string, sessions: string): string[] {
  const out = [`precious=${readFileSync(join(outside, "precious"), "utf8")}`, `inner=${readFileSync(join(outside, "dir", "inner"), "utf8")}`];
  for (const n of readdirSync(sessions)) {
    const st = lstatSync(join(sessions, n));
    if (!n.endsWith(".session") || st.isDirectory()) out.push(`keep:${n}:${st.isDirectory() ? "dir" : st.ino}`);
  }
  return out.sort();
}

function lost(before: string[], after: string[]): number {
  return before.filter((x) => !after.includes(x)).length;
}

test("store adapter: any directory shape, no crash, no hang, nothing outside or not *.session touched", () => {
  const processes = new ProcfsSource();
  const self = processes.get(process.pid)!;
  const identity = { pid: self.pid, startTime: self.startTime!, argv0: "fuzz" };
  let filesLost = 0;
  const result = fc.check(
    fc.property(shapes, fc.boolean(), (list, withLive) => {
      const { base, outside, sessions } = build(list);
      // A live session of this process, which must survive the sweep and be reused.
      const liveName = sessionFileName(identity);
      if (withLive && !list.some((s) => s.name === liveName)) {
        writeFileSync(join(sessions, liveName), `{"agent_session_id":"live-id","parent_pid":${self.pid},"parent_btime":${self.startTime},"created_at":"${new Date().toISOString()}"}`);
      }
      const before = snapshot(outside, sessions);
      const opened = openFsStore({ dir: sessions, creatable: [] });
      if (!opened.ok) throw new Error(opened.reason);
      const ctx = { processes, bootId: processes.bootId(), now: Date.now(), nativeClock: "proc" as const, place: UNKNOWN_PLACE };
      sweep(opened.store, ctx);
      const outcome = sessionFor(opened.store, { identity, caller: "fuzz", mint: () => "minted-id" }, ctx);
      const after = snapshot(outside, sessions);
      filesLost += lost(before, after);
      expect(lost(before, after)).toBe(0);
      if (withLive && !list.some((s) => s.name === liveName)) expect(outcome).toMatchObject({ ok: true, id: "live-id" });
      expect(readdirSync(sessions).filter((n) => n.endsWith(".tmp") && !list.some((s) => s.name === n))).toEqual([]);
      rmSync(base, { recursive: true, force: true });
    }),
    { numRuns: Math.ceil(RUNS / 6), seed: SEED },
  );
  record({ area: "fuzz: session dir shapes (store adapter)", cases: result.numRuns, crashes: result.failed ? 1 : 0, filesLost });
  if (result.failed) throw new Error(fc.defaultReportMessage(result) ?? "failed");
});

const ENV_NAMES = ["RAILWAY_CALLER", "RAILWAY_AGENT_SESSION_ID", "CLAUDECODE", "CLAUDE_PID", "CODEX_THREAD_ID", "AGENT", "AI_AGENT", "TERM_PROGRAM", "CI", "DO_NOT_TRACK", "STITCH_PROCESS_SOURCE", "UNRELATED"];
const envValue = fc.oneof(fc.constantFrom("1", "true", "", "ps", "proc", "../../x", "a b"), fc.string({ maxLength: 300 }).map((s) => s.replace(/\0/g, "")));

test("compiled binary: any directory shape and environment, the command runs and nothing else is touched", async () => {
  const runs = Math.max(50, Math.ceil(RUNS / 20));
  let crashes = 0;
  let filesLost = 0;
  const samples = fc.sample(fc.tuple(shapes, fc.dictionary(fc.constantFrom(...ENV_NAMES), envValue, { maxKeys: 5 })), {
    numRuns: runs,
    seed: SEED,
  });
  for (const [list, env] of samples) {
    const { base, outside, sessions } = build(list);
    const before = snapshot(outside, sessions);
    const p = Bun.spawn([STITCH, "sh", "-c", "echo ran"], {
      env: { PATH: "/usr/bin:/bin", HOME: base, RAILWAY_SESSIONS_DIR: sessions, CLAUDECODE: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const timer = setTimeout(() => p.kill("SIGKILL"), 10_000);
    const [status, stdout, stderr] = await Promise.all([p.exited, new Response(p.stdout).text(), new Response(p.stderr).text()]);
    clearTimeout(timer);
    const ok = status === 0 && stdout === "ran\n" && stderr === "";
    if (!ok) {
      crashes++;
      console.error("case failed", { list, env, status, stdout, stderr });
    }
    const l = lost(before, snapshot(outside, sessions));
    filesLost += l;
    rmSync(base, { recursive: true, force: true });
  }
  record({ area: "fuzz: dir shapes x environments (binary)", cases: runs, crashes, filesLost });
  expect(crashes).toBe(0);
  expect(filesLost).toBe(0);
  expect(existsSync(root)).toBe(true);
});
