// Drivers of the agents' long-lived multi-conversation modes: one agent process, several
// conversations, a turn at a time. Each driver opens a conversation on its first turn and
// reports the agent's own id for it as its protocol names it.

import type { Subprocess } from "bun";
import type { MultiKind } from "./recipes.ts";
import { JsonRpc, LineChannel } from "./protocols.ts";

type Json = Record<string, any>;
type Child = Subprocess<"pipe", "pipe", "pipe">;

export interface MultiHost {
  /**
   * Whether it can go back to a conversation after starting another (A, B, A, B); when
   * not, the case runs A, A, B, B.
   */
  readonly interleaves: boolean;
  /** One turn of conversation `tag`: its prompt sent, resolved when the agent has finished it. */
  turn(tag: string, prompt: string, deadline: number): Promise<void>;
  /** The agent's own id of each conversation, as its protocol named it. */
  readonly protocolIds: Record<string, string>;
  /** Takes up a conversation an earlier process had, by the agent's own id (ACP `session/load`). */
  load?(tag: string, id: string, deadline: number): Promise<void>;
  /** What the agent said (for the record when a case fails). */
  readonly transcript: () => Json[];
}

/**
 * Claude Code, `-p --input-format stream-json --output-format stream-json`: user messages
 * on stdin, a `result` at the end of each turn; `/clear` starts a new conversation. It
 * cannot go back: 2.1.331 answers `/resume <id>` in this mode with "/resume isn't available
 * in this environment." and ignores a `session_id` on a user message (both tried), so its
 * conversations run one after the other.
 */
function streamJson(child: Child): MultiHost {
  const ch = new LineChannel(child);
  const protocolIds: Record<string, string> = {};
  let current: string | undefined;
  const say = async (text: string, deadline: number) => {
    const from = ch.seen.length;
    ch.send({ type: "user", message: { role: "user", content: text }, parent_tool_use_id: null, session_id: "" });
    return ch.waitFor((m) => m.type === "result", deadline, from, `the result of "${text.slice(0, 40)}"`);
  };
  return {
    interleaves: false,
    protocolIds,
    transcript: () => ch.seen.filter((m) => m.type !== "stream_event"),
    async turn(tag, prompt, deadline) {
      if (current !== undefined && current !== tag) {
        if (protocolIds[tag] !== undefined) throw new Error("stream-json cannot return to an earlier conversation");
        await say("/clear", deadline);
      }
      current = tag;
      const result = await say(prompt, deadline);
      protocolIds[tag] ??= result.session_id;
    },
  };
}

/** Codex `app-server`: JSON-RPC threads; a turn ends with `turn/completed` for its thread. */
function appServer(child: Child, cwd: string): MultiHost {
  // Approvals are off (approvalPolicy never), so any request it sends is unexpected: declined.
  const rpc = new JsonRpc(child, () => undefined);
  const protocolIds: Record<string, string> = {};
  let ready: Promise<unknown> | undefined;
  return {
    interleaves: true,
    protocolIds,
    transcript: () => rpc.seen.filter((m) => !String(m.method ?? "").includes("delta")),
    async turn(tag, prompt, deadline) {
      ready ??= rpc.request("initialize", { clientInfo: { name: "stitch-live", title: null, version: "0" }, capabilities: null }, deadline).then(() => rpc.notify("initialized", {}));
      await ready;
      protocolIds[tag] ??= (await rpc.request("thread/start", { cwd, approvalPolicy: "never", sandbox: "danger-full-access" }, deadline)).thread.id;
      const thread = protocolIds[tag]!;
      const from = rpc.seen.length;
      await rpc.request("turn/start", { threadId: thread, input: [{ type: "text", text: prompt, text_elements: [] }] }, deadline);
      await rpc.waitFor((m) => m.method === "turn/completed" && m.params?.threadId === thread, deadline, from, "turn/completed");
    },
  };
}

