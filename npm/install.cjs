// postinstall: put this platform's binary in place of the JavaScript launcher, so that
// `stitch` starts as fast as the binary itself. Any failure leaves the launcher, which
// works too (and tries again on its first call). npm 12 skips this script unless allowed;
// the launcher then does the same on its first call.
"use strict";
const { join } = require("node:path");
const { platformBinary, placeBinary } = require("./platform.cjs");

const bin = platformBinary();
if (bin) placeBinary(bin, join(__dirname, "bin", "stitch"));
