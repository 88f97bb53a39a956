import type fs from "node:fs";
import path from "node:path";
import { BatonError } from "../core/errors.ts";
import {
  endWriteBatch,
  ioError,
  isFsError,
  newWriteBatch,
  rollbackTo,
  savepoint,
  sweepTempFiles,
  type WriteBatch,
} from "./atomic.ts";
import { adoptOrphanTopics, repairCatalogLog } from "./catalog-file.ts";
import { appendEvents, type BatonEvent, recordEvent } from "./events.ts";
import { appendLine, listEntries, makeDir, removeFile, safePath, statOrNull } from "./files.ts";
import { acquireLock, lockDir } from "./lock.ts";
import { flushTicketCache, restampTicketCache, type TicketWrites } from "./ticket-cache.ts";
import { finishSteps, readLeftoverLog, UndoLog, undoSteps } from "./undo-log.ts";
import type { Workspace } from "./workspace.ts";

/**
 * Called inside the lock after a transaction that recorded events, with those events. The app
 * layer subscribes the PLANNING.md journal on each workspace handle it opens, so every state
 * change, whichever command made it, keeps the journal current without each use case having
 * to remember to, and its notices go to the request that made the change.
 */
export type StateChangeHook = (ws: Workspace, events: BatonEvent[]) => void;

/** Subscribes (or replaces) the hook called `name` on this workspace handle. */
export function onStateChange(ws: Workspace, name: string, hook: StateChangeHook): void {
  ws.subscribers.set(name, hook);
}

/**
 * One locked transaction: its write batch (every change, undone on failure), the events it
 * recorded (appended at commit) and the tickets it wrote (folded into the index at commit). A
 * value held by the workspace handle while it runs (`ws.tx`) and handed to the work.
 */
export interface Transaction {
  readonly batch: WriteBatch;
  readonly events: BatonEvent[];
  /**
   * Events bound for another log than the workspace's (a spec's coordination timeline, by file),
   * appended at commit like the workspace's own; the state-change hooks see them too.
   */
  readonly logs: Map<string, BatonEvent[]>;
  ticketWrites: TicketWrites | null;
}

/**
 * Runs `work` holding the workspace lock, as one transaction. The crash marker exists for
 * exactly as long as a writer is inside, and holds the transaction's undo log (see
 * store/undo-log.ts): every change is recorded before it is made. A failing `work` is undone
 * here; finding the marker on entry means the previous writer died mid-way, so its change is
 * undone (or, if it had committed, finished) and its temp files swept first (safe: nobody else
 * can be writing while we hold the lock). A raw file-system error escaping `work` is reported
 * as IO_ERROR, never as an internal error.
 */
export async function withWorkspaceLock<T>(
  ws: Workspace,
  work: (tx: Transaction) => T | Promise<T>,
): Promise<T> {
  // Already inside this handle's transaction (a use case calling another): the work joins it.
  if (ws.tx) return work(ws.tx);
  makeDir(ws, ws.paths.batonDir);
  // The lock's own files are written by lock.ts; its folder is checked here like every other.
  // The event log is written last, at commit: checked now, so a link there refuses the command
  // before it changes anything.
  safePath(ws, lockDir(ws.paths.lock));
  safePath(ws, ws.paths.events);
  const lock = await acquireLock(ws.paths.lock);
  try {
    let log: UndoLog;
    try {
      repairInterrupted(ws);
      // The log names the real paths the guard resolved: relative to the root's real path.
      log = UndoLog.create(safePath(ws, ws.paths.dirtyMarker), ws.guard.realRoot);
    } catch (error) {
      throw ioError(error, `write ${ws.rel(ws.paths.dirtyMarker)}`);
    }
    const outcome = { clean: true };
    try {
      return await transaction(ws, log, work, outcome);
    } finally {
      log.close();
      // Kept when an undo could not finish: the next command completes it.
      if (outcome.clean) removeMarker(ws);
    }
  } finally {
    await lock.release();
  }
}

/** What {@link failKeepingChanges} throws: the command fails, its writes are committed. */
class KeptFailure {
  readonly failure: unknown;
  constructor(failure: unknown) {
    this.failure = failure;
  }
}

/**
 * Fails the transaction's command with `failure` but commits what it wrote, for a failure that
 * must itself be recorded (a plan phase marked failed so nothing runs past it). Any other error
 * undoes the whole transaction.
 */
export function failKeepingChanges(failure: unknown): never {
  throw new KeptFailure(failure);
}

