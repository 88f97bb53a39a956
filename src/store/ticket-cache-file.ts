import fs from "node:fs";
import path from "node:path";
import { SCHEMA_VERSION } from "../core/schema.ts";
import { openForAppend, openForRead, writeCache } from "./files.ts";
import { isUnsafePath } from "./guard.ts";
import {
  type Counts,
  compareRows,
  copySnapshot,
  isRow,
  mergeChanged,
  place,
  type Row,
  type Snapshot,
  snapshotOf,
} from "./ticket-rows.ts";
import type { Workspace } from "./workspace.ts";

/**
 * The bytes of the ticket index, `.baton/cache/tickets.jsonl` (what it means: ticket-cache.ts):
 *
 *   line 1        the header: format, the tickets folder's stamp, counts by status, the open
 *                 lists (see Snapshot), and the byte length of the rows that follow
 *   rows          one JSON array per ticket, sorted by (created, position, id)
 *   log records   appended after the rows, one JSON object per line:
 *                   write  Baton's own ticket writes: the rows written and the counts after
 *                          them, valid on top of the state whose stamp they name (`from`)
 *                   sync   what a reader found after a change made elsewhere: the rows whose
 *                          files changed, the ids whose files are gone, the counts after
 *                   stale  a ticket file disagreed with its row
 *
 * A record is one write(2) on an O_APPEND descriptor, without fsync: losing one only costs a
 * re-sync. A torn last line, a garbled line or a stale marker leaves the index vouching for
 * nothing until the next sync record; the rows are only hints, checked against the files.
 */

/** Bumped when the layout changes, so an older index is rebuilt rather than misread. */
/** 4: rows carry the task's position; an index of any other format is rebuilt, not misread. */
const CACHE_FORMAT = 4;

/** Rows, and bytes, the log may hold before the next change rewrites the file whole. */
export const LOG_ROWS = 256;
const LOG_BYTES = 128 * 1024;

/** Read at once from the front: the header and more than a page of rows. */
const HEAD_BYTES = 128 * 1024;

interface Header extends Snapshot {
  schema_version: number;
  format: number;
  /** The tickets folder's stamp the rows were read at. */
  dir: string;
  rows_bytes: number;
}

export type LogRecord =
  | { t: "write"; from: string; dir: string; rows: Row[]; total: number; by_status: Counts }
  | { t: "sync"; dir: string; rows: Row[]; gone: string[]; total: number; by_status: Counts }
  | { t: "stale" };

/** The header and the log, with the log applied: everything but the bulk of the rows. */
export interface View {
  /** Byte offsets: where the rows start, where the log starts, where the file ends. */
  rowsAt: number;
  logAt: number;
  size: number;
  /** The first bytes of the file (the header and the first rows). */
  head: Buffer;
  /** The latest row of every ticket the log names; null when its file is gone. */
  changed: Map<string, Row | null>;
  logRows: number;
  snapshot: Snapshot;
  /** The folder stamp the index vouches for; null when it vouches for nothing. */
  current: string | null;
}

export function ticketCachePath(ws: Workspace): string {
  return path.join(ws.paths.batonDir, "cache", "tickets.jsonl");
}

function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.allocUnsafe(Math.max(0, length));
  let filled = 0;
  while (filled < length) {
    const n = fs.readSync(fd, buffer, filled, length - filled, position + filled);
    if (n === 0) break;
    filled += n;
  }
  return buffer.subarray(0, filled);
}

function parseHeader(text: string): Header | null {
  try {
    const h = JSON.parse(text) as Header;
    if (h.schema_version !== SCHEMA_VERSION || h.format !== CACHE_FORMAT) return null;
    const lists = Array.isArray(h.busy) && Array.isArray(h.waiting);
    return lists && typeof h.dir === "string" && Number.isSafeInteger(h.rows_bytes) ? h : null;
  } catch {
    return null;
  }
}

function parseRow(text: string): Row | null {
  try {
    const row = JSON.parse(text) as unknown;
    return isRow(row) ? row : null;
  } catch {
    return null;
  }
}

function parseRecord(line: string): LogRecord | null {
  try {
    const r = JSON.parse(line) as LogRecord;
    if (r.t === "stale") return r;
    if ((r.t === "write" || r.t === "sync") && Array.isArray(r.rows) && r.rows.every(isRow)) {
      return r.t === "sync" && !Array.isArray(r.gone) ? null : r;
    }
    return null;
  } catch {
    return null;
  }
}

