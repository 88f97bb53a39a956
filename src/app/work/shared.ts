/**
 * A spec made from a plan (`baton spec new <name> --from-plan <plan>`, recorded in its
 * spec-metadata.json) carries the plan's tasks into tasks.md. Such a task, its plan task JSON and
 * the ticket `baton backlog` made from it are one task in three files: when a work session
 * claims, releases or finishes it, the plan task and the ticket follow (in the same locked
 * command, through the same mechanism `ticket set-status` uses).
 */
import { isTaskId } from "../../core/plan/tasks.ts";
import type { SpecStatus } from "../../core/spec/status.ts";
import type { TaskStatus } from "../../core/task.ts";
import type { WorkTask } from "../../core/work/ready.ts";
import { readJsonOrNull } from "../../store/files.ts";
import { readPlanTask } from "../../store/plan-tasks.ts";
import { readTicket } from "../../store/repo.ts";
import { specFile } from "../../store/specs.ts";
import type { AppContext } from "../context.ts";
import { syncStatus } from "../plan/status-sync.ts";
import { backlogTicketFor } from "../planning/backlog-files.ts";
import { planTasks } from "../planning/backlog-tasks.ts";

/** The plan a spec was made from, per its spec-metadata.json; null for any other spec. */
function planOf(ctx: AppContext, status: SpecStatus): string | null {
  const file = specFile(ctx.ws, status.name, "metadata");
  const meta = readJsonOrNull(ctx.ws, file, ctx.ws.rel(file));
  const plan = (meta?.plan as { id?: unknown } | null | undefined)?.id;
  return typeof plan === "string" && /^plan-[a-z0-9-]+$/.test(plan) ? plan : null;
}

/**
 * Brings the plan task and the ticket sharing `task` to `status`: the plan task of the same
 * title (exactly one) and its ticket. A ticket or task already done is left alone unless the
 * task is being finished, and releasing only puts back what a claim set going.
 */
export function syncSharedTask(
  ctx: AppContext,
  status: SpecStatus,
  task: WorkTask,
  to: TaskStatus,
  now: string,
): void {
  const plan = planOf(ctx, status);
  if (plan === null) return;
  const title = task.title.trim();
  const same = planTasks(ctx.ws, plan).filter((t) => t.title.trim() === title);
  if (same.length !== 1) return;
  const key = (same[0] as { key: string }).key;
  const record = isTaskId(key) ? readPlanTask(ctx.ws, plan, key) : null;
  const ticketId = backlogTicketFor(ctx.ws, plan, key);
  const ticket = ticketId === null ? null : readTicket(ctx.ws, ticketId);
  const follows = (current: TaskStatus) =>
    to === "done"
      ? current !== "done"
      : to === "todo"
        ? current === "in_progress"
        : current === "todo";
  syncStatus(
    ctx,
    plan,
    record && follows(record.status) ? record : null,
    ticket && follows(ticket.status) ? ticket : null,
    to,
    now,
  );
}
