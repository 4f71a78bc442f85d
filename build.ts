// Compiles dist/stitch for this machine: `npm run build`.
//
// Flags, measured with `npm run bench` (README, "Performance"): --minify and --bytecode
// (precompiled JavaScriptCore bytecode: ~5 ms less start-up); no sourcemap (nothing reads
// one at run time, and it would only add bytes to load).

import { $ } from "bun";

const outfile = "dist/stitch";
const result = await Bun.build({
  entrypoints: ["src/main.ts"],
  compile: { outfile },
  minify: true,
  bytecode: true,
  sourcemap: "none",
});
if (!result.success) {
  for (const log of result.logs) console.error(log);
  process.exit(1);
}
await $`chmod 755 ${outfile}`;
console.log(`built ${outfile}`);