/**
 * The Agent Client Protocol (OpenCode and Kilo `acp`, Qwen Code, Gemini CLI and Copilot CLI
 * `--acp`): sessions; `session/prompt` answers when the turn ends. The client offers no
 * terminal and no file system, so every command runs in the agent's own shell tool; a
 * permission request is allowed.
 */
function acp(child: Child, cwd: string): MultiHost {
  const rpc = new JsonRpc(child, (method, params) => {
    if (method !== "session/request_permission") return undefined;
    const options: Json[] = params.options ?? [];
    const allow = options.find((o) => o.kind === "allow_always") ?? options.find((o) => String(o.kind).startsWith("allow")) ?? options[0];
    return allow ? { outcome: { outcome: "selected", optionId: allow.optionId } } : { outcome: { outcome: "cancelled" } };
  });
  const protocolIds: Record<string, string> = {};
  let ready: Promise<unknown> | undefined;
  const initialize = (deadline: number) =>
    (ready ??= rpc.request("initialize", { protocolVersion: 1, clientCapabilities: { fs: { readTextFile: false, writeTextFile: false }, terminal: false }, clientInfo: { name: "stitch-live", version: "0" } }, deadline));
  return {
    interleaves: true,
    protocolIds,
    transcript: () => rpc.seen.filter((m) => !String(m.params?.update?.sessionUpdate ?? "").endsWith("_chunk")),
    async turn(tag, prompt, deadline) {
      await initialize(deadline);
      protocolIds[tag] ??= (await rpc.request("session/new", { cwd, mcpServers: [] }, deadline)).sessionId;
      await rpc.request("session/prompt", { sessionId: protocolIds[tag], prompt: [{ type: "text", text: prompt }] }, deadline);
    },
    async load(tag, id, deadline) {
      await initialize(deadline);
      await rpc.request("session/load", { sessionId: id, cwd, mcpServers: [] }, deadline);
      protocolIds[tag] = id;
    },
  };
}

/** Pi `--mode rpc`: one session at a time; `new_session` and `switch_session` move between them. */
function piRpc(child: Child): MultiHost {
  const ch = new LineChannel(child);
  const protocolIds: Record<string, string> = {};
  const files: Record<string, string> = {};
  let current: string | undefined;
  let n = 0;
  const command = async (c: Json, deadline: number) => {
    const id = `stitch-${n++}`;
    const from = ch.seen.length;
    ch.send({ id, ...c });
    const r = await ch.waitFor((m) => m.type === "response" && m.id === id, deadline, from, `the response to ${c.type}`);
    if (!r.success) throw new Error(`${c.type} failed: ${JSON.stringify(r).slice(0, 300)}`);
    return r.data ?? {};
  };
  return {
    interleaves: true,
    protocolIds,
    transcript: () => ch.seen.filter((m) => m.type !== "message_update" && m.type !== "tool_execution_update"),
    async turn(tag, prompt, deadline) {
      if (current !== undefined && current !== tag) {
        if (files[tag]) await command({ type: "switch_session", sessionPath: files[tag] }, deadline);
        else await command({ type: "new_session" }, deadline);
      }
      current = tag;
      const from = ch.seen.length;
      await command({ type: "prompt", message: prompt }, deadline);
      await ch.waitFor((m) => m.type === "agent_end", deadline, from, "agent_end");
      const state = await command({ type: "get_state" }, deadline);
      files[tag] ??= state.sessionFile;
      protocolIds[tag] ??= state.sessionId;
    },
  };
}

/** The driver of a long-lived mode (not `concurrent-runs`, which cases.ts runs as two processes). */
export function multiHost(kind: Exclude<MultiKind, "concurrent-runs">, child: Child, cwd: string): MultiHost {
  switch (kind) {
    case "stream-json":
      return streamJson(child);
    case "app-server":
      return appServer(child, cwd);
    case "acp":
      return acp(child, cwd);
    case "pi-rpc":
      return piRpc(child);
  }
}
