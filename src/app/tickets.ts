import { assertTicketStatus, type Ticket, type TicketStatus } from "../core/ticket.ts";
import { recordEvent } from "../store/events.ts";
import {
  listTicketIds,
  readText,
  readTicket,
  requireTicket,
  topicFile,
  writeTicket,
} from "../store/repo.ts";
import { withWorkspaceLock } from "../store/transaction.ts";
import { writeBacklogView } from "./backlog.ts";
import { type AppContext, isoNow } from "./context.ts";

export type TicketSummary = Omit<Ticket, "body" | "schema_version">;

export interface TicketListOptions {
  status?: string | undefined;
  plan?: string | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

export interface TicketList {
  total: number;
  offset: number;
  limit: number | null;
  tickets: TicketSummary[];
}

function summarize(ticket: Ticket): TicketSummary {
  const { body: _body, schema_version: _v, ...rest } = ticket;
  return rest;
}

/** Tickets ordered by creation, filtered and paginated; `total` counts every match. */
export function listTickets(ctx: AppContext, options: TicketListOptions = {}): TicketList {
  const status = options.status === undefined ? undefined : assertTicketStatus(options.status);
  const all: TicketSummary[] = [];
  for (const id of listTicketIds(ctx.ws)) {
    const ticket = readTicket(ctx.ws, id);
    if (!ticket) continue;
    if (status && ticket.status !== status) continue;
    if (options.plan && ticket.plan !== options.plan) continue;
    all.push(summarize(ticket));
  }
  all.sort((a, b) =>
    a.created === b.created ? a.id.localeCompare(b.id) : a.created < b.created ? -1 : 1,
  );
  const offset = options.offset ?? 0;
  const limit = options.limit ?? null;
  const page = all.slice(offset, limit === null ? undefined : offset + limit);
  return { total: all.length, offset, limit, tickets: page };
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
    writeTicket(ws, next);
    recordEvent(ws, "ticket.status", now, { ticket: id, from: previous, to: status });
    if (next.plan) refreshBacklogView(ctx, next.plan);
    return { ticket: summarize(next), previous, changed: true };
  });
}

/** Keeps the plan's backlog.md statuses in step after a ticket changes. */
function refreshBacklogView(ctx: AppContext, planId: string): void {
  const mapText = readText(topicFile(ctx.ws, planId, "backlog.json"));
  if (!mapText) return;
  const map = JSON.parse(mapText) as { tickets: { ticket: string }[] };
  const tickets = map.tickets.flatMap((t) => {
    const ticket = readTicket(ctx.ws, t.ticket);
    return ticket ? [ticket] : [];
  });
  writeBacklogView(ctx.ws, planId, tickets);
}
