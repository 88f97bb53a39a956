import { slugify } from "../../core/ids.ts";
import { checklistItems } from "../../core/markdown.ts";
import { topologicalOrder } from "../../core/plan/graph.ts";
import type { TaskStatus } from "../../core/task.ts";
import { countPlanTasks } from "../../store/plan-task-count.ts";
import { readPlanTasks } from "../../store/plan-tasks.ts";
import { readText, topicDocPath } from "../../store/repo.ts";
import type { Workspace } from "../../store/workspace.ts";

/** A unit of work the backlog turns into one ticket. `key` is stable across re-runs. */
export interface PlanTask {
  key: string;
  title: string;
  done: boolean;
  /** The status its ticket starts with. */
  status: TaskStatus;
  description: string;
}

/**
 * The tasks of a plan: its task JSONs (`.task/<id>.json`, keyed by task id, in working order)
 * when `baton plan tasks` wrote them, else its `- [ ]` / `- [x]` checklist items, each keyed by
 * its slug.
 */
export function planTasks(ws: Workspace, planId: string): PlanTask[] {
  const records = readPlanTasks(ws, planId);
  if (records && records.length > 0) {
    return topologicalOrder(records).map((t) => ({
      key: t.id,
      title: t.title,
      done: t.status === "done",
      status: t.status,
      description: t.description,
    }));
  }
  const doc = readText(ws, topicDocPath(ws, planId)) ?? "";
  const seen = new Map<string, number>();
  return checklistItems(doc).map((item) => {
    const base = slugify(item.text) || "task";
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return {
      key: n === 1 ? base : `${base}-${n}`,
      title: item.text,
      done: item.done,
      status: item.done ? "done" : "todo",
      description: "",
    };
  });
}

/**
 * How many tasks `planTasks` would return, without reading the task files: their count comes
 * from a cache keyed by the `.task/` folder, so status lines cost the same for any plan size.
 */
export function planTaskCount(ws: Workspace, planId: string): number {
  const files = countPlanTasks(ws, planId);
  if (files !== null && files > 0) return files;
  return checklistItems(readText(ws, topicDocPath(ws, planId)) ?? "").length;
}
