// The World as this process sees it: the adapters behind the resolver's questions.

import type { ProcessSource } from "./proc/source.ts";
import type { Place } from "./store/place.ts";
import { homeDirectory, type HomeLookups } from "./store/location.ts";
import { libc } from "./sys/libc.ts";
import { sys } from "./sys/sys.ts";
import type { World } from "./world.ts";

function isTerminal(fd: 0 | 1 | 2): boolean {
  const c = libc();
  if (c) return c.fn.isatty(fd) === 1;
  // Without FFI: the runtime's answer (slower to load, same result).
  return (process.getBuiltinModule("node:tty") as typeof import("node:tty")).isatty(fd);
}

/**
 * The answer of getpgid/getsid, or undefined (-1: no such process; or no FFI). 0 is an
 * answer: the kernel's own session, which an init started by it (pid 1 in a VM) is in.
 */
function jobId(call: (c: NonNullable<ReturnType<typeof libc>>) => number): number | undefined {
  const c = libc();
  if (!c) return undefined;
  const id = call(c);
  return Number.isSafeInteger(id) && id >= 0 ? id : undefined;
}

/** The adapters behind the home directory's fallbacks, bound only when asked. */
const HOME_LOOKUPS: HomeLookups = {
  passwd: () => (require("./sys/passwd.ts") as typeof import("./sys/passwd.ts")).passwdHome(),
  profileFolder: () => (require("./sys/kernel32.ts") as typeof import("./sys/kernel32.ts")).profileFolder(),
};

const isPidArgument = (pid: number) => Number.isSafeInteger(pid) && pid >= 0 && pid <= 0x7fffffff;

export function realWorld(env: Readonly<Record<string, string | undefined>>): World {
  const tty: (boolean | undefined)[] = [];
  let home: { dir: string | undefined } | undefined;
  // Looked up once, when first needed (the passwd entry or the profile folder costs a load).
  const homeDir = () => (home ??= { dir: homeDirectory(env, process.platform, HOME_LOOKUPS) }).dir;
  let processes: ProcessSource | undefined | null = null;
  let place: Place | undefined;
  return {
    env,
    platform: process.platform,
    pid: process.pid,
    ppid: process.ppid,
    parentNow: () => process.ppid,
    argv: [process.argv0, ...process.argv.slice(2)],
    isTerminal: (fd) => (tty[fd] ??= isTerminal(fd)),
    processGroup: (pid) => (isPidArgument(pid) ? jobId((c) => c.fn.getpgid(pid)) : undefined),
    sessionOf: (pid) => (isPidArgument(pid) ? jobId((c) => c.fn.getsid(pid)) : undefined),
    // Chosen (and its module loaded) when first asked: the paths that walk no ancestor
    // never ask.
    get processes(): ProcessSource | undefined {
      if (processes === null) {
        const { chooseProcessSource } = require("./proc/choose.ts") as typeof import("./proc/choose.ts");
        processes = chooseProcessSource(env, process.platform, process.ppid);
      }
      return processes;
    },
    now: () => Date.now(),
    pause: (ms) => Bun.sleepSync(ms),
    randomUUID: () => crypto.randomUUID(),
    randomBytes: (n) => crypto.getRandomValues(new Uint8Array(n)),
    home: homeDir,
    readText: (path) => {
      const bytes = sys().readBounded(path, 1 << 20, false)?.bytes;
      return bytes && new TextDecoder().decode(bytes);
    },
    cwd: () => {
      try {
        return process.cwd();
      } catch {
        return undefined;
      }
    },
    readRecord: (record, call) => {
      const { readRecord } = require("./records/read.ts") as typeof import("./records/read.ts");
      const { realRecordFiles } = require("./records/files.ts") as typeof import("./records/files.ts");
      try {
        return readRecord(record, call, realRecordFiles(process.platform, homeDir));
      } catch {
        // Fail open (design §9): an agent's record is a hint; the store still answers.
        return undefined;
      }
    },
    // Its module loads with the store's, when a session file is first judged.
    get place(): Place {
      return (place ??= (require("./store/place.ts") as typeof import("./store/place.ts")).thisPlace(process.platform));
    },
    openStore: (location) => (require("./store/fs-store.ts") as typeof import("./store/fs-store.ts")).openFsStore(location),
  };
}
