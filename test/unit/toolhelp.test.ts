// Windows (design §11): the Toolhelp32 snapshot parsed from recorded bytes, and resolution
// over Windows process trees, on every platform: a snapshot recorded under Wine, and trees
// written in the documented shapes of Windows agents and terminals.

import { describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { execMode } from "../../src/exec.ts";
import { parseProcessEntry, parseSnapshot, ToolhelpSource, type ToolhelpAccess } from "../../src/proc/toolhelp.ts";
import { resolutionOf as resolve } from "../../src/resolve/resolution.ts";
import { sessionFileName } from "../../src/store/identity.ts";
import { homeDirectory, sessionsLocation } from "../../src/store/location.ts";
import { nativeClock } from "../../src/store/lifecycle.ts";
import { fakeWorld, MemoryStore } from "../support/fake-world.ts";

interface Recording {
  self: number;
  entries: string[];
  details: Record<string, { creationTime: string; imagePath: string }>;
}
const recording: Recording = JSON.parse(readFileSync(`${import.meta.dir}/../fixtures/toolhelp-wine-claude.json`, "utf8"));
const recorded = recording.entries.map((hex) => new Uint8Array(Buffer.from(hex, "hex")));

/** Replays the recording: the snapshot and each process's details. */
const replay: ToolhelpAccess = {
  entries: () => recorded,
  details: (pid) => {
    const d = recording.details[String(pid)];
    return d && { creationTime: BigInt(d.creationTime), imagePath: d.imagePath };
  },
};

/** PROCESSENTRY32W bytes for a documented shape (64-bit layout). */
function entry(pid: number, ppid: number, exeFile: string): Uint8Array {
  const bytes = new Uint8Array(568);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 568, true);
  view.setUint32(8, pid, true);
  view.setUint32(32, ppid, true);
  for (let i = 0; i < exeFile.length; i++) view.setUint16(44 + 2 * i, exeFile.charCodeAt(i), true);
  return bytes;
}

interface Proc {
  pid: number;
  ppid: number;
  exe: string;
  image?: string;
}
/** A snapshot of documented shapes; creation times are made up but distinct. */
function snapshot(procs: Proc[]): ToolhelpAccess {
  return {
    entries: () => procs.map((p) => entry(p.pid, p.ppid, p.exe)),
    details: (pid) => {
      const p = procs.find((x) => x.pid === pid);
      return p && { creationTime: 133_000_000_000_000_000n + BigInt(pid), imagePath: p.image };
    },
  };
}

const windowsWorld = (access: ToolhelpAccess, self: number, parent: number, opts: { env?: Record<string, string>; tty?: boolean } = {}) => {
  const store = new MemoryStore("C:\\Users\\u\\.railway\\sessions");
  const world = fakeWorld({
    platform: "win32",
    env: opts.env ?? { USERPROFILE: "C:\\Users\\u" },
    pid: self,
    ppid: parent,
    tty: opts.tty ?? false,
    store,
  });
  return { world: { ...world, processes: new ToolhelpSource(access) }, store };
};

describe("PROCESSENTRY32W", () => {
  test("the recorded snapshot: pids, parents and executable names", () => {
    const table = parseSnapshot(recorded);
    expect(table.size).toBe(recorded.length);
    const chain = [];
    for (let pid: number | undefined = recording.self; pid && table.has(pid); pid = table.get(pid)!.ppid) chain.push(table.get(pid)!);
    expect(chain.map((e) => e.exeFile)).toEqual(["record.exe", "cmd.exe", "claude.exe"]);
    // Wine lists Windows processes only: the first has parent pid 0.
    expect(chain[2]!.ppid).toBe(0);
    for (const e of table.values()) expect(e.exeFile).toMatch(/^[\w.-]+\.exe$/);
  });
  test("names beyond ASCII, the longest name, and bytes that are no entry", () => {
    expect(parseProcessEntry(entry(7, 3, "Ünïcødé ツール.exe"))).toEqual({ pid: 7, ppid: 3, exeFile: "Ünïcødé ツール.exe" });
    const longest = "x".repeat(259);
    expect(parseProcessEntry(entry(1, 0, longest))?.exeFile).toBe(longest);
    expect(parseProcessEntry(new Uint8Array(10))).toBeUndefined();
    expect(parseProcessEntry(entry(1, 0, ""))).toBeUndefined();
    expect(parseProcessEntry(entry(0xffffffff, 0xfffffffe, "a.exe"))).toEqual({ pid: 0xffffffff, ppid: 0xfffffffe, exeFile: "a.exe" });
  });
  test("a process is its executable: argv is the image path, its arguments unknown", () => {
    const source = new ToolhelpSource(replay);
    const cmd = source.get(Number(Object.keys(recording.details).find((pid) => recording.details[pid]!.imagePath.endsWith("cmd.exe"))));
    expect(cmd).toMatchObject({ command: "cmd.exe", argv: ["C:\\windows\\system32\\cmd.exe"], argsUnknown: true, argv0: "cmd.exe" });
    expect(typeof cmd?.startTime).toBe("bigint");
    expect(source.get(999_999)).toBeUndefined();
    expect(source.kind).toBe("toolhelp");
    expect(nativeClock("win32")).toBe("toolhelp");
  });
});

