// Which prebuilt binary package fits this machine: agent-stitch-<os>-<arch>[-musl], and
// putting its binary in the JavaScript launcher's place (install.cjs does it at install
// time; the launcher itself on its first call where npm skipped the install script).
"use strict";
const { chmodSync, copyFileSync, existsSync, renameSync, unlinkSync } = require("node:fs");

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

/**
 * Copies `bin` over `target` (the launcher) atomically: a temporary copy renamed into place,
 * so a call running at the same moment sees the launcher or the binary, never half of one.
 * Not on Windows, where npm's shims expect a script. Returns the error code on failure
 * (EACCES, EROFS, ...), undefined on success.
 */
function placeBinary(bin, target) {
  if (process.platform === "win32") return "ENOTSUP";
  const temp = `${target}.${process.pid}.tmp`;
  try {
    copyFileSync(bin, temp);
    chmodSync(temp, 0o755);
    renameSync(temp, target);
    return undefined;
  } catch (e) {
    try {
      unlinkSync(temp);
    } catch {
      // Never made.
    }
    return (e && e.code) || "EIO";
  }
}

module.exports = { platformPackage, platformBinary, placeBinary };
