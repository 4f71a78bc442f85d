// The agent CLIs the live suite drives, each pointed at the mock model on 127.0.0.1 and
// kept off every other network: their own telemetry and update switches, and (where the
// machine allows) a network namespace with nothing but loopback. Some stitch's catalog
// knows; the others (Continue, Nanocoder, Grok CLI) it can name only by the ancestor residue.

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
  /**
   * The caller stitch must report. For an agent stitch's catalog does not know, the ancestor
   * residue (design §4.8): `agent_unknown:<kind>:<the driving program's name>`; run as
   * `node …/node_modules/.bin/<bin>` (as npm's bin links run it), that name is the bin's:
   * `.bin` is skipped, and no package directory is in sight.
   */
  readonly slug: string;
  /** Whether stitch's catalog has a row for it (false: named only by the residue). */
  readonly catalogued: boolean;
  /** The variable in which the agent exports its own session id, if it does. */
  readonly sessionVariable?: string;
  /**
   * Writes the agent's configuration and returns its argv (after the binary) and env, and
   * any commands of the same binary to run first (a sign-in against the mock).
   */
  readonly prepare: (c: Conversation) => { args: string[]; env: Record<string, string>; before?: string[][] };
  /**
   * Where the shim directory must be put on PATH for its shell tool to see it (README, "In
   * front of the commands your agent runs"); the live suite puts it there and nowhere else.
   * `inherit` (the default): the environment the agent is started with, which its shells
   * inherit. `profile`: ~/.profile, for a shell tool that runs login shells (Debian's
   * /etc/profile resets PATH). (Claude Code's shell snapshot sources ~/.bashrc but, on Linux,
   * records its own PATH, so a PATH set in ~/.bashrc alone does not reach its commands.)
   */
  readonly shimPath?: "inherit" | "profile";
  /** Its conversations share one home (and whatever daemon the first one leaves running). */
  readonly sharedHome?: boolean;
  /**
   * Where stitch must find the id in every mode, when not in a variable or the store: Cline's
   * hub daemon runs every task's commands, so only its record of the running task
   * (`agent_record`, its task_file) tells two conversations apart.
   */
  readonly sessionSource?: string;
}

export const PROMPT = "Run the commands you are given, one at a time.";

/**
 * OpenCode and its fork Kilo CLI: the mock as an OpenAI-compatible provider in the project's
 * config file, bash allowed, and every update, download, plugin and share switched off
 * through the variables `<PREFIX>_DISABLE_*`.
 */
