// The README's two commands on a fresh copy of the repository, with each npm in use: npm 10
// (what Node 20 ships), npm 11 (11.16+ warns about dependencies' install scripts) and npm 12
// (the registry's `latest`: it runs a dependency's install script only when package.json's
// `allowScripts` names it, and Bun's postinstall is what makes node_modules/.bin/bun work).
// For every version the first command (install, build, wrap a real command) must work;
// with npm 12 the second (`npm test`) runs too. The system npm runs the second command in
// .ci/run's own `npm test`. Needs the npm registry (`npm run test:install`; .ci/run runs it).

import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, shellBlocks } from "../support/readme.ts";

const work = mkdtempSync(join(tmpdir(), "stitch-install-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The npm versions tried: the newest of each major in use (12: the registry's latest). */
const NPMS = ["10.9.9", "11.19.1", "12.2.3"] as const;

// The quick start: the README's first shell block, its two commands.
const [install = "", tests = ""] = shellBlocks()[0]?.split("\n") ?? [];

/** The shared npm cache (the packages are the same for every copy), else a fresh one. */
const cache = Bun.spawnSync(["npm", "config", "get", "cache"]).stdout.toString().trim() || join(work, "npm-cache");

function sh(command: string, cwd: string, env: Record<string, string>, timeout = 600_000) {
  const r = Bun.spawnSync(["bash", "-e", "-c", command], { cwd, env, stdio: ["ignore", "pipe", "pipe"], timeout });
  return { status: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

/** npm `version`, unpacked from the registry, first on a PATH of its own. */
function npmOf(version: string): string {
  const dir = join(work, `npm-${version}`);
  const bin = join(dir, "bin");
  mkdirSync(bin, { recursive: true });
  const packed = sh(`npm pack --silent npm@${version} --pack-destination . && tar xzf npm-${version}.tgz`, dir, { PATH: process.env.PATH!, HOME: work, npm_config_cache: cache });
  if (packed.status !== 0) throw new Error(`cannot fetch npm ${version} from the registry:\n${packed.stderr}`);
  for (const tool of ["npm", "npx"]) writeFileSync(join(bin, tool), `#!/bin/sh\nexec node ${join(dir, "package/bin", `${tool}-cli.js`)} "$@"\n`, { mode: 0o755 });
  return bin;
}

/**
 * A fresh clone of the repository, with the working tree's changes laid over it and staged
 * (on CI's clean checkout there are none), so that what is tested is what would be committed.
 */
function freshClone(name: string): string {
  const dest = join(work, name);
  const files = "git ls-files -z --cached --others --exclude-standard";
  // --ignore-failed-read: a tracked file deleted in the working tree is not copied.
  const cloned = sh(
    `git clone --quiet --no-hardlinks . ${JSON.stringify(dest)} && ${files} | tar --null --ignore-failed-read -cf - -T - 2>/dev/null | tar -xf - -C ${JSON.stringify(dest)} && git -C ${JSON.stringify(dest)} add -A`,
    ROOT,
    { PATH: process.env.PATH!, HOME: work },
  );
  if (cloned.status !== 0) throw new Error(`cannot clone the repository:\n${cloned.stderr}`);
  return dest;
}

describe("the README's two commands, with each npm", () => {
  test("the README opens with the two commands this suite runs", () => {
    expect(install).toStartWith("npm install && npm run build && ");
    expect(tests).toBe("npm test");
  });

  for (const version of NPMS) {
    const major = version.split(".")[0];
    test(`npm ${major} (${version}): install, build and wrap a real command${major === "12" ? "; then the tests" : ""}`, () => {
      const bin = npmOf(version);
      const repo = freshClone(`repo-npm-${version}`);
      const env = {
        PATH: `${bin}:${process.env.PATH}`,
        HOME: join(work, `home-${version}`),
        npm_config_cache: cache,
        npm_config_audit: "false",
        npm_config_fund: "false",
        RAILWAY_SESSIONS_DIR: join(work, `sessions-${version}`),
        ...(process.env.STITCH_CI ? { STITCH_CI: process.env.STITCH_CI } : {}),
      };
      mkdirSync(env.HOME);
      expect(sh("npm --version", repo, env).stdout.trim()).toBe(version);
      const first = sh(install, repo, env);
      expect(first.stderr).not.toContain("postinstall script was not run");
      expect(first.stderr).not.toContain("stitch:");
      expect({ status: first.status, line: /^caller (\S+), session (\S+)$/m.exec(first.stdout)?.[1] }).toEqual({ status: 0, line: "claude_code" });
      if (major === "12") {
        const second = sh(tests, repo, env, 900_000);
        const summary = `${second.stdout}\n${second.stderr}`;
        const failures = summary.split("\n").filter((line) => /^\(fail\)|^error:|Unhandled error/.test(line));
        if (second.status !== 0) throw new Error(`npm test with npm ${version} failed (${second.status}):\n${failures.join("\n")}\n...\n${summary.slice(-1500)}`);
        expect(summary).toMatch(/^ *0 fail$/m);
      }
    }, 1_200_000);
  }
});
