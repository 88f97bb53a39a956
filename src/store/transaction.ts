import fs from "node:fs";
import path from "node:path";
import { sweepTempFiles } from "./atomic.ts";
import { acquireLock } from "./lock.ts";
import type { Workspace } from "./workspace.ts";

/**
 * Runs `work` holding the workspace lock. A marker file exists for exactly as long as a writer
 * is inside; finding it on entry means the previous writer died mid-way, so the temp files it
 * may have left are swept first (safe: nobody else can be writing while we hold the lock).
 */
export async function withWorkspaceLock<T>(ws: Workspace, work: () => T | Promise<T>): Promise<T> {
  fs.mkdirSync(ws.paths.batonDir, { recursive: true });
  const lock = await acquireLock(ws.paths.lock);
  try {
    if (fs.existsSync(ws.paths.dirtyMarker)) sweepWorkspace(ws);
    fs.writeFileSync(ws.paths.dirtyMarker, String(process.pid));
    try {
      return await work();
    } finally {
      fs.rmSync(ws.paths.dirtyMarker, { force: true });
    }
  } finally {
    await lock.release();
  }
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
  for (const parent of [p.topics, p.planning]) {
    try {
      for (const entry of fs.readdirSync(parent, { withFileTypes: true })) {
        if (entry.isDirectory()) dirs.push(path.join(parent, entry.name));
      }
    } catch {
      // Not created yet.
    }
  }
  return [...new Set(dirs)];
}

export function sweepWorkspace(ws: Workspace): string[] {
  return sweepTempFiles(writableDirs(ws));
}
