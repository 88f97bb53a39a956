import { type AnyOperation, inToolset } from "../operation.ts";
import { listTickets } from "./list.ts";
import { setTicketStatus } from "./set-status.ts";
import { showTicket } from "./show.ts";

export const TICKET_OPERATIONS: readonly AnyOperation[] = inToolset("tickets", [
  listTickets,
  showTicket,
  setTicketStatus,
]);
