// The ancestor residue (design §4.8): the name of what drives an unnamed agent, and never a
// fragment of anything private: no directory, no argument value, no inline code. Checked
// on exact argv (/proc) and on `ps` lines split on spaces.

import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { Ancestry } from "../../src/resolve/ancestry.ts";
import { ancestorResidue, residueOf } from "../../src/resolve/residue.ts";
import { FakeProcesses } from "../support/fake-world.ts";

const exact = (...argv: string[]) => residueOf(argv, true);
/** As `ps` shows it: argv joined by spaces, then split. */
const fromPs = (...argv: string[]) => residueOf(argv.join(" ").split(/\s+/), false);
const both = (...argv: string[]) => [exact(...argv), fromPs(...argv)];

describe("the program's own name", () => {
  test("an executable: its basename, without .exe", () => {
    expect(both("/home/jane/.local/bin/acme-agent", "--task", "x")).toEqual(["acme-agent", "acme-agent"]);
    expect(exact("C:\\Users\\jane\\AppData\\Local\\acme\\Acme-Agent.exe")).toBe("Acme-Agent");
    expect(exact("C:\\Users\\jane\\AppData\\Local\\acme\\Acme-Agent.EXE")).toBe("Acme-Agent");
  });
  test("a script under node_modules: its package, scope kept, .bin skipped", () => {
    expect(both("node", "/home/jane/proj/node_modules/@acme/agent-kit/dist/cli.js", "run")).toEqual(["@acme/agent-kit", "@acme/agent-kit"]);
    expect(both("node", "/home/jane/proj/node_modules/.bin/agent-kit")).toEqual(["agent-kit", "agent-kit"]);
    expect(exact("node", "C:\\Users\\jane\\AppData\\Roaming\\npm\\node_modules\\@acme\\kit\\cli.js")).toBe("@acme/kit");
  });
  test("another script: its basename without the extension", () => {
    expect(both("python3", "/srv/jane/tools/review_bot.py", "--model", "secret-model")).toEqual(["review_bot", "review_bot"]);
    expect(both("/bin/sh", "/home/jane/bin/nightly-agent")).toEqual(["nightly-agent", "nightly-agent"]);
  });
  test("package runners: the verb stepped over, the package or script named", () => {
    expect(exact("uv", "run", "agent.py")).toBe("agent");
    expect(exact("uvx", "some-agent@1.2.3")).toBe("some-agent");
    expect(exact("pipx", "run", "some-agent")).toBe("some-agent");
    expect(exact("npx", "@acme/kit")).toBe("@acme/kit");
    expect(exact("bun", "x", "acme-kit")).toBe("acme-kit");
    expect(exact("npm", "run", "dev")).toBeUndefined(); // a package.json script: the user's word
    expect(exact("pnpm", "run", "agent")).toBeUndefined();
  });
  test("a bare word's script extension is dropped in any case; another extension is the package's", () => {
    expect(exact("uv", "run", "Agent.PY")).toBe("Agent");
    for (const ext of [".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".py", ".rb", ".pl", ".sh", ".Sh"]) expect(exact("uvx", `tool${ext}`)).toBe("tool");
    for (const word of ["some.tool", "tool.jsx", "tool.bash", "tool.pyc", "tool.xts"]) expect(exact("uvx", word)).toBe(word);
  });
});

describe("never anything private", () => {
  test("a flag before the script ends the attempt (its value could be next); inline code gives nothing", () => {
    for (const argv of [
      ["node", "--require", "/home/jane/hook.js", "agent.js"],
      ["node", "--title", "jane-secret", "agent.js"],
      ["python3", "-u", "agent.py"],
      ["node", "-e", "require('x')"],
      ["python3", "-c", "import os"],
      ["bash", "-c", "acme-agent run"],
      ["pwsh", "-Command", "acme"],
      ["cmd", "/c", "acme"],
      ["cmd", "/C", "acme"],
      ["cmd.exe", "/?"],
      ["powershell", "/Z", "acme"],
      ["npx", "-y", "@acme/kit"],
      ["node"],
      ["node", "-"],
    ]) {
      expect({ argv, residue: exact(...argv) }).toEqual({ argv, residue: undefined });
    }
  });
  test("generic and one-letter names say nothing", () => {
    for (const argv of [["node", "/srv/app/index.js"], ["python3", "main.py"], ["/usr/bin/x"], ["node", "/x/cli.mjs"], ["/usr/bin/node"]]) {
      expect({ argv, residue: exact(...argv) }).toEqual({ argv, residue: undefined });
    }
  });
  test("a ps line cut at a space gives nothing: the word may be half a directory", () => {
    expect(fromPs("/Users/Jane Doe/bin/agent", "--x")).toBeUndefined();
    expect(fromPs("node", "/Users/Jane Doe/agent.js")).toBeUndefined();
    expect(exact("/Users/Jane Doe/bin/acme-agent")).toBe("acme-agent"); // exact argv: the basename is whole
  });
  test("sanitised to design §7 (no `:`, which separates the caller's segments), bounded", () => {
    expect(exact("/opt/my agent")).toBe("my_agent");
    expect(exact("/opt/a:b")).toBe("a_b");
    // One `_` per character, a character beyond the BMP (two UTF-16 units) included.
    expect(exact("/opt/café-agent")).toBe("caf_-agent");
    expect(exact("/opt/a\u{1F600}b")).toBe("a_b");
    expect(exact("/opt/x\u0000y+z")).toBe("x_y_z");
    expect(exact(`/opt/${"a".repeat(100)}`)).toHaveLength(64);
  });
  test("property: a secret in a directory or an argument never reaches the residue", () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9]{3,12}$/).map((s) => `S3cr${s}`);
    const shapes = (s: string): string[][] => [
      [`/home/${s}/bin/prog`, s],
      ["node", `/home/${s}/proj/tool.js`, "--x", s],
      ["python3", `/srv/${s}/x.py`, s],
      [`/opt/${s}/node_modules/.bin/tool`],
      ["node", `/home/${s}/node_modules/@acme/kit/index.js`, s],
      ["uv", "run", `/home/${s}/agent.py`, s],
      ["bash", `/home/${s}/run.sh`, s],
      ["npm", "run", s],
      ["node", "--require", `/home/${s}/x.js`, "agent.js"],
      [`/Users/${s} x/bin/agent`, "--x"],
    ];
    fc.assert(
      fc.property(secret, (s) => {
        for (const argv of shapes(s)) {
          for (const residue of [exact(...argv), fromPs(...argv)]) expect(residue ?? "").not.toContain(s);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("the walk", () => {
  const walk = (rows: { pid: number; ppid: number; argv: string[] }[]) => ancestorResidue(new Ancestry(new FakeProcesses(rows), 1000, rows[0]!.pid));
  test("transient wrappers, terminals, multiplexers, IDE hosts and build wrappers are walked past", () => {
    expect(
      walk([
        { pid: 999, ppid: 998, argv: ["/bin/bash", "-c", "stitch railway up"] },
        { pid: 998, ppid: 997, argv: ["env", "FOO=1", "make", "deploy"] },
        { pid: 997, ppid: 996, argv: ["make", "deploy"] },
        { pid: 996, ppid: 995, argv: ["node", "/usr/lib/node_modules/@acme/agent-kit/cli.js"] },
        { pid: 995, ppid: 1, argv: ["tmux"] },
      ]),
    ).toBe("@acme/agent-kit");
    expect(
      walk([
        { pid: 999, ppid: 998, argv: ["sh", "-c", "x"] },
        { pid: 998, ppid: 997, argv: ["tmux", "new", "-s", "secret"] },
        { pid: 997, ppid: 1, argv: ["/usr/share/code/code", "--type=utility"] },
      ]),
    ).toBeUndefined();
  });
  test("the nearest driver only: a lost residue is not looked for further up", () => {
    expect(
      walk([
        { pid: 999, ppid: 998, argv: ["node", "/srv/app/index.js"] },
        { pid: 998, ppid: 1, argv: ["/usr/local/bin/acme-agent"] },
      ]),
    ).toBeUndefined();
  });
});
