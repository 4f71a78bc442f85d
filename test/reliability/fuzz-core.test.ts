// Property-based attacks on the pure core: session-file contents, /proc and ps text, and
// whole worlds of hostile environments, process tables and session directories.

import { expect, test } from "bun:test";
import fc from "fast-check";
import { commandLine, parseCmdline, parsePsOutput, parseStat } from "../../src/proc/parse.ts";
import { resolutionOf as resolve } from "../../src/resolve/resolution.ts";
import { safeValue } from "../../src/safe.ts";
import { parseRfc3339, parseSessionFile } from "../../src/store/schema.ts";
import { FakeProcesses, fakeWorld, MemoryStore, NOW } from "../support/fake-world.ts";
import { record, RUNS, SEED } from "./figures.ts";


/** Runs a property, reports its cases and failures, and fails the test on a counterexample. */
function attack<T>(area: string, runs: number, property: fc.IProperty<T>) {
  const result = fc.check(property, { numRuns: runs, seed: SEED });
  record({ area, cases: result.numRuns, crashes: result.failed ? 1 : 0, filesLost: 0 });
  if (result.failed) throw new Error(fc.defaultReportMessage(result) ?? "property failed");
}

// Values the way an attacker would write them: beyond u32/u64, wrong types, huge strings.
const hostileNumber = fc.oneof(
  fc.integer(),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map((n) => n.toString()),
  fc.constantFrom("4294967295", "4294967296", "18446744073709551615", "18446744073709551616", "-1", "1e3", "1.5", "0x10", "NaN", "1".repeat(400)),
  fc.double().map(String),
);
const hostileDate = fc.oneof(
  fc.date({ noInvalidDate: false }).map((d) => (Number.isNaN(d.getTime()) ? "Invalid Date" : d.toISOString())),
  fc.constantFrom("2026-02-30T00:00:00Z", "9999-12-31T23:59:60Z", "0000-01-01T00:00:00Z", "2026-11-24T12:00:00", "yesterday", "", "2026-11-24T12:00:00.1234567890123+14:00"),
  fc.string(),
);
const hostileString = fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.string({ minLength: 200, maxLength: 5000 }), fc.constantFrom("a b", "ü", "x".repeat(300), "\u0000", "id\nnext"));
const fieldValue = fc.oneof(hostileNumber.map((n) => (typeof n === "string" && /^-?\d+$/.test(n) ? { raw: n } : n)), hostileDate, hostileString, fc.boolean(), fc.constant(null), fc.array(fc.integer()), fc.object());

/** A session file: valid, near-valid with fields replaced, truncated, or noise. */
const sessionText = fc.oneof(
  fc.record({
    agent_session_id: fc.oneof(fc.uuid().map(String), hostileString),
    parent_pid: fieldValue,
    parent_btime: fieldValue,
    created_at: fc.oneof(fc.constant(new Date(NOW).toISOString()), hostileDate),
    extra: fc.option(fieldValue),
  }).map((r) =>
    JSON.stringify(r, (_k, v) => (v && typeof v === "object" && "raw" in v ? `@@${v.raw}@@` : v)).replace(/"@@(-?\d+)@@"/g, "$1"),
  ),
  fc.json(),
  fc.string({ unit: "binary", maxLength: 2000 }),
  fc.tuple(fc.json(), fc.nat()).map(([j, n]) => j.slice(0, n % (j.length + 1))),
);

test("session files: any content parses without throwing, and what passes is well-formed", () => {
  attack(
    "fuzz: session-file contents",
    RUNS,
    fc.property(sessionText, (text) => {
      const record = parseSessionFile(text);
      if (record) {
        expect(safeValue(record.agent_session_id)).toBe(record.agent_session_id);
        expect(Number.isInteger(record.parent_pid) && record.parent_pid >= 0 && record.parent_pid <= 0xffffffff).toBe(true);
        expect(record.parent_btime >= 0n && record.parent_btime < 2n ** 64n).toBe(true);
        expect(parseRfc3339(record.created_at)).toBeNumber();
      }
    }),
  );
});

