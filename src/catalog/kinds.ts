// What kind of program the immediate parent is, for `agent_unknown:<kind>` (design §4.7):
// even an unidentified harness then says whether a shell, a Node or a Python program drove
// the call. Matched on argv0's basename, without a login shell's leading `-` and without a
// version suffix (`python3.12`, `node22`).

import { withoutLoginDash, withoutVersionSuffix } from "../text.ts";

export const PARENT_KINDS: Readonly<Record<string, readonly string[]>> = {
  shell: ["sh", "bash", "zsh", "fish", "dash", "ksh", "mksh", "ash", "tcsh", "csh", "nu", "elvish", "xonsh"],
  node: ["node", "nodejs", "deno", "bun", "npm", "npx", "pnpm", "yarn", "bunx"],
  python: ["python", "uv", "uvx", "pipx"],
  ruby: ["ruby", "irb"],
  go: ["go"],
  jvm: ["java", "kotlin", "scala"],
  perl: ["perl"],
  // argv0 without `.exe`: `cmd.exe` is `cmd` (Railway's table says `cmd.exe`).
  powershell: ["powershell", "pwsh", "cmd"],
};

/** The shells (argv0 names) that read their arguments as a POSIX shell does: `-c`, a script file. */
export const SHELLS: readonly string[] = PARENT_KINDS.shell!;

/** The kind of a program from its argv0 basename (already lower-cased), if known. */
export function kindOf(base: string): string | undefined {
  const name = withoutLoginDash(base);
  const unversioned = withoutVersionSuffix(name);
  for (const kind in PARENT_KINDS) {
    const names = PARENT_KINDS[kind]!;
    if (names.includes(name) || names.includes(unversioned)) return kind;
  }
  return undefined;
}
