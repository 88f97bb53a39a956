import type fs from "node:fs";
import type { Ticket } from "../core/ticket.ts";
import { entryStats, statOrNull } from "./files.ts";
import { listTicketIds, readTicket } from "./repo.ts";
import {
  appendRecord,
  findRow,
  frontRows,
  logFull,
  readFull,
  readView,
  safely,
  type View,
  withCacheFile,
  writeWhole,
} from "./ticket-cache-file.ts";
import {
  answerable,
  type CachedTicket,
  copySnapshot,
  fromRow,
  HEADER_PAGE,
  mergeChanged,
  overviewOf,
  place,
  type Row,
  type Snapshot,
  type Stamp,
  sameStamp,
  snapshotOf,
  summarize,
  type TicketOverview,
  type TicketSummary,
  toRow,
} from "./ticket-rows.ts";
import type { Workspace } from "./workspace.ts";

export { ticketCachePath } from "./ticket-cache-file.ts";
export {
  type CachedTicket,
  HEADER_PAGE,
  summarize,
  type TicketOverview,
  type TicketSummary,
} from "./ticket-rows.ts";

/*
 * A per-machine index of every ticket's frontmatter (`.baton/cache/tickets.jsonl`, gitignored,
 * rebuilt from the ticket files whenever in doubt, never written back to them; its bytes are
 * described in ticket-cache-file.ts).
 *
 * It vouches for the tickets folder's stamp (inode and mtime): Baton writes tickets by rename
 * and git replaces files, so both change it. Baton's own writes append one record to the index
 * in the same locked command (flushTicketCache), whatever the number of tickets. A change made
 * elsewhere (git, an editor) makes the next read stat every ticket file, read only those whose
 * stamp differs from their row, and append the differences (resync). A file edited in place
 * leaves the folder alone: every row shown is checked against its file (currentTickets), and a
 * mismatch marks the index stale. Once the log holds LOG_ROWS rows, or the open lists it keeps
 * run short, the next change rewrites the file whole, once per a few hundred changes.
 */

/** The tickets folder's inode and mtime: any rename, creation or removal in it changes them. */
function folderStamp(ws: Workspace): string | null {
  const stat = statOrNull(ws, ws.paths.tickets, true);
  return stat === null ? null : `${stat.ino}:${stat.mtimeNs}`;
}

/**
 * The lstat of ticket files by name, with the folder through the guard once per call: callers
 * stamping many files take it once (`ticketStatter`) and pass it on.
 */
type Statter = (name: string) => fs.Stats | null;

function ticketStatter(ws: Workspace): Statter | null {
  return entryStats(ws, ws.paths.tickets);
}

/** A ticket file's stamp; null when it is not there or not a regular file (a link is re-read). */
function ticketFileStamp(ws: Workspace, id: string, statter = ticketStatter(ws)): Stamp | null {
  if (!statter) return null;
  const s = statter(`${id}.md`);
  return s?.isFile() ? [s.ino, s.size, s.ctimeMs] : null;
}

/**
 * Brings the index up to the files after a change Baton did not make (a git pull, an editor):
 * every ticket file is stat'ed, and only those whose stamp differs from their row are read.
 * The differences are appended as one sync record; the file is rewritten whole when there is no
 * usable index, when the log is full, or when `fresh` asks for every file to be read again.
 */
function resync(
  ws: Workspace,
  stamp: string,
  fd: number | null,
  writable: boolean,
  view: View | null,
  previous: Row[] | null,
  fresh: boolean,
): { rows: Row[]; snapshot: Snapshot } {
  const stamps = new Map<string, Stamp | null>();
  const statter = ticketStatter(ws);
  for (const id of listTicketIds(ws)) stamps.set(id, ticketFileStamp(ws, id, statter));
  // Walked in list order, so the rows kept stay sorted.
  const kept: Row[] = [];
  const reread = new Set<string>();
  const gone: string[] = [];
  for (const row of fresh ? [] : (previous ?? [])) {
    const id = row[0];
    if (!stamps.has(id)) gone.push(id);
    else if (sameStamp(row[8], stamps.get(id) ?? null)) {
      kept.push(row);
      stamps.delete(id);
    } else reread.add(id);
  }
  // Left in `stamps`: the files to read, changed ones (in `reread`) and new ones.
  const changed = new Map<string, Row>();
  for (const [id, file] of stamps) {
    // The stamp was taken before the read: a file that changes in between is read again later.
    const ticket = readTicket(ws, id);
    if (ticket) changed.set(id, toRow(summarize(ticket), file));
    else if (reread.has(id)) gone.push(id);
  }
  const rows = mergeChanged(kept, changed);
  const snapshot = snapshotOf(rows);
  let appended = false;
  if (!fresh && view && fd !== null && writable) {
    const written = [...changed.values()];
    const { total, by_status } = snapshot;
    const line = JSON.stringify({ t: "sync", dir: stamp, rows: written, gone, total, by_status });
    const next = copySnapshot(view.snapshot);
    for (const id of gone) place(next, id, null);
    for (const row of written) place(next, row[0], row);
    if (!logFull(view, written.length + gone.length, line.length) && answerable(next)) {
      appended = appendRecord(fd, line);
    }
  }
  if (!appended) writeWhole(ws, rows, stamp, snapshot);
  return { rows, snapshot };
}

