// What one conversation case recorded (cases.ts writes it, cases.test.ts checks it) and the
// verdict on stitch's promise: every call of one conversation gets the same session id,
// across a resumed process too, and the two conversations get different ones.

import type { CaseName } from "./recipes.ts";

export const VARIANTS = ["own", "stripped"] as const;
export type Variant = (typeof VARIANTS)[number];

/** One stitch call made through the agent's shell tool. */
export interface CallRecord {
  /** `A1`, `B2`, ...: conversation and call number. */
  readonly label: string;
  readonly conversation: string;
  /** Which agent process ran it (an index into CaseRecord.processes). */
  readonly process: number;
  /** Whether its `resolve --json` output was there and parsed. */
  readonly ran: boolean;
  readonly session_id: string | null;
  /** resolve --json's session.source: harness, task_record, store, fallback, ... */
  readonly source: string | null;
  readonly variable: string | null;
  readonly caller: string | null;
  readonly anchor: { pid: number; argv0: string; reason: string; detail: string | null } | null;
  /** The agent's own session variable in the call's environment, when it has one. */
  readonly agentVariable: string | null;
  /** When the call ran (ms since epoch; the output file's mtime), to show the order. */
  readonly at: number | null;
}

export interface ProcessRecord {
  /** What it was for: `A fresh`, `B fresh`, `A resume`, `A continue`, `A+B multi`, ... */
  readonly role: string;
  readonly argv: string[];
  readonly pid: number;
  readonly exitCode: number | null;
  readonly timedOut: boolean;
  readonly durationMs: number;
  readonly stderrTail: string;
  readonly stdoutTail: string;
}

export interface CaseRecord {
  readonly agent: string;
  readonly version: string;
  readonly case: CaseName;
  readonly variant: Variant;
  /** Why the case could not be driven (the agent offers no such mode), instead of a run. */
  readonly notDriven?: string;
  /** A driver failure: a protocol error, a step that timed out. */
  readonly error?: string;
  readonly processes: ProcessRecord[];
  readonly calls: CallRecord[];
  /** The agent's own ids of each conversation, from its records (and its protocol, in multi). */
  readonly ownIds: Record<string, string[]>;
  readonly requests: number;
  readonly durationMs: number;
  /** The last messages of a long-lived mode's protocol, when it failed. */
  readonly transcriptTail?: unknown[];
}

export type Verdict = "right" | "wrong" | "incomplete" | "not-driven";

const CLI_ID = /^cli_[A-Za-z0-9_-]{22}$/;

/** stitch's ids of each conversation, in call order ("" for a call with no id). */
export function idsByConversation(r: CaseRecord): Map<string, string[]> {
  const by = new Map<string, string[]>();
  for (const c of r.calls) by.set(c.conversation, [...(by.get(c.conversation) ?? []), c.ran ? (c.session_id ?? "") : ""]);
  return by;
}

/** An id's last 8 characters: the first ones of a UUID v7 or of a Cline task id are its time, shared by ids made together. */
export const shortId = (id: string) => (id.length > 8 ? `…${id.slice(-8)}` : id);

/** `A1 A2: …8caf4136 (store); A3 A4: …1e0b9d40 (store)`: which calls got which id, and from where. */
export function callsText(r: CaseRecord, conversation: string): string {
  const groups: { labels: string[]; id: string; source: string }[] = [];
  for (const c of r.calls.filter((c) => c.conversation === conversation)) {
    const id = c.session_id ?? "none";
    const source = c.source ?? "?";
    const last = groups[groups.length - 1];
    if (last && last.id === id && last.source === source) last.labels.push(c.label);
    else groups.push({ labels: [c.label], id, source });
  }
  return groups.map((g) => `${g.labels.join(" ")}: ${shortId(g.id)} (${g.source})`).join("; ");
}

/** The verdict on the promise, and why (details in brackets). */
export function verdictOf(r: CaseRecord): { verdict: Verdict; why: string } {
  if (r.notDriven) return { verdict: "not-driven", why: r.notDriven };
  const missing = r.calls.filter((c) => !c.ran).map((c) => c.label);
  if (r.error || missing.length > 0 || r.calls.length === 0) {
    return { verdict: "incomplete", why: [r.error, missing.length ? `calls that did not run: ${missing.join(", ")}` : ""].filter(Boolean).join("; ") };
  }
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const [conversation, ids] of idsByConversation(r)) {
    const distinct = new Set(ids);
    if (distinct.size > 1) problems.push(`${conversation} got ${distinct.size} ids [${callsText(r, conversation)}]`);
    if (ids.some((id) => id === "" || CLI_ID.test(id))) problems.push(`${conversation} got no stitched id`);
    for (const id of distinct) {
      const other = seen.get(id);
      if (other !== undefined && other !== conversation && id !== "") problems.push(`${other} and ${conversation} share an id [${shortId(id)} from ${r.calls.find((c) => c.session_id === id)?.source ?? "?"}]`);
      seen.set(id, conversation);
    }
  }
  return problems.length ? { verdict: "wrong", why: problems.join("; ") } : { verdict: "right", why: "" };
}
