// A hostile working directory (design §10): stitch takes its inputs only from its own
// environment, its arguments, the process table and the files the spec names. An agent
// works inside repositories it did not write; whatever such a directory holds (`.env*`
// files, a bunfig.toml with a preload, package.json, tsconfig.json, a `ps`, a
// `.railway/`) must neither run code in stitch nor change a value stitch sees. Each case
// runs the compiled binary in a fake agent whose shell sits in the hostile directory, and
// compares with the same call from a clean directory in the same agent.

import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type AgentHandle, call, DIST, linuxDescribe, Sandbox, shq, UUID_V4 } from "./harness.ts";

let sb: Sandbox;
let clean: string;
beforeEach(() => {
  sb = new Sandbox();
  clean = join(sb.dir, "clean");
  mkdirSync(clean);
});
afterEach(() => sb.cleanup());

/**
 * Every `.env` file Bun's runtime loads from the working directory, for any NODE_ENV
 * (https://bun.com/docs/runtime/environment-variables): `.env`, `.env.<NODE_ENV>`,
 * `.env.local` (not under test) and `.env.<NODE_ENV>.local`; NODE_ENV unset counts as
 * development.
 */
const DOTENV_FILES = [
  ".env",
  ".env.local",
  ".env.development",
  ".env.development.local",
  ".env.production",
  ".env.production.local",
  ".env.test",
  ".env.test.local",
];
/** Each NODE_ENV selects different files: every file above is loadable under one of these. */
const NODE_ENVS = [undefined, "development", "production", "test"] as const;
const EXEC_MODES = ["ffi", "runtime", "spawn"] as const;

const dotenv = (vars: Record<string, string>) =>
  Object.entries(vars)
    .map(([k, v]) => `${k}=${v}\n`)
    .join("");

/** Where planted code would leave its trace. */
const marker = () => join(sb.dir, "marker-planted-code-ran");

/** Code that, if anything ran it, writes the marker and prints on both streams. */
const evil = (name: string) =>
  `require("node:fs").appendFileSync(${JSON.stringify(marker())}, ${JSON.stringify(`${name}\n`)});\n` +
  `console.log("EVIL ${name}");\nconsole.error("EVIL ${name}");\n`;

/** bunfig.toml, package.json, tsconfig.json and the code they point at, in `dir`. */
function plantConfigAndCode(dir: string): void {
  writeFileSync(join(dir, "evil.ts"), evil("evil.ts"));
  writeFileSync(join(dir, "evil.js"), evil("evil.js"));
  writeFileSync(
    join(dir, "bunfig.toml"),
    [
      `preload = ["./evil.ts", "./evil.js"]`,
      `smol = true`,
      `logLevel = "debug"`,
      `telemetry = true`,
      `jsx = "react"`,
      `jsxFactory = "evil"`,
      ``,
      `[define]`,
      `"process.env.HOME" = "'/planted'"`,
      `"process.env.RAILWAY_AGENT_SESSION_ID" = "'planted-define'"`,
      ``,
      `[loader]`,
      `".ts" = "tsx"`,
      `".json" = "text"`,
      ``,
      `[run]`,
      `bun = true`,
      `shell = "system"`,
      ``,
      `[test]`,
      `preload = ["./evil.ts"]`,
      ``,
    ].join("\n"),
  );
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({
      name: "hostile",
      type: "commonjs",
      main: "./evil.js",
      imports: { "#valibot": "./evil.js", "#*": "./evil.js" },
      exports: { ".": "./evil.js" },
      browser: { "node:fs": "./evil.js" },
      bun: { preload: ["./evil.ts"] },
      scripts: { preinstall: "bun evil.ts", true: "bun evil.ts", env: "bun evil.ts", resolve: "bun evil.ts" },
      dependencies: { valibot: "file:./evil.js" },
    }),
  );
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        baseUrl: ".",
        paths: { "*": ["./evil.ts"], valibot: ["./evil.ts"], "node:*": ["./evil.ts"] },
        jsx: "react-jsx",
        jsxImportSource: "./evil",
        types: ["./evil"],
      },
    }),
  );
}

