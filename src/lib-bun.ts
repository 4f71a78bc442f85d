// `import { resolveHere } from "agent-stitch/bun"`: the whole resolution as `stitch resolve`
// does it (the process tree, the session store), for callers running on Bun.

import { realWorld } from "./real-world.ts";
import { resolutionOf, type Resolution, type ResolveOptions } from "./resolve/resolution.ts";

export { realWorld };

/** Resolves for the current process, reading its ancestors and the session store. */
export function resolveHere(options: ResolveOptions = {}): Resolution {
  return resolutionOf(realWorld(process.env), options);
}
