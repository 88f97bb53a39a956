import type { NoSpecStatus, SpecStatusReport, TaskTreeNode } from "../app/spec-folders.ts";
import { type PageArgs, pageLists } from "./inputs.ts";

/**
 * Compact answers for the tools whose CLI results grow with the work (every task, every note):
 * the same facts, paged, so an agent reads a page and asks for the next.
 */

interface TaskRow extends Omit<TaskTreeNode, "children"> {
  /** The enclosing task's id; null at the top level. */
  parent: string | null;
}

/** The task tree in document order, one row per task, so it pages like any list. */
function taskRows(nodes: readonly TaskTreeNode[], parent: string | null = null): TaskRow[] {
  return nodes.flatMap(({ children, ...task }) => [
    { ...task, parent },
    ...taskRows(children, task.id),
  ]);
}

export function specStatusPage(report: SpecStatusReport | NoSpecStatus, args: PageArgs) {
  const { tasks, git, ...rest } = report;
  // git last: the facts an agent decides on (stage, progress, tasks) come first.
  return { ...pageLists({ ...rest, tasks: taskRows(tasks) }, ["tasks"], args), git };
}
