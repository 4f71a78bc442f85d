// Nothing in the working directory reaches stitch (design §10): a relative HOME or
// RAILWAY_SESSIONS_DIR, which would put the store and Railway's preferences in it, is
// unusable; `ps` is never looked up in it. The compiled binary's own autoloading (.env*,
// bunfig.toml, ...) is tested end to end in test/e2e/hostile-cwd.test.ts.

import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NO_AUTOLOAD, NO_AUTOLOAD_FLAGS } from "../../build.ts";
import { DEFAULT_PS_PATH, psSearchPath, spawnPs } from "../../src/proc/ps.ts";
import { preferencesPath } from "../../src/resolve/optout.ts";
import { resolutionOf as resolve } from "../../src/resolve/resolution.ts";
import { absoluteDir } from "../../src/path.ts";
import { homeDirectory, NO_LOCATION, sessionsLocation } from "../../src/store/location.ts";
import { agentChain, fakeWorld } from "../support/fake-world.ts";

/** design §5.5's per-process fallback id. */
const CLI_FALLBACK_PATTERN = /^cli_[A-Za-z0-9_-]{22}$/;

const RELATIVE = [".", "./", "..", "sessions", "./sessions", "../x/sessions", "~", "~/sessions", " /abs"];
const claude = () => agentChain(["claude"]);
/** As the real world resolves them on Linux, with no passwd entry to fall back on. */
const NO_LOOKUPS = { passwd: () => undefined, profileFolder: () => undefined };
const home = (env: Record<string, string>) => homeDirectory(env, "linux", NO_LOOKUPS);
const location = (env: Record<string, string>) => sessionsLocation(env, () => home(env), "linux");
const prefs = (env: Record<string, string>) => preferencesPath(home(env), "linux");

describe("relative HOME and RAILWAY_SESSIONS_DIR are unusable", () => {
  test("absoluteDir keeps absolute paths only", () => {
    for (const value of RELATIVE) expect({ value, dir: absoluteDir(value) }).toEqual({ value, dir: undefined });
    expect(absoluteDir("")).toBeUndefined();
    expect(absoluteDir(undefined)).toBeUndefined();
    expect(absoluteDir("/")).toBe("/");
    expect(absoluteDir("/home/u/")).toBe("/home/u/");
  });

  test("a relative RAILWAY_SESSIONS_DIR counts as unset: ~/.railway/sessions", () => {
    for (const value of RELATIVE) {
      expect({ value, location: location({ HOME: "/home/u", RAILWAY_SESSIONS_DIR: value }) }).toEqual({
        value,
        location: { dir: "/home/u/.railway/sessions", creatable: ["/home/u/.railway", "/home/u/.railway/sessions"] },
      });
    }
  });

  test("a relative HOME counts as no HOME: no default location, no preferences file", () => {
    for (const value of RELATIVE) {
      expect({ value, location: location({ HOME: value }) }).toEqual({ value, location: undefined });
      expect({ value, prefs: prefs({ HOME: value }) }).toEqual({ value, prefs: undefined });
      // RAILWAY_SESSIONS_DIR, when absolute, still names the store.
      expect(location({ HOME: value, RAILWAY_SESSIONS_DIR: "/s" })).toEqual({ dir: "/s", creatable: ["/s"] });
    }
    expect(prefs({ HOME: "/home/u/" })).toBe("/home/u/.railway/preferences.json");
  });

  test("resolve: a relative RAILWAY_SESSIONS_DIR opens ~/.railway/sessions", () => {
    const w = fakeWorld({ env: { HOME: "/home/u", RAILWAY_SESSIONS_DIR: "sessions" }, processes: claude() });
    expect(resolve(w).session.source).toMatchObject({ kind: "store" });
    expect(w.opened).toEqual(["/home/u/.railway/sessions"]);
  });

  test("resolve: a relative HOME's preferences.json cannot opt out; without a store, a cli_ id", () => {
    const files: Record<string, string> = {};
    for (const home of RELATIVE) {
      const base = home.replace(/\/+$/, "");
      files[`${base}/.railway/preferences.json`] = '{"telemetryDisabled":true}';
    }
    for (const home of RELATIVE) {
      const w = fakeWorld({ env: { HOME: home }, processes: claude(), files });
      const r = resolve(w);
      expect({ home, optedOut: r.optedOut }).toEqual({ home, optedOut: undefined });
      expect(r.session.id).toMatch(CLI_FALLBACK_PATTERN);
      expect(r.session.source).toEqual({ kind: "fallback", reason: NO_LOCATION });
      expect(w.opened).toEqual([]);
      const w2 = fakeWorld({ env: { HOME: home, RAILWAY_SESSIONS_DIR: "/s" }, processes: claude(), files });
      expect(resolve(w2).session.source).toMatchObject({ kind: "store" });
      expect(w2.opened).toEqual(["/s"]);
    }
  });
});

