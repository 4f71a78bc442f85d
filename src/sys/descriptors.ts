// Undoing what the runtime did to inherited descriptors. At start-up Bun marks every
// descriptor from 4 up close-on-exec (close_range(4, ~0, CLOSE_RANGE_CLOEXEC), Linux only,
// to keep them from leaking into its children), so without this a descriptor the caller
// passed (`cmd 5>file`, a pipe on fd 7) would vanish at the exec. Every descriptor stitch
// inherited had close-on-exec clear (it survived the exec that started stitch), so the
// exact state to restore is "clear", on each of them, and not on the runtime's own.

import { sys } from "./sys.ts";

/**
 * What the runtime opens for itself (its event loop), told apart by what they are. An
 * inherited descriptor of exactly these kinds would stay close-on-exec: a documented
 * limitation, since no caller is known to pass an epoll or eventfd descriptor.
 */
const RUNTIME_OWN = new Set(["anon_inode:[eventpoll]", "anon_inode:[eventfd]"]);

/**
 * Descriptors from 4 up that came from the caller (Linux; empty elsewhere). Only true when
 * called before stitch opens anything of its own: main.ts lists them first thing.
 */
export function inheritedDescriptors(): number[] {
  if (process.platform !== "linux") return [];
  const files = sys();
  const fds: number[] = [];
  for (const entry of files.list("/proc/self/fd") ?? []) {
    const fd = Number(entry);
    if (!Number.isInteger(fd) || fd < 4) continue;
    // Gone since the listing (the listing's own descriptor): nothing to restore.
    const target = files.readlink(`/proc/self/fd/${fd}`);
    if (target !== undefined && !RUNTIME_OWN.has(target)) fds.push(fd);
  }
  return fds;
}
