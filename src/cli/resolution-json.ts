// `stitch resolve --json`: one stable object (documented in the README). Its schema is the
// contract: the type is inferred from it, and every object is checked against it before
// it is printed.

import * as v from "valibot";
import { recordedArgv0 } from "../store/identity.ts";
import { basename } from "../text.ts";
import type { Hop } from "../resolve/ancestry.ts";
import type { Resolution } from "../resolve/resolution.ts";

const nullable = <T extends v.GenericSchema>(s: T) => v.nullable(s);

export const HopJson = v.strictObject({
  depth: v.number(),
  pid: v.number(),
  ppid: v.number(),
  /** Decimal string: a u64 does not fit a JSON number exactly. */
  start_time: nullable(v.pipe(v.string(), v.regex(/^\d+$/))),
  /** argv[0]'s basename, case kept: the program as it was started, without its arguments. */
  argv0: v.string(),
  /** How many arguments follow argv[0]; null where the process table cannot tell (ps, Toolhelp). */
  arg_count: nullable(v.number()),
  /**
   * The whole command line, only with `--with-args`: an ancestor's arguments may hold a
   * secret, and an agent running `stitch resolve` sends its output to a model (design §2.4).
   */
  command: v.optional(v.string()),
  /** What the process runs (design §4.3): argv0's basename, or an interpreter's script or module. */
  program: nullable(v.string()),
  agent: nullable(v.string()),
  host: nullable(v.string()),
  transient: nullable(v.string()),
  kind: nullable(v.string()),
  /** What about the program matched the agent or host, if anything did. */
  matched: nullable(v.string()),
});

export const ResolutionJson = v.strictObject({
  v: v.literal(2),
  caller: v.string(),
  agent_caller: v.boolean(),
  caller_layer: v.picklist([
    "explicit",
    "agent_env",
    "process_tree",
    "agent_marker",
    "ide_host",
    "cloud_ide",
    "ci",
    "fallback",
  ]),
  caller_evidence: v.string(),
  session_id: nullable(v.string()),
  session: v.strictObject({
    source: v.picklist(["explicit", "harness", "agent_record", "store", "fallback", "none"]),
    variable: nullable(v.string()),
    record: nullable(v.picklist(["pid_file", "pid_lock", "tool_call_db", "transcript", "task_file", "open_file"])),
    how: nullable(v.picklist(["reused", "created", "joined"])),
    file: nullable(v.string()),
    reason: nullable(v.string()),
  }),
  anchor: nullable(
    v.strictObject({
      pid: v.number(),
      start_time: nullable(v.string()),
      argv0: v.string(),
      reason: v.picklist(["pid_variable", "agent", "non_transient", "parent"]),
      detail: nullable(v.string()),
      adopted_by: nullable(v.number()),
    }),
  ),
  ancestry: v.array(HopJson),
  process_source: v.picklist(["proc", "ps", "toolhelp", "none"]),
  opted_out: nullable(v.string()),
  env: v.record(v.string(), v.string()),
});

export type ResolutionJson = v.InferOutput<typeof ResolutionJson>;

/** argv[0]'s basename as the process table gives it, and how many arguments follow, if known. */
export function startedAs(h: Hop): { argv0: string; argCount: number | null } {
  const p = h.process;
  return { argv0: basename(p.argv[0] ?? ""), argCount: p.argvExact && !p.argsUnknown ? Math.max(p.argv.length - 1, 0) : null };
}

function hopJson(h: Hop, withArgs: boolean): v.InferOutput<typeof HopJson> {
  const { argv0, argCount } = startedAs(h);
  return {
    depth: h.depth,
    pid: h.process.pid,
    ppid: h.process.ppid,
    start_time: h.process.startTime?.toString() ?? null,
    argv0,
    arg_count: argCount,
    ...(withArgs ? { command: h.process.command } : {}),
    program: h.is.program.name || null,
    agent: h.is.agent?.slug ?? null,
    host: h.is.host?.slug ?? null,
    transient: h.is.transient ?? null,
    kind: h.is.kind ?? null,
    matched: h.is.agent?.via ?? h.is.host?.via ?? null,
  };
}

export function toJson(r: Resolution, withArgs = false): ResolutionJson {
  const s = r.session.source;
  const a = r.anchor;
  const json: ResolutionJson = {
    v: 2,
    caller: r.caller.caller,
    agent_caller: r.agentCaller,
    caller_layer: r.caller.layer,
    caller_evidence: r.caller.why,
    session_id: r.session.id ?? null,
    session: {
      source: s.kind,
      variable: "variable" in s ? s.variable : null,
      record: s.kind === "agent_record" ? s.record : null,
      how: s.kind === "store" ? s.how : null,
      file: s.kind === "store" || s.kind === "agent_record" ? s.file : null,
      reason: "reason" in s ? s.reason : null,
    },
    anchor: a
      ? {
          pid: a.hop.process.pid,
          start_time: a.hop.process.startTime?.toString() ?? null,
          argv0: recordedArgv0(a.hop.process),
          reason: a.reason.kind,
          detail: a.reason.kind === "pid_variable" ? a.reason.variable : a.reason.kind === "agent" ? a.reason.slug : null,
          adopted_by: a.adoptedBy ?? null,
        }
      : null,
    ancestry: r.ancestry.map((h) => hopJson(h, withArgs)),
    process_source: r.processSource ?? "none",
    opted_out: r.optedOut ? (r.optedOut.by === "variable" ? r.optedOut.name : r.optedOut.path) : null,
    env: { ...r.childEnv },
  };
  return v.parse(ResolutionJson, json);
}
