import { OLD_STATUS_SPELLINGS, TASK_STATUSES } from "../../core/task.ts";
import {
  type CachedTicket,
  currentTickets,
  HEADER_PAGE,
  markTicketCacheStale,
  type TicketSummary,
  ticketOverview,
  ticketSummaries,
} from "../../store/ticket-cache.ts";
import { defineOperation } from "../operation.ts";
import { PAGE_FIELDS } from "../paging.ts";
import { assertPlanId } from "../plan/id.ts";

export type { TicketSummary };

export interface TicketList {
  total: number;
  offset: number;
  limit: number | null;
  tickets: TicketSummary[];
}

export const listTickets = defineOperation({
  name: "ticket list",
  summary: "list backlog tickets, oldest first",
  examples: [
    "baton ticket list",
    "baton ticket list --all --json",
    "baton ticket list --status todo --limit 20 --json",
    "baton ticket list --plan plan-oauth-rollout",
  ],
  access: "read",
  input: {
    status: {
      type: "enum",
      values: TASK_STATUSES,
      aliases: OLD_STATUS_SPELLINGS,
      description: `only this status (${TASK_STATUSES.join(", ")})`,
      apiDescription: "only this status",
      cli: { value: "<status>" },
    },
    plan: {
      type: "string",
      min: 1,
      description: "only tickets from this plan",
      cli: { value: "<plan-id>" },
    },
    ...PAGE_FIELDS,
    fresh: {
      type: "boolean",
      description: "re-read every ticket file instead of the per-machine cache",
      api: false,
    },
  },
  tool: {
    description: "Backlog tickets, oldest first (paged; summaries without bodies).",
    cut: ["tickets"],
  },
  run(env, input): TicketList {
    const ctx = env.context();
    const { status, plan } = input;
    if (plan !== undefined) assertPlanId(ctx.ws, plan);
    const offset = input.offset ?? 0;
    const limit = input.limit ?? null;
    const unfiltered = !status && !plan && !input.fresh;
    let total: number;
    let rows: CachedTicket[];
    const overview =
      unfiltered && limit !== null && offset + limit <= HEADER_PAGE ? ticketOverview(ctx.ws) : null;
    if (overview) {
      // The default page is in the cache's header: no need to parse every row.
      total = overview.total;
      rows = overview.first_page.slice(offset, offset + (limit ?? 0));
    } else {
      const all = ticketSummaries(ctx.ws, input.fresh === true).filter(
        (t) => (!status || t.status === status) && (!plan || t.plan === plan),
      );
      total = all.length;
      rows = all.slice(offset, limit === null ? undefined : offset + limit);
    }
    // Every row shown is checked against its file (a stat; a read when the file changed), so
    // what is shown is never older than the files. A row the files contradict means the index is
    // stale: it is marked so for the next read, and this page keeps only what still matches.
    const { tickets, stale } = currentTickets(ctx.ws, rows);
    const page = tickets.filter(
      (fresh) => (!status || fresh.status === status) && (!plan || fresh.plan === plan),
    );
    if (stale) markTicketCacheStale(ctx.ws);
    return { total, offset, limit, tickets: page };
  },
});
