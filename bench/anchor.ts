// A stand-in for a long-lived agent process in `npm run bench`: started as
// `exec -a <agent> bun bench/anchor.ts [files to hold open...]`, so the process table shows
// the agent's name, it runs each command it is sent (one JSON line: argv, env, cwd) as the
// agent's shell tool would start it, as its own child, and answers with the wall time of
// that run in ms. Files named on its command line are held open for its whole life (Codex
// keeps its rollout open).

import { openSync } from "node:fs";

for (const file of process.argv.slice(2)) openSync(file, "a");

let buffered = "";
for await (const chunk of Bun.stdin.stream()) {
  buffered += new TextDecoder().decode(chunk);
  for (let nl = buffered.indexOf("\n"); nl >= 0; nl = buffered.indexOf("\n")) {
    const { argv, env, cwd } = JSON.parse(buffered.slice(0, nl)) as { argv: string[]; env: Record<string, string>; cwd: string };
    buffered = buffered.slice(nl + 1);
    const t0 = Bun.nanoseconds();
    const r = Bun.spawnSync(argv, { env, cwd, stdio: ["ignore", "ignore", "ignore"] });
    const ms = (Bun.nanoseconds() - t0) / 1e6;
    process.stdout.write(`${r.exitCode === 0 ? ms : -1}\n`);
  }
}
