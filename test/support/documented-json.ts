// The --json outputs as design §2.4 and §2.6 write them, spelled out here independently of
// src/cli/resolution-json.ts (the schema the code checks itself against): a test that checks
// the output with the code's own schema cannot catch the schema drifting from the contract.

/** One documented field: its JSON types, or the only values it may take. */
type Spec =
  | { readonly type: readonly ("string" | "number" | "boolean" | "null" | "object" | "array")[] }
  | { readonly oneOf: readonly (string | number | boolean | null)[] };

const t = (...type: ("string" | "number" | "boolean" | "null" | "object" | "array")[]): Spec => ({ type });
const oneOf = (...values: (string | number | boolean | null)[]): Spec => ({ oneOf: values });

/** design §2.4's table, row by row. */
export const RESOLVE_FIELDS: Record<string, Spec> = {
  v: oneOf(2),
  caller: t("string"),
  agent_caller: t("boolean"),
  caller_layer: oneOf("explicit", "agent_env", "process_tree", "agent_marker", "ide_host", "cloud_ide", "ci", "fallback"),
  caller_evidence: t("string"),
  session_id: t("string", "null"),
  session: t("object"),
  anchor: t("object", "null"),
  ancestry: t("array"),
  process_source: oneOf("proc", "ps", "toolhelp", "none"),
  opted_out: t("string", "null"),
  env: t("object"),
};
export const SESSION_FIELDS: Record<string, Spec> = {
  source: oneOf("explicit", "harness", "agent_record", "store", "fallback", "none"),
  variable: t("string", "null"),
  record: oneOf("pid_file", "pid_lock", "tool_call_db", "transcript", "task_file", "open_file", null),
  how: oneOf("reused", "created", "joined", null),
  file: t("string", "null"),
  reason: t("string", "null"),
};
export const ANCHOR_FIELDS: Record<string, Spec> = {
  pid: t("number"),
  start_time: t("string", "null"),
  argv0: t("string"),
  reason: oneOf("pid_variable", "agent", "non_transient", "parent"),
  detail: t("string", "null"),
  adopted_by: t("number", "null"),
};
/** Each hop; `command` only with --with-args. */
export const HOP_FIELDS: Record<string, Spec> = {
  depth: t("number"),
  pid: t("number"),
  ppid: t("number"),
  start_time: t("string", "null"),
  argv0: t("string"),
  arg_count: t("number", "null"),
  program: t("string", "null"),
  agent: t("string", "null"),
  host: t("string", "null"),
  transient: t("string", "null"),
  kind: t("string", "null"),
  matched: t("string", "null"),
};

/** design §2.6: `sessions list --json`'s entries, `prune --json`'s removed entries. */
export const SESSION_LIST_ENTRY: Record<string, Spec> = {
  file: t("string"),
  status: oneOf("live", "invalid", "anchor_gone", "start_time_mismatch", "boot_mismatch", "too_old", "elsewhere", "directory", "unknown"),
  agent_session_id: t("string", "null"),
  parent_pid: t("number", "null"),
  parent_btime: t("string", "null"),
  created_at: t("string", "null"),
  argv0: t("string", "null"),
  caller: t("string", "null"),
};
export const PRUNED_ENTRY: Record<string, Spec> = {
  file: t("string"),
  reason: oneOf("invalid", "anchor_gone", "start_time_mismatch", "boot_mismatch", "too_old", "over_cap"),
};

const typeOf = (x: unknown) => (x === null ? "null" : Array.isArray(x) ? "array" : typeof x);

/** What in `value` departs from `fields` (missing, extra, or of the wrong type or value), as readable lines; [] when none. */
export function departures(value: unknown, fields: Record<string, Spec>, at = ""): string[] {
  if (typeOf(value) !== "object") return [`${at || "the output"}: an object expected, got ${JSON.stringify(value)}`];
  const obj = value as Record<string, unknown>;
  const out: string[] = [];
  for (const [key, spec] of Object.entries(fields)) {
    const path = `${at}${at ? "." : ""}${key}`;
    if (!(key in obj)) {
      out.push(`${path}: missing`);
      continue;
    }
    const v = obj[key];
    if ("type" in spec ? !spec.type.includes(typeOf(v) as never) : !spec.oneOf.includes(v as never)) {
      out.push(`${path}: ${"type" in spec ? spec.type.join(" or ") : spec.oneOf.map((x) => JSON.stringify(x)).join(", ")} expected, got ${JSON.stringify(v)}`);
    }
  }
  for (const key of Object.keys(obj)) if (!(key in fields)) out.push(`${at}${at ? "." : ""}${key}: not documented`);
  return out;
}

/** `stitch resolve --json`'s departures from design §2.4 ([] when none); `withArgs`: each hop must have `command`, else none may. */
export function resolveDepartures(json: unknown, withArgs: boolean): string[] {
  const out = departures(json, RESOLVE_FIELDS);
  if (out.length > 0) return out;
  const j = json as { session: unknown; anchor: unknown; ancestry: unknown[]; env: Record<string, unknown> };
  out.push(...departures(j.session, SESSION_FIELDS, "session"));
  if (j.anchor !== null) out.push(...departures(j.anchor, ANCHOR_FIELDS, "anchor"));
  j.ancestry.forEach((hop, i) => {
    const at = `ancestry[${i}]`;
    out.push(...departures(hop, { ...HOP_FIELDS, ...(withArgs ? { command: t("string") } : {}) }, at));
  });
  for (const [k, v] of Object.entries(j.env)) if (typeof v !== "string") out.push(`env.${k}: string expected, got ${JSON.stringify(v)}`);
  return out;
}