test("/proc and ps text: the parsers never throw, and a stat line round-trips whatever comm holds", () => {
  attack(
    "fuzz: /proc and ps text",
    RUNS,
    fc.property(
      fc.string({ unit: "binary", maxLength: 400 }),
      fc.uint8Array({ maxLength: 400 }),
      fc.string({ unit: "binary", maxLength: 15 }),
      fc.nat({ max: 0x7fffffff }),
      fc.nat({ max: 0x7fffffff }),
      fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
      (noise, bytes, comm, pid, ppid, start) => {
        parseStat(noise);
        parsePsOutput(noise);
        const argv = parseCmdline(bytes);
        commandLine(argv, comm);
        const line = `${pid} (${comm}) S ${ppid} 1 1 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 ${start} 5369856 1000 18446744073709551615`;
        expect(parseStat(line)).toEqual({ pid, comm, state: "S", ppid, startTime: start });
      },
    ),
  );
});

// The variables stitch reads, and some it does not.
const VARIABLES = [
  "RAILWAY_CALLER", "RAILWAY_AGENT_SESSION_ID", "RAILWAY_AGENT_SESSION", "CLAUDECODE", "CLAUDE_CODE_SESSION_ID", "CLAUDE_PID",
  "CODEX_THREAD_ID", "OPENCODE", "OPENCODE_PID", "OPENCODE_RUN_ID", "AGENT", "AI_AGENT", "CURSOR_TRACE_ID", "TERM_PROGRAM",
  "__CFBundleIdentifier", "CODESPACES", "REPL_ID", "CI", "GITHUB_ACTIONS", "DO_NOT_TRACK", "RAILWAY_NO_TELEMETRY",
  "HOME", "RAILWAY_SESSIONS_DIR", "AGENT_THREAD_ID", "PATH", "UNRELATED",
];
const envValue = fc.oneof(fc.constantFrom("1", "true", "0", "false", "", " ", "amp", "claude-code_2", "999", "500"), hostileString, fc.uuid().map(String));
const env = fc.dictionary(fc.constantFrom(...VARIABLES), envValue, { maxKeys: 8 });

/** A process table: random command lines, parent links that may cycle or dangle. */
const processes = fc
  .array(
    fc.record({
      argv: fc.array(fc.oneof(fc.constantFrom("claude", "bash", "-c", "-lc", "sh", "node", "npx", "env", "codex", "/usr/bin/opencode", "cursor", "pi", "python3", "-bash"), fc.string({ maxLength: 40 })), { maxLength: 6 }),
      ppidChoice: fc.nat({ max: 12 }),
      startTime: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
    }),
    { maxLength: 12 },
  )
  .map((rows) => new FakeProcesses(rows.map((r, i) => ({ pid: 999 - i, ppid: r.ppidChoice === 12 ? 0 : 999 - r.ppidChoice, argv: r.argv, startTime: r.startTime, exact: i % 2 === 0 }))));

const directory = fc.array(fc.tuple(fc.oneof(fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: 16, maxLength: 16 }).map((h) => `${h}.session`), fc.string({ maxLength: 20 })), fc.option(sessionText), fc.boolean()), { maxLength: 12 });

test("whole worlds: resolve never throws, adds only safe values, never removes other files", () => {
  attack(
    "fuzz: environments x process tables x session dirs",
    RUNS,
    fc.property(env, processes, directory, fc.boolean(), fc.integer({ min: -1e13, max: 1e14 }), (e, p, dir, tty, now) => {
      const store = new MemoryStore();
      for (const [name, text, isDirectory] of dir) store.put(name, text ?? undefined, { isDirectory });
      const before = new Map([...store.files].filter(([n, f]) => !n.endsWith(".session") || f.isDirectory).map(([n, f]) => [n, f.text]));
      const r = resolve(fakeWorld({ env: e, processes: p, store, tty, now }), { explain: true });
      for (const [k, v] of Object.entries(r.childEnv)) {
        expect(["RAILWAY_AGENT_SESSION_ID", "RAILWAY_AGENT_SESSION", "RAILWAY_CALLER"]).toContain(k);
        expect(safeValue(v)).toBe(v);
      }
      for (const [n, text] of before) expect(store.files.get(n)?.text).toBe(text);
      expect(r.ancestry.length).toBeLessThanOrEqual(15);
    }),
  );
});
