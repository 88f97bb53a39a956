import { canonicalTicketId, isTicketId } from "../core/ids.ts";
import { isTaskId, type PlanTaskRecord } from "../core/plan/tasks.ts";
import { assertTicketStatus, type Ticket, type TicketStatus, taskRef } from "../core/ticket.ts";
import { readPlanTask } from "../store/plan-tasks.ts";
import { listTicketIds, readTicket, requireTicket } from "../store/repo.ts";
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
import type { Workspace } from "../store/workspace.ts";
import type { AppContext } from "./context.ts";
import { assertPlanId } from "./plan-id.ts";
import { setTicketAndTaskStatus, type TicketStatusChange } from "./plan-task-status.ts";

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
  if (options.plan !== undefined) assertPlanId(ctx.ws, options.plan);
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

export interface TicketView extends Ticket {
  /** `plan:<plan-id>#<task-id>` for a ticket made from a plan task, else null. */
  task_ref: string | null;
  /** The plan task it was made from, as its task JSON holds it now; null without one. */
  plan_task: Omit<PlanTaskRecord, "schema_version"> | null;
}

/** `baton ticket show <id>`: the ticket with the plan task it was made from. */
export function showTicket(ctx: AppContext, id: string): TicketView {
  const { ws } = ctx;
  const ticket = findTicket(ws, id);
  const fromPlan = ticket.plan !== null && ticket.task !== null;
  let task: PlanTaskRecord | null = null;
  if (fromPlan && isTaskId(ticket.task as string)) {
    task = readPlanTask(ws, ticket.plan as string, ticket.task as string);
  }
  const { schema_version: _v, ...planTask } = task ?? { schema_version: 0 };
  return {
    ...ticket,
    task_ref: fromPlan ? taskRef(ticket.plan as string, ticket.task as string) : null,
    plan_task: task ? (planTask as Omit<PlanTaskRecord, "schema_version">) : null,
  };
}

export interface SetStatusResult {
  ticket: TicketSummary;
  previous: TicketStatus;
  changed: boolean;
  /** The plan task the ticket was made from, kept at the same status; null when it has none. */
  task: TicketStatusChange["task"];
}

/**
 * `baton ticket set-status <id> <status>`: the ticket's status and, for a ticket made from a
 * plan task, the task's status in its JSON, with the views of both (backlog.md, TODO_LIST.md…).
 */
export function setTicketStatus(
  ctx: AppContext,
  id: string,
  statusArg: string,
): Promise<SetStatusResult> {
  const status = assertTicketStatus(statusArg);
  return withWorkspaceLock(ctx.ws, () => {
    const ticket = findTicket(ctx.ws, id);
    const change = setTicketAndTaskStatus(ctx, ticket, status);
    return {
      ticket: summarize(change.ticket),
      previous: ticket.status,
      changed: change.changed,
      task: change.task,
    };
  });
}
