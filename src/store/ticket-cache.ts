import fs from "node:fs";
import path from "node:path";
import { SCHEMA_VERSION } from "../core/schema.ts";
import type { Ticket, TicketStatus } from "../core/ticket.ts";
import { openForRead, readTextOrNull, statOrNull, writeText } from "./files.ts";
import { isUnsafePath } from "./guard.ts";
import { listTicketIds, readTicket, ticketPath } from "./repo.ts";
import type { Workspace } from "./workspace.ts";

export type TicketSummary = Omit<Ticket, "body" | "schema_version">;

type Row = [
  id: string,
  title: string,
  status: TicketStatus,
  plan: string | null,
  task: string | null,
  session_id: string | null,
  created: string,
  updated: string,
  /** The ticket file's mtime (ns) and size when the row was read: a stat tells if it is stale. */
  file: string | null,
  /** Its task's place in the plan when made by `baton backlog` (null otherwise). */
  position: number | null,
];

/** A ticket as the index holds it, with the file stamp that vouches for it. */
export type CachedTicket = TicketSummary & { file: string | null };

/** Bumped when the row layout changes, so an older index is rebuilt rather than misread. */
const CACHE_FORMAT = 3;

/** How many of the oldest tickets the header carries: the default page of `ticket list`. */
export const HEADER_PAGE = 100;
/** How many open tickets the header carries for the journal and `resume`. */
const HEADER_OPEN = 20;
const OPEN = new Set<TicketStatus>(["todo", "in_progress", "blocked"]);

/** The cache's first line: enough for the common questions without parsing every row. */
export interface TicketOverview {
  total: number;
  by_status: Partial<Record<TicketStatus, number>>;
  /** The oldest tickets, in list order. */
  first_page: CachedTicket[];
  /** In-progress tickets (most recently updated first), then other open ones, oldest first. */
  open: CachedTicket[];
}

interface Header {
  schema_version: number;
  format: number;
  dir_mtime_ns: string;
  total: number;
  by_status: Partial<Record<TicketStatus, number>>;
  first_page: Row[];
  open: Row[];
}

export function ticketCachePath(ws: Workspace): string {
  return path.join(ws.paths.batonDir, "cache", "tickets.jsonl");
}

/**
 * A per-machine index of every ticket's frontmatter: a header line (counts, the first page, the
 * open tickets) and then all rows sorted by (created, position, id). It is valid while the tickets
 * folder's mtime matches: Baton writes tickets by rename and git replaces files, so both change
 * it. Baton's own writes update the index in the same locked command (see noteTicketWrite);
 * anything else makes the next read rebuild it from the files. An editor that rewrites a file in
 * place does not change the folder, which is why `--fresh` exists. Never written back to tickets.
 */
function folderStamp(ws: Workspace): string | null {
  return statOrNull(ws, ws.paths.tickets, true)?.mtimeNs.toString() ?? null;
}

/** Reads just the header line: the default list page, the journal and resume need no more. */
function readHeader(ws: Workspace): Header | null {
  let fd: number | null;
  try {
    fd = openForRead(ws, ticketCachePath(ws));
  } catch (error) {
    if (isUnsafePath(error)) throw error;
    return null;
  }
  if (fd === null) return null;
  try {
    const chunks: Buffer[] = [];
    const chunk = Buffer.allocUnsafe(64 * 1024);
    for (;;) {
      const n = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (n <= 0) return null;
      const newline = chunk.subarray(0, n).indexOf(10);
      if (newline !== -1) {
        chunks.push(Buffer.from(chunk.subarray(0, newline)));
        return parseHeader(Buffer.concat(chunks).toString("utf8"));
      }
      chunks.push(Buffer.from(chunk.subarray(0, n)));
    }
  } catch {
    return null;
  } finally {
    fs.closeSync(fd);
  }
}

function parseHeader(text: string): Header | null {
  try {
    const header = JSON.parse(text) as Header;
    return header.schema_version === SCHEMA_VERSION && header.format === CACHE_FORMAT
      ? header
      : null;
  } catch {
    return null;
  }
}

