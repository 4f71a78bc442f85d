// The agent CLIs the live suite drives, each pointed at the mock model on 127.0.0.1 and
// kept off every other network: their own telemetry and update switches, and (where the
// machine allows) a network namespace with nothing but loopback.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface Conversation {
  /** A fresh directory for this conversation: home, work, output files. */
  readonly dir: string;
  readonly home: string;
  readonly work: string;
  /** The mock model's base URL (no trailing slash). */
  readonly model: string;
}

export interface LiveAgent {
  readonly id: string;
  readonly name: string;
  /** npm package and the binary it installs under test/live/node_modules/.bin. */
  readonly pkg: string;
  readonly bin: string;
  /** The caller slug stitch must report. */
  readonly slug: string;
  /** The variable in which the agent exports its own session id, if it does. */
  readonly sessionVariable?: string;
  /** Writes the agent's configuration and returns its argv (after the binary) and env. */
  readonly prepare: (c: Conversation) => { args: string[]; env: Record<string, string> };
}

const PROMPT = "Run the commands you are given, one at a time.";

export const LIVE_AGENTS: readonly LiveAgent[] = [
  {
    id: "claude-code",
    name: "Claude Code",
    pkg: "@anthropic-ai/claude-code",
    bin: "claude",
    slug: "claude_code",
    sessionVariable: "CLAUDE_CODE_SESSION_ID",
    prepare: (c) => ({
      args: ["-p", PROMPT, "--permission-mode", "bypassPermissions", "--allowedTools", "Bash"],
      env: {
        ANTHROPIC_BASE_URL: c.model,
        ANTHROPIC_API_KEY: "sk-mock",
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
        DISABLE_AUTOUPDATER: "1",
        DISABLE_TELEMETRY: "1",
        DISABLE_ERROR_REPORTING: "1",
        // Claude Code refuses bypassPermissions as root unless told it is sandboxed.
        IS_SANDBOX: "1",
      },
    }),
  },
  {
    id: "codex",
    name: "OpenAI Codex CLI",
    pkg: "@openai/codex",
    bin: "codex",
    slug: "codex",
    sessionVariable: "CODEX_THREAD_ID",
    prepare: (c) => {
      const codexHome = join(c.home, ".codex");
      mkdirSync(codexHome, { recursive: true });
      writeFileSync(
        join(codexHome, "config.toml"),
        [
          `model = "mock-model"`,
          `model_provider = "mock"`,
          `check_for_update_on_startup = false`,
          ``,
          `[analytics]`,
          `enabled = false`,
          ``,
          `[model_providers.mock]`,
          `name = "mock"`,
          `base_url = "${c.model}/v1"`,
          `wire_api = "responses"`,
          `env_key = "MOCK_API_KEY"`,
          ``,
        ].join("\n"),
      );
      return {
        args: ["exec", "--skip-git-repo-check", "--dangerously-bypass-approvals-and-sandbox", PROMPT],
        env: { CODEX_HOME: codexHome, MOCK_API_KEY: "mock" },
      };
    },
  },
  {
    id: "opencode",
    name: "OpenCode",
    pkg: "opencode-ai",
    bin: "opencode",
    slug: "opencode",
    prepare: (c) => {
      writeFileSync(
        join(c.work, "opencode.json"),
        JSON.stringify({
          $schema: "https://opencode.ai/config.json",
          provider: {
            mock: {
              npm: "@ai-sdk/openai-compatible",
              name: "Mock",
              options: { baseURL: `${c.model}/v1`, apiKey: "mock" },
              models: { "mock-model": { name: "Mock", tool_call: true } },
            },
          },
          model: "mock/mock-model",
          permission: { bash: "allow" },
          autoupdate: false,
          share: "disabled",
        }),
      );
      return {
        args: ["run", PROMPT],
        env: {
          OPENCODE_DISABLE_AUTOUPDATE: "1",
          OPENCODE_DISABLE_MODELS_FETCH: "1",
          OPENCODE_DISABLE_LSP_DOWNLOAD: "1",
          OPENCODE_DISABLE_DEFAULT_PLUGINS: "1",
          OPENCODE_DISABLE_SHARE: "1",
          OPENCODE_DISABLE_CLAUDE_CODE: "1",
          OPENCODE_DISABLE_EXTERNAL_SKILLS: "1",
        },
      };
    },
  },
  {
    id: "qwen-code",
    name: "Qwen Code",
    pkg: "@qwen-code/qwen-code",
    bin: "qwen",
    slug: "qwen_code",
    sessionVariable: "QWEN_CODE_SESSION_ID",
    prepare: (c) => {
      mkdirSync(join(c.home, ".qwen"), { recursive: true });
      writeFileSync(
        join(c.home, ".qwen", "settings.json"),
        JSON.stringify({ usageStatisticsEnabled: false, telemetry: { enabled: false }, security: { auth: { selectedType: "openai" } } }),
      );
      return {
        args: ["-p", PROMPT, "--yolo"],
        env: { OPENAI_BASE_URL: `${c.model}/v1`, OPENAI_API_KEY: "mock", OPENAI_MODEL: "mock-model", QWEN_CODE_SUPPRESS_YOLO_WARNING: "1" },
      };
    },
  },
  {
    id: "pi",
    name: "Pi coding agent",
    pkg: "@mariozechner/pi-coding-agent",
    bin: "pi",
    slug: "pi",
    prepare: (c) => {
      const dir = join(c.home, ".pi", "agent");
      mkdirSync(dir, { recursive: true });
      writeFileSync(
        join(dir, "models.json"),
        JSON.stringify({
          providers: {
            mock: {
              baseUrl: `${c.model}/v1`,
              api: "openai-completions",
              apiKey: "mock",
              compat: { supportsDeveloperRole: false, supportsReasoningEffort: false },
              models: [{ id: "mock-model" }],
            },
          },
        }),
      );
      return {
        args: ["-p", "--provider", "mock", "--model", "mock-model", "--no-session", "--offline", PROMPT],
        env: { PI_OFFLINE: "1", PI_TELEMETRY: "0" },
      };
    },
  },
];