/** Every row as the files say: from the index when it is current, else after a resync. */
function currentRows(
  ws: Workspace,
  stamp: string,
  fd: number | null,
  writable: boolean,
  view: View | null,
  fresh: boolean,
): { rows: Row[]; snapshot: Snapshot | null } {
  const rows = fd !== null && view ? safely(() => readFull(fd, view), null) : null;
  if (rows && view?.current === stamp && !fresh) return { rows, snapshot: null };
  return resync(ws, stamp, fd, writable, rows ? view : null, rows, fresh);
}

function viewOf(fd: number | null): View | null {
  return fd === null ? null : safely(() => readView(fd), null);
}

// ---- what the commands call ----

/**
 * The tickets as they are now: each cached summary whose file's stamp still matches, else read
 * from the file (left out when it is gone). `stale` says the index disagreed with a file. The
 * tickets folder goes through the path guard once for the whole list, so a row costs one lstat.
 */
export function currentTickets(
  ws: Workspace,
  cached: readonly CachedTicket[],
): { tickets: TicketSummary[]; stale: boolean } {
  const statter = ticketStatter(ws);
  let stale = false;
  const tickets = cached.flatMap((row) => {
    const { file, ...summary } = row;
    if (file !== null && sameStamp(file, ticketFileStamp(ws, row.id, statter))) return [summary];
    const ticket = readTicket(ws, row.id);
    if (!ticket) {
      stale = true;
      return [];
    }
    const fresh = summarize(ticket);
    stale ||= !(Object.keys(summary) as (keyof TicketSummary)[]).every(
      (key) => fresh[key] === summary[key],
    );
    return [fresh];
  });
  return { tickets, stale };
}

/**
 * Counts, the first page and the open tickets. When the index is current this reads its header,
 * its log and its first rows, not the bulk of the rows.
 */
export function ticketOverview(ws: Workspace): TicketOverview {
  const stamp = folderStamp(ws);
  if (stamp === null) return { total: 0, by_status: {}, first_page: [], open: [] };
  return withCacheFile(ws, (fd, writable) => {
    const view = viewOf(fd);
    if (fd !== null && view && view.current === stamp && answerable(view.snapshot)) {
      const front = safely(() => frontRows(fd, view, HEADER_PAGE), null);
      if (front) {
        const firstPage = mergeChanged(front, view.changed).slice(0, HEADER_PAGE);
        return overviewOf(view.snapshot, firstPage);
      }
    }
    const { rows, snapshot } = currentRows(ws, stamp, fd, writable, view, false);
    return overviewOf(snapshot ?? snapshotOf(rows), rows.slice(0, HEADER_PAGE));
  });
}

/** Every ticket, sorted by (created, id); `fresh` reads every file again. */
export function ticketSummaries(ws: Workspace, fresh = false): CachedTicket[] {
  const stamp = folderStamp(ws);
  if (stamp === null) return [];
  return withCacheFile(ws, (fd, writable) => {
    return currentRows(ws, stamp, fd, writable, viewOf(fd), fresh).rows.map(fromRow);
  });
}

/**
 * Marks the index stale: a ticket file disagreed with it (an editor rewrote the file in place,
 * which leaves the folder's mtime alone), so the next read re-syncs, re-reading only the files
 * whose stamps changed. One appended line.
 */
export function markTicketCacheStale(ws: Workspace): void {
  withCacheFile(ws, (fd, writable) => {
    if (fd !== null && writable) appendRecord(fd, { t: "stale" });
  });
}

