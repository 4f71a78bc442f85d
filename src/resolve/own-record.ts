// design §5.3: the agent's own record of the conversation running this call. The anchor's
// catalog row lists the records its agent keeps (catalog/records.ts); the World reads them
// (records/); this decides whom to ask about and what a match must be.

import type { ConversationRecord, RecordKind } from "../catalog/records.ts";
import type { AgentProcess, RecordCall } from "../records/io.ts";
import type { World } from "../world.ts";
import type { Ancestry } from "./ancestry.ts";
import type { Anchor } from "./anchor.ts";
import { thisCommand } from "./this-command.ts";

export interface OwnRecordAnswer {
  readonly id: string;
  readonly record: RecordKind;
  readonly file: string;
}

export function ownRecord(
  world: World,
  ancestry: Ancestry,
  anchor: Anchor,
  slug: string,
  records: readonly ConversationRecord[],
): OwnRecordAnswer | undefined {
  const processes = world.processes;
  if (!processes) return undefined;
  // The anchor was found by walking up to it: every hop below it is read already. An
  // adopted call's anchor is no ancestor (depth 0): the shells that started it are gone.
  const below = anchor.hop.depth === 0 ? [] : ancestry.walked().slice(0, anchor.hop.depth - 1);
  // The agent's own processes between stitch and the anchor (a launcher and the process it
  // started, both the agent's), nearest first, the anchor last: a record may name any.
  // A loop, not filter and map: JavaScript-implemented built-ins cost their compilation on
  // first use, and this runs on an agent's every call (docs/performance.md).
  const agentProcesses: AgentProcess[] = [];
  for (const h of below) {
    if (h.is.agent?.slug === slug) agentProcesses.push({ pid: h.process.pid, startTime: h.process.startTime, startedAt: processes.startedAt?.(h.process.pid) });
  }
  const anchorStartedAt = processes.startedAt?.(anchor.hop.process.pid);
  agentProcesses.push({ pid: anchor.hop.process.pid, startTime: anchor.hop.process.startTime, startedAt: anchorStartedAt });
  const call: RecordCall = {
    env: world.env,
    processes: agentProcesses,
    clock: processes.kind,
    bootId: processes.bootId(),
    anchorStartedAt,
    isThisCommand: thisCommand(below, world.argv),
    cwd: world.cwd(),
  };
  for (const record of records) {
    let answer = world.readRecord(record, call);
    // An agent that writes the call asynchronously may not have written it yet: look again,
    // unless there is nothing of it to read at all (no store, no transcript since it started).
    const settle = record.settleMs ?? 0;
    for (let waited = 0, step = 10; answer === undefined && waited < settle; waited += step, step *= 2) {
      world.pause(Math.min(step, settle - waited));
      answer = world.readRecord(record, call);
    }
    if (answer !== undefined && answer !== "absent") return { id: answer.id, record: record.kind, file: answer.file };
  }
  return undefined;
}