/** The steps of one transaction; a failure is undone before it is rethrown (`outcome.clean`). */
async function transaction<T>(
  ws: Workspace,
  log: UndoLog,
  work: (tx: Transaction) => T | Promise<T>,
  outcome: { clean: boolean },
): Promise<T> {
  const tx: Transaction = {
    batch: newWriteBatch(log),
    events: [],
    logs: new Map(),
    ticketWrites: null,
  };
  ws.tx = tx;
  const commit = async () => {
    const indexed = flushTicketCache(ws, tx.ticketWrites);
    // The log holds this change before the subscribers read it (the journal lists it).
    const events = tx.events.splice(0);
    appendEvents(ws, events);
    const elsewhere: BatonEvent[] = [];
    for (const [file, pending] of tx.logs) {
      appendLine(ws, file, pending.map((e) => JSON.stringify(e)).join("\n"));
      elsewhere.push(...pending);
    }
    tx.logs.clear();
    // A command that recorded no event (a heartbeat) leaves the journal alone.
    const all = elsewhere.length > 0 ? [...events, ...elsewhere] : events;
    if (all.length > 0) for (const hook of ws.subscribers.values()) hook(ws, all);
    appendEvents(ws, tx.events.splice(0));
    await endWriteBatch(tx.batch, true);
    restampTicketCache(ws, indexed);
  };
  let result: T | undefined;
  let kept: KeptFailure | null = null;
  try {
    try {
      result = await work(tx);
    } catch (error) {
      if (!(error instanceof KeptFailure)) throw error;
      kept = error;
    }
    await commit();
  } catch (error) {
    tx.events.length = 0;
    tx.logs.clear();
    const clean = await endWriteBatch(tx.batch, false);
    let failure = isFsError(error) ? ioError(error, describeFsError(ws, error)) : error;
    if (!clean && failure instanceof BatonError) {
      failure = new BatonError(
        failure.code,
        failure.message,
        `${failure.hint.split("; ")[0]}; part of what this command changed could not be put back yet: the next Baton command finishes undoing it`,
        failure.details,
      );
    }
    outcome.clean = clean;
    throw failure;
  } finally {
    ws.tx = null;
  }
  if (kept) {
    const failure = kept.failure;
    throw isFsError(failure) ? ioError(failure, describeFsError(ws, failure)) : failure;
  }
  return result as T;
}

/**
 * Runs `work` inside the handle's transaction; if it throws, whatever it wrote and the events
 * it recorded are undone before the error goes on, and the transaction goes on without them.
 * Outside a transaction it just runs `work`.
 */
export function withSavepoint<T>(ws: Workspace, work: () => T): T {
  const tx = ws.tx;
  if (!tx) return work();
  const mark = savepoint(tx.batch);
  const events = tx.events.length;
  const logs = new Map([...tx.logs].map(([file, pending]) => [file, pending.length]));
  try {
    return work();
  } catch (error) {
    rollbackTo(tx.batch, mark);
    tx.events.length = events;
    for (const [file, pending] of tx.logs) {
      const kept = logs.get(file);
      if (kept === undefined) tx.logs.delete(file);
      else pending.length = kept;
    }
    throw error;
  }
}

function removeMarker(ws: Workspace): void {
  try {
    removeFile(ws, ws.paths.dirtyMarker);
  } catch {
    // A marker left behind costs the next writer one repair, nothing more.
  }
}

/**
 * Called holding the lock: when the crash marker is there, the writer that left it died inside
 * its transaction. A committed one is finished (the old bytes it kept aside are dropped); any
 * other is undone, step by step, last first, so the workspace is as it was before that command
 * began. Then the temp files it may have left are swept and the marker goes.
 */
export function repairInterrupted(ws: Workspace): void {
  const marker = safePath(ws, ws.paths.dirtyMarker);
  const stat = statOrNull(ws, marker);
  if (stat === null) return;
  const shown = ws.rel(ws.paths.dirtyMarker);
  const leftover = stat.isFile()
    ? readLeftoverLog(marker, ws.guard.realRoot, shown)
    : { logged: false, committed: false, steps: [], refused: 0 };
  const changes = leftover.steps.filter((step) => step.op !== "dir").length;
  if (leftover.committed) finishSteps(leftover.steps);
  else if (!undoSteps(leftover.steps)) {
    throw new BatonError(
      "IO_ERROR",
      `could not undo the change an interrupted Baton command left half-made (see ${shown})`,
      "check the permissions and free space of the files it names, then run the command again",
    );
  }
  const dirs = leftover.steps.map((step) =>
    step.op === "dir" ? step.path : path.dirname(step.path),
  );
  sweepWorkspace(ws, dirs);
  if (changes > 0) {
    recordEvent(
      ws,
      leftover.committed ? "crash.finished" : "crash.undone",
      new Date().toISOString(),
      {
        steps: changes,
      },
    );
  }
  removeMarker(ws);
}

function describeFsError(ws: Workspace, error: NodeJS.ErrnoException): string {
  const where = typeof error.path === "string" ? ` ${ws.rel(error.path)}` : "";
  return `${error.syscall ?? "access"}${where}`;
}

/**
 * Every folder Baton writes into, for the temp-file sweep after a crash whose marker holds no
 * log (an older Baton's): its own folders, every topic and planning folder and the folders
 * inside them (a plan's `.task/`).
 */
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
    for (const child of subfolders(ws, parent)) {
      dirs.push(child);
      dirs.push(...subfolders(ws, child));
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

function subfolders(ws: Workspace, parent: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = listEntries(ws, parent) ?? [];
  } catch {
    return []; // UNSAFE_PATH: not swept.
  }
  return entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => path.join(parent, entry.name));
}

/**
 * After a writer died: its temp files go (in Baton's folders and in `also`, the folders its
 * log says it wrote into), the topics it made but did not catalog come back.
 */
export function sweepWorkspace(ws: Workspace, also: Iterable<string> = []): string[] {
  const removed = sweepTempFiles(new Set([...writableDirs(ws), ...also]));
  repairCatalogLog(ws);
  const now = new Date().toISOString();
  for (const id of adoptOrphanTopics(ws, now)) {
    recordEvent(ws, "topic.adopted", now, { topic: id, reason: "left uncatalogued by a crash" });
  }
  return removed;
}
