// `stitch COMMAND`: resolve, then become the command. Fail-open (SPEC §9): whatever goes
// wrong in the resolution, the command still runs, with its environment untouched.

import type { Command } from "../exec.ts";
import { resolve } from "../resolve/resolve.ts";
import { rawArguments, rawEnvironment } from "../sys/raw.ts";
import type { World } from "../world.ts";

const encoder = new TextEncoder();

/** The environment with `vars` set: earlier entries of those names dropped, new ones appended. */
export function withVariables(env: readonly Uint8Array[], vars: Readonly<Record<string, string>>): Uint8Array[] {
  const names = Object.keys(vars);
  if (names.length === 0) return [...env];
  const prefixes = names.map((n) => encoder.encode(`${n}=`));
  const kept = env.filter((entry) => !prefixes.some((p) => entry.length >= p.length && p.every((b, i) => entry[i] === b)));
  return [...kept, ...names.map((n) => encoder.encode(`${n}=${vars[n]}`))];
}

export function commandToRun(world: () => World, env: Readonly<Record<string, string | undefined>>, args: readonly string[]): Command {
  let vars: Readonly<Record<string, string>> = {};
  try {
    vars = resolve(world()).childEnv;
  } catch {
    // Fail open: no variables rather than no command.
  }
  return { argv: rawArguments(args), env: withVariables(rawEnvironment(env), vars) };
}
