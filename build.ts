// Compiles dist/stitch for this machine: `npm run build`.

import { $ } from "bun";

const outfile = "dist/stitch";
const result = await Bun.build({
  entrypoints: ["src/main.ts"],
  compile: { outfile },
  minify: true,
  sourcemap: "none",
});
if (!result.success) {
  for (const log of result.logs) console.error(log);
  process.exit(1);
}
await $`chmod 755 ${outfile}`;
console.log(`built ${outfile}`);
