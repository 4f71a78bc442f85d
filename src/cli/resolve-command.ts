// `stitch resolve`: the resolution explained to a human, or as JSON.

import type { Resolution } from "../resolve/resolution.ts";
import type { SessionSource } from "../resolve/session.ts";
import { jsonText, printable } from "./printable.ts";
import { startedAs, toJson } from "./resolution-json.ts";

const LAYER_NAMES: Record<Resolution["caller"]["layer"], string> = {
  explicit: "§4.1 RAILWAY_CALLER",
  agent_env: "§4.2 agent environment marker",
  process_tree: "§4.3 agent in the process tree",
  agent_marker: "generic agent marker",
  ide_host: "§4.4 IDE or terminal host",
  cloud_ide: "§4.5 cloud IDE",
  ci: "§4.6 CI provider",
  fallback: "§4.7 fallback",
};

function sessionLine(s: SessionSource): string {
  switch (s.kind) {
    case "explicit":
      return `handed over in ${s.variable} (§5.1)`;
    case "harness":
      return `the agent's own ${s.variable} (§5.2)`;
    case "agent_record":
      return `the agent's own record (§5.3, ${s.record}): ${printable(s.file)}`;
    case "store":
      return `session file, ${s.how}: ${printable(s.file)} (§5.4)`;
    case "fallback":
      return `per-process fallback (§5.5): ${printable(s.reason)}`;
    case "none":
      return printable(s.reason);
  }
}

const clip = (s: string, n = 100) => {
  const shown = printable(s);
  return shown.length > n ? `${shown.slice(0, n - 1)}…` : shown;
};

/**
 * An ancestor as shown (design §2.4): its program, never its arguments unless asked for
 * (`--with-args`): they may hold a secret, and an agent that runs `stitch resolve` sends
 * what it prints to its model.
 */
function hopShown(h: Resolution["ancestry"][number], withArgs: boolean): string {
  if (withArgs) return clip(h.process.command);
  const { argv0, argCount } = startedAs(h);
  const count = argCount === null ? "" : `  (${argCount} argument${argCount === 1 ? "" : "s"})`;
  return `${clip(argv0 || "?", 40)}${count}`;
}

export function renderResolution(r: Resolution, withArgs = false): string {
  const lines: string[] = [];
  const row = (label: string, value: string) => lines.push(`${label.padEnd(10)}${value}`);
  row("caller", `${r.caller.caller}${r.agentCaller ? "  (agent caller)" : ""}`);
  row("  why", `${LAYER_NAMES[r.caller.layer]}: ${printable(r.caller.why)}`);
  row("session", r.session.id ?? "(none)");
  row("  from", sessionLine(r.session.source));
  if (r.optedOut) {
    row("  opt-out", r.optedOut.by === "variable" ? `${r.optedOut.name} is set` : `telemetryDisabled in ${printable(r.optedOut.path)}`);
  }
  if (r.anchor) {
    const p = r.anchor.hop.process;
    const reason = r.anchor.reason;
    const why =
      reason.kind === "pid_variable"
        ? `named by ${reason.variable}`
        : reason.kind === "agent"
          ? `agent ${reason.slug}`
          : reason.kind === "non_transient"
            ? "nearest ancestor that is not a transient wrapper"
            : "immediate parent";
    const adopted = r.anchor.adoptedBy === undefined ? "" : ` (the call was adopted by pid ${r.anchor.adoptedBy}; this agent survives)`;
    row("anchor", `pid ${p.pid} (${clip(r.anchor.hop.is.program.argv0, 40)}), started ${p.startTime ?? "?"}: ${why}${adopted}`);
  } else {
    row("anchor", "(none)");
  }
  const SOURCES = { proc: "/proc", ps: "ps", toolhelp: "a Toolhelp32 snapshot" } as const;
  row("processes", r.processSource === undefined || r.processSource === "none" ? "not readable" : `read from ${SOURCES[r.processSource]}`);
  lines.push(`ancestry  ${r.ancestry.length} hop(s) from stitch's parent:`);
  for (const h of r.ancestry) {
    const program = h.is.program;
    const notes = [
      program.name && program.from !== "argv0" && `program ${printable(program.name)} (${program.from})`,
      h.is.agent && `agent ${h.is.agent.slug} (${printable(h.is.agent.via)})`,
      h.is.host && `host ${h.is.host.slug} (${printable(h.is.host.via)})`,
      h.is.transient && `transient: ${h.is.transient}`,
      h.is.kind && `kind ${h.is.kind}`,
      r.anchor?.hop === h && "← anchor",
    ].filter(Boolean);
    lines.push(`  ${String(h.depth).padStart(2)}  pid ${String(h.process.pid).padEnd(7)} ${hopShown(h, withArgs)}`);
    if (notes.length > 0) lines.push(`               ${notes.join("; ")}`);
  }
  const env = Object.entries(r.childEnv);
  lines.push(env.length === 0 ? "child env untouched" : "child env gains:");
  for (const [k, v] of env) lines.push(`  ${k}=${printable(v)}`);
  return `${lines.join("\n")}\n`;
}

export function resolveOutput(r: Resolution, json: boolean, withArgs: boolean): string {
  return json ? jsonText(toJson(r, withArgs), 2) : renderResolution(r, withArgs);
}
