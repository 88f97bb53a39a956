import { checklistItems } from "../../core/markdown.ts";
import type { PlanningSession } from "../../core/planning-session.ts";
import { exists } from "../../store/files.ts";
import { countPlanTasks } from "../../store/plan-task-count.ts";
import { readActivePlanningSession, readText, topicDocPath } from "../../store/repo.ts";
import type { Workspace } from "../../store/workspace.ts";

/** The active planning session and how many tasks its plan has. */
export interface PlanningSessionFacts {
  session: PlanningSession | null;
  /** Null without a plan document. */
  plan_tasks: number | null;
}

export function planningSessionFacts(ws: Workspace): PlanningSessionFacts {
  const session = readActivePlanningSession(ws);
  return { session, plan_tasks: sessionPlanTasks(ws, session) };
}

/** How many tasks the session's plan has, or null without a plan document. */
function sessionPlanTasks(ws: Workspace, session: PlanningSession | null): number | null {
  if (!session?.plan || !exists(ws, topicDocPath(ws, session.plan))) return null;
  return planTaskCount(ws, session.plan);
}

/**
 * How many tasks a plan has without reading them: its task files, counted through the
 * per-machine cache so the cost does not grow with the plan, else the checklist items of its
 * plan.md.
 */
export function planTaskCount(ws: Workspace, planId: string): number {
  const files = countPlanTasks(ws, planId);
  if (files !== null && files > 0) return files;
  return checklistItems(readText(ws, topicDocPath(ws, planId)) ?? "").length;
}