describe("resolution over the recorded tree", () => {
  test("claude.exe → cmd.exe → stitch: Claude Code by its program, anchored on claude.exe, Railway's Windows file name", () => {
    const table = parseSnapshot(recorded);
    const parent = table.get(recording.self)!.ppid;
    const { world, store } = windowsWorld(replay, recording.self, parent);
    const r = resolve(world, { explain: true });
    expect(r.caller).toMatchObject({ caller: "claude_code", layer: "process_tree" });
    expect(r.ancestry.map((h) => [h.process.command, h.is.transient !== undefined])).toEqual([
      ["cmd.exe", true],
      ["claude.exe", false],
    ]);
    const anchor = r.anchor!.hop.process;
    expect(anchor.command).toBe("claude.exe");
    // Railway's layout: SHA-256(pid u32 BE ‖ creation FILETIME u64 BE ‖ "claude.exe").
    const key = Buffer.alloc(12);
    key.writeUInt32BE(anchor.pid, 0);
    key.writeBigUInt64BE(BigInt(recording.details[String(anchor.pid)]!.creationTime), 4);
    const expected = `${createHash("sha256").update(Buffer.concat([key, Buffer.from("claude.exe")])).digest("hex").slice(0, 16)}.session`;
    expect([...store.files.keys()]).toEqual([expected]);
    expect(sessionFileName({ pid: anchor.pid, startTime: anchor.startTime!, argv0: "claude.exe" })).toBe(expected);
    expect(JSON.parse(store.files.get(expected)!.text!)).toMatchObject({ clock: "toolhelp", argv0: "claude.exe", parent_pid: anchor.pid });
  });
});

describe("documented Windows shapes", () => {
  const terminal: Proc[] = [
    { pid: 4, ppid: 0, exe: "explorer.exe", image: "C:\\Windows\\explorer.exe" },
    { pid: 10, ppid: 4, exe: "WindowsTerminal.exe", image: "C:\\Program Files\\WindowsApps\\Microsoft.WindowsTerminal_1.21\\WindowsTerminal.exe" },
    { pid: 20, ppid: 10, exe: "pwsh.exe", image: "C:\\Program Files\\PowerShell\\7\\pwsh.exe" },
  ];
  test("Codex's native binary from npm, running pwsh -Command per call", () => {
    const procs = [
      ...terminal,
      {
        pid: 30,
        ppid: 20,
        exe: "codex.exe",
        image: "C:\\Users\\u\\AppData\\Roaming\\npm\\node_modules\\@openai\\codex\\vendor\\x86_64-pc-windows-msvc\\codex\\codex.exe",
      },
      { pid: 40, ppid: 30, exe: "pwsh.exe", image: "C:\\Program Files\\PowerShell\\7\\pwsh.exe" },
    ];
    const { world } = windowsWorld(snapshot(procs), 50, 40);
    const r = resolve(world);
    expect(r.caller.caller).toBe("codex");
    expect(r.anchor?.hop.process.pid).toBe(30);
    expect(r.session.source).toMatchObject({ kind: "store", how: "created" });
  });
  test("a node-run agent: known by its environment; the anchor is node.exe, not the shell of one call", () => {
    const procs = [
      ...terminal,
      { pid: 30, ppid: 20, exe: "node.exe", image: "C:\\Program Files\\nodejs\\node.exe" },
      { pid: 40, ppid: 30, exe: "bash.exe", image: "C:\\Program Files\\Git\\usr\\bin\\bash.exe" },
    ];
    const marked = windowsWorld(snapshot(procs), 50, 40, { env: { USERPROFILE: "C:\\Users\\u", GEMINI_CLI: "1" } });
    const r = resolve(marked.world);
    expect(r.caller.caller).toBe("gemini_cli");
    expect(r.anchor).toMatchObject({ hop: { process: { pid: 30 } }, reason: { kind: "non_transient" } });
    // Without a marker: an unnamed agent, of the anchor's kind (node); a snapshot has no
    // script path to name it by.
    expect(resolve(windowsWorld(snapshot(procs), 50, 40).world).caller.caller).toBe("agent_unknown:node");
  });
  test("a human at PowerShell in Windows Terminal: tty, no session", () => {
    const { world, store } = windowsWorld(snapshot(terminal), 50, 20, { tty: true });
    const r = resolve(world);
    expect(r.caller.caller).toBe("tty");
    expect(r.session.id).toBeUndefined();
    expect(store.files.size).toBe(0);
  });
  test("Claude Desktop's Claude.exe is not Claude Code; Cursor's terminal is a host", () => {
    const desktop = [...terminal, { pid: 30, ppid: 4, exe: "Claude.exe", image: "C:\\Users\\u\\AppData\\Local\\AnthropicClaude\\app-0.9.3\\Claude.exe" }, { pid: 40, ppid: 30, exe: "cmd.exe" }];
    expect(resolve(windowsWorld(snapshot(desktop), 50, 40).world).caller.layer).not.toBe("process_tree");
    const cursor = [
      { pid: 4, ppid: 0, exe: "Cursor.exe", image: "C:\\Users\\u\\AppData\\Local\\Programs\\cursor\\Cursor.exe" },
      { pid: 20, ppid: 4, exe: "pwsh.exe" },
    ];
    expect(resolve(windowsWorld(snapshot(cursor), 50, 20, { tty: true }).world).caller.caller).toBe("tty:cursor");
  });
  test("a shell whose arguments are known is transient only with /c or -Command", () => {
    const { classify } = require("../../src/resolve/classify.ts") as typeof import("../../src/resolve/classify.ts");
    expect(classify(["cmd.exe", "/d", "/s", "/c", "railway up"], true).transient).toBeDefined();
    expect(classify(["cmd.exe", "/k"], true).transient).toBeUndefined();
    expect(classify(["pwsh.exe", "-NoProfile", "-Command", "railway up"], true).transient).toBeDefined();
    expect(classify(["powershell.exe", "-File", "x.ps1"], true).transient).toBeUndefined();
    expect(classify(["C:\\Windows\\System32\\cmd.exe"], true, true).transient).toBeDefined();
  });
});

