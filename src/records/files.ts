// The machine behind the record readers (records/io.ts): files through sys(), open files
// from /proc/<pid>/fd, the agent's SQLite store through bun:sqlite, read-only.

import { sys } from "../sys/sys.ts";
import type { RecordFiles } from "./io.ts";

/** How long a query waits on a writer's lock before giving up (rollback journal mode). */
const BUSY_TIMEOUT_MS = 50;

export function query(file: string, sql: string, params: readonly (string | number)[]): readonly Record<string, unknown>[] | undefined {
  let db: import("bun:sqlite").Database | undefined;
  try {
    const { Database } = require("bun:sqlite") as typeof import("bun:sqlite");
    // readonly: SQLite never creates, writes or checkpoints it; in WAL mode it reads the
    // last committed state beside a live writer, and no lock outlives this one statement.
    db = new Database(file, { readonly: true });
    db.run(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    return db.query(sql).all(...params) as Record<string, unknown>[];
  } catch {
    return undefined;
  } finally {
    try {
      db?.close();
    } catch {}
  }
}

export function realRecordFiles(platform: string, home: () => string | undefined): RecordFiles {
  const decoder = new TextDecoder();
  return {
    platform,
    home,
    list: (dir) => sys().list(dir),
    readPart: (path, end, maxBytes) => {
      const part = sys().readPart(path, end, maxBytes);
      return part && { text: decoder.decode(part.bytes), whole: part.whole };
    },
    mtimeMs: (path) => sys().stat(path)?.mtimeMs,
    processCwd: (pid) => (platform === "linux" ? sys().readlink(`/proc/${pid}/cwd`) : undefined),
    openFiles: (pid) => {
      if (platform !== "linux") return undefined;
      const dir = `/proc/${pid}/fd`;
      const fds = sys().list(dir);
      if (!fds) return undefined;
      const paths: string[] = [];
      for (const fd of fds) {
        const target = sys().readlink(`${dir}/${fd}`);
        if (target?.startsWith("/")) paths.push(target);
      }
      return paths;
    },
    query,
  };
}
