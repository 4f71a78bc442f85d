// BENCH_BASELINE=<commit> (bench/run.ts, bench/instructions.ts): that commit's stitch, built
// the way it shipped, to run side by side with this checkout's.

import { copyFileSync, mkdirSync, symlinkSync } from "node:fs";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dir, "..");

/**
 * The commit checked out in a temporary worktree under `work` (node_modules linked from this
 * checkout), built by its own build.ts; the binary is kept as `work/baseline/stitch`, under
 * the name `stitch` (a stitch called by another name is a shim).
 */
export function buildBaseline(commit: string, work: string): { binary: string; label: string } {
  const git = (...args: string[]) => Bun.spawnSync(["git", "-C", ROOT, ...args], { stdio: ["ignore", "pipe", "inherit"] });
  const rev = git("rev-parse", "--short=12", `${commit}^{commit}`);
  if (rev.exitCode !== 0) throw new Error(`BENCH_BASELINE=${commit}: not a commit of this repository`);
  const label = rev.stdout.toString().trim();
  const tree = join(work, "baseline-tree");
  if (git("worktree", "add", "--detach", tree, label).exitCode !== 0) throw new Error(`could not check out ${label}`);
  try {
    symlinkSync(join(ROOT, "node_modules"), join(tree, "node_modules"));
    const r = Bun.spawnSync([join(ROOT, "node_modules/.bin/bun"), "build.ts"], { cwd: tree, stdio: ["ignore", "ignore", "inherit"] });
    if (r.exitCode !== 0) throw new Error(`could not build ${label}`);
    mkdirSync(join(work, "baseline"));
    const binary = join(work, "baseline/stitch");
    copyFileSync(join(tree, "dist/stitch"), binary);
    return { binary, label };
  } finally {
    git("worktree", "remove", "--force", tree);
  }
}
