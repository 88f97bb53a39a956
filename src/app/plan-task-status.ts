/**
 * A plan task's status and the status of the ticket `baton backlog` made from it are one fact
 * kept in two files (`.task/<id>.json` and the ticket). Whichever side a command changes, both
 * are written in the same locked command, with the views that show them (IMPL_PLAN.md,
 * TODO_LIST.md, planning-notes.md, backlog.md). Every read that can refuse happens first, so a
 * refused change writes nothing.
 */
import { BatonError } from "../core/errors.ts";
import {
  isTaskId,
  type PlanTaskRecord,
  TASK_STATUSES,
  type TaskStatus,
} from "../core/plan/tasks.ts";
import {
  type Ticket,
  type TicketStatus,
  taskRef,
  taskStatusOfTicket,
  ticketStatusOfTask,
} from "../core/ticket.ts";
import { recordEvent } from "../store/events.ts";
import { readPlanTask, readPlanTasks, writePlanTask } from "../store/plan-tasks.ts";
import { readTicket, writeTicket } from "../store/repo.ts";
import { withWorkspaceLock } from "../store/transaction.ts";
import type { Workspace } from "../store/workspace.ts";
import { backlogTicketFor, backlogTicketIds, writeBacklogView } from "./backlog.ts";
import { type AppContext, isoNow } from "./context.ts";
import { derivedNotes } from "./plan-derived-notes.ts";
import { writeNotes } from "./plan-notes.ts";
import { writeViews } from "./plan-tasks.ts";
import { requirePlan } from "./topics.ts";

export interface PlanTaskResult {
  plan: string;
  /** The task as it is now, with its reference (`plan:<plan-id>#<task-id>`). */
  task: PlanTaskRecord & { ref: string };
  /** Its status before this command; equal to the status when nothing changed. */
  previous: TaskStatus;
  changed: boolean;
  /** The ticket made from the task, or null when `baton backlog` has not made one. */
  ticket: { id: string; status: TicketStatus; previous: TicketStatus; changed: boolean } | null;
}

export function assertTaskStatus(value: string): TaskStatus {
  if (!(TASK_STATUSES as readonly string[]).includes(value)) {
    throw new BatonError(
      "INVALID_INPUT",
      `unknown task status ${JSON.stringify(value)}`,
      `use one of: ${TASK_STATUSES.join(", ")}`,
    );
  }
  return value as TaskStatus;
}

function requireTask(ws: Workspace, planId: string, taskArg: string): PlanTaskRecord {
  const task = readPlanTask(ws, planId, taskArg);
  if (!task) {
    throw new BatonError(
      "TASK_NOT_FOUND",
      `plan ${planId} has no task ${taskArg}`,
      `list its tasks with: baton plan next ${planId} (or read its TODO_LIST.md)`,
    );
  }
  return task;
}

/** The writes that bring a task and its ticket to one status, gathered before any is made. */
interface StatusSync {
  plan: string;
  task: { before: PlanTaskRecord; after: PlanTaskRecord } | null;
  /** The plan's whole task set with the change in, for the views. */
  tasks: PlanTaskRecord[] | null;
  ticket: { before: Ticket; after: Ticket } | null;
  /** The tickets backlog.md lists, with the change in. */
  backlog: Ticket[] | null;
}

function prepare(
  ws: Workspace,
  plan: string,
  task: PlanTaskRecord | null,
  ticket: Ticket | null,
  status: TaskStatus,
  now: string,
): StatusSync {
  const sync: StatusSync = { plan, task: null, tasks: null, ticket: null, backlog: null };
  if (task && task.status !== status) {
    const after = { ...task, status };
    sync.task = { before: task, after };
    sync.tasks = (readPlanTasks(ws, plan) ?? []).map((t) => (t.id === task.id ? after : t));
  }
  const ticketStatus = ticketStatusOfTask(status);
  if (ticket && ticket.status !== ticketStatus) {
    const after: Ticket = { ...ticket, status: ticketStatus, updated: now };
    sync.ticket = { before: ticket, after };
    const ids = backlogTicketIds(ws, plan);
    sync.backlog = ids
      ? ids.flatMap((id) => {
          const t = id === after.id ? after : readTicket(ws, id);
          return t ? [t] : [];
        })
      : null;
  }
  return sync;
}

function apply(ctx: AppContext, sync: StatusSync, now: string): void {
  const { ws } = ctx;
  if (sync.task) {
    writePlanTask(ws, sync.plan, sync.task.after);
    const tasks = sync.tasks ?? [];
    writeViews(ws, sync.plan, tasks);
    writeNotes(ws, sync.plan, derivedNotes(ws, sync.plan, { tasks }));
    recordEvent(ws, "plan.task_status", now, {
      plan: sync.plan,
      task: sync.task.after.id,
      from: sync.task.before.status,
      to: sync.task.after.status,
    });
  }
  if (sync.ticket) {
    writeTicket(ws, sync.ticket.after);
    recordEvent(ws, "ticket.status", now, {
      ticket: sync.ticket.after.id,
      from: sync.ticket.before.status,
      to: sync.ticket.after.status,
    });
    if (sync.backlog) writeBacklogView(ws, sync.plan, sync.backlog);
  }
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
    task: { ...task, ref: taskRef(plan, task.id) },
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
  input: { plan: string; task: string; status: string },
): Promise<PlanTaskResult> {
  const status = assertTaskStatus(input.status);
  return withWorkspaceLock(ctx.ws, () => {
    const { ws } = ctx;
    const plan = requirePlan(ws, input.plan).id;
    const task = requireTask(ws, plan, input.task);
    const ticket = ticketOfTask(ws, plan, task.id);
    const now = isoNow(ctx);
    const sync = prepare(ws, plan, task, ticket, status, now);
    apply(ctx, sync, now);
    const after = sync.ticket?.after ?? ticket;
    return result(
      plan,
      sync.task?.after ?? task,
      task.status,
      ticket && after ? { before: ticket, now: after } : null,
    );
  });
}

export interface TicketStatusChange {
  ticket: Ticket;
  /** True when the ticket or its task was written. */
  changed: boolean;
  /** The plan task the ticket was made from, when it has a task JSON. */
  task: { plan: string; id: string; previous: TaskStatus; status: TaskStatus } | null;
}

/**
 * The ticket side of the same change, for `baton ticket set-status`: the ticket and, when it was
 * made from a plan task that has a task JSON, that task (also when only the task was behind).
 * Call inside the workspace lock.
 */
export function setTicketAndTaskStatus(
  ctx: AppContext,
  ticket: Ticket,
  status: TicketStatus,
): TicketStatusChange {
  const { ws } = ctx;
  const now = isoNow(ctx);
  const plan = ticket.plan;
  if (plan === null) {
    if (ticket.status === status) return { ticket, changed: false, task: null };
    const after: Ticket = { ...ticket, status, updated: now };
    writeTicket(ws, after);
    recordEvent(ws, "ticket.status", now, { ticket: ticket.id, from: ticket.status, to: status });
    return { ticket: after, changed: true, task: null };
  }
  const task =
    ticket.task !== null && isTaskId(ticket.task) ? readPlanTask(ws, plan, ticket.task) : null;
  const sync = prepare(ws, plan, task, ticket, taskStatusOfTicket(status), now);
  apply(ctx, sync, now);
  return {
    ticket: sync.ticket?.after ?? ticket,
    changed: sync.ticket !== null || sync.task !== null,
    task: task
      ? { plan, id: task.id, previous: task.status, status: sync.task?.after.status ?? task.status }
      : null,
  };
}
