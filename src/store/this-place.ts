// Where this stitch runs (design §6.2, §11): its pid namespace and host name, each read
// once and only when asked. On Linux both come from /proc (a readlink and a small read,
// through the file calls already loaded); elsewhere on Unix the host name is libc's.

import { ptr } from "bun:ffi";
import { libc } from "../sys/libc.ts";
import { sys } from "../sys/sys.ts";
import type { Place } from "./place.ts";

const decoder = new TextDecoder();

function pidNamespace(platform: string): string | undefined {
  if (platform !== "linux") return undefined;
  const link = sys().readlink("/proc/self/ns/pid");
  return link?.startsWith("pid:[") && link.endsWith("]") ? link : undefined;
}

function hostName(platform: string): string | undefined {
  if (platform === "win32") return undefined;
  let name: string | undefined;
  if (platform === "linux") {
    const bytes = sys().readWhole("/proc/sys/kernel/hostname");
    name = bytes && decoder.decode(bytes).trim();
  } else {
    const c = libc();
    const buf = new Uint8Array(256);
    if (c && c.fn.gethostname(ptr(buf), buf.length - 1) === 0) {
      const end = buf.indexOf(0);
      name = decoder.decode(buf.subarray(0, end < 0 ? buf.length - 1 : end));
    }
  }
  return name || undefined;
}

export function thisPlace(platform: string): Place {
  let ns: { value: string | undefined } | undefined;
  let host: { value: string | undefined } | undefined;
  return {
    pidNamespace: () => (ns ??= { value: pidNamespace(platform) }).value,
    host: () => (host ??= { value: hostName(platform) }).value,
  };
}
