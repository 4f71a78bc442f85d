// The stdio protocols of the agents' long-lived modes, as small clients: JSON lines (Claude
// Code's stream-json, Pi's RPC mode) and JSON-RPC 2.0 over JSON lines (the Agent Client
// Protocol of OpenCode, Kilo, Qwen Code, Gemini CLI and Copilot CLI; Codex's app-server).
// Every wait has a deadline, so an agent that stops answering fails the case instead of
// hanging it.

import type { Subprocess } from "bun";

type Json = Record<string, any>;

/** A child process spoken to in JSON lines on stdin and stdout. */
export class LineChannel {
  /** Every line read, parsed (or `{ unparsed }`), in order, for the case's record. */
  readonly seen: Json[] = [];
  private readonly waiters = new Set<() => void>();
  private closed = false;

  constructor(readonly child: Subprocess<"pipe", "pipe", "pipe">) {
    void this.read();
  }

  private async read(): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for await (const chunk of this.child.stdout) {
        buffer += decoder.decode(chunk, { stream: true });
        // LF only: Pi's RPC framing forbids splitting on U+2028/U+2029, which may sit inside JSON strings.
        for (let nl = buffer.indexOf("\n"); nl >= 0; nl = buffer.indexOf("\n")) {
          const line = buffer.slice(0, nl).replace(/\r$/, "");
          buffer = buffer.slice(nl + 1);
          if (line.trim() === "") continue;
          try {
            this.seen.push(JSON.parse(line));
          } catch {
            this.seen.push({ unparsed: line.slice(0, 500) });
          }
          this.onMessage(this.seen[this.seen.length - 1]!);
          for (const w of this.waiters) w();
        }
      }
    } catch {}
    this.closed = true;
    for (const w of this.waiters) w();
  }

  /** Called for every message read (JsonRpc answers the agent's requests here). */
  protected onMessage(_message: Json): void {}

  send(message: Json): void {
    this.child.stdin.write(`${JSON.stringify(message)}\n`);
    this.child.stdin.flush();
  }

  /** The first message from index `from` on that matches, waiting until `deadline` (ms since epoch). */
  async waitFor(match: (m: Json) => boolean, deadline: number, from = 0, what = "a message"): Promise<Json> {
    for (let i = from; ; ) {
      for (; i < this.seen.length; i++) if (match(this.seen[i]!)) return this.seen[i]!;
      if (this.closed) throw new Error(`the agent closed its output before ${what}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`did not get ${what} in time`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.waiters.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.waiters.add(wake);
      });
    }
  }
}

/**
 * JSON-RPC 2.0 over a LineChannel: requests with ids of our own, notifications kept in
 * `seen`, and the agent's own requests answered by `answer` (an error when it returns
 * undefined).
 */
export class JsonRpc extends LineChannel {
  private nextId = 1;

  constructor(
    child: Subprocess<"pipe", "pipe", "pipe">,
    private readonly answer: (method: string, params: Json) => Json | undefined,
  ) {
    super(child);
  }

  protected override onMessage(m: Json): void {
    if (m.method === undefined || m.id === undefined) return;
    const result = this.answer(m.method, m.params ?? {});
    this.send(result === undefined ? { jsonrpc: "2.0", id: m.id, error: { code: -32601, message: `not handled: ${m.method}` } } : { jsonrpc: "2.0", id: m.id, result });
  }

  async request(method: string, params: Json, deadline: number): Promise<Json> {
    const id = this.nextId++;
    const from = this.seen.length;
    this.send({ jsonrpc: "2.0", id, method, params });
    const reply = await this.waitFor((m) => m.id === id && m.method === undefined, deadline, from, `an answer to ${method}`);
    if (reply.error) throw new Error(`${method} failed: ${JSON.stringify(reply.error).slice(0, 500)}`);
    return reply.result ?? {};
  }

  notify(method: string, params: Json): void {
    this.send({ jsonrpc: "2.0", method, params });
  }
}
