// postinstall: put this platform's binary in place of the JavaScript launcher, so that
// `stitch` starts as fast as the binary itself. Any failure leaves the launcher, which
// works too, only slower. Not on Windows, where npm's shims expect a script.
"use strict";
const { chmodSync, copyFileSync, renameSync } = require("node:fs");
const { join } = require("node:path");
const { platformBinary } = require("./platform.cjs");

if (process.platform !== "win32") {
  const bin = platformBinary();
  const target = join(__dirname, "bin", "stitch");
  if (bin) {
    try {
      copyFileSync(bin, `${target}.tmp`);
      chmodSync(`${target}.tmp`, 0o755);
      renameSync(`${target}.tmp`, target);
    } catch {
      // Keep the launcher.
    }
  }
}
