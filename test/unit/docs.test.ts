// The project stands on its own: no page links outside the repository, every link inside it
// resolves (the file, and the heading an anchor names), and nothing tracked refers to a
// file outside the repository.

import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const ROOT = resolve(import.meta.dir, "../..");

function tracked(): string[] {
  const r = Bun.spawnSync(["git", "ls-files", "-z"], { cwd: ROOT });
  if (r.exitCode !== 0) throw new Error("git ls-files failed");
  return r.stdout.toString().split("\0").filter((f) => f !== "" && existsSync(join(ROOT, f)));
}

/** GitHub's heading anchors: lower case, punctuation dropped but for `-` and `_`, spaces to `-`. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, "")
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  let fenced = false;
  for (const line of markdown.split("\n")) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    const m = fenced ? null : /^#{1,6}\s+(.*)$/.exec(line);
    if (!m) continue;
    const base = slug(m[1]!);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** Link targets of a markdown page, outside code blocks and code spans. */
function linksOf(markdown: string): string[] {
  const links: string[] = [];
  let fenced = false;
  for (const line of markdown.split("\n")) {
    if (/^\s*```/.test(line)) {
      fenced = !fenced;
      continue;
    }
    if (fenced) continue;
    const prose = line.replace(/`[^`]*`/g, "");
    for (const m of prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) links.push(m[1]!);
    for (const m of prose.matchAll(/^\s*\[[^\]]+\]:\s*(\S+)/g)) links.push(m[1]!);
    for (const m of prose.matchAll(/\bhref="([^"]+)"/g)) links.push(m[1]!);
  }
  return links;
}

const pages = tracked().filter((f) => f.endsWith(".md"));

describe("documentation links", () => {
  test("the pages checked include the README and docs/", () => {
    expect(pages).toContain("README.md");
    for (const page of ["docs/design.md", "docs/agents.md", "docs/performance.md", "docs/reliability.md", "docs/contributing.md"]) {
      expect(pages).toContain(page);
    }
  });

  for (const page of pages) {
    test(`${page}: every link stays inside the repository and resolves`, () => {
      const text = readFileSync(join(ROOT, page), "utf8");
      const problems: string[] = [];
      for (const link of linksOf(text)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(link)) {
          problems.push(`${link}: outside the repository`);
          continue;
        }
        const [path, anchor] = link.split("#") as [string, string | undefined];
        const target = path === "" ? join(ROOT, page) : resolve(ROOT, dirname(page), decodeURIComponent(path));
        const inside = relative(ROOT, target);
        if (inside.startsWith("..") || inside.startsWith("/")) {
          problems.push(`${link}: outside the repository`);
          continue;
        }
        if (!existsSync(target)) {
          problems.push(`${link}: no such file`);
          continue;
        }
        if (anchor && statSync(target).isFile() && target.endsWith(".md") && !anchorsOf(readFileSync(target, "utf8")).has(anchor)) {
          problems.push(`${link}: no heading #${anchor}`);
        }
      }
      expect(problems).toEqual([]);
    });
  }
});

describe("nothing refers to a file outside the repository", () => {
  // The specification this project started from, and this machine's layout, live outside it.
  const OUTSIDE = [/\bshared\/reference\b/, /\.\.\/shared\b/, /\bSPEC\.md\b/, /\bSPEC §/, /\/work\/(main|shared)\b/];
  test("no tracked file names one", () => {
    const found: string[] = [];
    for (const file of tracked()) {
      if (file.endsWith("package-lock.json") || file === "test/unit/docs.test.ts") continue;
      const bytes = readFileSync(join(ROOT, file));
      if (bytes.includes(0)) continue; // binary
      const text = bytes.toString("utf8");
      for (const pattern of OUTSIDE) if (pattern.test(text)) found.push(`${file}: ${pattern}`);
    }
    expect(found).toEqual([]);
  });
});

describe("the checks themselves", () => {
  test("links are found in prose, not in code", () => {
    expect(linksOf("see [a](docs/a.md#x) and [b](https://example.com)\n`[c](d.md)`\n```\n[e](f.md)\n```\n[ref]: ../g.md")).toEqual([
      "docs/a.md#x",
      "https://example.com",
      "../g.md",
    ]);
  });
  test("GitHub's anchors", () => {
    expect(slug("11. Platforms")).toBe("11-platforms");
    expect(slug("`stitch resolve --json`")).toBe("stitch-resolve---json");
    expect(slug("Caller (§4), first match wins")).toBe("caller-4-first-match-wins");
  });
});
