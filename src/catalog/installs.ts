// Where installed software lives (design §4.3). Of a program's path only its basename and
// the directories that name an installed package count: every other directory may carry
// a user's or a project's name (`/home/cody/bin/deploy` is not Sourcegraph Cody,
// `~/src/opencode-fork/...` is not OpenCode). Each layout below is a place that only a
// package manager, an installer or an editor fills, and names what it installed there as
// `<kind>:<name>`, e.g. `npm:@openai/codex-linux-x64`, `ext:anthropic.claude-code`.

export interface InstallLayout {
  /** The prefix of the names it yields: `npm`, `python`, `ext`, ... */
  readonly kind: string;
  /**
   * The directory names that announce it (lower-cased), outermost first; the installed
   * name is the segment after them. `node_modules` alone; `share/<tool>/versions` is
   * written as ["share", "*", "versions"] with the name taken from the `*`.
   */
  readonly path: readonly string[];
  readonly evidence: string;
}

export const INSTALL_LAYOUTS: readonly InstallLayout[] = [
  {
    kind: "npm",
    path: ["node_modules"],
    evidence: "npm, pnpm, yarn and bun install a package as node_modules/<name> or node_modules/@scope/<name>",
  },
  { kind: "python", path: ["site-packages"], evidence: "pip: <prefix>/lib/pythonX.Y/site-packages/<package>" },
  { kind: "python", path: ["dist-packages"], evidence: "Debian's Python: dist-packages/<package>" },
  { kind: "pipx", path: ["pipx", "venvs"], evidence: "pipx: ~/.local/pipx/venvs/<package>" },
  {
    kind: "ext",
    path: ["extensions"],
    evidence: "VS Code and its forks: ~/.vscode/extensions/<publisher>.<name>-<version>[-<platform>]",
  },
  {
    kind: "versions",
    path: ["share", "*", "versions"],
    evidence:
      "self-updating native installs: Claude Code's ~/.local/share/claude/versions/<version>, Cursor's ~/.local/share/cursor-agent/versions/<version>/",
  },
  { kind: "brew", path: ["cellar"], evidence: "Homebrew formulae: <prefix>/Cellar/<formula>/<version>/" },
  { kind: "brew", path: ["caskroom"], evidence: "Homebrew casks: <prefix>/Caskroom/<cask>/<version>/" },
];

/** A macOS application bundle: `/Applications/Cursor.app/...` is `app:cursor`. */
export const APP_BUNDLE_SUFFIX = ".app";

/** `publisher.name-1.2.3[-linux-x64]` → `publisher.name` (VS Code's extension folders). */
export function extensionId(folder: string): string | undefined {
  const m = /^([a-z0-9][a-z0-9-]*\.[a-z0-9][a-z0-9-]*?)-\d+\.\d+\.\d+/.exec(folder);
  return m?.[1];
}
