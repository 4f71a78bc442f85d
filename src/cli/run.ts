// `stitch COMMAND`: resolve, then become the command. Fail-open (design §9): whatever goes
// wrong in the resolution, the command still runs, with its environment untouched.

import type { Command } from "../exec.ts";
import { resolutionOf } from "../resolve/resolution.ts";
import { withFirst, withVariables } from "../sys/cstrings.ts";
import { rawArguments, rawEnvironment } from "../sys/raw.ts";
import type { World } from "../world.ts";

/**
 * `args` is the command and its arguments; through a shim (design §12), `name` is the command
 * (the shim's name) and `args` are its arguments.
 */
export function commandToRun(world: () => World, env: Readonly<Record<string, string | undefined>>, args: readonly string[], name?: string): Command {
  let vars: Readonly<Record<string, string>> = {};
  try {
    vars = resolutionOf(world()).childEnv;
  } catch {
    // Fail open: no variables rather than no command.
  }
  const argv = rawArguments(args);
  return { argv: name === undefined ? argv : withFirst(name, argv), env: withVariables(rawEnvironment(env), vars) };
}
