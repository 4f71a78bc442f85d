// What build.ts compiles into the binary (its `define`s), and what a run from source
// (`bun src/main.ts`, a debugger) has instead.

import { version as packageVersion } from "../package.json";

declare const STITCH_VERSION: string | undefined;
declare const STITCH_COMMIT: string | undefined;

/**
 * Run from source: the process is the runtime (`bun`) running main.ts, not a stitch binary.
 * Told by build.ts's definitions being absent, not by any name: every binary build.ts writes
 * has them, so a compiled stitch linked as `bun` is still a shim of `bun` (design §12).
 */
export const fromSource = typeof STITCH_VERSION !== "string";
export const version = typeof STITCH_VERSION === "string" ? STITCH_VERSION : packageVersion;
export const commit = typeof STITCH_COMMIT === "string" ? STITCH_COMMIT : "source";
