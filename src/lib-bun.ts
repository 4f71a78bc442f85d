// `import { resolveHere } from "agent-stitch/bun"`: the whole resolution as `stitch resolve`
// does it (the process tree, the session store), for callers running on Bun.

import { realWorld } from "./real-world.ts";
import { resolve, type Resolution, type ResolveOptions } from "./resolve/resolve.ts";

export { realWorld };

/** Resolves for the current process, reading its ancestors and the session store. */
export function resolveHere(options: ResolveOptions = {}): Resolution {
  return resolve(realWorld(process.env), options);
}
