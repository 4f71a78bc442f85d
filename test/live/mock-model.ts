// A scripted model on 127.0.0.1 that speaks the wire protocols the agent CLIs use:
// Anthropic Messages (Claude Code), OpenAI Responses (Codex), OpenAI Chat Completions
// (OpenCode, Kilo, Qwen Code, Pi, Cline, Copilot CLI, Letta Code, Continue, Nanocoder, Grok
// CLI; streamed or not, as asked) and Gemini's generateContent (Gemini CLI). It makes the agent
// run a fixed list of shell commands through its own shell tool, one per turn, then answers
// with text.
// It finds the shell tool by name among the tools the agent offers and fills its arguments
// from the tool's own schema. It decides from the request alone (how many tool results it
// carries), so one server serves any number of conversations, one after the other.

import { appendFileSync } from "node:fs";

export interface MockModel {
  readonly url: string;
  /** Every request seen: method, path, and which protocol handled it. */
  readonly requests: { method: string; path: string; handled: string }[];
  /** A new script for the next conversation (the requests seen so far are forgotten). */
  script(commands: readonly string[]): void;
  stop(): void;
}

const sse = (events: [string | null, unknown][]) =>
  new Response(
    events.map(([event, data]) => `${event ? `event: ${event}\n` : ""}data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`).join(""),
    { headers: { "content-type": "text/event-stream", "cache-control": "no-cache" } },
  );

type Json = Record<string, any>;

/** Anthropic Messages: the step is the number of tool_result blocks in the conversation. */
function anthropic(body: Json, commands: readonly string[]): Response {
  const tools: Json[] = body.tools ?? [];
  const bash = tools.find((t) => t.name === "Bash");
  const results = (body.messages ?? []).flatMap((m: Json) => (Array.isArray(m.content) ? m.content : [])).filter((c: Json) => c.type === "tool_result").length;
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
  const input: Json[] = Array.isArray(body.input) ? body.input : [];
  const results = input.filter((i) => i.type === "function_call_output").length;
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
  const messages: Json[] = body.messages ?? [];
  const results = messages.filter((m) => m.role === "tool").length;
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
 * functionResponse parts in the conversation. */
function gemini(body: Json, commands: readonly string[], stream: boolean): Response {
  const contents: Json[] = body.contents ?? [];
  const results = contents.flatMap((c) => c.parts ?? []).filter((p: Json) => p.functionResponse).length;
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
  let commands = initial;
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    idleTimeout: 60,
    async fetch(req) {
      const path = new URL(req.url).pathname;
      const body = req.method === "POST" ? ((await req.json().catch(() => ({}))) as Json) : {};
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
      commands = next;
      requests.length = 0;
    },
    stop: () => server.stop(true),
  };
}
