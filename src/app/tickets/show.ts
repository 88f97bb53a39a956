import { isTaskId, type PlanTaskRecord } from "../../core/plan/tasks.ts";
import { formatTaskRef } from "../../core/task.ts";
import type { Ticket } from "../../core/ticket.ts";
import { readPlanTask } from "../../store/plan-tasks.ts";
import { defineOperation } from "../operation.ts";
import { findTicket } from "./find.ts";

export interface TicketView extends Ticket {
  /** `plan:<plan-id>#<task-id>` for a ticket made from a plan task, else null. */
  task_ref: string | null;
  /** The plan task it was made from, as its task JSON holds it now; null without one. */
  plan_task: Omit<PlanTaskRecord, "schema_version"> | null;
}

export const showTicket = defineOperation({
  name: "ticket show",
  summary: "one ticket with its text and the plan task it was made from",
  examples: ["baton ticket show BTN-k3x9q2ab", "baton ticket show BTN-k3x9q2ab --json"],
  access: "read",
  input: {
    ticket_id: {
      type: "string",
      min: 1,
      required: true,
      description: "the ticket, e.g. BTN-k3x9q2ab (any letter case)",
      cli: { positional: true },
    },
  },
  tool: {
    description: "One ticket with its text.",
    more: "read the ticket's file for the whole text",
  },
  run(env, input): TicketView {
    const { ws } = env.context();
    const ticket = findTicket(ws, input.ticket_id);
    const fromPlan = ticket.plan !== null && ticket.task !== null;
    let task: PlanTaskRecord | null = null;
    if (fromPlan && isTaskId(ticket.task as string)) {
      task = readPlanTask(ws, ticket.plan as string, ticket.task as string);
    }
    const { schema_version: _v, ...planTask } = task ?? { schema_version: 0 };
    return {
      ...ticket,
      task_ref: fromPlan
        ? formatTaskRef({
            source: "plan",
            owner: ticket.plan as string,
            task: ticket.task as string,
          })
        : null,
      plan_task: task ? (planTask as Omit<PlanTaskRecord, "schema_version">) : null,
    };
  },
});