const planted = (tag: string) => ({
  RAILWAY_AGENT_SESSION_ID: `planted-id-${tag}`,
  RAILWAY_AGENT_SESSION: `planted-session-${tag}`,
  RAILWAY_CALLER: `planted-caller-${tag}`,
  CLAUDE_CODE_SESSION_ID: `planted-claude-${tag}`,
  CODEX_THREAD_ID: `planted-codex-${tag}`,
  CI: "true",
  DO_NOT_TRACK: "1",
  RAILWAY_NO_TELEMETRY: "1",
  STITCH_PROCESS_SOURCE: "ps",
  STITCH_EXEC: "spawn",
  HOME: join(sb.dir, `planted-home-${tag}`),
  RAILWAY_SESSIONS_DIR: join(sb.dir, `planted-sessions-${tag}`),
  [`PLANTED_${tag.replace(/\W/g, "_").toUpperCase()}`]: "1",
});

const tagOf = (file: string) => file.replace(/^\./, "");

/** Runs the rest of a command line as nobody (uid 65534, passwd home /nonexistent). */
const AS_NOBODY = "setpriv --reuid=65534 --regid=65534 --clear-groups";
/** Why a case that runs stitch as nobody cannot run here (not root: a CI runner's user). */
const CANNOT_BE_NOBODY = process.getuid?.() === 0 && Bun.which("setpriv") ? "" : ": skipped, needs root and setpriv to run stitch as nobody";

/** `NODE_ENV=x ` or nothing. */
const withNodeEnv = (nodeEnv: string | undefined) => (nodeEnv ? `NODE_ENV=${nodeEnv} ` : "");

/** `env -0` output as a record, without `_` (bash sets it to the command it ran). */
function parseEnv0(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of text.split("\0")) {
    if (entry === "") continue;
    const eq = entry.indexOf("=");
    const name = entry.slice(0, eq);
    if (name !== "_") out[name] = entry.slice(eq + 1);
  }
  return out;
}

/** What must not depend on the directory: the resolution less the ancestry's pids. */
function decision(json: Record<string, any>) {
  return {
    caller: json.caller,
    agent_caller: json.agent_caller,
    caller_layer: json.caller_layer,
    caller_evidence: json.caller_evidence,
    session_id: json.session_id,
    session: { source: json.session.source, variable: json.session.variable, file: json.session.file, reason: json.session.reason },
    anchor: json.anchor,
    process_source: json.process_source,
    opted_out: json.opted_out,
    env: json.env,
  };
}

/** Every call of the agent exited 0 and wrote nothing on stderr; no stdout mentions EVIL. */
function expectQuietCalls(a: AgentHandle, tags: string[]): void {
  for (const tag of tags) {
    expect({ tag, rc: a.read(`rc.${tag}`).trim(), err: a.read(`err.${tag}`) }).toEqual({ tag, rc: "0", err: "" });
    expect(a.read(`out.${tag}`)).not.toContain("EVIL");
  }
}

const nothingPlantedRan = () => {
  expect(existsSync(marker()) ? readFileSync(marker(), "utf8") : "no planted code ran").toBe("no planted code ran");
};

