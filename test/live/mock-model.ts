// A scripted model on 127.0.0.1 that speaks the wire protocols the agent CLIs use:
// Anthropic Messages (Claude Code), OpenAI Responses (Codex), OpenAI Chat Completions
// (OpenCode, Kilo, Qwen Code, Pi, Cline, Copilot CLI, Letta Code, Continue, Nanocoder, Grok
// CLI; streamed or not, as asked) and Gemini's generateContent (Gemini CLI). It makes the agent
// run a fixed list of shell commands through its own shell tool, one per turn, then answers
// with text.
// It finds the shell tool by name among the tools the agent offers and fills its arguments
// from the tool's own schema. It decides from the request alone (how many tool results it
// carries), so one server serves any number of conversations, one after the other.
// Conversations that interleave (several in one agent process, or resumed in another) each
// get a script of their own: their prompts carry a tag, `conversation-<tag>`, and a request
// follows the script of the first tag among its messages. Extending a conversation's script
// before its next turn makes exactly the new commands run, since the step counts the tool
// results its history already holds.

import { appendFileSync } from "node:fs";

export interface MockModel {
  readonly url: string;
  /** Every request seen: method, path, and which protocol handled it. */
  readonly requests: { method: string; path: string; handled: string }[];
  /** A new script for the next conversation (the requests seen so far are forgotten). */
  script(commands: readonly string[]): void;
  /** The script of the conversation whose prompts carry `conversation-<tag>` (replaces it). */
  scriptFor(tag: string, commands: readonly string[]): void;
  /**
   * Conversations that run at the same time take turns: each tool call is held until every
   * conversation in `order` has asked the model something, the tags in `order` say it is
   * that conversation's turn, and every call handed out before has returned its result; a
   * conversation's last answer is held until all its calls have returned, so that every
   * conversation is still running at every call (each hold at most `holdMs`, then it is
   * answered anyway, so nothing hangs).
   */
  interleave(order: readonly string[], holdMs?: number): void;
  stop(): void;
}

const sse = (events: [string | null, unknown][]) =>
  new Response(
    events.map(([event, data]) => `${event ? `event: ${event}\n` : ""}data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`).join(""),
    { headers: { "content-type": "text/event-stream", "cache-control": "no-cache" } },
  );

type Json = Record<string, any>;

const TAG = /conversation-([A-Za-z0-9]+)/;

/** The tag of the conversation a request belongs to: the first among its messages (never the system prompt). */
export function conversationTag(body: Json): string | undefined {
  const messages = body.messages ?? body.input ?? body.contents;
  return messages === undefined ? undefined : TAG.exec(JSON.stringify(messages))?.[1];
}

/** How many tool results a request of each protocol carries: its conversation's step. */
function toolResults(handled: string, body: Json): number {
  const items = (xs: unknown): Json[] => (Array.isArray(xs) ? xs : []);
  switch (handled) {
    case "anthropic":
      return items(body.messages).flatMap((m) => items(m.content)).filter((c) => c.type === "tool_result").length;
    case "responses":
      return items(body.input).filter((i) => i.type === "function_call_output").length;
    case "chat":
      return items(body.messages).filter((m) => m.role === "tool").length;
    case "gemini": {
      // Distinct ids: Gemini CLI 0.61.0 sends a resumed session's every functionResponse twice.
      const responses = items(body.contents).flatMap((c) => items(c.parts)).filter((p) => p.functionResponse);
      return new Set(responses.map((p, i) => p.functionResponse.id ?? `#${i}`)).size;
    }
    default:
      return 0;
  }
}

/** Anthropic Messages: the step is the number of tool_result blocks in the conversation. */
function anthropic(body: Json, commands: readonly string[]): Response {
  const tools: Json[] = body.tools ?? [];
  const bash = tools.find((t) => t.name === "Bash");
  const results = toolResults("anthropic", body);
  const model = body.model ?? "mock";
  const start: [string, unknown] = ["message_start", { type: "message_start", message: { id: `msg_${results}`, type: "message", role: "assistant", model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } } }];
  if (bash && results < commands.length) {
    const input = JSON.stringify({ command: commands[results], description: "run a command" });
    return sse([
      start,
      ["content_block_start", { type: "content_block_start", index: 0, content_block: { type: "tool_use", id: `toolu_${results}`, name: "Bash", input: {} } }],
      ["content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "input_json_delta", partial_json: input } }],
      ["content_block_stop", { type: "content_block_stop", index: 0 }],
      ["message_delta", { type: "message_delta", delta: { stop_reason: "tool_use", stop_sequence: null }, usage: { output_tokens: 1 } }],
      ["message_stop", { type: "message_stop" }],
    ]);
  }
  return sse([
    start,
    ["content_block_start", { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }],
    ["content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "done" } }],
    ["content_block_stop", { type: "content_block_stop", index: 0 }],
    ["message_delta", { type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 1 } }],
    ["message_stop", { type: "message_stop" }],
  ]);
}

