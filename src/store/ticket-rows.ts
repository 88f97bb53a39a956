import type { TaskStatus } from "../core/task.ts";
import type { Ticket } from "../core/ticket.ts";

/**
 * The rows of the ticket index (see ticket-cache.ts) and what is derived from them: the list
 * order, counts by status and the open tickets the journal shows. No disk access here.
 */

export type TicketSummary = Omit<Ticket, "body" | "schema_version">;

/**
 * A ticket file's inode, size and ctime (which any write, rename or `touch` moves). Numbers,
 * not text: comparing 20,000 of them must not cost 20,000 number-to-string conversions.
 */
export type Stamp = [ino: number, size: number, ctimeMs: number];

export type Row = [
  id: string,
  title: string,
  status: TaskStatus,
  plan: string | null,
  task: string | null,
  session_id: string | null,
  created: string,
  updated: string,
  /** The stamp of the file the row was read from; null: always read the file again. */
  file: Stamp | null,
  /** Its task's place in the plan, for tickets `backlog` made together; null otherwise. */
  position: number | null,
];

/** A ticket as the index holds it, with the file stamp that vouches for it. */
export type CachedTicket = TicketSummary & { file: Stamp | null };

export type Counts = Partial<Record<TaskStatus, number>>;

/** How many of the oldest tickets the overview carries: `ticket list`'s default page. */
export const HEADER_PAGE = 100;
/** How many open tickets the journal and `resume` show. */
const OPEN_SHOWN = 20;
/** The open lists carry more than is shown, so tickets can close before the lists run short. */
const BUSY_KEEP = 50;
const WAITING_KEEP = 100;

const OPEN = new Set<TaskStatus>(["todo", "in_progress", "blocked"]);

/** Counts, the first page and the open tickets. */
export interface TicketOverview {
  total: number;
  by_status: Counts;
  /** The oldest tickets, in list order. */
  first_page: CachedTicket[];
  /** In-progress tickets (most recently updated first), then other open ones, oldest first. */
  open: CachedTicket[];
}

/**
 * What the overview needs beyond the rows. `busy` holds the first in-progress tickets (most
 * recently updated first) and `waiting` the first other open ones (oldest first); each is the
 * whole list when `*_all`, else a prefix of it. A prefix stays a prefix when a ticket leaves it
 * or enters ahead of its last entry, so changes can be applied to it without the other rows.
 */
export interface Snapshot {
  total: number;
  by_status: Counts;
  busy: Row[];
  busy_all: boolean;
  waiting: Row[];
  waiting_all: boolean;
}

/**
 * List order: by creation, then by place in the plan (tickets `backlog` made together keep their
 * tasks' order; a ticket without one after those with one), then id.
 */
export function compareRows(a: Row, b: Row): number {
  if (a[6] !== b[6]) return a[6] < b[6] ? -1 : 1;
  const pa = a[9] ?? null;
  const pb = b[9] ?? null;
  if (pa !== pb) {
    if (pa === null) return 1;
    if (pb === null) return -1;
    return pa - pb;
  }
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

/** Most recently updated first; ties newest first. */
function compareBusy(a: Row, b: Row): number {
  if (a[7] !== b[7]) return a[7] < b[7] ? 1 : -1;
  return -compareRows(a, b);
}

export function isRow(value: unknown): value is Row {
  return Array.isArray(value) && value.length === 10 && typeof value[0] === "string";
}

export function sameStamp(a: Stamp | null, b: Stamp | null): boolean {
  return a !== null && b !== null && a[0] === b[0] && a[1] === b[1] && a[2] === b[2];
}

export function snapshotOf(rows: Row[]): Snapshot {
  const by: Counts = {};
  const busy: Row[] = [];
  const waiting: Row[] = [];
  for (const row of rows) {
    by[row[2]] = (by[row[2]] ?? 0) + 1;
    if (row[2] === "in_progress") busy.push(row);
    else if (OPEN.has(row[2])) waiting.push(row);
  }
  busy.sort(compareBusy);
  return {
    total: rows.length,
    by_status: by,
    busy: busy.slice(0, BUSY_KEEP),
    busy_all: busy.length <= BUSY_KEEP,
    waiting: waiting.slice(0, WAITING_KEEP),
    waiting_all: waiting.length <= WAITING_KEEP,
  };
}

export function copySnapshot(s: Snapshot): Snapshot {
  return {
    total: s.total,
    by_status: { ...s.by_status },
    busy: [...s.busy],
    busy_all: s.busy_all,
    waiting: [...s.waiting],
    waiting_all: s.waiting_all,
  };
}

/** Takes ticket `id` out of the open lists and puts `row` back where it belongs, if it does. */
export function place(s: Snapshot, id: string, row: Row | null): void {
  s.busy = s.busy.filter((r) => r[0] !== id);
  s.waiting = s.waiting.filter((r) => r[0] !== id);
  if (row === null || !OPEN.has(row[2])) return;
  if (row[2] === "in_progress") {
    const r = insertRanked(s.busy, s.busy_all, row, compareBusy, BUSY_KEEP);
    s.busy = r.list;
    s.busy_all = r.all;
  } else {
    const r = insertRanked(s.waiting, s.waiting_all, row, compareRows, WAITING_KEEP);
    s.waiting = r.list;
    s.waiting_all = r.all;
  }
}

function insertRanked(
  list: Row[],
  all: boolean,
  row: Row,
  compare: (a: Row, b: Row) => number,
  keep: number,
): { list: Row[]; all: boolean } {
  const last = list[list.length - 1];
  // Past the end of a prefix: it may or may not come next, so the prefix stays as it is.
  if (!all && (last === undefined || compare(row, last) > 0)) return { list, all };
  const at = list.findIndex((r) => compare(row, r) < 0);
  const next = at === -1 ? [...list, row] : [...list.slice(0, at), row, ...list.slice(at)];
  return next.length > keep ? { list: next.slice(0, keep), all: false } : { list: next, all };
}

/** True when the open tickets shown can be told from the lists alone. */
export function answerable(s: Snapshot): boolean {
  if (s.busy.length >= OPEN_SHOWN) return true;
  return s.busy_all && (s.waiting_all || s.waiting.length >= OPEN_SHOWN);
}

export function overviewOf(s: Snapshot, firstPage: Row[]): TicketOverview {
  return {
    total: s.total,
    by_status: s.by_status,
    first_page: firstPage.map(fromRow),
    open: [...s.busy, ...s.waiting].slice(0, OPEN_SHOWN).map(fromRow),
  };
}

/** Sorted `rows` (none of them in `changed`) merged with the live rows of `changed`. */
export function mergeChanged(rows: Row[], changed: Map<string, Row | null>): Row[] {
  const extra: Row[] = [];
  for (const row of changed.values()) if (row !== null) extra.push(row);
  if (extra.length === 0) return rows;
  extra.sort(compareRows);
  const out: Row[] = [];
  let i = 0;
  let j = 0;
  while (i < rows.length || j < extra.length) {
    const a = rows[i];
    const b = extra[j];
    if (b === undefined || (a !== undefined && compareRows(a, b) < 0)) {
      out.push(a as Row);
      i++;
    } else {
      out.push(b);
      j++;
    }
  }
  return out;
}

export function summarize(ticket: Ticket): TicketSummary {
  const { body: _body, schema_version: _v, ...rest } = ticket;
  return rest;
}

export function toRow(t: TicketSummary, file: Stamp | null): Row {
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

export function fromRow(r: Row): CachedTicket {
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
