// What every call loads (docs/performance.md, "What loads at start-up"). The modules main.ts
// reaches by static imports are evaluated when stitch starts, on every call, whatever the
// call needs; everything else is loaded where it is needed, by a `require` or an `import()`
// on its path. So this list is the one place that says what the start-up path holds: a
// static import that pulls a new module onto it fails here, and is added on purpose, with
// its cost measured (`npm run bench:instructions`, BENCH_BASELINE=<commit>).

import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";

const SRC = join(import.meta.dir, "../../src");

/** src-relative → why it must load on every call. */
const START_UP: Readonly<Record<string, string>> = {
  "main.ts": "the entry point",
  "build-info.ts": "the version, and whether this is a run from source (argv0 is a shim's name only in a binary)",
  "cli/args.ts": "argv → subcommand",
  "cli/run.ts": "the wrap path: resolve, then the command's argv and environment",
  "exec.ts": "the exec itself",
  "path-search.ts": "finding the command on PATH",
  "self.ts": "a shim never runs a stitch (§12): names and files",
  "real-world.ts": "the World's adapters (each loads its own module on first use)",
  "resolve/resolution.ts": "the resolver",
  "resolve/ancestry.ts": "the walk, asked lazily",
  "resolve/anchor.ts": "the anchor of a conversation",
  "resolve/caller.ts": "the caller's first layers (the later ones are required on their path)",
  "resolve/optout.ts": "the opt-out, checked before an id is given",
  "resolve/terminal.ts": "the terminal verdict, asked by the CI and human paths (a chunk of its own would cost them more than it saves the others)",
  "resolve/session.ts": "the session's first layers (records and store are required on their path)",
  "catalog/agents.ts": "the agents' markers, read on every call",
  "catalog/condition.ts": "how a marker is matched",
  "catalog/session-variables.ts": "the harness variables (§5.2)",
  "store/location.ts": "where the sessions are (a path, no I/O)",
  "sys/abi.ts": "this target's flags and offsets for FFI",
  "sys/cstrings.ts": "argv and environment as bytes",
  "sys/descriptors.ts": "the caller's descriptors, listed before stitch opens any",
  "sys/errno.ts": "errno names",
  "sys/libc.ts": "execve and the file calls through bun:ffi",
  "sys/raw.ts": "the environment block, read once",
  "sys/sys.ts": "the file-system adapter's interface",
  "path.ts": "platform paths",
  "safe.ts": "which values from outside are used at all",
  "text.ts": "char-code string helpers",
};

/** Static imports only (`import ... from`, `export ... from`), not `import type`: what is evaluated at start. */
function staticImports(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?\bfrom\s*["']([^"']+)["']/gms)) found.push(m[1]!);
  for (const m of text.matchAll(/^import\s*["']([^"']+)["']/gm)) found.push(m[1]!);
  return found;
}

function startUpGraph(): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    const name = relative(SRC, file);
    if (seen.has(name)) return;
    seen.add(name);
    for (const spec of staticImports(readFileSync(file, "utf8"))) {
      if (!spec.startsWith(".") || !spec.endsWith(".ts")) continue; // bun:ffi, package.json
      visit(normalize(join(dirname(file), spec)));
    }
  };
  visit(join(SRC, "main.ts"));
  return [...seen].sort();
}

test("the modules every call loads are exactly the listed ones", () => {
  expect(startUpGraph()).toEqual(Object.keys(START_UP).sort());
});

test("the scanner sees a static import and skips a type-only one (so the test above can fail)", () => {
  expect(staticImports('import { a } from "./a.ts";\nimport type { B } from "./b.ts";\nexport { c } from "./c.ts";\nimport "./d.ts";\nconst e = require("./e.ts");')).toEqual(["./a.ts", "./c.ts", "./d.ts"]);
});
