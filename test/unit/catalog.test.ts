import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { AGENTS } from "../../src/catalog/agents.ts";
import { CI_VENDORS } from "../../src/catalog/ci.ts";
import { CLOUD_IDES } from "../../src/catalog/cloud.ts";
import { holds, isTruthy } from "../../src/catalog/condition.ts";
import { HOST_PROCESSES, HOSTS } from "../../src/catalog/hosts.ts";
import { EXPLICIT_SESSION_VARIABLES, HARNESS_SESSION_VARIABLES } from "../../src/catalog/session-variables.ts";
import { WRAPPERS } from "../../src/catalog/wrappers.ts";
import { ciSlug, ciVendorOf } from "../../src/resolve/ci.ts";
import { isOneOrTrue } from "../../src/resolve/optout.ts";
import { safeValue } from "../../src/safe.ts";
import { asciiLower } from "../../src/text.ts";

const SLUG = /^[a-z0-9_]+$/;

describe("catalog rows", () => {
  test("agents: unique Railway-style slugs, evidence on every row", () => {
    const slugs = AGENTS.map((a) => a.slug);
    expect(new Set(slugs).size).toBe(slugs.length);
    for (const a of AGENTS) {
      expect(a.slug).toMatch(SLUG);
      expect(a.evidence.length).toBeGreaterThan(5);
      expect(a.when.length + (a.process ? 1 : 0)).toBeGreaterThan(0);
    }
    for (const slug of ["claude_code", "codex", "opencode", "amp", "cursor", "copilot_cli", "gemini_cli", "factory_droid", "pi"]) {
      expect(slugs).toContain(slug);
    }
  });
  test("hosts and cloud IDEs: slugs and evidence", () => {
    for (const row of [...HOSTS, ...CLOUD_IDES, ...HOST_PROCESSES]) {
      expect(row.slug).toMatch(SLUG);
      expect(row.evidence.length).toBeGreaterThan(0);
    }
    for (const row of WRAPPERS) expect(row.programs.length).toBeGreaterThan(0);
  });
  test("session variables: design §5.2 order (Railway's, with CLAUDE_CODE_REMOTE_SESSION_ID, CODEX_SESSION_ID, QWEN_CODE_SESSION_ID, LETTA_CONVERSATION_ID and HERMES_SESSION_ID added on evidence)", () => {
    expect(EXPLICIT_SESSION_VARIABLES.map((s) => s.name)).toEqual(["RAILWAY_AGENT_SESSION_ID", "RAILWAY_AGENT_SESSION"]);
    expect(HARNESS_SESSION_VARIABLES.map((s) => s.name)).toEqual([
      "COPILOT_AGENT_SESSION_ID",
      "CLAUDE_CODE_SESSION_ID",
      "CLAUDE_CODE_REMOTE_SESSION_ID",
      "CODEX_THREAD_ID",
      "CODEX_SESSION_ID",
      "OPENCODE_RUN_ID",
      "AMP_CURRENT_THREAD_ID",
      "QWEN_CODE_SESSION_ID",
      "LETTA_CONVERSATION_ID",
      "HERMES_SESSION_ID",
      "CURSOR_TRACE_ID",
      "AGENT_THREAD_ID",
    ]);
  });
});

describe("ci-info's vendors.json read as data", () => {
  test("every row has a condition form the engine knows", () => {
    const known = (c: unknown): boolean =>
      typeof c === "string" ||
      (Array.isArray(c) && c.every(known)) ||
      (typeof c === "object" && c !== null && ("any" in c || ("env" in c && "includes" in c) || Object.values(c).every((x) => typeof x === "string")));
    for (const vendor of CI_VENDORS) {
      expect(known(vendor.env)).toBe(true);
      expect(ciSlug(vendor)).toMatch(SLUG);
    }
    expect(CI_VENDORS.length).toBeGreaterThan(50);
  });

  test("agrees with ci-info's own engine for every vendor", () => {
    // ci-info reads process.env once, when loaded: run its own index.js afresh under each
    // environment, with its own vendors.json.
    const dir = `${import.meta.dir}/../../node_modules/ci-info`;
    const source = readFileSync(`${dir}/index.js`, "utf8");
    const vendors = JSON.parse(readFileSync(`${dir}/vendors.json`, "utf8"));
    const ciInfo = (env: Record<string, string>) => {
      const module = { exports: {} as { id: string | null } };
      const load = new Function("module", "exports", "require", "process", source);
      load(module, module.exports, (p: string) => (p === "./vendors.json" ? vendors : undefined), { env });
      return module.exports;
    };
    const envFor = (c: unknown): Record<string, string> => {
      if (typeof c === "string") return { [c]: "1" };
      if (Array.isArray(c)) return Object.assign({}, ...c.map(envFor));
      const o = c as Record<string, unknown>;
      if ("any" in o) return { [(o.any as string[])[0]!]: "1" };
      if ("env" in o && "includes" in o) return { [o.env as string]: `x${o.includes as string}x` };
      return o as Record<string, string>;
    };
    for (const vendor of CI_VENDORS.filter((v) => v.constant !== "RAILWAY")) {
      const env = envFor(vendor.env);
      expect([vendor.constant, ciVendorOf(env)?.constant]).toEqual([vendor.constant, ciInfo(env).id ?? undefined]);
    }
    expect(ciInfo({}).id).toBeNull();
    expect(ciVendorOf({})).toBeUndefined();
  });

  test("CI=false switches every vendor off, as in ci-info", () => {
    expect(ciVendorOf({ GITHUB_ACTIONS: "true", CI: "false" })).toBeUndefined();
  });
});

describe("small pieces", () => {
  test("safe values (design §7)", () => {
    expect(safeValue(" a.b_c:d@e/f-1 ")).toBe("a.b_c:d@e/f-1");
    expect(safeValue("x".repeat(256))).toBe("x".repeat(256));
    for (const bad of [undefined, "", "   ", "x".repeat(257), "a b", "a\tb", "é", "a\0b", "$(x)", "a;b", "a,b", "a=b"]) {
      expect(safeValue(bad)).toBeUndefined();
    }
  });
  test("1/true and truthy", () => {
    expect(["1", "true", "TRUE", " True "].every(isOneOrTrue)).toBe(true);
    expect(["", "0", "yes", "false", undefined].some(isOneOrTrue)).toBe(false);
    expect(["1", "true", "yes", "anything"].every(isTruthy)).toBe(true);
    expect(["", "0", "false", "FALSE", "no", "off", undefined].some(isTruthy)).toBe(false);
  });
  test("ASCII-only lower-casing, like Rust's to_ascii_lowercase", () => {
    expect(asciiLower("ÀBC/Claude")).toBe("Àbc/claude");
  });
  test("conditions", () => {
    const ctx = (env: Record<string, string>, atTerminal = false) => ({ env, atTerminal });
    expect(holds({ env: "A" }, ctx({ A: "x" }))).toBe(true);
    expect(holds({ env: "A" }, ctx({ A: "" }))).toBe(false);
    expect(holds({ env: "A", equals: "amp" }, ctx({ A: " AMP " }))).toBe(true);
    expect(holds({ all: [{ env: "A" }, { atTerminal: true }] }, ctx({ A: "1" }, false))).toBe(false);
    expect(holds({ any: [{ env: "B" }, { atTerminal: true }] }, ctx({}, true))).toBe(true);
  });
});
