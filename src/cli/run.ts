// `stitch COMMAND`: resolve, then become the command. Fail-open (SPEC §9): whatever goes
// wrong in the resolution, the command still runs, with its environment untouched.

import type { Command } from "../exec.ts";
import { resolve } from "../resolve/resolve.ts";
import { withVariables } from "../sys/cstrings.ts";
import { rawArguments, rawEnvironment } from "../sys/raw.ts";
import type { World } from "../world.ts";

export function commandToRun(world: () => World, env: Readonly<Record<string, string | undefined>>, args: readonly string[]): Command {
  let vars: Readonly<Record<string, string>> = {};
  try {
    vars = resolve(world()).childEnv;
  } catch {
    // Fail open: no variables rather than no command.
  }
  return { argv: rawArguments(args), env: withVariables(rawEnvironment(env), vars) };
}
