// The life of a session file (design §6): when one may be reused, when it is stale and goes,
// the 100-file cap, and the race of first calls. Pure over a SessionStore and a process
// source, so every rule is tested without touching a disk.

import type { ProcessSource, ProcessSourceKind } from "../proc/source.ts";
import { sessionFileName, type Identity } from "./identity.ts";
import { placedFileName, placeFields, whereabouts, type Place, type Whereabouts } from "./place.ts";
import { parseRfc3339, parseSessionFile, serializeSessionFile, type SessionRecord } from "./schema.ts";
import type { SessionStore, StoredFile } from "./store.ts";

export const MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;
export const MAX_FILES = 100;
/** How long an unparseable file may be one another call is still writing (design §6.5). */
export const WRITE_GRACE_MS = 10_000;
/** How many times a racing first call re-reads the winner's file while it is being written. */
const JOIN_READS = 50;

export interface LifecycleContext {
  readonly processes: ProcessSource;
  /** This boot's id, when known. */
  readonly bootId: string | undefined;
  readonly now: number;
  /** Files that do not say which clock parent_btime is on were written on this one. */
  readonly nativeClock: ProcessSourceKind;
  /** stitch's pid namespace and host (design §6.2). */
  readonly place: Place;
}

/**
 * The clock Railway's CLI records on each platform: /proc ticks on Linux, creation
 * FILETIMEs on Windows, `ps` elsewhere.
 */
export const nativeClock = (platform: string): ProcessSourceKind =>
  platform === "linux" ? "proc" : platform === "win32" ? "toolhelp" : "ps";

export type StaleReason = "invalid" | "anchor_gone" | "start_time_mismatch" | "boot_mismatch" | "too_old";

/** Whether the recorded anchor is alive as this process table shows it. */
function anchorReason(record: SessionRecord, ctx: LifecycleContext): "anchor_gone" | "start_time_mismatch" | undefined {
  const start = ctx.processes.startTimeOf(record.parent_pid);
  if (start === undefined) return "anchor_gone";
  // A start time on another clock (a file written while /proc was unusable, or the other
  // way round) cannot be compared: only liveness, boot and age decide for it.
  const clock = record.clock ?? ctx.nativeClock;
  if (clock === ctx.processes.kind && start !== record.parent_btime) return "start_time_mismatch";
  return undefined;
}

export interface Assessment {
  readonly where: Whereabouts;
  readonly stale: StaleReason | undefined;
}

/**
 * Where a valid file comes from and whether it is stale (design §6.4): an anchor that
 * lives elsewhere cannot be seen from here, so only age ends such a file.
 */
export function assess(record: SessionRecord, ctx: LifecycleContext): Assessment {
  const where = whereabouts(record, ctx, () => anchorReason(record, ctx) === undefined);
  let stale: StaleReason | undefined =
    where === "earlier_boot" ? "boot_mismatch" : where === "here" ? anchorReason(record, ctx) : undefined;
  if (stale === undefined) {
    const created = parseRfc3339(record.created_at);
    if (created === undefined || ctx.now - created > MAX_AGE_MS) stale = "too_old";
  }
  return { where, stale };
}

export function staleReason(record: SessionRecord | undefined, ctx: LifecycleContext): StaleReason | undefined {
  return record ? assess(record, ctx).stale : "invalid";
}

export interface Kept {
  readonly file: StoredFile;
  readonly record: SessionRecord;
}

export interface Removed {
  readonly name: string;
  readonly reason: StaleReason | "over_cap";
}

export interface SweepResult {
  readonly kept: Kept[];
  readonly removed: Removed[];
}

/** Evicts the oldest (by mtime) until at most `limit` remain; returns the survivors. */
export function enforceCap(store: SessionStore, kept: Kept[], removed: Removed[], limit = MAX_FILES): Kept[] {
  if (kept.length <= limit) return kept;
  const byAge = [...kept].sort((a, b) => a.file.mtimeMs - b.file.mtimeMs);
  const excess = byAge.slice(0, kept.length - limit);
  for (const k of excess) {
    if (store.remove(k.file)) removed.push({ name: k.file.name, reason: "over_cap" });
  }
  const evicted = new Set(excess);
  return kept.filter((k) => !evicted.has(k));
}

/**
 * A file created in place (no hard links, design §6.5) is empty until its one write lands:
 * an unparseable regular file, empty or the start of an object, modified within the grace
 * period, is neither valid nor removable.
 */
export function beingWritten(file: StoredFile, record: SessionRecord | undefined, now: number): boolean {
  return looksUnfinished(file, record) && Math.abs(now - file.mtimeMs) < WRITE_GRACE_MS;
}

/** What a write cut short looks like: an unparseable regular file, empty or the start of an object. */
function looksUnfinished(file: StoredFile, record: SessionRecord | undefined): boolean {
  if (record || file.isDirectory || file.text === undefined) return false;
  return file.text === "" || file.text.startsWith("{");
}

/**
 * Deletes every stale session file and applies the cap. Directories, and files still being
 * written, are left alone.
 */
export function sweep(store: SessionStore, ctx: LifecycleContext, limit = MAX_FILES): SweepResult {
  const kept: Kept[] = [];
  const removed: Removed[] = [];
  for (const file of store.list()) {
    if (file.isDirectory) continue;
    const record = file.text === undefined ? undefined : parseSessionFile(file.text);
    if (beingWritten(file, record, ctx.now)) continue;
    const reason = staleReason(record, ctx);
    if (reason === undefined) kept.push({ file, record: record! });
    else if (store.remove(file)) removed.push({ name: file.name, reason });
  }
  return { kept: enforceCap(store, kept, removed, limit), removed };
}

