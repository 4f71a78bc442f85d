// A human at a terminal, for real: an interactive bash on a fresh pseudo-terminal (its
// session leader, the terminal its controlling one, job control on), typed the lines given
// one by one. Run detached (`setsid -f bun interactive-shell.ts ...`) so that the test
// runner's ancestry never reaches the walk; writes `done` in OUT when the shell has exited.
//
//   bun interactive-shell.ts OUT '["line", ...]'   (environment: the shell's)

import { writeFileSync } from "node:fs";
import { join } from "node:path";

const [out, json] = process.argv.slice(2);
const lines = JSON.parse(json!) as string[];
const typed: string[] = [];
const shell = Bun.spawn(["bash", "--norc", "--noprofile", "-i"], {
  argv0: "-bash",
  env: { ...process.env, PS1: "$ " },
  terminal: { data: (_t, data) => void typed.push(new TextDecoder().decode(data)) },
});
// `wait` after each line: a line that starts a background job is over when its job is.
for (const line of lines) shell.terminal!.write(`${line}\nwait\n`);
shell.terminal!.write("exit\n");
await shell.exited;
writeFileSync(join(out!, "terminal.log"), typed.join(""));
writeFileSync(join(out!, "done"), "");
