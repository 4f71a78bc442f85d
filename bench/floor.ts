// The floor (`npm run bench`): the cheapest compiled Bun program that does stitch's
// unavoidable work on its wrap path: bind execve through bun:ffi, build argv and the
// environment, add one variable, find the command on PATH and exec it. Built with exactly
// stitch's flags (build.ts's compile()). Every stitch row of the bench is a ratio to it.

import { dlopen, FFIType, ptr } from "bun:ffi";

const { execve } = dlopen("libc.so.6", { execve: { args: [FFIType.ptr, FFIType.ptr, FFIType.ptr], returns: FFIType.i32 } }).symbols;
const encoder = new TextEncoder();

/** NUL-terminated strings in one buffer, and a NULL-terminated table of pointers to them. */
function table(strings: string[]): { buffer: Uint8Array; pointers: BigUint64Array } {
  const parts = strings.map((s) => encoder.encode(`${s}\0`));
  const buffer = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  const pointers = new BigUint64Array(parts.length + 1);
  const base = BigInt(ptr(buffer));
  let at = 0;
  parts.forEach((p, i) => {
    buffer.set(p, at);
    pointers[i] = base + BigInt(at);
    at += p.length;
  });
  return { buffer, pointers };
}

const argv = table(process.argv.slice(2));
const env = table([...Object.entries(process.env).map(([k, v]) => `${k}=${v}`), "RAILWAY_AGENT_SESSION_ID=00000000-0000-4000-8000-000000000000"]);
const file = process.argv[2] ?? "";
for (const dir of file.includes("/") ? [""] : (process.env.PATH ?? "/bin:/usr/bin").split(":")) {
  const path = encoder.encode(`${dir === "" ? "" : `${dir}/`}${file}\0`);
  execve(ptr(path), ptr(argv.pointers), ptr(env.pointers));
}
process.exit(127);
