// The README's shell blocks, as the tests that run them read them (test/e2e/readme.test.ts
// runs every one; test/install/install.test.ts runs the first, the quick start, with each npm).

import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dir, "../..");

/** The README's fenced blocks tagged `sh`, their common indentation removed. */
export function shellBlocks(markdown: string = readFileSync(join(ROOT, "README.md"), "utf8")): string[] {
  const blocks: string[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```sh\s*$/.exec(lines[i]!);
    if (!open) continue;
    const indent = open[1]!.length;
    const body: string[] = [];
    for (i++; i < lines.length && !/^\s*```\s*$/.test(lines[i]!); i++) body.push(lines[i]!.slice(indent));
    blocks.push(body.join("\n"));
  }
  return blocks;
}