function readRaw(ws: Workspace): { header: Header; text: string; split: number } | null {
  const text = readTextOrNull(ws, ticketCachePath(ws));
  if (!text) return null;
  const split = text.indexOf("\n");
  const header = split === -1 ? null : parseHeader(text.slice(0, split));
  return header ? { header, text, split } : null;
}

function parseRows(raw: { text: string; split: number }): Row[] | null {
  try {
    const rows = JSON.parse(raw.text.slice(raw.split + 1)) as Row[];
    return Array.isArray(rows) ? rows : null;
  } catch {
    return null;
  }
}

/** By creation; tickets made together (one `baton backlog`) in their plan's task order. */
function compareRows(a: Row, b: Row): number {
  if (a[6] !== b[6]) return a[6] < b[6] ? -1 : 1;
  const pa = a[9] ?? Number.MAX_SAFE_INTEGER;
  const pb = b[9] ?? Number.MAX_SAFE_INTEGER;
  if (pa !== pb) return pa - pb;
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

function buildHeader(rows: Row[], stamp: string): Header {
  const byStatus: Partial<Record<TicketStatus, number>> = {};
  for (const row of rows) byStatus[row[2]] = (byStatus[row[2]] ?? 0) + 1;
  const inProgress = rows
    .filter((r) => r[2] === "in_progress")
    .sort((a, b) => (a[7] < b[7] ? 1 : -1));
  const otherOpen = rows.filter((r) => OPEN.has(r[2]) && r[2] !== "in_progress");
  return {
    schema_version: SCHEMA_VERSION,
    format: CACHE_FORMAT,
    dir_mtime_ns: stamp,
    total: rows.length,
    by_status: byStatus,
    first_page: rows.slice(0, HEADER_PAGE),
    open: [...inProgress, ...otherOpen].slice(0, HEADER_OPEN),
  };
}

function store(ws: Workspace, rows: Row[], stamp: string): Header {
  const header = buildHeader(rows, stamp);
  try {
    writeText(ws, ticketCachePath(ws), `${JSON.stringify(header)}\n${JSON.stringify(rows)}\n`);
  } catch (error) {
    // A cache that cannot be written only costs speed next time; one that leads outside the
    // repository is refused like any other path.
    if (isUnsafePath(error)) throw error;
  }
  return header;
}

/**
 * Rebuilds the index after a change Baton did not make (a git pull, an editor): every file is
 * stat'ed, and only those whose stamp differs from the previous index's row are read again.
 */
function rebuild(
  ws: Workspace,
  stamp: string,
  previous: Row[] | null,
): { header: Header; rows: Row[] } {
  const known = new Map((previous ?? []).map((row) => [row[0], row]));
  const rows: Row[] = [];
  for (const id of listTicketIds(ws)) {
    const file = fileStamp(ws, id);
    const old = known.get(id);
    if (old && file !== null && old[8] === file) {
      rows.push(old);
      continue;
    }
    const ticket = readTicket(ws, id);
    if (ticket) rows.push(toRow(summarize(ticket), file));
  }
  rows.sort(compareRows);
  return { header: store(ws, rows, stamp), rows };
}

/** A ticket file's mtime and size, or null when it cannot be stat'ed. */
function fileStamp(ws: Workspace, id: string): string | null {
  const stat = statOrNull(ws, ticketPath(ws, id), true);
  return stat === null ? null : `${stat.mtimeNs}:${stat.size}`;
}

/**
 * The ticket as it is now: the cached summary when its file's stamp still matches, else read
 * from the file (null when it is gone). `stale` says the index disagreed with the file.
 */
export function currentTicket(
  ws: Workspace,
  cached: CachedTicket,
): { ticket: TicketSummary | null; stale: boolean } {
  const { file, ...summary } = cached;
  if (file !== null && fileStamp(ws, cached.id) === file) return { ticket: summary, stale: false };
  const ticket = readTicket(ws, cached.id);
  if (!ticket) return { ticket: null, stale: true };
  const fresh = summarize(ticket);
  const same = (Object.keys(summary) as (keyof TicketSummary)[]).every(
    (key) => fresh[key] === summary[key],
  );
  return { ticket: fresh, stale: !same };
}

/** Counts, the first page and the open tickets; parses only the header when it is current. */
export function ticketOverview(ws: Workspace): TicketOverview {
  const stamp = folderStamp(ws);
  if (stamp === null) return { total: 0, by_status: {}, first_page: [], open: [] };
  const cached = readHeader(ws);
  const header =
    cached && cached.dir_mtime_ns === stamp ? cached : rebuild(ws, stamp, previousRows(ws)).header;
  return {
    total: header.total,
    by_status: header.by_status,
    first_page: header.first_page.map(fromRow),
    open: header.open.map(fromRow),
  };
}

/** Every ticket, sorted by (created, position, id); `fresh` reads every file again. */
export function ticketSummaries(ws: Workspace, fresh = false): CachedTicket[] {
  const stamp = folderStamp(ws);
  if (stamp === null) return [];
  if (!fresh) {
    const raw = readRaw(ws);
    const rows = raw && raw.header.dir_mtime_ns === stamp ? parseRows(raw) : null;
    if (rows) return rows.map(fromRow);
  }
  return rebuild(ws, stamp, fresh ? null : previousRows(ws)).rows.map(fromRow);
}

/** The rows of the index as last written, whatever the folder did since. */
function previousRows(ws: Workspace): Row[] | null {
  const raw = readRaw(ws);
  return raw ? parseRows(raw) : null;
}

/** Tickets a transaction wrote, waiting to be folded into the cache when it commits. */
export interface TicketWrites {
  /** The tickets folder's stamp before the first write. */
  before: string | null;
  tickets: Map<string, TicketSummary>;
}

/** Call just before writing a ticket file: remembers the folder's state before the first write. */
export function noteTicketWrite(ws: Workspace, ticket: Ticket): void {
  const tx = ws.tx;
  if (!tx) return;
  tx.ticketWrites ??= { before: folderStamp(ws), tickets: new Map() };
  tx.ticketWrites.tickets.set(ticket.id, summarize(ticket));
}

/**
 * Marks the index stale: a ticket file disagreed with it (an editor rewrote the file in place,
 * which leaves the folder's mtime alone), so the next read rebuilds it, re-reading only the
 * files whose stamps changed.
 */
export function markTicketCacheStale(ws: Workspace): void {
  const raw = readRaw(ws);
  const rows = raw ? parseRows(raw) : null;
  if (!rows) return;
  store(ws, rows, "stale");
}

/**
 * Folds this command's ticket writes into the cache, if the cache was current before them, so
 * Baton's own changes never force a rebuild from every file. Called under the workspace lock.
 */
export function flushTicketCache(ws: Workspace, entry: TicketWrites | null): void {
  if (!entry) return;
  const raw = readRaw(ws);
  const stamp = folderStamp(ws);
  if (!raw || stamp === null || entry.before === null || raw.header.dir_mtime_ns !== entry.before)
    return;
  const rows = parseRows(raw);
  if (!rows) return;
  const byId = new Map(rows.map((row, i) => [row[0], i]));
  for (const ticket of entry.tickets.values()) {
    const at = byId.get(ticket.id);
    const row = toRow(ticket, fileStamp(ws, ticket.id));
    if (at === undefined) rows.push(row);
    else rows[at] = row;
  }
  rows.sort(compareRows);
  store(ws, rows, stamp);
}

export function summarize(ticket: Ticket): TicketSummary {
  const { body: _body, schema_version: _v, ...rest } = ticket;
  return rest;
}

function toRow(t: TicketSummary, file: string | null): Row {
  return [
    t.id,
    t.title,
    t.status,
    t.plan,
    t.task,
    t.session_id,
    t.created,
    t.updated,
    file,
    t.position ?? null,
  ];
}

function fromRow(r: Row): CachedTicket {
  return {
    file: r[8] ?? null,
    id: r[0],
    title: r[1],
    status: r[2],
    plan: r[3],
    task: r[4],
    session_id: r[5],
    created: r[6],
    updated: r[7],
    ...(typeof r[9] === "number" ? { position: r[9] } : {}),
  };
}