linuxDescribe("a hostile working directory", () => {
  test(".env*, bunfig.toml, package.json, tsconfig.json: no code runs, no value reaches the resolution or the command", async () => {
    for (const file of DOTENV_FILES) writeFileSync(join(sb.work, file), dotenv(planted(tagOf(file))));
    plantConfigAndCode(sb.work);

    const tags: string[] = [];
    const lines: string[] = [];
    const add = (tag: string, command: string) => {
      tags.push(tag);
      lines.push(call(tag, command));
    };
    NODE_ENVS.forEach((nodeEnv, i) => {
      const pre = withNodeEnv(nodeEnv);
      add(`clean-resolve-${i}`, `cd ${shq(clean)} && ${pre}stitch resolve --json`);
      add(`hostile-resolve-${i}`, `${pre}stitch resolve --json`);
      add(`clean-export-${i}`, `cd ${shq(clean)} && ${pre}stitch export --shell json`);
      add(`hostile-export-${i}`, `${pre}stitch export --shell json`);
      add(`hostile-human-${i}`, `${pre}stitch resolve`);
      for (const mode of EXEC_MODES) {
        add(`plain-${i}-${mode}`, `${pre}STITCH_EXEC=${mode} /usr/bin/env -0`);
        add(`wrapped-${i}-${mode}`, `${pre}STITCH_EXEC=${mode} stitch /usr/bin/env -0`);
      }
    });
    const a = await sb.agent("claude", lines.join("\n"));

    nothingPlantedRan();
    expectQuietCalls(a, tags);

    // One session: the agent's, in the real store; nothing in the planted locations.
    expect(sb.sessionFiles()).toHaveLength(1);
    const id = sb.readSession(sb.sessionFiles()[0]!).agent_session_id as string;
    expect(id).toMatch(UUID_V4);
    expect(readdirSync(sb.dir).filter((n) => n.startsWith("planted-"))).toEqual([]);

    const gains = { RAILWAY_AGENT_SESSION_ID: id, RAILWAY_AGENT_SESSION: id, RAILWAY_CALLER: "claude_code" };
    NODE_ENVS.forEach((nodeEnv, i) => {
      const cleanJson = JSON.parse(a.read(`out.clean-resolve-${i}`));
      const hostileJson = JSON.parse(a.read(`out.hostile-resolve-${i}`));
      expect(decision(cleanJson)).toMatchObject({
        caller: "claude_code",
        caller_layer: "process_tree",
        session_id: id,
        session: { source: "store" },
        anchor: { pid: a.pid, argv0: "claude" },
        process_source: "proc",
        opted_out: null,
        env: gains,
      });
      expect({ nodeEnv, ...decision(hostileJson) }).toEqual({ nodeEnv, ...decision(cleanJson) });
      expect(a.read(`out.hostile-export-${i}`)).toBe(a.read(`out.clean-export-${i}`));
      expect(JSON.parse(a.read(`out.hostile-export-${i}`))).toEqual(gains);
      expect(a.read(`out.hostile-human-${i}`)).toContain(`session   ${id}\n`);
      expect(a.read(`out.hostile-human-${i}`)).not.toContain("planted");

      for (const mode of EXEC_MODES) {
        const plain = parseEnv0(a.read(`out.plain-${i}-${mode}`));
        const wrapped = parseEnv0(a.read(`out.wrapped-${i}-${mode}`));
        // The shell itself reads no .env file: the comparison is with the caller's environment.
        expect(Object.values(plain).join("\n")).not.toContain("planted");
        expect({ nodeEnv, mode, env: wrapped }).toEqual({ nodeEnv, mode, env: { ...plain, ...gains } });
      }
    });
  });

  // Without HOME, stitch (like Railway's CLI) takes the home from the user database; these
  // cases run stitch as nobody, whose passwd home (/nonexistent) holds no store, so that
  // nothing is written to the real home of the user running the tests.
  test.skipIf(CANNOT_BE_NOBODY !== "")(`HOME and RAILWAY_SESSIONS_DIR from a .env file do not move the store when the caller has neither${CANNOT_BE_NOBODY}`, async () => {
    for (const file of DOTENV_FILES) {
      const tag = tagOf(file);
      // Directories that exist, so that a store there would have been usable.
      mkdirSync(join(sb.dir, `planted-home-${tag}`));
      writeFileSync(
        join(sb.work, file),
        dotenv({ HOME: join(sb.dir, `planted-home-${tag}`), RAILWAY_SESSIONS_DIR: join(sb.dir, `planted-sessions-${tag}`) }),
      );
    }
    const tags: string[] = [];
    const lines = ["unset HOME RAILWAY_SESSIONS_DIR"];
    NODE_ENVS.forEach((nodeEnv, i) => {
      const pre = withNodeEnv(nodeEnv);
      for (const [tag, command] of [
        [`clean-resolve-${i}`, `cd ${shq(clean)} && ${pre}${AS_NOBODY} stitch resolve --json`],
        [`hostile-resolve-${i}`, `${pre}${AS_NOBODY} stitch resolve --json`],
      ] as const) {
        tags.push(tag);
        lines.push(call(tag, command));
      }
      lines.push(call(`clean-list-${i}`, `cd ${shq(clean)} && ${pre}${AS_NOBODY} stitch sessions list --json`));
      lines.push(call(`hostile-list-${i}`, `${pre}${AS_NOBODY} stitch sessions list --json`));
    });
    const a = await sb.agent("claude", lines.join("\n"));

    expectQuietCalls(a, tags);
    NODE_ENVS.forEach((_nodeEnv, i) => {
      const cleanJson = JSON.parse(a.read(`out.clean-resolve-${i}`));
      const hostileJson = JSON.parse(a.read(`out.hostile-resolve-${i}`));
      expect(cleanJson.session).toMatchObject({ source: "fallback" });
      expect(cleanJson.session_id).toMatch(/^cli_/);
      expect(hostileJson.session).toEqual(cleanJson.session);
      expect(hostileJson.session_id).toMatch(/^cli_/);
      // No store: `stitch sessions` is an error in both, the same one.
      for (const what of ["rc", "out", "err"]) expect(a.read(`${what}.hostile-list-${i}`)).toBe(a.read(`${what}.clean-list-${i}`));
      expect(a.read(`rc.hostile-list-${i}`).trim()).toBe("1");
    });
    for (const file of DOTENV_FILES) {
      const tag = tagOf(file);
      expect({ tag, home: readdirSync(join(sb.dir, `planted-home-${tag}`)) }).toEqual({ tag, home: [] });
      expect(existsSync(join(sb.dir, `planted-sessions-${tag}`))).toBe(false);
    }
  });

  test("a `ps` in the working directory or a relative PATH entry is never run; the ps source still works", async () => {
    // A fake `ps` that, if run, leaves the marker and fails: the walk would then see nothing.
    const fake = `#!/bin/sh\necho "$0" >> ${shq(marker())}\nexit 1\n`;
    mkdirSync(join(sb.work, "bin"));
    writeFileSync(join(sb.work, "ps"), fake, { mode: 0o755 });
    writeFileSync(join(sb.work, "bin", "ps"), fake, { mode: 0o755 });
    const paths = [
      `.:${DIST}:/usr/local/bin:/usr/bin:/bin`,
      `:${DIST}:/usr/local/bin:/usr/bin:/bin`,
      `${DIST}::/usr/local/bin:/usr/bin:/bin:`,
      `bin:./bin:${DIST}:/usr/local/bin:/usr/bin:/bin`,
    ];
    const lines: string[] = [];
    const tags: string[] = [];
    paths.forEach((path, i) => {
      // stitch itself by absolute path: the relative entries must only be in stitch's PATH.
      tags.push(`j${i}`, `w${i}`);
      lines.push(call(`j${i}`, `PATH=${shq(path)} ${shq(join(DIST, "stitch"))} resolve --json`));
      lines.push(call(`w${i}`, `PATH=${shq(path)} ${shq(join(DIST, "stitch"))} /bin/sh -c 'echo "$RAILWAY_AGENT_SESSION_ID"'`));
    });
    const a = await sb.agent("claude", lines.join("\n"), { env: { STITCH_PROCESS_SOURCE: "ps" } });

    nothingPlantedRan();
    expectQuietCalls(a, tags);
    expect(sb.sessionFiles()).toHaveLength(1);
    const id = sb.readSession(sb.sessionFiles()[0]!).agent_session_id;
    paths.forEach((path, i) => {
      const json = JSON.parse(a.read(`out.j${i}`));
      expect({ path, ...decision(json) }).toMatchObject({
        path,
        process_source: "ps",
        caller: "claude_code",
        session_id: id,
        session: { source: "store" },
        anchor: { pid: a.pid, reason: "agent" },
      });
      expect(a.read(`out.w${i}`).trim()).toBe(id as string);
    });
  });

  test("a relative RAILWAY_SESSIONS_DIR is not used: no session files in the working directory", async () => {
    mkdirSync(join(sb.work, "sessions"), { mode: 0o700 });
    const a = await sb.agent("claude", [call("1", `stitch sh -c 'echo "$RAILWAY_AGENT_SESSION_ID"'`), call("j", "stitch resolve --json")].join("\n"), {
      env: { RAILWAY_SESSIONS_DIR: "sessions" },
    });
    expectQuietCalls(a, ["1", "j"]);
    expect(readdirSync(join(sb.work, "sessions"))).toEqual([]);
    expect(existsSync(join(sb.work, ".railway"))).toBe(false);
    // Treated as unset: ~/.railway/sessions.
    const home = join(sb.home, ".railway", "sessions");
    expect(readdirSync(home)).toHaveLength(1);
    const id = a.read("out.1").trim();
    expect(id).toMatch(UUID_V4);
    expect(JSON.parse(a.read("out.j")).session).toMatchObject({ source: "store", file: join(home, readdirSync(home)[0]!) });
  });

  test.skipIf(CANNOT_BE_NOBODY !== "")(`a relative HOME is no HOME: the directory's .railway/preferences.json cannot opt the agent out, nor hold its store${CANNOT_BE_NOBODY}`, async () => {
    mkdirSync(join(sb.work, ".railway"));
    writeFileSync(join(sb.work, ".railway", "preferences.json"), '{"telemetryDisabled":true}');
    // With RAILWAY_SESSIONS_DIR: the store is there, and the planted preferences are not read.
    const a = await sb.agent("claude", [call("1", `stitch sh -c 'echo "$RAILWAY_AGENT_SESSION_ID"'`), call("j", "stitch resolve --json")].join("\n"), {
      env: { HOME: "." },
    });
    expectQuietCalls(a, ["1", "j"]);
    expect(a.read("out.1").trim()).toMatch(UUID_V4);
    expect(JSON.parse(a.read("out.j"))).toMatchObject({ opted_out: null, session: { source: "store" } });
    expect(sb.sessionFiles()).toHaveLength(1);

    // Without it: no store at all (a cli_ id), and nothing created in the directory.
    const b = await sb.agent("claude", [`unset RAILWAY_SESSIONS_DIR`, call("1", `${AS_NOBODY} stitch sh -c 'echo "$RAILWAY_AGENT_SESSION_ID"'`)].join("\n"), {
      env: { HOME: "." },
    });
    expectQuietCalls(b, ["1"]);
    expect(b.read("out.1").trim()).toMatch(/^cli_[A-Za-z0-9_-]{22}$/);
    expect(readdirSync(join(sb.work, ".railway"))).toEqual(["preferences.json"]);
  });

  test("the global bunfig (~/.bunfig.toml, $XDG_CONFIG_HOME/.bunfig.toml) is not read either", async () => {
    const xdg = join(sb.dir, "xdg");
    mkdirSync(xdg);
    writeFileSync(join(sb.dir, "evil.ts"), evil("global bunfig"));
    for (const dir of [sb.home, xdg]) writeFileSync(join(dir, ".bunfig.toml"), `preload = [${JSON.stringify(join(sb.dir, "evil.ts"))}]\nsmol = true\n`);
    const a = await sb.agent("claude", [call("1", `stitch sh -c 'echo "$RAILWAY_AGENT_SESSION_ID"'`), call("j", "stitch resolve --json")].join("\n"), {
      env: { XDG_CONFIG_HOME: xdg },
    });
    nothingPlantedRan();
    expectQuietCalls(a, ["1", "j"]);
    expect(a.read("out.1").trim()).toMatch(UUID_V4);
  });
});
