#!/usr/bin/env node
// stitch's launcher: runs this platform's prebuilt binary. The package's install script
// puts that binary in this file's place, so that calls do not pay Node's start-up; this
// runs only where install scripts were skipped (npm --ignore-scripts, bunx, Windows).
// An ES module: the package is "type": "module" and this file has no extension.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";

const { platformBinary, platformPackage } = createRequire(import.meta.url)("../platform.cjs");

const bin = platformBinary();
if (!bin) {
  process.stderr.write(`stitch: ${platformPackage()} is not installed (no prebuilt binary for this platform)\n`);
  process.exit(127);
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
