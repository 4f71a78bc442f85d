// Where a session id may already be waiting in the environment (design §5.1 and §5.2), in
// precedence order. Values must be safe (design §7): an unsafe one is skipped, not truncated.

export interface SessionVariable {
  readonly name: string;
  /**
   * Values that are not ids, though safe: skipped like an unsafe value. An entry ending in
   * `*` is a prefix (`local-conv-*`).
   */
  readonly unless?: readonly string[];
  readonly evidence: string;
}

/**
 * Ids handed over explicitly: by a caller, or by an outer stitch (nesting keeps the id).
 * They are also the variables the command's environment gains (design §3): what stitch
 * sets is what the next stitch, or railway, reads first.
 */
export const EXPLICIT_SESSION_VARIABLES: readonly SessionVariable[] = [
  { name: "RAILWAY_AGENT_SESSION_ID", evidence: "stitch's primary contract (design §3)" },
  { name: "RAILWAY_AGENT_SESSION", evidence: "what shipped railway CLIs read first" },
];

/** Ids the agent harnesses export themselves. */
export const HARNESS_SESSION_VARIABLES: readonly SessionVariable[] = [
  { name: "COPILOT_AGENT_SESSION_ID", evidence: "claimed (Railway)" },
  {
    name: "CLAUDE_CODE_SESSION_ID",
    evidence: "verified live (Claude Code 2.1.328): UUID v4, the same in every Bash call of a conversation",
  },
  {
    // Set by Claude Code on the web's host for the claude process, inherited by its shells;
    // Claude Code's own CLAUDE_CODE_SESSION_ID, before it, is always there too, so this one
    // answers only where a wrapper stripped that. One per web session, kept across /clear.
    name: "CLAUDE_CODE_REMOTE_SESSION_ID",
    evidence: "found in @anthropic-ai/claude-code 2.1.331 (strings of the binary): session_<id> or cse_<id>, per claude.ai/code session, not removed from the Bash tool's environment; not seen live",
  },
  { name: "CODEX_THREAD_ID", evidence: "verified live (Codex 0.169.0): UUID v7 per thread, in every exec" },
  {
    // Added to Railway's list on evidence: Codex 0.169.0 sets it to the thread id, so
    // it can only agree with CODEX_THREAD_ID, and it still stitches if that one goes away.
    name: "CODEX_SESSION_ID",
    evidence: "verified live (Codex 0.169.0): the same value as CODEX_THREAD_ID",
  },
  {
    name: "OPENCODE_RUN_ID",
    evidence: "Railway live capture (May 2026); absent in OpenCode 1.18.33's bash tool",
  },
  { name: "AMP_CURRENT_THREAD_ID", evidence: "verified by Railway live capture and in @ampcode/cli's package" },
  {
    // Added to Railway's list on evidence from the live suite (docs/agents.md).
    name: "QWEN_CODE_SESSION_ID",
    evidence: "verified live (Qwen Code 0.24.4): UUID v4, the same in every shell call of a conversation",
  },
  {
    // Added to Railway's list on evidence. Not ids: `default`, the agent's default
    // conversation (and its subagents'), shared by every run of every agent; and the local
    // backend's `local-conv-<n>`, numbered from 1 in each store, so the same on every
    // machine. Those calls get their id from the store instead.
    name: "LETTA_CONVERSATION_ID",
    unless: ["default", "local-conv-*"],
    evidence:
      "verified in @letta-ai/letta-code 0.32.18 (getShellEnv) and live: conv-<id> per conversation (cloud), local-conv-<n> counting up per store (--backend local)",
  },
  {
    // A new id (its parent recorded) when Hermes compresses a long conversation's context.
    name: "HERMES_SESSION_ID",
    evidence: "verified in NousResearch/hermes-agent (agent_init_session.py, tools/environments/local.py): per session, kept on --resume, rotated on context compression; not seen live",
  },
  { name: "CURSOR_TRACE_ID", evidence: "Railway: not exported to the agent's shell today; forward compatibility" },
  { name: "AGENT_THREAD_ID", evidence: "cross-agent convention (Amp and others), Railway" },
];