/** Reads the header and the log through `fd`; null when the file is not an index of this format. */
export function readView(fd: number): View | null {
  const size = fs.fstatSync(fd).size;
  let head = readAt(fd, 0, Math.min(size, HEAD_BYTES));
  let newline = head.indexOf(10);
  if (newline === -1 && size > head.length) {
    head = readAt(fd, 0, size);
    newline = head.indexOf(10);
  }
  if (newline === -1) return null;
  const header = parseHeader(head.subarray(0, newline).toString("utf8"));
  if (!header) return null;
  const rowsAt = newline + 1;
  const logAt = rowsAt + header.rows_bytes;
  if (logAt > size) return null;
  const log = size <= head.length ? head.subarray(logAt) : readAt(fd, logAt, size - logAt);
  const view: View = {
    rowsAt,
    logAt,
    size,
    head,
    changed: new Map(),
    logRows: 0,
    snapshot: copySnapshot(header),
    current: header.dir,
  };
  if (log.length < size - logAt) view.current = null;
  const lines = log.toString("utf8").split("\n");
  // The last element is what follows the last newline: empty, or a torn append.
  if (lines.pop() !== "") view.current = null;
  for (const line of lines) {
    if (line !== "") applyRecord(view, parseRecord(line));
  }
  return view;
}

/**
 * Applies one log line. Rows replace their tickets' rows and move them in the open lists; the
 * counts are the record's own. A write record keeps the index current only on top of the state
 * it was made on; a sync record vouches for its stamp by itself (it compared every file).
 */
function applyRecord(view: View, record: LogRecord | null): void {
  if (record === null || record.t === "stale") {
    view.current = null;
    return;
  }
  if (record.t === "sync") {
    for (const id of record.gone) {
      view.changed.set(id, null);
      place(view.snapshot, id, null);
    }
    view.logRows += record.gone.length;
  }
  for (const row of record.rows) {
    view.changed.set(row[0], row);
    place(view.snapshot, row[0], row);
  }
  view.snapshot.total = record.total;
  view.snapshot.by_status = { ...record.by_status };
  view.logRows += record.rows.length;
  if (record.t === "sync") view.current = record.dir;
  else view.current = view.current !== null && view.current === record.from ? record.dir : null;
}

/** True when `rows` more rows in a record of `bytes` should rewrite the file instead. */
export function logFull(view: View, rows: number, bytes: number): boolean {
  return view.logRows + rows > LOG_ROWS || view.size - view.logAt + bytes > LOG_BYTES;
}

/** Every row, sorted, with the log applied; null when a row cannot be read. */
export function readFull(fd: number, view: View): Row[] | null {
  const bytes =
    view.logAt <= view.head.length ? view.head : readAt(fd, 0, Math.min(view.size, view.logAt));
  if (bytes.length < view.logAt) return null;
  const text = bytes.subarray(view.rowsAt, view.logAt).toString("utf8");
  const rows: Row[] = [];
  let at = 0;
  while (at < text.length) {
    let end = text.indexOf("\n", at);
    if (end === -1) end = text.length;
    if (end > at) {
      const row = parseRow(text.slice(at, end));
      if (row === null) return null;
      if (!view.changed.has(row[0])) rows.push(row);
    }
    at = end + 1;
  }
  return mergeChanged(rows, view.changed);
}

/** The first `count` rows the log does not replace, read from the front; null when damaged. */
export function frontRows(fd: number, view: View, count: number): Row[] | null {
  const rows: Row[] = [];
  let buffer = view.head.subarray(view.rowsAt, Math.min(view.head.length, view.logAt));
  let at = view.rowsAt + buffer.length;
  let line = 0;
  for (;;) {
    const newline = buffer.indexOf(10, line);
    if (newline === -1) {
      if (at >= view.logAt) return rows;
      const more = readAt(fd, at, Math.min(HEAD_BYTES, view.logAt - at));
      if (more.length === 0) return null;
      at += more.length;
      buffer = Buffer.concat([buffer.subarray(line), more]);
      line = 0;
      continue;
    }
    const row = parseRow(buffer.subarray(line, newline).toString("utf8"));
    if (row === null) return null;
    line = newline + 1;
    if (view.changed.has(row[0])) continue;
    rows.push(row);
    if (rows.length >= count) return rows;
  }
}

/**
 * The row of ticket `id`, created at `created`, as the index holds it: from the log, else by a
 * binary search of the sorted rows (a few block reads). Undefined when absent; null when a row
 * cannot be read (the index is damaged).
 */
