// Issue 20's everyday situations, on the compiled binary, on both process sources:
// a human piping, capturing or redirecting output at a real interactive shell is a human;
// an agent's background and detached calls never anchor on init or a subreaper.

import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { call, DIST, EMULATED, linuxDescribe, PRINT_ID, Sandbox, shq, UUID_V4 } from "./harness.ts";

/** Under qemu-user (test:arm64) every stitch start takes about a second: waits scale. */
const SLOW = EMULATED ? 4 : 1;

const SOURCES = ["proc", "ps"] as const;
const boxes: Sandbox[] = [];
afterAll(() => {
  for (const box of boxes) box.cleanup();
});
function sandbox(): Sandbox {
  const box = new Sandbox();
  boxes.push(box);
  return box;
}

async function waitFile(path: string, ms = 30_000 * SLOW): Promise<string> {
  const deadline = Date.now() + ms;
  while (!existsSync(path)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${path}`);
    await Bun.sleep(10);
  }
  return readFileSync(path, "utf8");
}

/** Types `lines` into a real interactive bash on a terminal, detached; returns its OUT. */
async function atInteractiveShell(box: Sandbox, name: string, lines: string[], env: Record<string, string> = {}): Promise<string> {
  const out = join(box.dir, name);
  mkdirSync(out);
  Bun.spawn(["setsid", "-f", process.execPath, join(import.meta.dir, "../support/interactive-shell.ts"), out, JSON.stringify(lines)], {
    env: box.env({ OUT: out, ...env }),
    stdio: ["ignore", "ignore", "inherit"],
  });
  await waitFile(join(out, "done"));
  return out;
}

const ID = `stitch sh -c 'printf %s "\${RAILWAY_AGENT_SESSION_ID-}"'`;
/** How a human meets stitch with stdout not on the terminal: each line writes resolve's JSON to $OUT/<name>.json and the id the command got to $OUT/<name>.id. */
const HUMAN_SHAPES: Record<string, (src: string) => string[]> = {
  piped: (s) => [`STITCH_PROCESS_SOURCE=${s} stitch resolve --json | cat > "$OUT/piped.${s}.json"`, `STITCH_PROCESS_SOURCE=${s} ${ID} | cat > "$OUT/piped.${s}.id"`],
  captured: (s) => [`x=$(STITCH_PROCESS_SOURCE=${s} stitch resolve --json); printf '%s' "$x" > "$OUT/captured.${s}.json"`, `x=$(STITCH_PROCESS_SOURCE=${s} ${ID}); printf '%s' "$x" > "$OUT/captured.${s}.id"`],
  redirected: (s) => [`STITCH_PROCESS_SOURCE=${s} stitch resolve --json > "$OUT/redirected.${s}.json"`, `STITCH_PROCESS_SOURCE=${s} ${ID} > "$OUT/redirected.${s}.id"`],
  "every stream redirected, in the background with nohup": (s) => [
    `STITCH_PROCESS_SOURCE=${s} nohup stitch resolve --json > "$OUT/nohup.${s}.json" 2>/dev/null </dev/null &`,
    `STITCH_PROCESS_SOURCE=${s} nohup ${ID} > "$OUT/nohup.${s}.id" 2>/dev/null </dev/null &`,
  ],
  "every stream redirected, `sh -c` in the foreground": (s) => [
    `STITCH_PROCESS_SOURCE=${s} sh -c 'stitch resolve --json' > "$OUT/sh.${s}.json" 2>/dev/null </dev/null`,
    `STITCH_PROCESS_SOURCE=${s} sh -c ${shq(ID)} > "$OUT/sh.${s}.id" 2>/dev/null </dev/null`,
  ],
  // The Makefile (MAKEFILE below) runs both commands; its output goes through tee.
  "make, output through tee": (s) => [`STITCH_PROCESS_SOURCE=${s} SRC=${s} make -s -f "$OUT/../Makefile" 2>&1 | tee /dev/null`],
  // A personal script capturing output (the issue's `agent_unknown:python:acme_layoffs_q3_plan`).
  "a Python script capturing stitch's output": (s) => [`STITCH_PROCESS_SOURCE=${s} python3 "$OUT/../acme_layoffs_q3_plan.py" "$OUT/script.${s}"`],
  "xargs, output piped": (s) => [
    `echo --json | STITCH_PROCESS_SOURCE=${s} xargs stitch resolve | cat > "$OUT/xargs.${s}.json"`,
    `echo sh | STITCH_PROCESS_SOURCE=${s} xargs -I{} ${ID.replace("stitch sh", "stitch {}")} | cat > "$OUT/xargs.${s}.id"`,
  ],
};
const MAKEFILE = `all:\n\t@stitch resolve --json > "$$OUT/make.$$SRC.json"\n\t@${ID.replaceAll("$", "$$")} > "$$OUT/make.$$SRC.id"\n`;
const FILE_OF: Record<string, string> = {
  piped: "piped",
  captured: "captured",
  redirected: "redirected",
  "every stream redirected, in the background with nohup": "nohup",
  "every stream redirected, `sh -c` in the foreground": "sh",
  "make, output through tee": "make",
  "xargs, output piped": "xargs",
  "a Python script capturing stitch's output": "script",
};
const SCRIPT = [
  "import subprocess, sys",
  "out = sys.argv[1]",
  'r = subprocess.run(["stitch", "resolve", "--json"], capture_output=True, text=True)',
  'open(out + ".json", "w").write(r.stdout)',
  `r = subprocess.run(["stitch", "sh", "-c", 'printf %s "\${RAILWAY_AGENT_SESSION_ID-}"'], capture_output=True, text=True)`,
  'open(out + ".id", "w").write(r.stdout)',
].join("\n");

linuxDescribe("a human at an interactive shell whose stdout is not the terminal is a human", () => {
  const box = sandbox();
  writeFileSync(join(box.dir, "Makefile"), MAKEFILE);
  writeFileSync(join(box.dir, "acme_layoffs_q3_plan.py"), SCRIPT);
  const lines = Object.values(HUMAN_SHAPES).flatMap((shape) => SOURCES.flatMap((s) => shape(s)));
  const ran = atInteractiveShell(box, "human", lines);
  for (const shape of Object.keys(HUMAN_SHAPES)) {
    for (const source of SOURCES) {
      test(`${shape} (${source}): tty, no id, no session file`, async () => {
        const out = await ran;
        const file = join(out, `${FILE_OF[shape]}.${source}`);
        const json = JSON.parse(readFileSync(`${file}.json`, "utf8"));
        expect({ caller: json.caller, id: json.session_id }).toEqual({ caller: "tty", id: null });
        expect(readFileSync(`${file}.id`, "utf8")).toBe("");
        expect(box.sessionFiles()).toEqual([]);
      }, 60_000 * SLOW);
    }
  }
});

linuxDescribe("an uncatalogued agent started from a terminal is still named", () => {
  for (const source of SOURCES) {
    test(`its tool captures every stream (${source}): agent_unknown:node:myagent, one id`, async () => {
      const box = sandbox();
      // The agent: a job of the interactive shell, its argv `node .../myagent.js`; its shell
      // tool captures stdin, stdout and stderr, once in its own group, once detached.
      const agent = join(box.dir, "myagent.js");
      writeFileSync(
        agent,
        [
          `bash -c ${shq(`STITCH_PROCESS_SOURCE=${source} stitch resolve --json`)} > "$OUT/a.json" 2>/dev/null </dev/null`,
          `setsid bash -c ${shq(`STITCH_PROCESS_SOURCE=${source} stitch resolve --json`)} > "$OUT/b.json" 2>/dev/null </dev/null`,
        ].join("\n"),
      );
      const out = await atInteractiveShell(box, "terminal", [`(exec -a node bash ${shq(agent)} ${shq("/home/alice/agentkit/bin/myagent.js")})`]);
      const a = JSON.parse(readFileSync(join(out, "a.json"), "utf8"));
      const b = JSON.parse(readFileSync(join(out, "b.json"), "utf8"));
      expect([a.caller, b.caller]).toEqual(["agent_unknown:node:myagent", "agent_unknown:node:myagent"]);
      expect(a.session_id).toMatch(UUID_V4);
      expect(b.session_id).toBe(a.session_id);
    }, 60_000 * SLOW);
  }
});

/** A subreaper (PR_SET_CHILD_SUBREAPER) that runs its arguments and waits: orphans below it come to it, not to init. */
const SUBREAPER = `
import { dlopen, FFIType } from "bun:ffi";
const { prctl } = dlopen("libc.so.6", { prctl: { args: [FFIType.i32, FFIType.u64, FFIType.u64, FFIType.u64, FFIType.u64], returns: FFIType.i32 } }).symbols;
if (prctl(36, 1, 0, 0, 0) !== 0) throw new Error("PR_SET_CHILD_SUBREAPER failed");
await Bun.spawn(process.argv.slice(2), { stdio: ["ignore", "ignore", "inherit"] }).exited;
await Bun.sleep(Number(process.env.LINGER_MS)); // long enough to adopt what the agent left running
`;

linuxDescribe("background and detached calls of an agent never anchor on init or a subreaper", () => {
  /** Runs in the background after its shell has exited: stitch is adopted. */
  const later = (tag: string, how: string, source: string) => {
    const inner = `sleep ${0.3 * SLOW}; STITCH_PROCESS_SOURCE=${source} exec ${PRINT_ID} > "$OUT/bg.${tag}"`;
    if (how === "&") return `bash -c ${shq(`(${inner}) &`)}`;
    if (how === "nohup") return `bash -c ${shq(`nohup sh -c ${shq(inner)} >/dev/null 2>&1 &`)}`;
    if (how === "setsid") return `bash -c ${shq(`setsid sh -c ${shq(inner)} &`)}`;
    return `bash -c ${shq(`( (${inner}) & )`)}`; // double fork
  };
  for (const source of SOURCES) {
    // Under qemu, the two ways an adopted call is recognised (a group it shares with the
    // agent, a session of its own): the other two take the first way.
    for (const how of EMULATED ? ["&", "setsid"] : ["&", "nohup", "setsid", "double fork"]) {
      for (const adopter of ["init", "a subreaper"]) {
        test(`\`${how}\` under ${adopter} (${source})`, async () => {
          const box = sandbox();
          const reaper = join(box.dir, "subreaper.ts");
          writeFileSync(reaper, SUBREAPER);
          // Two conversations of an agent with no id of its own (Gemini CLI without its
          // markers: named by its program), each a foreground call and a background one.
          // The agent lives on after starting the background call, as an agent does (`true`
          // last: `bash -c` would exec a last `sleep`, and the agent would be gone).
          const body = [call("fg", `STITCH_PROCESS_SOURCE=${source} ${PRINT_ID}`), later("x", how, source), `sleep ${2 * SLOW}`, "true"].join("\n");
          const argv0 = "gemini";
          const agents = [];
          for (let n = 0; n < 2; n++) {
            if (adopter === "init") agents.push(await box.agent(argv0, body));
            // systemd's user manager: a subreaper running a terminal whose shell started the
            // agent as a job (the leader of its own group and session here).
            else agents.push(await box.agent("session-host", `(export LINGER_MS=${1000 * SLOW}; exec -a systemd ${process.execPath} ${shq(reaper)} setsid bash -c ${shq(`exec -a ${argv0} bash -c ${shq(body)}`)})`));
          }
          const ids = [];
          for (const a of agents) ids.push({ fg: a.read("out.fg").trim(), bg: (await waitFile(join(a.out, "bg.x"))).trim() });
          for (const { fg, bg } of ids) {
            expect(fg).toMatch(UUID_V4);
            if (how === "setsid") expect(bg).toMatch(/^cli_/); // its own session and group: nothing of the conversation survives
            else expect(bg).toBe(fg); // the agent leads the group: the conversation's id
          }
          expect(ids[0]!.bg).not.toBe(ids[1]!.bg);
          // Keyed on the agents only, never on an adopter (the first agent's file may be swept once it has exited).
          for (const f of box.sessionFiles()) expect(box.readSession(f).argv0).toBe(argv0);
        }, 60_000 * SLOW);
      }
    }
  }
});

void DIST;
