// Runs a program with an exact argv and environment block, through execve(2) itself:
// `bun raw-exec.ts <json {"argv": [...], "env": [...]}>`. A shell, env(1) or the runtime's
// spawn would tidy the block (a name set twice keeps one value); the kernel takes any list.
// Replaces this process, so the program keeps its pid and parent.

import { dlopen, FFIType, ptr } from "bun:ffi";

const { argv, env } = JSON.parse(process.argv[2]!) as { argv: string[]; env: string[] };
const libc = dlopen(process.platform === "darwin" ? "libSystem.B.dylib" : "libc.so.6", {
  execve: { args: [FFIType.ptr, FFIType.ptr, FFIType.ptr], returns: FFIType.i32 },
});
const kept: Buffer[] = [];
const pointers = (strings: string[]) => {
  const array = new BigUint64Array(strings.length + 1);
  strings.forEach((s, i) => {
    const bytes = Buffer.from(`${s}\0`);
    kept.push(bytes);
    array[i] = BigInt(ptr(bytes));
  });
  return array;
};
const args = pointers(argv);
const environment = pointers(env);
libc.symbols.execve(ptr(kept[0]!), ptr(args), ptr(environment));
process.stderr.write(`raw-exec: cannot run ${argv[0]}\n`);
process.exit(127);
