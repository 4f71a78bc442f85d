// `stitch sessions [list|prune|clear] [--json]`: the persisted session files. These are
// explicit requests about the user's own files, so they run even when telemetry is
// opted out (`clear` is how opted-out users delete what an older setup left).

import type { SessionsAction } from "./args.ts";
import { jsonText, printable } from "./printable.ts";
import { NO_LOCATION, sessionsLocation } from "../store/location.ts";
import { assess, nativeClock, sweep, type LifecycleContext } from "../store/lifecycle.ts";
import { UNKNOWN_PLACE } from "../store/place.ts";
import { parseSessionFile } from "../store/schema.ts";
import type { World } from "../world.ts";

export interface CommandResult {
  readonly status: number;
  readonly stdout: string;
  readonly error?: string;
}

function lifecycle(world: World): LifecycleContext | undefined {
  const processes = world.processes;
  // A process table that cannot show stitch's own parent would make every session look
  // dead; judging liveness from it would delete live sessions.
  if (!processes || !processes.get(world.ppid)) return undefined;
  return {
    processes,
    bootId: processes.bootId(),
    now: world.now(),
    nativeClock: nativeClock(world.platform),
    place: world.place ?? UNKNOWN_PLACE,
  };
}

/** A file from another pid namespace or host is alive or dead for all stitch can tell. */
const statusOf = ({ where, stale }: ReturnType<typeof assess>) => stale ?? (where === "elsewhere" ? "elsewhere" : "live");

export function sessionsCommand(world: World, action: SessionsAction, json: boolean): CommandResult {
  const location = sessionsLocation(world.env, () => world.home(), world.platform);
  if (!location) return { status: 1, stdout: "", error: NO_LOCATION };
  const dir = location.dir;
  const shownDir = printable(dir);
  const opening = world.openStore(location);
  if (!opening.ok) return { status: 1, stdout: "", error: opening.reason };
  const store = opening.store;
  const ctx = lifecycle(world);
  const out = (value: unknown, text: string) => ({ status: 0, stdout: json ? jsonText(value, 2) : text });

  if (action === "list") {
    const rows = store.list().map((file) => {
      const record = file.text === undefined ? undefined : parseSessionFile(file.text);
      const status = file.isDirectory ? "directory" : !ctx ? "unknown" : !record ? "invalid" : statusOf(assess(record, ctx));
      return {
        file: file.name,
        status,
        agent_session_id: record?.agent_session_id ?? null,
        parent_pid: record?.parent_pid ?? null,
        parent_btime: record?.parent_btime.toString() ?? null,
        created_at: record?.created_at ?? null,
        argv0: record?.argv0 ?? null,
        caller: record?.caller ?? null,
      };
    });
    const text =
      rows.length === 0
        ? `no session files in ${shownDir}\n`
        : `${rows.length} session file(s) in ${shownDir}\n` +
          rows
            .map((r) => printable(`  ${r.file}  ${r.status.padEnd(19)} ${r.agent_session_id ?? "-"}  pid ${r.parent_pid ?? "-"}  ${r.caller ?? ""} ${r.argv0 ?? ""}`.trimEnd()))
            .join("\n") +
          "\n";
    return out({ dir, sessions: rows }, text);
  }

  if (action === "prune") {
    if (!ctx) return { status: 1, stdout: "", error: "cannot read the process table, so cannot tell live sessions from stale ones" };
    const { kept, removed } = sweep(store, ctx);
    return out(
      { dir, removed: removed.map((r) => ({ file: r.name, reason: r.reason })), kept: kept.length },
      `removed ${removed.length} stale session file(s) from ${shownDir}; ${kept.length} live\n`,
    );
  }

  const removed = store.list().filter((file) => store.remove(file)).map((file) => file.name);
  return out({ dir, removed }, `removed ${removed.length} session file(s) from ${shownDir}\n`);
}
