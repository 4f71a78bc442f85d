// stitch's entry point: argv → subcommand. The one place that prints and exits.

import { parseArgs } from "./cli/args.ts";
import { commandToRun } from "./cli/run.ts";
import { execCommand, execMode, foundBesidesStitch, spawnCommand, type Command } from "./exec.ts";
import { isStitchName } from "./self.ts";
import { basename } from "./text.ts";
import { inheritedDescriptors } from "./sys/descriptors.ts";
import { firstWins } from "./sys/raw.ts";
import { realWorld } from "./real-world.ts";
import { commit, fromSource, version } from "./build-info.ts";

/** Loaded to print: the wrap path prints nothing when the command runs (start-up.test.ts). */
const output = () => require("./cli/output.ts") as typeof import("./cli/output.ts");

/**
 * The one error line (design §2.3), made printable whatever went into it (a command name
 * holding a newline or an escape sequence). When stderr itself cannot be written there is
 * no one left to tell: the status says it.
 */
function fail(status: number, message: string): never {
  const { writeOutput } = output();
  const { printable } = require("./cli/printable.ts") as typeof import("./cli/printable.ts");
  writeOutput(2, `stitch: ${printable(message)}\n`);
  process.exit(status);
}

/** What a subcommand prints: all of it, or stitch ends here (design §2.3). */
function print(text: string): void {
  const { dieOfSigpipe, writeFailure, writeOutput } = output();
  const failed = writeOutput(1, text);
  if (failed === undefined) return;
  if (failed === "EPIPE") dieOfSigpipe();
  fail(1, writeFailure(failed));
}

/**
 * Resolves, then runs the command, by exec in place or (where there is none) as a child.
 * The descriptors the caller passed are listed first, before stitch opens anything of its
 * own (a `ps` pipe, a session file): only those get their close-on-exec flag cleared.
 */
async function run(toRun: () => Command, env: Readonly<Record<string, string | undefined>>): Promise<void> {
  const inherited = inheritedDescriptors();
  const command = toRun();
  const mode = execMode(env.STITCH_EXEC);
  if (mode === "spawn") {
    const outcome = await spawnCommand(command);
    if ("message" in outcome) return fail(outcome.status, outcome.message);
    if ("signal" in outcome) {
      // Die of the same signal, so the caller sees what it would have seen; should it
      // be ignored here, the shell convention 128 + signal number.
      process.removeAllListeners(outcome.signal);
      process.kill(process.pid, outcome.signal);
      const { constants } = process.getBuiltinModule("node:os") as typeof import("node:os");
      process.exit(128 + (constants.signals[outcome.signal] ?? 0));
    }
    if (process.platform === "win32") (await import("./sys/kernel32.ts")).exitProcess(outcome.exitCode);
    process.exit(outcome.exitCode);
  }
  const failure = execCommand(command, mode, inherited);
  return fail(failure.status, failure.message);
}

async function main(args: readonly string[]): Promise<void> {
  // A name set twice counts as the command will read it: the first (design Appendix A).
  const env = firstWins(process.env);
  // Called through a shim (design §12): `railway ARGS` is `stitch railway ARGS`, every
  // argument the command's own. Called by a bare name, it was found on PATH under that name.
  // Run from source, argv0 is the runtime's: every argument is stitch's own.
  const argv0 = process.argv0 ?? "";
  const invokedAs = basename(argv0);
  if (!fromSource && invokedAs !== "" && !isStitchName(invokedAs)) {
    const viaPath = invokedAs === argv0;
    return run(() => ({ ...commandToRun(() => realWorld(env), env, args, invokedAs), viaPath }), env);
  }
  return stitch(args, env);
}

async function stitch(args: readonly string[], env: Readonly<Record<string, string | undefined>>): Promise<void> {
  const invocation = parseArgs(args);
  switch (invocation.kind) {
    case "usage":
      return fail(2, `${invocation.message} (see 'stitch help')`);
    case "help": {
      const { helpText } = await import("./cli/help.ts");
      print(helpText(invocation.topic));
      return;
    }
    case "version":
      print(`stitch ${version} (${commit})\n`);
      return;
    case "run": {
      // `stitch stitch ARGS` (design §2.2): the prefix twice, unless PATH has another stitch.
      const word = args[invocation.start]!;
      if (isStitchName(word) && basename(word) === word && !foundBesidesStitch(word, env)) return stitch(args.slice(invocation.start + 1), env);
      return run(() => commandToRun(() => realWorld(env), env, args.slice(invocation.start)), env);
    }
    case "shim": {
      const { shimCommand } = await import("./cli/shim.ts");
      const result = shimCommand(env, invocation, realWorld(env).home);
      if (result.error) return fail(result.status, result.error);
      print(result.stdout);
      return;
    }
    case "resolve": {
      const [{ resolutionOf }, { resolveOutput }] = await Promise.all([import("./resolve/resolution.ts"), import("./cli/resolve-command.ts")]);
      print(resolveOutput(resolutionOf(realWorld(env), { explain: true }), invocation.json, invocation.withArgs));
      return;
    }
    case "export": {
      const [{ resolutionOf }, { renderExport }] = await Promise.all([import("./resolve/resolution.ts"), import("./cli/export.ts")]);
      print(renderExport(resolutionOf(realWorld(env)).childEnv, invocation.shell));
      return;
    }
    case "sessions": {
      const { sessionsCommand } = await import("./cli/sessions.ts");
      const result = sessionsCommand(realWorld(env), invocation.action, invocation.json);
      if (result.error) return fail(result.status, result.error);
      print(result.stdout);
      return;
    }
  }
}

void main(process.argv.slice(2));