function openCodeStyle(c: Conversation, file: string, schema: string, prefix: string, alsoDisable: string[]) {
  writeFileSync(
    join(c.work, file),
    JSON.stringify({
      $schema: schema,
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
  const disabled = ["AUTOUPDATE", "MODELS_FETCH", "LSP_DOWNLOAD", "DEFAULT_PLUGINS", "SHARE", "CLAUDE_CODE", "EXTERNAL_SKILLS", ...alsoDisable];
  return { args: ["run", PROMPT], env: Object.fromEntries(disabled.map((name) => [`${prefix}_DISABLE_${name}`, "1"])) };
}

export const LIVE_AGENTS: readonly LiveAgent[] = [
  {
    id: "claude-code",
    name: "Claude Code",
    pkg: "@anthropic-ai/claude-code",
    bin: "claude",
    slug: "claude_code",
    catalogued: true,
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
    shimPath: "profile",
    name: "OpenAI Codex CLI",
    pkg: "@openai/codex",
    bin: "codex",
    slug: "codex",
    catalogued: true,
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
    catalogued: true,
    prepare: (c) => openCodeStyle(c, "opencode.json", "https://opencode.ai/config.json", "OPENCODE", []),
  },
  {
    id: "qwen-code",
    name: "Qwen Code",
    pkg: "@qwen-code/qwen-code",
    bin: "qwen",
    slug: "qwen_code",
    catalogued: true,
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
    catalogued: true,
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
  {
    id: "gemini-cli",
    name: "Gemini CLI",
    pkg: "@google/gemini-cli",
    bin: "gemini",
    slug: "gemini_cli",
    catalogued: true,
    prepare: (c) => {
      mkdirSync(join(c.home, ".gemini"), { recursive: true });
      writeFileSync(
        join(c.home, ".gemini", "settings.json"),
        JSON.stringify({
          security: { auth: { selectedType: "gemini-api-key" } },
          privacy: { usageStatisticsEnabled: false },
          telemetry: { enabled: false },
          general: { disableAutoUpdate: true, disableUpdateNag: true },
        }),
      );
      return {
        args: ["-p", PROMPT, "--yolo", "--skip-trust", "-m", "mock-model"],
        env: { GOOGLE_GEMINI_BASE_URL: c.model, GEMINI_API_KEY: "mock" },
      };
    },
  },
  {
    id: "kilo",
    name: "Kilo CLI",
    pkg: "@kilocode/cli",
    bin: "kilo",
    slug: "kilo_code",
    catalogued: true,
    // An OpenCode fork: the same configuration, under its own names.
    prepare: (c) => openCodeStyle(c, "kilo.json", "https://app.kilo.ai/config.json", "KILO", ["SESSION_INGEST"]),
  },
  {
    id: "cline",
    name: "Cline CLI",
    pkg: "cline",
    bin: "cline",
    slug: "cline",
    catalogued: true,
    // A run that finds no hub daemon runs its task in its own process and leaves a daemon
    // (`cline --cline-hub-daemon`, reparented to pid 1) that runs every later task's
    // commands. Both conversations share one home and find the daemon running (`cline hub
    // start`), as every run but a user's very first does.
    sharedHome: true,
    sessionSource: "agent_record",
    prepare: (c) => ({
      before: [["auth", "-p", "openai", "-k", "mock", "-m", "mock-model", "-b", `${c.model}/v1`], ["hub", "start"]],
      args: [PROMPT],
      env: {},
    }),
  },
  {
    id: "copilot",
    name: "GitHub Copilot CLI",
    pkg: "@github/copilot",
    bin: "copilot",
    slug: "copilot_cli",
    catalogued: true,
    sessionVariable: "COPILOT_AGENT_SESSION_ID",
    // Its own model provider (BYOK): no GitHub sign-in when COPILOT_PROVIDER_BASE_URL is set.
    prepare: (c) => ({
      args: ["-p", PROMPT, "--allow-all-tools", "--allow-all-paths", "--no-auto-update", "--disable-client-telemetry"],
      env: { COPILOT_PROVIDER_BASE_URL: `${c.model}/v1`, COPILOT_PROVIDER_API_KEY: "mock", COPILOT_MODEL: "mock-model" },
    }),
  },
  {
    id: "letta-code",
    name: "Letta Code",
    pkg: "@letta-ai/letta-code",
    bin: "letta",
    slug: "letta_code",
    catalogued: true,
    // LETTA_CONVERSATION_ID is set in every Bash call, with LETTA_AGENT_ID (and AGENT_ID,
    // CONVERSATION_ID), but the local backend names a new conversation `local-conv-<n>`, <n>
    // counting up in its store (~/.letta/lc-local-backend): every store starts at
    // local-conv-1, so stitch skips those values and the store gives the id. Each
    // conversation has a home and a store of its own, so both are local-conv-1: the test
    // that their ids differ checks that skip. Nothing is left running.
    // Its local backend (`--backend local`; experimental in 0.32.18) talks to the model itself
    // through a provider of one's own: `letta connect openai-compatible` stores it in the
    // local store, with no Letta sign-in.
    prepare: (c) => ({
      before: [["--backend", "local", "connect", "openai-compatible", "--base-url", `${c.model}/v1`, "--api-key", "mock"]],
      args: ["--backend", "local", "-p", PROMPT, "--yolo", "-m", "openai-compatible/mock-model"],
      // Not DO_NOT_TRACK, which Letta honours too: stitch would take it as an opt-out of its own.
      env: { LETTA_CODE_TELEM: "0", DISABLE_AUTOUPDATER: "1" },
    }),
  },
  {
    id: "continue",
    shimPath: "profile",
    name: "Continue CLI",
    pkg: "@continuedev/cli",
    bin: "cn",
    slug: "agent_unknown:node:cn",
    catalogued: false,
    prepare: (c) => {
      const config = join(c.home, "mock-config.yaml");
      writeFileSync(
        config,
        [
          "name: mock",
          "version: 1.0.0",
          "schema: v1",
          "models:",
          "  - name: mock",
          "    provider: openai",
          "    model: mock-model",
          `    apiBase: ${c.model}/v1`,
          "    apiKey: mock",
          "    roles: [chat, edit, apply]",
          "    capabilities: [tool_use]",
          "",
        ].join("\n"),
      );
      return { args: ["-p", PROMPT, "--config", config, "--auto"], env: { CONTINUE_TELEMETRY_ENABLED: "0" } };
    },
  },
  {
    id: "nanocoder",
    name: "Nanocoder",
    pkg: "@nanocollective/nanocoder",
    bin: "nanocoder",
    slug: "agent_unknown:node:nanocoder",
    catalogued: false,
    prepare: (c) => {
      writeFileSync(
        join(c.work, "agents.config.json"),
        JSON.stringify({ nanocoder: { providers: [{ name: "mock", baseUrl: `${c.model}/v1`, apiKey: "mock", models: ["mock-model"] }] } }),
      );
      return { args: ["--provider", "mock", "--model", "mock-model", "--mode", "yolo", "--trust-directory", "--plain", "run", PROMPT], env: {} };
    },
  },
  {
    id: "grok-cli",
    name: "Grok CLI (community)",
    pkg: "@vibe-kit/grok-cli",
    bin: "grok",
    slug: "agent_unknown:node:grok",
    catalogued: false,
    prepare: (c) => ({
      args: ["-p", PROMPT, "--base-url", `${c.model}/v1`, "--api-key", "mock", "--model", "mock-model"],
      env: {},
    }),
  },
];

/** Agents the suite does not drive, and why: docs/agents.md lists them. */
export const NOT_DRIVEN: readonly { name: string; pkg?: string; why: string }[] = [
  {
    name: "Crush",
    pkg: "@charmland/crush",
    why: "its npm package fetches the binary from GitHub when installed; this machine reaches only the npm registry",
  },
  {
    name: "Amp",
    pkg: "@sourcegraph/amp",
    why: "cloud login only: Amp picks and serves its models through ampcode.com, with no setting for a model endpoint of one's own",
  },
  {
    name: "Factory Droid",
    pkg: "@factory/cli",
    why:
      "needs a Factory sign-in even with a model of one's own: 0.225.2 with a custom model (`customModels` in ~/.factory/settings.json) pointed at the mock logs \"[exec-startup] Invalid auth\" and in 90 s sends the mock no request (and 0.225.1's linux-x64 binary package is not in the registry)",
  },
  {
    name: "Cursor agent",
    why: "not on npm: its installer downloads it from cursor.com, and its models are Cursor's (cloud login only)",
  },
  {
    name: "Augment Auggie",
    pkg: "@augmentcode/auggie",
    why: "needs an Augment account (`auggie login`) for its models; not checked for an endpoint setting of its own",
  },
  {
    name: "Qoder CLI",
    pkg: "@qoder-ai/qodercli",
    why:
      "needs a Qoder sign-in for any model: 1.1.52 knows only the auth types `qoder-browser` and `qoder-pat`, and headless it exits \"Not logged in · Please run /login\" " +
      "(NonInteractiveAuthRequiredError) without one; past that check (`security.auth.useExternal`) it still sends every model request, a BYOK model from " +
      "`modelConfigs.customModels` too, to Qoder's own inference service (api2.qoder.sh), and its own-endpoint `providers` are enabled only for a signed-in " +
      "account whose Qoder user status allows BYOK (`canUseCustomProviders`)",
  },
  {
    name: "Every Code, iFlow CLI",
    pkg: "@just-every/code, @iflow-ai/iflow-cli",
    why: "not in the npm registry this machine reaches (404)",
  },
];
