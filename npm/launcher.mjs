#!/usr/bin/env node
// stitch's launcher: runs this platform's prebuilt binary. The package's install script
// puts that binary in this file's place, so that calls do not pay Node's start-up. Where
// npm skipped it (npm 12 runs a package's install script only when allowed; --ignore-scripts;
// bunx), this first call does the same, then runs the binary: later calls start the binary
// directly. Where this file cannot be replaced (a global prefix owned by root), every call
// runs through here, and on a terminal one line says what to run. On Windows, npm's shims
// expect a script: this stays.
// An ES module: the package is "type": "module" and this file has no extension.
import { spawnSync } from "node:child_process";
import { statSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const { platformBinary, platformPackage, placeBinary } = createRequire(import.meta.url)("../platform.cjs");

const bin = platformBinary();
if (!bin) {
  process.stderr.write(`stitch: ${platformPackage()} is not installed (no prebuilt binary for this platform)\n`);
  process.exit(127);
}
if (process.platform !== "win32") {
  const self = fileURLToPath(import.meta.url);
  const failed = placeBinary(bin, self);
  // Only a person at a terminal is told: an agent's captured stderr stays the command's own.
  if (failed && process.stderr.isTTY) {
    let sudo = "";
    try {
      sudo = statSync(self).uid === 0 && process.getuid?.() !== 0 ? "sudo " : "";
    } catch {
      // Unknown: no sudo.
    }
    process.stderr.write(
      `stitch: npm skipped agent-stitch's install script, so each call starts Node first (${failed} putting the binary in place); once: ${sudo}npm rebuild -g agent-stitch --allow-scripts=agent-stitch\n`,
    );
  }
}
const args = process.argv.slice(2);
if (typeof process.execve === "function" && process.platform !== "win32") {
  // Node 23.11+ and Bun: replace this process, as stitch itself does with the command.
  process.execve(bin, [bin, ...args], process.env);
}
// Older Node: run it as a child in the same process group (the terminal signals it
// directly; this process only waits), then end the way it ended.
const forwarded = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"];
for (const signal of forwarded) process.on(signal, () => {});
const result = spawnSync(bin, args, { stdio: "inherit" });
if (result.error) {
  process.stderr.write(`stitch: ${result.error.message}\n`);
  process.exit(126);
}
if (result.signal) {
  for (const signal of forwarded) process.removeAllListeners(signal);
  process.kill(process.pid, result.signal);
}
process.exit(result.status ?? 1);
