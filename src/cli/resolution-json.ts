// `stitch resolve --json`: one stable object (documented in the README). Its schema is the
// contract: the type is inferred from it, and every object is checked against it before
// it is printed.

import * as v from "valibot";
import { recordedArgv0 } from "../store/identity.ts";
import type { Hop } from "../resolve/ancestry.ts";
import type { Resolution } from "../resolve/resolve.ts";

const nullable = <T extends v.GenericSchema>(s: T) => v.nullable(s);

export const HopJson = v.strictObject({
  depth: v.number(),
  pid: v.number(),
  ppid: v.number(),
  /** Decimal string: a u64 does not fit a JSON number exactly. */
  start_time: nullable(v.pipe(v.string(), v.regex(/^\d+$/))),
  command: v.string(),
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
  v: v.literal(1),
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

function hopJson(h: Hop): v.InferOutput<typeof HopJson> {
  return {
    depth: h.depth,
    pid: h.process.pid,
    ppid: h.process.ppid,
    start_time: h.process.startTime?.toString() ?? null,
    command: h.process.command,
    program: h.is.program.name || null,
    agent: h.is.agent?.slug ?? null,
    host: h.is.host?.slug ?? null,
    transient: h.is.transient ?? null,
    kind: h.is.kind ?? null,
    matched: h.is.agent?.via ?? h.is.host?.via ?? null,
  };
}

export function toJson(r: Resolution): ResolutionJson {
  const s = r.session.source;
  const a = r.anchor;
  const json: ResolutionJson = {
    v: 1,
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
    ancestry: r.ancestry.map(hopJson),
    process_source: r.processSource ?? "none",
    opted_out: r.optedOut ? (r.optedOut.by === "variable" ? r.optedOut.name : r.optedOut.path) : null,
    env: { ...r.childEnv },
  };
  return v.parse(ResolutionJson, json);
}
