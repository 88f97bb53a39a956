import { OLD_STATUS_SPELLINGS, TASK_STATUSES, type TaskStatus } from "../../core/task.ts";
import { summarize, type TicketSummary } from "../../store/ticket-cache.ts";
import { withWorkspaceLock } from "../../store/transaction.ts";
import { defineOperation } from "../operation.ts";
import { setTicketAndTaskStatus, type TicketStatusChange } from "../plan/status-sync.ts";
import { findTicket } from "./find.ts";

export interface SetStatusResult {
  ticket: TicketSummary;
  previous: TaskStatus;
  changed: boolean;
  /** The plan task the ticket was made from, kept at the same status; null when it has none. */
  task: TicketStatusChange["task"];
}

export const setTicketStatus = defineOperation({
  name: "ticket set-status",
  summary: "change a ticket's status (and its plan task's)",
  description:
    "Sets the ticket's status and, for a ticket made from a plan task (baton backlog), the task's status in its .task/<id>.json to the same (tickets and tasks share one status set), regenerating backlog.md, IMPL_PLAN.md and TODO_LIST.md, so baton plan next reflects it. baton plan task <plan-id> <task-id> --status S does the same from the task's side. Ticket ids are accepted in any letter case.",
  examples: [
    "baton ticket set-status BTN-k3x9q2ab in_progress",
    "baton ticket set-status BTN-k3x9q2ab done --json",
  ],
  access: "write",
  input: {
    ticket_id: {
      type: "string",
      min: 1,
      required: true,
      description: "the ticket, e.g. BTN-k3x9q2ab",
      cli: { positional: true },
    },
    status: {
      type: "enum",
      values: TASK_STATUSES,
      aliases: OLD_STATUS_SPELLINGS,
      required: true,
      description: TASK_STATUSES.join(" | "),
      cli: { positional: true },
    },
  },
  tool: { description: "Change a ticket's status; the plan task it was made from follows." },
  run(env, input): Promise<SetStatusResult> {
    const ctx = env.context();
    return withWorkspaceLock(ctx.ws, () => {
      const ticket = findTicket(ctx.ws, input.ticket_id);
      const change = setTicketAndTaskStatus(ctx, ticket, input.status);
      return {
        ticket: summarize(change.ticket),
        previous: ticket.status,
        changed: change.changed,
        task: change.task,
      };
    });
  },
});
