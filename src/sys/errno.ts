// errno numbers to names, from this target's row of abi.ts (Linux and macOS number them
// differently).

import { ERRNO_NAMES, posixAbi } from "./abi.ts";

let names: Map<number, string> | undefined;

export function errnoName(n: number): string {
  if (!names) {
    names = new Map();
    const errno = posixAbi()?.errno;
    if (errno) for (const name of ERRNO_NAMES) names.set(errno[name], name);
  }
  return names.get(n) ?? `errno ${n}`;
}