export function findRow(
  fd: number,
  view: View,
  id: string,
  created: string,
  position: number | null = null,
): Row | undefined | null {
  if (view.changed.has(id)) return view.changed.get(id) ?? undefined;
  const key: Row = [id, "", "todo", null, null, null, created, "", null, position];
  let lo = view.rowsAt;
  let hi = view.logAt;
  // Invariant: the row, if present, starts in [lo, hi), and lo is the start of a line.
  while (hi - lo > 8192) {
    const mid = lo + Math.floor((hi - lo) / 2);
    const found = lineAfter(fd, mid - 1, view.logAt);
    if (found === null || found.start >= hi) {
      hi = mid;
      continue;
    }
    const row = parseRow(found.text);
    if (row === null) return null;
    const order = compareRows(row, key);
    if (order === 0) return row;
    if (order < 0) lo = found.end + 1;
    else hi = found.start;
  }
  const block = readAt(fd, lo, hi - lo);
  let start = 0;
  while (start < block.length) {
    let end = block.indexOf(10, start);
    let text: string;
    if (end === -1) {
      // The last line starting in the block ends after it.
      const rest = lineAfter(fd, lo + start - 1, view.logAt);
      if (rest === null) return null;
      text = rest.text;
      end = block.length;
    } else text = block.subarray(start, end).toString("utf8");
    const row = parseRow(text);
    if (row === null) return null;
    if (compareRows(row, key) === 0) return row;
    start = end + 1;
  }
  return undefined;
}

/** The whole line that starts after the first newline at or after `from`, before `limit`. */
function lineAfter(
  fd: number,
  from: number,
  limit: number,
): { start: number; end: number; text: string } | null {
  let at = from;
  let start = -1;
  while (start === -1) {
    if (at >= limit) return null;
    const chunk = readAt(fd, at, Math.min(4096, limit - at));
    if (chunk.length === 0) return null;
    const newline = chunk.indexOf(10);
    if (newline !== -1) start = at + newline + 1;
    else at += chunk.length;
  }
  if (start >= limit) return null;
  const parts: Buffer[] = [];
  let cursor = start;
  for (;;) {
    const chunk = readAt(fd, cursor, Math.min(4096, limit - cursor));
    if (chunk.length === 0) return null;
    const newline = chunk.indexOf(10);
    if (newline !== -1) {
      parts.push(chunk.subarray(0, newline));
      return { start, end: cursor + newline, text: Buffer.concat(parts).toString("utf8") };
    }
    parts.push(chunk);
    cursor += chunk.length;
  }
}

/** Replaces the file with `rows` (sorted) and their header: a rebuild or a compaction. */
export function writeWhole(
  ws: Workspace,
  rows: Row[],
  stamp: string,
  snapshot = snapshotOf(rows),
): void {
  const body = Buffer.from(rows.map((row) => `${JSON.stringify(row)}\n`).join(""), "utf8");
  const header: Header = {
    schema_version: SCHEMA_VERSION,
    format: CACHE_FORMAT,
    dir: stamp,
    rows_bytes: body.length,
    ...snapshot,
  };
  try {
    const head = Buffer.from(`${JSON.stringify(header)}\n`, "utf8");
    writeCache(ws, ticketCachePath(ws), Buffer.concat([head, body]));
  } catch (error) {
    // A cache that cannot be written only costs speed next time; one that leads outside the
    // repository is refused like any other path.
    if (isUnsafePath(error)) throw error;
  }
}

/**
 * Appends one record (or its JSON text) with a single write(2). A torn last line left by a
 * killed writer is ended first, so it stays one bad line instead of spoiling this one. False
 * when the write did not land whole.
 */
export function appendRecord(fd: number, record: LogRecord | string): boolean {
  try {
    const size = fs.fstatSync(fd).size;
    const torn = size > 0 && readAt(fd, size - 1, 1)[0] !== 10;
    const line = typeof record === "string" ? record : JSON.stringify(record);
    const data = Buffer.from(`${torn ? "\n" : ""}${line}\n`, "utf8");
    return fs.writeSync(fd, data) === data.length;
  } catch {
    return false;
  }
}

/**
 * Runs `use` with the index open for reading and appending (or for reading only, when it
 * cannot be written; fd null when there is none), so an append always lands in the file read.
 */
export function withCacheFile<T>(
  ws: Workspace,
  use: (fd: number | null, writable: boolean) => T,
): T {
  const opened = openCacheFile(ws);
  try {
    return use(opened?.fd ?? null, opened?.writable ?? false);
  } finally {
    if (opened) fs.closeSync(opened.fd);
  }
}

function openCacheFile(ws: Workspace): { fd: number; writable: boolean } | null {
  const file = ticketCachePath(ws);
  try {
    const fd = openForAppend(ws, file);
    return fd === null ? null : { fd, writable: true };
  } catch (error) {
    if (isUnsafePath(error)) throw error;
  }
  try {
    const fd = openForRead(ws, file);
    return fd === null ? null : { fd, writable: false };
  } catch (error) {
    if (isUnsafePath(error)) throw error;
    return null;
  }
}

/** `work()`, or `otherwise` when it fails: a damaged cache is no error (a path outside is). */
export function safely<T>(work: () => T, otherwise: T): T {
  try {
    return work();
  } catch (error) {
    if (isUnsafePath(error)) throw error;
    return otherwise;
  }
}
