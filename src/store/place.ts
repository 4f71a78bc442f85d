// Where an anchor lives (design §6.2): a pid and a start time name a process only in one pid
// namespace, on one boot of one host. Containers that mount one ~/.railway, and hosts on one
// NFS home, share a sessions directory; a file from elsewhere is judged by age alone (§6.4),
// and a name it holds sends this place to its own placed name (§6.3).

import { hexOf, sha256 } from "../hash.ts";
import { sys } from "../sys/sys.ts";
import type { SessionRecord } from "./schema.ts";

/** PROC_PID_INIT_INO: the initial pid namespace's fixed inode, where a host's processes live. */
export const INITIAL_PID_NAMESPACE = "pid:[4026531836]";

/** Where stitch runs, each part read when first asked (the reuse path asks for little). */
export interface Place {
  /** `pid:[<inode>]` (Linux), or undefined when unknown. */
  pidNamespace(): string | undefined;
  /** The host name (Unix), or undefined when unknown. */
  host(): string | undefined;
}

/** A place that knows nothing: files are judged as before places were recorded. */
export const UNKNOWN_PLACE: Place = { pidNamespace: () => undefined, host: () => undefined };

export interface Here {
  readonly place: Place;
  readonly bootId: string | undefined;
}

export type Whereabouts = "here" | "earlier_boot" | "elsewhere";

/**
 * Where a file's anchor lives, seen from here (design §6.2's four steps). `anchorSeen`:
 * whether its anchor is alive here with its start time, the only evidence a file without
 * `pid_ns` offers outside the initial namespace.
 */
export function whereabouts(record: SessionRecord, here: Here, anchorSeen: () => boolean): Whereabouts {
  const sameBoot = record.boot_id !== undefined && here.bootId !== undefined ? record.boot_id === here.bootId : undefined;
  if (sameBoot !== true) {
    // Only now is the host name worth reading: without one boot, it tells hosts apart.
    const host = record.host === undefined ? undefined : here.place.host();
    if (host !== undefined && record.host !== host) return "elsewhere";
    if (sameBoot === false) return "earlier_boot";
  }
  const ours = here.place.pidNamespace();
  if (ours === undefined) return "here";
  if (record.pid_ns !== undefined) return record.pid_ns === ours ? "here" : "elsewhere";
  // Railway's CLI records no namespace: it runs on a host, in the initial one.
  if (ours === INITIAL_PID_NAMESPACE) return "here";
  return anchorSeen() ? "here" : "elsewhere";
}

/** What a file written here records of its place. */
export function placeFields(here: Here): { pid_ns: string | undefined; host: string | undefined } {
  return { pid_ns: here.place.pidNamespace(), host: here.place.host() };
}

/**
 * The placed file name (design §6.3): Railway's name, `-`, and 8 hex digits of SHA-256 of
 * the place key (the boot id, else `host:` and the host name; a newline; the pid namespace).
 */
export function placedFileName(railwayName: string, here: Here): string {
  const where = here.bootId ?? `host:${here.place.host() ?? ""}`;
  const tag = hexOf(sha256(`${where}\n${here.place.pidNamespace() ?? ""}`), 4);
  return `${railwayName.slice(0, -".session".length)}-${tag}.session`;
}

// Where this stitch runs (§11), each part read once and only when asked. On Linux both
// come from /proc (a readlink and a small read, through the file calls already loaded);
// elsewhere on Unix the host name is libc's (node:os would cost ~1 ms of start-up).

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
    // Required here, not imported: the library entry (lib.ts) reaches this module on Node,
    // which cannot load bun:ffi.
    const { libc } = require("../sys/libc.ts") as typeof import("../sys/libc.ts");
    const { ptr } = require("bun:ffi") as typeof import("bun:ffi");
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
