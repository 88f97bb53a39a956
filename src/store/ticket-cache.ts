import fs from "node:fs";
import path from "node:path";
import { SCHEMA_VERSION } from "../core/schema.ts";
import type { Ticket, TicketStatus } from "../core/ticket.ts";
import { writeFileAtomic } from "./atomic.ts";
import { readTextOrNull } from "./files.ts";
import { listTicketIds, readTicket } from "./repo.ts";
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
];

interface CacheFile {
  schema_version: number;
  dir_mtime_ns: string;
  rows: Row[];
}

export function ticketCachePath(ws: Workspace): string {
  return path.join(ws.paths.batonDir, "cache", "tickets.json");
}

/**
 * Every ticket's frontmatter, from a per-machine cache when the tickets folder has not changed
 * since the cache was built. Baton writes tickets by rename, and git checkouts create or replace
 * files, so each changes the folder's mtime and invalidates the cache; an in-place edit by an
 * editor that rewrites a file without renaming does not, which is why `fresh` exists. The cache
 * is rebuilt from the ticket files and never written back to them.
 */
export function ticketSummaries(ws: Workspace, fresh = false): TicketSummary[] {
  let stamp: string;
  try {
    stamp = fs.statSync(ws.paths.tickets, { bigint: true }).mtimeNs.toString();
  } catch {
    return [];
  }
  const file = ticketCachePath(ws);
  if (!fresh) {
    const cached = readCache(file);
    if (cached && cached.dir_mtime_ns === stamp) return cached.rows.map(fromRow);
  }
  const summaries: TicketSummary[] = [];
  for (const id of listTicketIds(ws)) {
    const ticket = readTicket(ws, id);
    if (ticket) summaries.push(summarize(ticket));
  }
  const cache: CacheFile = {
    schema_version: SCHEMA_VERSION,
    dir_mtime_ns: stamp,
    rows: summaries.map(toRow),
  };
  try {
    writeFileAtomic(file, JSON.stringify(cache));
  } catch {
    // A cache that cannot be written only costs speed next time.
  }
  return summaries;
}

function readCache(file: string): CacheFile | null {
  const text = readTextOrNull(file);
  if (!text) return null;
  try {
    const data = JSON.parse(text) as CacheFile;
    return data.schema_version === SCHEMA_VERSION && Array.isArray(data.rows) ? data : null;
  } catch {
    return null;
  }
}

export function summarize(ticket: Ticket): TicketSummary {
  const { body: _body, schema_version: _v, ...rest } = ticket;
  return rest;
}

function toRow(t: TicketSummary): Row {
  return [t.id, t.title, t.status, t.plan, t.task, t.session_id, t.created, t.updated];
}

function fromRow(r: Row): TicketSummary {
  return {
    id: r[0],
    title: r[1],
    status: r[2],
    plan: r[3],
    task: r[4],
    session_id: r[5],
    created: r[6],
    updated: r[7],
  };
}