/** OpenAI Responses: the step is the number of function_call_output items in the input. */
function responses(body: Json, commands: readonly string[]): Response {
  const results = toolResults("responses", body);
  const tools: Json[] = body.tools ?? [];
  const shell = tools.find((t) => ["exec_command", "shell", "local_shell"].includes(t.name ?? t.type));
  const id = `resp_${results}_${Date.now()}`;
  const created = { type: "response.created", response: { id, object: "response", status: "in_progress", output: [] } };
  const usage = { input_tokens: 1, input_tokens_details: { cached_tokens: 0 }, output_tokens: 1, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 2 };
  const completed = (output: Json[]) => ["response.completed", { type: "response.completed", response: { id, object: "response", status: "completed", output, usage } }] as [string, unknown];
  if (shell && results < commands.length) {
    const name = shell.name ?? "shell";
    const args = name === "exec_command" ? { cmd: commands[results] } : { command: ["bash", "-lc", commands[results]] };
    const item = { type: "function_call", id: `fc_${results}`, call_id: `call_${results}`, name, arguments: JSON.stringify(args), status: "completed" };
    return sse([
      ["response.created", created],
      ["response.output_item.added", { type: "response.output_item.added", output_index: 0, item }],
      ["response.output_item.done", { type: "response.output_item.done", output_index: 0, item }],
      completed([item]),
    ]);
  }
  const message = { type: "message", id: `msg_${results}`, role: "assistant", status: "completed", content: [{ type: "output_text", text: "done", annotations: [] }] };
  return sse([
    ["response.created", created],
    ["response.output_item.added", { type: "response.output_item.added", output_index: 0, item: message }],
    ["response.output_text.delta", { type: "response.output_text.delta", item_id: message.id, output_index: 0, content_index: 0, delta: "done" }],
    ["response.output_item.done", { type: "response.output_item.done", output_index: 0, item: message }],
    completed([message]),
  ]);
}

/** The names under which the agents offer their shell tool (OpenCode, Kilo and grok `bash`, Qwen
 * and Gemini `run_shell_command`, Cline `run_commands`, Continue and Letta Code `Bash`, nanocoder
 * `execute_bash`). */
const SHELL_TOOLS = ["bash", "Bash", "shell", "run_shell_command", "run_commands", "execute_bash", "execute_command"];

/** Arguments for a shell tool, filled from its JSON schema: the command where it wants one
 * (`command`, `cmd`, or a `commands` list), and a short word for any other required string. */
export function shellArguments(schema: Json | undefined, command: string): Json {
  const props: Json = schema?.properties ?? { command: { type: "string" } };
  const args: Json = {};
  for (const [name, p] of Object.entries<Json>(props)) {
    if (name === "command" || name === "cmd") args[name] = command;
    else if (name === "commands") args[name] = [command];
    else if ((schema?.required ?? []).includes(name)) args[name] = p.type === "boolean" ? false : p.type === "number" || p.type === "integer" ? 60 : "run a command";
  }
  return args;
}

/** Chat Completions: the step is the number of `tool` messages. */
function chat(body: Json, commands: readonly string[]): Response {
  const results = toolResults("chat", body);
  const tools: Json[] = body.tools ?? [];
  const shell = SHELL_TOOLS.map((n) => tools.find((t) => t.function?.name === n)).find((t) => t);
  const chunk = (delta: Json, finish: string | null) => ({
    id: `chat_${results}`,
    object: "chat.completion.chunk",
    created: Math.floor(Date.now() / 1000),
    model: body.model ?? "mock-model",
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
  const usage = { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 };
  if (shell && results < commands.length) {
    const name = shell.function.name;
    const args = shellArguments(shell.function.parameters, commands[results]!);
    if (body.stream !== true) {
      return Response.json({ id: `chat_${results}`, object: "chat.completion", created: 0, model: body.model, usage, choices: [{ index: 0, finish_reason: "tool_calls", message: { role: "assistant", content: null, tool_calls: [{ id: `call_${results}`, type: "function", function: { name, arguments: JSON.stringify(args) } }] } }] });
    }
    return sse([
      [null, chunk({ role: "assistant", tool_calls: [{ index: 0, id: `call_${results}`, type: "function", function: { name, arguments: JSON.stringify(args) } }] }, null)],
      [null, { ...chunk({}, "tool_calls"), usage }],
      [null, "[DONE]"],
    ]);
  }
  if (body.stream !== true) {
    return Response.json({ id: `chat_${results}`, object: "chat.completion", created: 0, model: body.model, usage, choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: "done" } }] });
  }
  return sse([[null, chunk({ role: "assistant", content: "done" }, null)], [null, { ...chunk({}, "stop"), usage }], [null, "[DONE]"]]);
}

/** Gemini's generateContent (streamed as SSE with `alt=sse`): the step is the number of
 * distinct functionResponse ids in the conversation. */
