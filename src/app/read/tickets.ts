import type { JournalFacts } from "../../core/journal.ts";
import { ticketOverview } from "../../store/ticket-cache.ts";
import type { Workspace } from "../../store/workspace.ts";

const OPEN_STATUSES = ["todo", "in_progress", "blocked"] as const;

export type TicketFacts = Pick<JournalFacts, "current_task" | "open_tickets" | "open_ticket_count">;

/** The open tickets and the one in progress, from the ticket cache's header alone. */
export function ticketFacts(ws: Workspace): TicketFacts {
  const tickets = ticketOverview(ws);
  const openCount = OPEN_STATUSES.reduce((n, s) => n + (tickets.by_status[s] ?? 0), 0);
  const current = tickets.open.find((t) => t.status === "in_progress") ?? null;
  return {
    current_task: current ? { id: current.id, title: current.title, status: current.status } : null,
    open_tickets: tickets.open.map((t) => ({ id: t.id, title: t.title, status: t.status })),
    open_ticket_count: openCount,
  };
}
