// Imports only run downwards (docs/contributing.md, "Floors"). The decision logic must run
// in unit tests with a fake World, and a helper that catalog, proc or store need must not
// live in resolve/: an upward import is how a data table starts to depend on the resolver,
// or the store on the CLI. So every module of src/ sits on a floor, and may import only from
// its own floor or a lower one. Every kind of import counts: static (`import`, `export ...
// from`, `import type`, which ties the two floors' types just as well), `require(...)` and
// `import(...)`, lazy or not: a lazy require defers the cost, not the dependency.

import { expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";

const SRC = join(import.meta.dir, "../../src");

/** src-relative path prefix → floor, lowest first, as docs/contributing.md numbers them. A new top-level module must be given one. */
const FLOORS: readonly (readonly [prefix: string, floor: number])[] = [
  // 1, the ground: pure helpers with no imports of their own, needed on every floor.
  ["text.ts", 1], // char-code string helpers (no RegExp on the per-call path)
  ["path.ts", 1], // platform paths: absolute or not, joining
  ["env.ts", 1], // the Env type
  ["safe.ts", 1], // design §7: which values from outside are used at all
  ["hash.ts", 1],
  ["build-info.ts", 1], // the version and commit compiled in, or a run from source
  // 2: the machine through FFI or node:fs; knows nothing of agents.
  ["sys/", 2],
  // 3: data and readers of the process table, each knowing only the ground and the machine.
  ["catalog/", 3], // data only: rows and the small languages they are written in
  ["proc/", 3], // process sources and their parsers
  ["bun-executable.ts", 3], // reading a Bun executable's embedded module names
  ["self.ts", 3], // what counts as stitch itself (§12)
  ["path-search.ts", 3], // the one PATH search (§10): where a command name may be
  // 4: the adapters behind the World that read or write the agents' and Railway's files.
  ["store/", 4],
  ["records/", 4],
  // 5: the World, which names the adapters' types.
  ["world.ts", 5],
  // 6: the pure resolver, (World) → Resolution.
  ["resolve/", 6],
  // 7: what puts a resolution to use: the subcommands, the exec path, the real World, the libraries.
  ["cli/", 7],
  ["exec.ts", 7],
  ["real-world.ts", 7],
  ["lib.ts", 7],
  ["lib-bun.ts", 7],
  // 8: argv → subcommand; the one place that prints and exits.
  ["main.ts", 8],
];

function floorOf(path: string): number | undefined {
  let best: readonly [string, number] | undefined;
  for (const row of FLOORS) {
    const [prefix] = row;
    if ((path === prefix || (prefix.endsWith("/") && path.startsWith(prefix))) && (!best || prefix.length > best[0].length)) best = row;
  }
  return best?.[1];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

/** Every module specifier the file names: static imports and re-exports, require(), import(). */
export function specifiersOf(text: string): string[] {
  // Comment lines may quote an import as an example; they load nothing.
  const code = text
    .split("\n")
    .filter((line) => !/^\s*(\/\/|\*|\/\*)/.test(line))
    .join("\n");
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^;"'`]*?\bfrom\s*["']([^"']+)["']/g, // import x from "m", export { x } from "m"
    /\bimport\s*["']([^"']+)["']/g, // import "m"
    /\b(?:require|import)\s*\(\s*["']([^"']+)["']\s*\)/g, // require("m"), import("m"), typeof import("m")
  ];
  for (const p of patterns) for (const m of code.matchAll(p)) found.push(m[1]!);
  return found;
}

/** Every import from src/ into src/, as [importer, imported], paths relative to src/. */
function edges(): [string, string][] {
  const out: [string, string][] = [];
  for (const file of sourceFiles(SRC)) {
    const from = relative(SRC, file);
    for (const spec of specifiersOf(readFileSync(file, "utf8"))) {
      if (!spec.startsWith(".")) continue; // a package or a runtime module
      const to = relative(SRC, normalize(join(dirname(file), spec)));
      if (to.startsWith("..")) continue; // ../package.json
      out.push([from, to]);
    }
  }
  return out;
}

test("every module of src/ has a floor", () => {
  const unplaced = sourceFiles(SRC)
    .map((f) => relative(SRC, f))
    .filter((f) => floorOf(f) === undefined);
  expect(unplaced).toEqual([]);
});

test("imports only run downwards: no module imports from a higher floor", () => {
  const upwards = edges()
    .filter(([from, to]) => floorOf(to)! > floorOf(from)!)
    .map(([from, to]) => `${from} (${floorOf(from)}) → ${to} (${floorOf(to)})`);
  expect(upwards).toEqual([]);
});

test("the scanner sees every kind of import (so the test above can fail)", () => {
  const text = [
    `import { a } from "./a.ts";`,
    `import type { B } from "../b.ts";`,
    `export { c } from "./c.ts";`,
    `import {\n  d,\n  e,\n} from "./d.ts";`,
    `const f = require("./f.ts") as typeof import("./g.ts");`,
    `const h = await import("./h.ts");`,
    `// import { no } from "./comment.ts";`,
  ].join("\n");
  expect(specifiersOf(text).sort()).toEqual(["../b.ts", "./a.ts", "./c.ts", "./d.ts", "./f.ts", "./g.ts", "./h.ts"]);
  expect(floorOf("resolve/caller.ts")).toBe(6);
  expect(floorOf("catalog/agents.ts")).toBeLessThan(floorOf("resolve/caller.ts")!);
});