describe("ps is looked up in absolute PATH directories only", () => {
  test("psSearchPath drops empty, `.` and relative entries", () => {
    expect(psSearchPath("/usr/local/bin:/usr/bin:/bin")).toBe("/usr/local/bin:/usr/bin:/bin");
    expect(psSearchPath(".:/usr/bin::/bin:")).toBe("/usr/bin:/bin");
    expect(psSearchPath("bin:./bin:../bin:~/bin:/opt/x/bin")).toBe("/opt/x/bin");
    expect(psSearchPath("/nonexistent")).toBe("/nonexistent");
  });
  test("PATH unset, empty or without an absolute entry: the default", () => {
    for (const path of [undefined, "", ":", ".", "bin:.:"]) expect({ path, search: psSearchPath(path) }).toEqual({ path, search: DEFAULT_PS_PATH });
  });

  describe("spawnPs from a directory holding a `ps`", () => {
    let dir: string;
    let cwd: string;
    beforeEach(() => {
      cwd = process.cwd();
      dir = mkdtempSync(join(tmpdir(), "stitch-ps-"));
      writeFileSync(join(dir, "ps"), `#!/bin/sh\necho ran > ${join(dir, "ran")}\necho "999999 1 S Thu Jan  1 00:00:00 1970 planted"\n`, { mode: 0o755 });
      process.chdir(dir);
    });
    afterEach(() => {
      process.chdir(cwd);
      rmSync(dir, { recursive: true, force: true });
    });
    test("the planted one never runs; the system's does", () => {
      for (const path of [".", "", ":", `.:${DEFAULT_PS_PATH}`, `:${DEFAULT_PS_PATH}`, `${DEFAULT_PS_PATH}:`, `./:${DEFAULT_PS_PATH}`]) {
        const out = spawnPs({ PATH: path });
        expect({ path, ran: existsSync(join(dir, "ran")) }).toEqual({ path, ran: false });
        expect(out).toContain(`${process.pid} `);
        expect(out).not.toContain("planted");
      }
    });
  });
});

describe("the compiled binary autoloads nothing from the working directory", () => {
  test("build.ts turns every autoload off, as options and as CLI flags (bench/run.ts)", () => {
    expect(NO_AUTOLOAD).toEqual({ autoloadDotenv: false, autoloadBunfig: false, autoloadTsconfig: false, autoloadPackageJson: false });
    expect(NO_AUTOLOAD_FLAGS).toEqual([
      "--no-compile-autoload-dotenv",
      "--no-compile-autoload-bunfig",
      "--no-compile-autoload-tsconfig",
      "--no-compile-autoload-package-json",
    ]);
    const help = Bun.spawnSync([process.execPath, "build", "--help"], { stdout: "pipe", stderr: "pipe" }).stdout.toString();
    for (const flag of NO_AUTOLOAD_FLAGS) expect(help).toContain(flag);
  });
});