/** Tickets a transaction wrote, waiting to be folded into the index when it commits. */
export interface TicketWrites {
  /** The tickets folder's stamp before the first write. */
  before: string | null;
  tickets: Map<string, { summary: TicketSummary; existed: boolean }>;
}

/**
 * Call just before writing a ticket file, inside the transaction: remembers the folder's state
 * before the first write. A rolled-back transaction takes its notes with it.
 */
export function noteTicketWrite(ws: Workspace, ticket: Ticket): void {
  const tx = ws.tx;
  if (!tx) return;
  tx.ticketWrites ??= { before: folderStamp(ws), tickets: new Map() };
  const entry = tx.ticketWrites;
  const existed = entry.tickets.get(ticket.id)?.existed ?? ticketFileStamp(ws, ticket.id) !== null;
  entry.tickets.set(ticket.id, { summary: summarize(ticket), existed });
}

/**
 * Folds this command's ticket writes into the index, if it was current before them, so Baton's
 * own changes never force a re-sync: one appended record with the rows written, each previous
 * row found by a binary search. Called under the workspace lock.
 */
export function flushTicketCache(ws: Workspace, entry: TicketWrites | null): string | null {
  if (!entry) return null;
  const before = entry.before;
  if (before === null) return null;
  let recorded: string | null = null;
  withCacheFile(ws, (fd, writable) => {
    if (fd !== null && writable) recorded = safely(() => fold(ws, fd, before, entry), null);
  });
  return recorded;
}

/**
 * After the transaction committed: dropping the old bytes it kept aside (backups beside the
 * ticket files it replaced) moved the tickets folder's stamp on from `recorded`, the one the
 * index vouched for. Nothing else can have changed the folder (the lock is held), so the index
 * is carried forward with an empty write record instead of being left to a full re-sync.
 */
export function restampTicketCache(ws: Workspace, recorded: string | null): void {
  if (recorded === null) return;
  const now = folderStamp(ws);
  if (now === null || now === recorded) return;
  withCacheFile(ws, (fd, writable) => {
    if (fd === null || !writable) return;
    safely(() => {
      const view = readView(fd);
      if (!view || view.current !== recorded) return;
      const { total, by_status } = view.snapshot;
      appendRecord(
        fd,
        JSON.stringify({ t: "write", from: recorded, dir: now, rows: [], total, by_status }),
      );
    }, undefined);
  });
}

/** Folds the writes in; returns the folder stamp the index now vouches for, else null. */
function fold(ws: Workspace, fd: number, before: string, entry: TicketWrites): string | null {
  const view = readView(fd);
  if (!view || view.current !== before) return null;
  const snapshot = copySnapshot(view.snapshot);
  const by = snapshot.by_status;
  const rows: Row[] = [];
  for (const [id, { summary, existed }] of entry.tickets) {
    const file = ticketFileStamp(ws, id);
    const previous = findRow(fd, view, id, summary.created, summary.position ?? null);
    // A row the index cannot find for a file that existed (its `created` was edited), a file
    // gone again (a rolled-back create) or a damaged row: the next read re-syncs instead.
    if (previous === null || (previous === undefined && existed) || file === null) {
      appendRecord(fd, { t: "stale" });
      return null;
    }
    if (previous) {
      const left = (by[previous[2]] ?? 1) - 1;
      if (left > 0) by[previous[2]] = left;
      else delete by[previous[2]];
    } else snapshot.total++;
    const row = toRow(summary, file);
    by[row[2]] = (by[row[2]] ?? 0) + 1;
    place(snapshot, id, row);
    rows.push(row);
  }
  const dir = folderStamp(ws);
  if (dir === null) return null;
  const { total, by_status } = snapshot;
  const line = JSON.stringify({ t: "write", from: before, dir, rows, total, by_status });
  if (!logFull(view, rows.length, line.length) && answerable(snapshot)) {
    appendRecord(fd, line);
    return dir;
  }
  // The amortised compaction: every row, with this command's, into a rewritten file.
  const all = readFull(fd, view);
  if (!all) {
    appendRecord(fd, { t: "stale" });
    return null;
  }
  const written = new Map<string, Row | null>(rows.map((row) => [row[0], row]));
  writeWhole(
    ws,
    mergeChanged(
      all.filter((row) => !written.has(row[0])),
      written,
    ),
    dir,
  );
  return dir;
}
