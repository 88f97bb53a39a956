import { assertTopicId } from "../core/ids.ts";
import { assertTicketStatus, type Ticket, type TicketStatus } from "../core/ticket.ts";
import { recordEvent } from "../store/events.ts";
import { readTicket, requireTicket, writeTicket } from "../store/repo.ts";
import {
  type CachedTicket,
  currentTicket,
  HEADER_PAGE,
  markTicketCacheStale,
  summarize,
  type TicketSummary,
  ticketOverview,
  ticketSummaries,
} from "../store/ticket-cache.ts";
import { withWorkspaceLock } from "../store/transaction.ts";
import { backlogTicketIds, writeBacklogView } from "./backlog.ts";
import { type AppContext, isoNow } from "./context.ts";

export type { TicketSummary };

export interface TicketListOptions {
  status?: string | undefined;
  plan?: string | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
  /** Read every ticket file instead of the per-machine cache. */
  fresh?: boolean | undefined;
}

export interface TicketList {
  total: number;
  offset: number;
  limit: number | null;
  tickets: TicketSummary[];
}

/** Tickets ordered by creation, filtered and paginated; `total` counts every match. */
export function listTickets(ctx: AppContext, options: TicketListOptions = {}): TicketList {
  const status = options.status === undefined ? undefined : assertTicketStatus(options.status);
  if (options.plan !== undefined) assertTopicId(options.plan, "plan");
  const offset = options.offset ?? 0;
  const limit = options.limit ?? null;
  const unfiltered = !status && !options.plan && !options.fresh;
  let total: number;
  let rows: CachedTicket[];
  const overview =
    unfiltered && limit !== null && offset + limit <= HEADER_PAGE ? ticketOverview(ctx.ws) : null;
  if (overview) {
    // The default page is in the cache's header: no need to parse every row.
    total = overview.total;
    rows = overview.first_page.slice(offset, offset + (limit ?? 0));
  } else {
    const all = ticketSummaries(ctx.ws, options.fresh === true).filter(
      (t) => (!status || t.status === status) && (!options.plan || t.plan === options.plan),
    );
    total = all.length;
    rows = all.slice(offset, limit === null ? undefined : offset + limit);
  }
  // Every row shown is checked against its file (a stat; a read when the file changed), so what
  // is shown is never older than the files. A row the files contradict means the index is stale:
  // it is marked so for the next read, and this page keeps only what still matches the filter.
  let stale = false;
  const page = rows.flatMap((t) => {
    const current = currentTicket(ctx.ws, t);
    stale ||= current.stale;
    const fresh = current.ticket;
    if (!fresh) return [];
    const matches =
      (!status || fresh.status === status) && (!options.plan || fresh.plan === options.plan);
    return matches ? [fresh] : [];
  });
  if (stale) markTicketCacheStale(ctx.ws);
  return { total, offset, limit, tickets: page };
}

export function showTicket(ctx: AppContext, id: string): Ticket {
  return requireTicket(ctx.ws, id);
}

export interface SetStatusResult {
  ticket: TicketSummary;
  previous: TicketStatus;
  changed: boolean;
}

export function setTicketStatus(
  ctx: AppContext,
  id: string,
  statusArg: string,
): Promise<SetStatusResult> {
  const status = assertTicketStatus(statusArg);
  return withWorkspaceLock(ctx.ws, () => {
    const { ws } = ctx;
    const ticket = requireTicket(ws, id);
    const previous = ticket.status;
    if (previous === status) return { ticket: summarize(ticket), previous, changed: false };
    const now = isoNow(ctx);
    const next: Ticket = { ...ticket, status, updated: now };
    // The plan's backlog view is gathered before the ticket is written, so a corrupt or newer
    // backlog.json (or sibling ticket) refuses the change instead of half-applying it.
    const view = next.plan ? backlogView(ctx, next.plan, next) : null;
    writeTicket(ws, next);
    recordEvent(ws, "ticket.status", now, { ticket: id, from: previous, to: status });
    if (next.plan && view) writeBacklogView(ws, next.plan, view);
    return { ticket: summarize(next), previous, changed: true };
  });
}

/** The tickets backlog.md lists for `planId`, with `changed` in place of its old version. */
function backlogView(ctx: AppContext, planId: string, changed: Ticket): Ticket[] | null {
  const ids = backlogTicketIds(ctx.ws, planId);
  if (!ids) return null;
  return ids.flatMap((ticketId) => {
    const ticket = ticketId === changed.id ? changed : readTicket(ctx.ws, ticketId);
    return ticket ? [ticket] : [];
  });
}
