// The library entry (`import { resolve } from "agent-stitch"`): the pure resolver and its
// types, for Bun and Node callers. It reads nothing by itself: the caller hands it a World.
// `environmentWorld` builds one from an environment alone (the layers that need no process
// table and no session file: RAILWAY_CALLER, agent markers, harness ids, hosts, CI), which
// works on any runtime and platform. On Bun, `agent-stitch/bun` gives the full real world.

import type { Env } from "./env.ts";
import type { World } from "./world.ts";

// `resolve` is the library's public name for resolutionOf.
export { resolutionOf as resolve, type Resolution, type ResolveOptions } from "./resolve/resolution.ts";
export { isAgentCaller, type CallerDecision, type CallerLayer } from "./resolve/caller.ts";
export type { SessionDecision, SessionSource } from "./resolve/session.ts";
export type { Anchor, AnchorReason } from "./resolve/anchor.ts";
export type { Hop } from "./resolve/ancestry.ts";
export type { ProcessInfo, ProcessSource } from "./proc/source.ts";
export type { SessionStore, StoreOpening } from "./store/store.ts";
export type { Env, World };

export interface EnvironmentWorldOptions {
  /** Whether the caller's stdout is a terminal (default false: not a human). */
  readonly stdoutIsTty?: boolean;
  /** Whether the caller's stdin, or stderr, is a terminal (default false): a human piping or capturing output keeps one. */
  readonly stdinIsTty?: boolean;
  readonly stderrIsTty?: boolean;
  /** Clock, ms since the epoch (default Date.now). */
  readonly now?: () => number;
}

/** A World of an environment alone: no process table, no session store, no files. */
export function environmentWorld(env: Env, options: EnvironmentWorldOptions = {}): World {
  return {
    env,
    platform: typeof process !== "undefined" ? process.platform : "unknown",
    pid: 0,
    ppid: 0,
    argv: [],
    isTerminal: (fd) => [options.stdinIsTty, options.stdoutIsTty, options.stderrIsTty][fd] ?? false,
    processGroup: () => undefined,
    sessionOf: () => undefined,
    processes: undefined,
    now: options.now ?? (() => Date.now()),
    pause: () => {},
    randomUUID: () => crypto.randomUUID(),
    randomBytes: (n) => crypto.getRandomValues(new Uint8Array(n)),
    home: () => undefined,
    readText: () => undefined,
    cwd: () => undefined,
    openStore: () => ({ ok: false, reason: "no session store in an environment-only world" }),
    readRecord: () => undefined,
  };
}
