// Which prebuilt binary package fits this machine: agent-stitch-<os>-<arch>[-musl].
"use strict";
const { existsSync } = require("node:fs");

function isMusl() {
  if (process.platform !== "linux") return false;
  const report = process.report && typeof process.report.getReport === "function" ? process.report.getReport() : undefined;
  if (report && report.header && report.header.glibcVersionRuntime) return false;
  const arch = process.arch === "arm64" ? "aarch64" : "x86_64";
  return existsSync(`/lib/ld-musl-${arch}.so.1`);
}

function platformPackage() {
  const os = process.platform === "win32" ? "windows" : process.platform;
  return `agent-stitch-${os}-${process.arch}${isMusl() ? "-musl" : ""}`;
}

/** The path of this platform's binary, or undefined when its package is not installed. */
function platformBinary() {
  const exe = process.platform === "win32" ? "stitch.exe" : "stitch";
  try {
    return require.resolve(`${platformPackage()}/bin/${exe}`);
  } catch {
    return undefined;
  }
}

module.exports = { platformPackage, platformBinary };
