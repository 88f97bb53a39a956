/**
 * A plan's task set as the task verbs share it: read (refusing a plan without one), summarised,
 * and shown in the two views regenerated from it (IMPL_PLAN.md, TODO_LIST.md).
 */
import { cmd } from "../../core/command-ref.ts";
import { BatonError } from "../../core/errors.ts";
import { renderImplPlan, renderTodoList } from "../../core/plan/render.ts";
import type { PlanTaskRecord } from "../../core/plan/tasks.ts";
import type { Finding } from "../../core/spec/finding.ts";
import type { TaskStatus } from "../../core/task.ts";
import { readPlanTasks, taskDir, writeView } from "../../store/plan-tasks.ts";
import { topicFile } from "../../store/repo.ts";
import type { Workspace } from "../../store/workspace.ts";

export interface TaskSummary {
  id: string;
  title: string;
  status: TaskStatus;
  depends_on: string[];
}

export function taskSummary(t: PlanTaskRecord): TaskSummary {
  return { id: t.id, title: t.title, status: t.status, depends_on: t.depends_on };
}

/** The first findings in one line, for a refusal's message. */
export function describeFindings(findings: readonly Finding[]): string {
  const shown = findings.slice(0, 5).map((f) => `${f.code}: ${f.message}`);
  const more = findings.length > 5 ? `; and ${findings.length - 5} more` : "";
  return `${shown.join("; ")}${more}`;
}

/** The plan's task JSONs; a plan without any is refused with NO_TASKS. */
export function requireTasks(ws: Workspace, planId: string): PlanTaskRecord[] {
  const tasks = readPlanTasks(ws, planId);
  if (!tasks || tasks.length === 0) {
    throw new BatonError(
      "NO_TASKS",
      `plan ${planId} has no task files in ${ws.rel(taskDir(ws, planId))}`,
      `write them first: ${cmd("plan tasks", { plan_id: planId, from: "<tasks.json|tasks.md>" })}`,
    );
  }
  return tasks;
}

/** Regenerates IMPL_PLAN.md and TODO_LIST.md from the task set; true when either changed. */
export function writeViews(ws: Workspace, planId: string, tasks: PlanTaskRecord[]): boolean {
  const a = writeView(ws, topicFile(ws, planId, "IMPL_PLAN.md"), renderImplPlan(planId, tasks));
  const b = writeView(ws, topicFile(ws, planId, "TODO_LIST.md"), renderTodoList(planId, tasks));
  return a || b;
}