export function belongsTo(record: SessionRecord, id: Identity): boolean {
  return record.parent_pid === id.pid && record.parent_btime === id.startTime;
}

export type SessionOutcome =
  | { readonly ok: true; readonly id: string; readonly how: "reused" | "created" | "joined"; readonly file: string }
  | { readonly ok: false; readonly reason: string };

export interface SessionRequest {
  readonly identity: Identity;
  readonly caller: string;
  /** A fresh UUID v4. */
  readonly mint: () => string;
}

/**
 * What a name holds for this anchor: its id; a live file of another process here (not ours
 * to use); a live file from elsewhere (holds the name); or nothing usable (free: a new
 * file goes there once the sweep has cleared any stale one).
 */
type Slot =
  | { readonly state: "ours"; readonly id: string }
  | { readonly state: "another_process" | "held" | "free" };

function slotOf(file: StoredFile | undefined, identity: Identity, ctx: LifecycleContext): Slot {
  const record = file && !file.isDirectory && file.text !== undefined ? parseSessionFile(file.text) : undefined;
  if (!record) return { state: "free" };
  const { where, stale } = assess(record, ctx);
  if (stale !== undefined) return { state: "free" };
  if (where === "elsewhere") return { state: "held" };
  return belongsTo(record, identity) ? { state: "ours", id: record.agent_session_id } : { state: "another_process" };
}

/**
 * The persisted session of an anchor (design §6). Reuse opens the anchor's own file and
 * nothing else, so its cost does not grow with the directory. Only when a file is created
 * does the sweep run (stale files deleted, the anchor's own stale one included) and the cap
 * apply. When several first calls race, link-based creation lets exactly one file land;
 * the others read it and return its id ("joined"). A name held by a file from elsewhere
 * (another pid namespace or host whose anchor collides) sends this place to its placed name.
 */
export function sessionFor(store: SessionStore, req: SessionRequest, ctx: LifecycleContext): SessionOutcome {
  const railwayName = sessionFileName(req.identity);
  const reused = (name: string, id: string): SessionOutcome => ({ ok: true, id, how: "reused", file: store.pathOf(name) });
  const anotherProcess = (name: string): SessionOutcome => ({ ok: false, reason: `${store.pathOf(name)} records another process` });

  const railway = slotOf(store.read(railwayName), req.identity, ctx);
  if (railway.state === "ours") return reused(railwayName, railway.id);
  if (railway.state === "another_process") return anotherProcess(railwayName);
  // Held elsewhere, or free: this place's own name may hold the conversation's id already
  // (the other place's file may be gone since it moved there).
  const placedName = placedFileName(railwayName, ctx);
  const placed = slotOf(store.read(placedName), req.identity, ctx);
  if (placed.state === "ours") return reused(placedName, placed.id);
  if (placed.state !== "free") return anotherProcess(placedName);

  const { kept, removed } = sweep(store, ctx);
  const first = railway.state === "held" ? placedName : railwayName;
  const outcome = create(store, first, req, ctx, kept, removed);
  // Another place's colliding anchor landed its file first: this place goes to its own name.
  if (outcome === "held" && first === railwayName) {
    const second = create(store, placedName, req, ctx, kept, removed);
    if (second !== "held") return second;
  }
  if (outcome === "held") return { ok: false, reason: `${store.pathOf(first)} appeared but is not usable` };
  return outcome;
}

function create(store: SessionStore, name: string, req: SessionRequest, ctx: LifecycleContext, kept: Kept[], removed: Removed[]): SessionOutcome | "held" {
  const path = store.pathOf(name);
  const id = req.mint();
  const text = serializeSessionFile({
    agent_session_id: id,
    parent_pid: req.identity.pid,
    parent_btime: req.identity.startTime,
    created_at: new Date(ctx.now).toISOString(),
    boot_id: ctx.bootId,
    ...placeFields(ctx),
    clock: ctx.processes.kind,
    argv0: req.identity.argv0,
    caller: req.caller,
  });
  const created = store.create(name, text);
  if (created === "failed") return { ok: false, reason: `cannot write ${path}` };
  if (created === "created") {
    // The cap holds after the write, by evicting others only: their mtimes may lie ahead of
    // the new file's (a clock stepped back, another host on a shared home), and evicting
    // the file just written would mint a new id on every call (design §6.4, step 3).
    enforceCap(store, kept, removed, MAX_FILES - 1);
    return { ok: true, id, how: "created", file: path };
  }

  // Another first call landed its file first: that one is the conversation's id. Created in
  // place (no hard links), it may not hold its content yet: read again, briefly. Its age is
  // not asked: it appeared just now (and its mtime is on the file system's clock, which
  // need not be this process's: a shifted clock, a network file system).
  let landed = store.read(name);
  const unfinished = (file: typeof landed) =>
    file !== undefined && looksUnfinished(file, file.text === undefined ? undefined : parseSessionFile(file.text));
  for (let i = 1; i < JOIN_READS && unfinished(landed); i++) {
    store.pause();
    landed = store.read(name);
  }
  const winner = slotOf(landed, req.identity, ctx);
  if (winner.state === "ours") return { ok: true, id: winner.id, how: "joined", file: path };
  if (winner.state === "held") return "held";
  return { ok: false, reason: `${path} appeared but is not usable` };
}
