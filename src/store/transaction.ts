import type fs from "node:fs";
import path from "node:path";
import { beginWriteBatch, endWriteBatch, ioError, isFsError, sweepTempFiles } from "./atomic.ts";
import { adoptOrphanTopics, repairCatalogLog } from "./catalog-file.ts";
import {
  type BatonEvent,
  holdEvents,
  recordEvent,
  recordedCount,
  recordedSince,
  releaseEvents,
} from "./events.ts";
import { exists, listEntries, makeDir, removeFile, safePath, writeScratch } from "./files.ts";
import { acquireLock, lockDir } from "./lock.ts";
import { flushTicketCache } from "./ticket-cache.ts";
import type { Workspace } from "./workspace.ts";

/**
 * Called inside the lock after a transaction that recorded events, with those events. The app
 * layer registers the PLANNING.md journal here, so every state change, whichever command made
 * it, keeps the journal current without each use case having to remember to.
 */
export type StateChangeHook = (ws: Workspace, events: BatonEvent[]) => void;

const hooks = new Map<string, StateChangeHook>();

/** Registers (or replaces) the hook called `name`. */
export function onStateChange(name: string, hook: StateChangeHook): void {
  hooks.set(name, hook);
}

/**
 * Runs `work` holding the workspace lock. A marker file exists for exactly as long as a writer
 * is inside; finding it on entry means the previous writer died mid-way, so the temp files it
 * may have left are swept first (safe: nobody else can be writing while we hold the lock).
 * A raw file-system error escaping `work` is reported as IO_ERROR, never as an internal error.
 */
export async function withWorkspaceLock<T>(ws: Workspace, work: () => T | Promise<T>): Promise<T> {
  makeDir(ws, ws.paths.batonDir);
  // The lock's own files are written by lock.ts; its folder is checked here like every other.
  // The event log is written last, at commit: checked now, so a link there refuses the command
  // before it changes anything.
  safePath(ws, lockDir(ws.paths.lock));
  safePath(ws, ws.paths.events);
  const lock = await acquireLock(ws.paths.lock);
  try {
    if (exists(ws, ws.paths.dirtyMarker)) sweepWorkspace(ws);
    writeScratch(ws, ws.paths.dirtyMarker, String(process.pid));
    const outermost = beginWriteBatch();
    const holding = holdEvents();
    let committed = false;
    try {
      const mark = recordedCount();
      const result = await work();
      flushTicketCache(ws);
      const events = recordedSince(mark);
      if (holding) releaseEvents(ws, true);
      if (events.length > 0) for (const hook of hooks.values()) hook(ws, events);
      if (outermost) await endWriteBatch(true);
      committed = true;
      return result;
    } catch (error) {
      throw isFsError(error) ? ioError(error, describeFsError(ws, error)) : error;
    } finally {
      if (!committed) {
        if (holding) releaseEvents(ws, false);
        if (outermost) await endWriteBatch(false);
      }
      try {
        removeFile(ws, ws.paths.dirtyMarker);
      } catch {
        // A marker left behind costs the next writer one sweep, nothing more.
      }
    }
  } finally {
    await lock.release();
  }
}

function describeFsError(ws: Workspace, error: NodeJS.ErrnoException): string {
  const where = typeof error.path === "string" ? ` ${ws.rel(error.path)}` : "";
  return `${error.syscall ?? "access"}${where}`;
}

/** Every folder Baton writes into, for the temp-file sweep. */
export function writableDirs(ws: Workspace): string[] {
  const p = ws.paths;
  const dirs = [
    p.root,
    p.batonDir,
    p.knowledge,
    p.sessions,
    p.topics,
    p.planning,
    p.tickets,
    p.archive,
  ];
  dirs.push(path.dirname(p.journal));
  // Per-machine caches are written outside the lock; a cache writer whose temp file is swept
  // away only loses that cache update.
  dirs.push(path.join(p.batonDir, "cache"));
  for (const parent of [p.topics, p.planning]) {
    for (const entry of listEntriesOrEmpty(ws, parent)) {
      if (entry.isDirectory()) dirs.push(path.join(parent, entry.name));
    }
  }
  // A folder that leads outside the repository is not Baton's to sweep; the command that uses
  // it refuses it.
  const safe: string[] = [];
  for (const dir of new Set(dirs)) {
    try {
      safe.push(safePath(ws, dir));
    } catch {
      // UNSAFE_PATH: left alone.
    }
  }
  return safe;
}

function listEntriesOrEmpty(ws: Workspace, dir: string): fs.Dirent[] {
  try {
    return listEntries(ws, dir) ?? [];
  } catch {
    return [];
  }
}

/** After a writer died: its temp files go, the topics it made but did not catalog come back. */
export function sweepWorkspace(ws: Workspace): string[] {
  const removed = sweepTempFiles(writableDirs(ws));
  repairCatalogLog(ws);
  const now = new Date().toISOString();
  for (const id of adoptOrphanTopics(ws, now)) {
    recordEvent(ws, "topic.adopted", now, { topic: id, reason: "left uncatalogued by a crash" });
  }
  return removed;
}
