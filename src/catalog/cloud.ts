// Cloud IDEs and hosted workspaces (design §4.5): like an IDE host, they say where a command
// runs, not who runs it: `tty:<host>` at a terminal, `cloud_ide:<host>` otherwise. First
// matching row wins. Source: Railway's CLI (telemetry.rs, layer 2).

import type { Condition } from "./condition.ts";

export interface CloudRow {
  readonly slug: string;
  readonly when: readonly Condition[];
  readonly evidence: string;
}

export const CLOUD_IDES: readonly CloudRow[] = [
  { slug: "replit", when: [{ env: "REPL_ID" }, { env: "REPLIT_USER" }], evidence: "Railway" },
  { slug: "codespaces", when: [{ env: "CODESPACES", truthy: true }], evidence: "GitHub docs, Railway" },
  {
    slug: "cloud_shell",
    when: [{ env: "CLOUD_SHELL", truthy: true }, { env: "EDITOR_IN_CLOUD_SHELL" }],
    evidence: "Railway",
  },
  { slug: "firebase_studio", when: [{ env: "MONOSPACE_ENV" }], evidence: "Railway" },
  { slug: "antigravity", when: [{ env: "ANTIGRAVITY_CLI_ALIAS" }], evidence: "Railway" },
];
