import { canonicalTicketId, isTicketId } from "../../core/ids.ts";
import type { Ticket } from "../../core/ticket.ts";
import { listTicketIds, readTicket, requireTicket } from "../../store/repo.ts";
import type { Workspace } from "../../store/workspace.ts";

/**
 * The ticket an id names, in any letter case: the canonical spelling first, then, for a ticket
 * whose prefix differs from the configured one in case, the ticket file matching without case.
 */
export function findTicket(ws: Workspace, idArg: string): Ticket {
  const id = canonicalTicketId(idArg, ws.config.tickets.prefix);
  const ticket = readTicket(ws, id);
  if (ticket) return ticket;
  const other = listTicketIds(ws).find((t) => t.toLowerCase() === id.toLowerCase() && t !== id);
  return requireTicket(ws, other && isTicketId(other) ? other : id);
}