function gemini(body: Json, commands: readonly string[], stream: boolean): Response {
  const results = toolResults("gemini", body);
  const declarations: Json[] = (body.tools ?? []).flatMap((t: Json) => t.functionDeclarations ?? []);
  const shell = declarations.find((d) => SHELL_TOOLS.includes(d.name));
  const part = shell && results < commands.length
    ? { functionCall: { name: shell.name, args: shellArguments(shell.parameters ?? shell.parametersJsonSchema, commands[results]!) } }
    : { text: "done" };
  const answer = {
    candidates: [{ content: { role: "model", parts: [part] }, finishReason: "STOP", index: 0 }],
    usageMetadata: { promptTokenCount: 1, candidatesTokenCount: 1, totalTokenCount: 2 },
    modelVersion: "mock-model",
  };
  return stream ? sse([[null, answer]]) : Response.json(answer);
}

/** Starts a model that has the agent run `commands`, one per turn, then says "done". */
export function startMockModel(initial: readonly string[]): MockModel {
  const requests: MockModel["requests"] = [];
  let initialCommands = initial;
  const scripts = new Map<string, readonly string[]>();
  // Turn-taking (interleave): the calls handed out so far, and the most results each tag has reported.
  let order: readonly string[] = [];
  let holdMs = 60_000;
  const handedOut: { tag: string; step: number }[] = [];
  const reported = new Map<string, number>();
  const returned = (c: { tag: string; step: number }) => (reported.get(c.tag) ?? -1) > c.step;
  const wait = async (ready: () => boolean) => {
    for (const deadline = Date.now() + holdMs; !ready() && Date.now() < deadline; ) await Bun.sleep(25);
  };
  const handed = (tag: string, step: number) => handedOut.some((c) => c.tag === tag && c.step === step);
  async function awaitTurn(tag: string, step: number): Promise<void> {
    await wait(
      () =>
        handed(tag, step) || // a retry of a call already handed out
        handedOut.length >= order.length ||
        (order.every((t) => reported.has(t)) && order[handedOut.length] === tag && handedOut.every(returned)),
    );
    if (!handed(tag, step)) handedOut.push({ tag, step });
  }
  const awaitEnd = () => wait(() => handedOut.length >= order.length && handedOut.every(returned));
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    idleTimeout: 120, // above the longest hold of interleave()
    async fetch(req) {
      const path = new URL(req.url).pathname;
      const body = req.method === "POST" ? ((await req.json().catch(() => ({}))) as Json) : {};
      const kind = path.endsWith("/messages") ? "anthropic" : path.endsWith("/responses") ? "responses" : path.endsWith("/chat/completions") ? "chat" : /:(stream)?[gG]enerateContent$/.test(path) ? "gemini" : "";
      const tag = conversationTag(body);
      const commands = (tag !== undefined ? scripts.get(tag) : undefined) ?? initialCommands;
      if (tag !== undefined && kind !== "") {
        const step = toolResults(kind, body);
        reported.set(tag, Math.max(reported.get(tag) ?? -1, step));
        // Only a request that offers tools is a turn of the conversation (not a title or a summary).
        if (order.includes(tag) && Array.isArray(body.tools) && body.tools.length > 0) await (step < commands.length ? awaitTurn(tag, step) : awaitEnd());
      }
      let handled = "404";
      let res: Response = new Response("not found", { status: 404 });
      if (path.endsWith("/messages") && req.method === "POST") {
        handled = "anthropic";
        res = body.stream === false ? Response.json({ id: "msg", type: "message", role: "assistant", content: [{ type: "text", text: "done" }], stop_reason: "end_turn", usage: { input_tokens: 1, output_tokens: 1 } }) : anthropic(body, commands);
      } else if (path.endsWith("/responses") && req.method === "POST") {
        handled = "responses";
        res = responses(body, commands);
      } else if (path.endsWith("/chat/completions") && req.method === "POST") {
        handled = "chat";
        res = chat(body, commands);
      } else if (/\/models\/[^/]+:streamGenerateContent$/.test(path) && req.method === "POST") {
        handled = "gemini";
        res = gemini(body, commands, true);
      } else if (/\/models\/[^/]+:generateContent$/.test(path) && req.method === "POST") {
        handled = "gemini";
        res = gemini(body, commands, false);
      } else if (/\/models\/[^/]+:countTokens$/.test(path) && req.method === "POST") {
        handled = "gemini";
        res = Response.json({ totalTokens: 1 });
      } else if (path.endsWith("/models")) {
        handled = "models";
        res = Response.json({ object: "list", data: [{ id: "mock-model", object: "model", created: 0, owned_by: "mock" }] });
      }
      requests.push({ method: req.method, path, handled });
      if (process.env.STITCH_MOCK_LOG) appendFileSync(process.env.STITCH_MOCK_LOG, `${JSON.stringify({ method: req.method, path, handled, body })}\n`);
      return res;
    },
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    requests,
    script: (next) => {
      initialCommands = next;
      requests.length = 0;
    },
    scriptFor: (tag, next) => {
      scripts.set(tag, next);
    },
    interleave: (next, hold = 60_000) => {
      order = next;
      holdMs = hold;
      handedOut.length = 0;
    },
    stop: () => server.stop(true),
  };
}
