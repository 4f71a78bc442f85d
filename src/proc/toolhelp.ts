// ProcessSource over Windows: one Toolhelp32 snapshot per run (pid, parent pid, executable
// name of every process), and for each ancestor actually walked its creation time and
// image path. A snapshot has no command lines: an agent run by node.exe is known by its
// environment (and, for the anchor, as the nearest process that is not a shell).

import { asciiLower } from "../text.ts";
import { WINDOWS_X64 } from "../sys/abi.ts";
import type { ProcessInfo, ProcessSource } from "./source.ts";

export interface SnapshotEntry {
  readonly pid: number;
  readonly ppid: number;
  /** szExeFile, exactly as Toolhelp gives it: `claude.exe`, `Code.exe`. */
  readonly exeFile: string;
}

// PROCESSENTRY32W on 64-bit Windows (sys/abi.ts, checked against MinGW's headers).
const ENTRY = WINDOWS_X64.layouts.PROCESSENTRY32W;
const PID_AT = ENTRY.th32ProcessID;
const PPID_AT = ENTRY.th32ParentProcessID;
const EXE_AT = ENTRY.szExeFile;
const EXE_CHARS = WINDOWS_X64.constants.MAX_PATH;

/** One PROCESSENTRY32W; undefined when it is too short or names no executable. */
export function parseProcessEntry(bytes: Uint8Array): SnapshotEntry | undefined {
  if (bytes.length < EXE_AT + 2) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let exeFile = "";
  for (let i = 0; i < EXE_CHARS && EXE_AT + 2 * i + 1 < bytes.length; i++) {
    const unit = view.getUint16(EXE_AT + 2 * i, true);
    if (unit === 0) break;
    exeFile += String.fromCharCode(unit);
  }
  if (exeFile === "") return undefined;
  return { pid: view.getUint32(PID_AT, true), ppid: view.getUint32(PPID_AT, true), exeFile };
}

/** pid → entry; the first entry of a pid wins (a snapshot lists each once). */
export function parseSnapshot(entries: readonly Uint8Array[]): Map<number, SnapshotEntry> {
  const table = new Map<number, SnapshotEntry>();
  for (const bytes of entries) {
    const entry = parseProcessEntry(bytes);
    if (entry && !table.has(entry.pid)) table.set(entry.pid, entry);
  }
  return table;
}

export interface ToolhelpAccess {
  /** Every PROCESSENTRY32W of one snapshot; undefined when none can be taken. */
  entries(): Uint8Array[] | undefined;
  /** Creation time (FILETIME) and image path of one process. */
  details(pid: number): { creationTime: bigint | undefined; imagePath: string | undefined } | undefined;
}

/** 1970-01-01 as a FILETIME. */
export const FILETIME_1970 = 116_444_736_000_000_000n;

export class ToolhelpSource implements ProcessSource {
  readonly kind = "toolhelp" as const;
  private table: Map<number, SnapshotEntry> | undefined;
  private readonly infos = new Map<number, ProcessInfo | undefined>();

  constructor(private readonly access: ToolhelpAccess) {}

  private rows(): Map<number, SnapshotEntry> {
    this.table ??= parseSnapshot(this.access.entries() ?? []);
    return this.table;
  }

  get(pid: number): ProcessInfo | undefined {
    if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
    if (!this.infos.has(pid)) {
      const entry = this.rows().get(pid);
      let info: ProcessInfo | undefined;
      if (entry) {
        const details = this.access.details(pid);
        // The image path shows what the name cannot: the package it was installed from
        // (`...\node_modules\@openai\codex\...\codex.exe`).
        const program = details?.imagePath ?? entry.exeFile;
        info = {
          pid,
          ppid: entry.ppid,
          startTime: details?.creationTime,
          command: entry.exeFile,
          argv: [program],
          argvExact: true,
          argsUnknown: true,
          // Railway's Windows build records the lower-cased szExeFile, `.exe` included,
          // spaces and all.
          argv0: asciiLower(entry.exeFile),
        };
      }
      this.infos.set(pid, info);
    }
    return this.infos.get(pid);
  }

  startTimeOf(pid: number): bigint | undefined {
    if (!this.rows().has(pid)) return undefined;
    return this.get(pid)?.startTime;
  }

  /** The creation FILETIME (100 ns since 1601) as ms since 1970. */
  startedAt(pid: number): number | undefined {
    const ft = this.startTimeOf(pid);
    return ft === undefined || ft < FILETIME_1970 ? undefined : Number((ft - FILETIME_1970) / 10_000n);
  }

  /** Windows has no boot id to read; a reboot already changes every creation time. */
  bootId(): string | undefined {
    return undefined;
  }
}
