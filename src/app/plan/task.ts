import { cmd } from "../../core/command-ref.ts";
import { BatonError } from "../../core/errors.ts";
import type { PlanTaskRecord } from "../../core/plan/tasks.ts";
import {
  formatTaskRef,
  OLD_STATUS_SPELLINGS,
  TASK_STATUSES,
  type TaskStatus,
} from "../../core/task.ts";
import type { Ticket } from "../../core/ticket.ts";
import { readPlanTask } from "../../store/plan-tasks.ts";
import { readTicket } from "../../store/repo.ts";
import { withWorkspaceLock } from "../../store/transaction.ts";
import type { Workspace } from "../../store/workspace.ts";
import { type AppContext, isoNow } from "../context.ts";
import { defineOperation } from "../operation.ts";
import { backlogTicketFor } from "../planning/backlog-files.ts";
import { requirePlan } from "../planning/topics.ts";
import { PLAN_ID, titleNote } from "./id.ts";
import { syncStatus } from "./status-sync.ts";

export interface PlanTaskResult {
  plan: string;
  /** The task as it is now, with its reference (`plan:<plan-id>#<task-id>`). */
  task: PlanTaskRecord & { ref: string };
  /** Its status before this command; equal to the status when nothing changed. */
  previous: TaskStatus;
  changed: boolean;
  /** The ticket made from the task, or null when `baton backlog` has not made one. */
  ticket: { id: string; status: TaskStatus; previous: TaskStatus; changed: boolean } | null;
}

function requireTask(ws: Workspace, planId: string, taskArg: string): PlanTaskRecord {
  const task = readPlanTask(ws, planId, taskArg);
  if (!task) {
    throw new BatonError(
      "TASK_NOT_FOUND",
      `plan ${planId} has no task ${taskArg}`,
      `list its tasks with: ${cmd("plan next", { plan_id: planId })} (or read its TODO_LIST.md)`,
    );
  }
  return task;
}

/** The ticket made from a plan task, read (a corrupt one refuses), or null. */
function ticketOfTask(ws: Workspace, plan: string, taskId: string): Ticket | null {
  const id = backlogTicketFor(ws, plan, taskId);
  return id ? readTicket(ws, id) : null;
}

function result(
  plan: string,
  task: PlanTaskRecord,
  previous: TaskStatus,
  ticket: { before: Ticket; now: Ticket } | null,
): PlanTaskResult {
  return {
    plan,
    task: { ...task, ref: formatTaskRef({ source: "plan", owner: plan, task: task.id }) },
    previous,
    changed: previous !== task.status,
    ticket: ticket
      ? {
          id: ticket.now.id,
          status: ticket.now.status,
          previous: ticket.before.status,
          changed: ticket.before.status !== ticket.now.status,
        }
      : null,
  };
}

/** `baton plan task <plan-id> <task-id>`: one task with its ticket (read-only). */
export function showPlanTask(ctx: AppContext, planArg: string, taskArg: string): PlanTaskResult {
  const { ws } = ctx;
  const plan = requirePlan(ws, planArg).id;
  const task = requireTask(ws, plan, taskArg);
  const ticket = ticketOfTask(ws, plan, task.id);
  return result(plan, task, task.status, ticket ? { before: ticket, now: ticket } : null);
}

/**
 * `baton plan task <plan-id> <task-id> --status S`: sets the task's status in its JSON and the
 * ticket made from it to the same status, so `plan next` and `ticket list` agree.
 */
export function setPlanTaskStatus(
  ctx: AppContext,
  input: { plan: string; task: string; status: TaskStatus },
): Promise<PlanTaskResult> {
  const { status } = input;
  return withWorkspaceLock(ctx.ws, () => {
    const { ws } = ctx;
    const plan = requirePlan(ws, input.plan).id;
    const task = requireTask(ws, plan, input.task);
    const ticket = ticketOfTask(ws, plan, task.id);
    const sync = syncStatus(ctx, plan, task, ticket, status, isoNow(ctx));
    const after = sync.ticket?.after ?? ticket;
    return result(
      plan,
      sync.task?.after ?? task,
      task.status,
      ticket && after ? { before: ticket, now: after } : null,
    );
  });
}

export const planTaskOp = defineOperation({
  name: "plan task",
  summary: "one task of a plan; --status sets it and the ticket made from it",
  description: `Without --status, prints the task (status, dependencies, files, acceptance criteria, requirements, its reference plan:<plan-id>#<task-id>) and the ticket baton backlog made from it; changes nothing. With --status (${TASK_STATUSES.join(", ")}), writes the status to the task's JSON, regenerates IMPL_PLAN.md, TODO_LIST.md and planning-notes.md, and sets the ticket made from the task to the same status with backlog.md; baton ticket set-status does the same from the ticket's side, so plan next and ticket list always agree. Task ids are matched in any letter case. ${titleNote(["tasks", "task", "verify", "next"])}`,
  examples: [
    "baton plan task plan-oauth-rollout IMPL-1",
    "baton plan task plan-oauth-rollout IMPL-1 --status in_progress",
    "baton plan task plan-oauth-rollout IMPL-1 --status done --json",
  ],
  access: "write",
  input: {
    plan_id: PLAN_ID,
    task_id: {
      type: "string",
      min: 1,
      required: true,
      description: "e.g. IMPL-1",
      cli: { positional: true },
    },
    status: {
      type: "enum",
      values: TASK_STATUSES,
      aliases: OLD_STATUS_SPELLINGS,
      description: `set it: ${TASK_STATUSES.join(" | ")}`,
      cli: { value: "<status>" },
    },
  },
  tool: {
    description:
      "One task of a plan with the ticket made from it; with status, set the task's status and the ticket's to match, so plan_next and ticket_list agree.",
  },
  run(env, input): PlanTaskResult | Promise<PlanTaskResult> {
    const ctx = env.context();
    return input.status === undefined
      ? showPlanTask(ctx, input.plan_id, input.task_id)
      : setPlanTaskStatus(ctx, { plan: input.plan_id, task: input.task_id, status: input.status });
  },
});
