/**
 * A plan task's status and the status of the ticket `baton backlog` made from it are one fact
 * kept in two files (`.task/<id>.json` and the ticket). Whichever side a command changes
 * (`plan task --status`, `ticket set-status`), both are written in the same locked command, with
 * the views that show them (IMPL_PLAN.md, TODO_LIST.md, planning-notes.md, backlog.md). Every
 * read that can refuse happens first, so a refused change writes nothing.
 */
import { isTaskId, type PlanTaskRecord } from "../../core/plan/tasks.ts";
import type { TaskStatus } from "../../core/task.ts";
import type { Ticket } from "../../core/ticket.ts";
import { recordEvent } from "../../store/events.ts";
import { readPlanTask, readPlanTasks, writePlanTask } from "../../store/plan-tasks.ts";
import { readTicket, writeTicket } from "../../store/repo.ts";
import type { Workspace } from "../../store/workspace.ts";
import { type AppContext, isoNow } from "../context.ts";
import { backlogTicketIds, writeBacklogView } from "../planning/backlog-files.ts";
import { derivedNotes } from "./derived-notes.ts";
import { writeNotes } from "./notes.ts";
import { writeViews } from "./task-set.ts";

/** The writes that bring a task and its ticket to one status, gathered before any is made. */
export interface StatusSync {
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
  if (ticket && ticket.status !== status) {
    const after: Ticket = { ...ticket, status, updated: now };
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

/**
 * Brings `task` and `ticket` (either may be absent) to `status`: gathers every write first, then
 * makes them. Call inside the workspace lock.
 */
export function syncStatus(
  ctx: AppContext,
  plan: string,
  task: PlanTaskRecord | null,
  ticket: Ticket | null,
  status: TaskStatus,
  now: string,
): StatusSync {
  const sync = prepare(ctx.ws, plan, task, ticket, status, now);
  apply(ctx, sync, now);
  return sync;
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
  status: TaskStatus,
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
  const sync = syncStatus(ctx, plan, task, ticket, status, now);
  return {
    ticket: sync.ticket?.after ?? ticket,
    changed: sync.ticket !== null || sync.task !== null,
    task: task
      ? { plan, id: task.id, previous: task.status, status: sync.task?.after.status ?? task.status }
      : null,
  };
}