describe("Windows runs the command as a child; the home is the profile folder", () => {
  test("the exec mode is spawn whatever STITCH_EXEC says: process.execve is defined there but always throws", () => {
    for (const forced of [undefined, "ffi", "runtime", "spawn"]) expect(execMode(forced, "win32")).toBe("spawn");
  });
  test("the home directory as Railway's CLI finds it on each platform", () => {
    const lookups = (passwd?: string, profile?: string) => ({ passwd: () => passwd, profileFolder: () => profile });
    expect(homeDirectory({ HOME: "/home/u" }, "linux", lookups("/home/p"))).toBe("/home/u");
    expect(homeDirectory({}, "linux", lookups("/home/p"))).toBe("/home/p");
    expect(homeDirectory({ HOME: "" }, "darwin", lookups("/Users/p"))).toBe("/Users/p");
    expect(homeDirectory({ HOME: "rel" }, "linux", lookups("/home/p"))).toBe("/home/p");
    expect(homeDirectory({}, "linux", lookups())).toBeUndefined();
    // Windows: the profile folder; USERPROFILE when it cannot be asked; HOME never.
    expect(homeDirectory({ HOME: "/c/Users/git", USERPROFILE: "C:\\Users\\env" }, "win32", lookups(undefined, "C:\\Users\\u"))).toBe("C:\\Users\\u");
    expect(homeDirectory({ HOME: "/c/Users/git", USERPROFILE: "C:\\Users\\env" }, "win32", lookups())).toBe("C:\\Users\\env");
    expect(homeDirectory({ HOME: "C:\\Users\\git" }, "win32", lookups())).toBeUndefined();
    expect(sessionsLocation({}, () => "C:\\Users\\u\\", "win32")).toEqual({
      dir: "C:\\Users\\u\\.railway\\sessions",
      creatable: ["C:\\Users\\u\\.railway", "C:\\Users\\u\\.railway\\sessions"],
    });
    expect(sessionsLocation({ RAILWAY_SESSIONS_DIR: "D:\\s" }, () => undefined, "win32")?.dir).toBe("D:\\s");
    expect(sessionsLocation({ RAILWAY_SESSIONS_DIR: "s" }, () => undefined, "win32")).toBeUndefined();
  });
  test("without HOME, the passwd entry's home holds the sessions (Railway's CLI finds it there too)", () => {
    const w = fakeWorld({ env: {}, passwdHome: "/home/p", processes: undefined });
    expect(w.home()).toBe("/home/p");
  });
});
