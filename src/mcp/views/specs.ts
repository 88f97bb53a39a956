import { TOOL_PAGE_FIELDS } from "../../app/paging.ts";
import type { SpecListResult } from "../../app/specs/list.ts";
import type { NoSpecStatus, SpecStatusReport, TaskTreeNode } from "../../app/specs/status.ts";
import { type PageArgs, paged, pageLists } from "../inputs.ts";
import type { ToolView } from "../tool-view.ts";

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

function specStatusPage(report: SpecStatusReport | NoSpecStatus, args: PageArgs) {
  const { tasks, git, ...rest } = report;
  // git last: the facts an agent decides on (stage, progress, tasks) come first.
  return { ...pageLists({ ...rest, tasks: taskRows(tasks) }, ["tasks"], args), git };
}

/** The specs as one page of rows, with the active one and the folders that are no spec. */
function specListPage(list: SpecListResult, args: PageArgs) {
  const { rows, ...rest } = paged(list.specs, args);
  return { active: list.active, ...rest, specs: rows, problems: list.problems };
}

export const specViews: Readonly<Record<string, ToolView>> = {
  "spec status": { input: TOOL_PAGE_FIELDS, shape: specStatusPage },
  "spec list": { input: TOOL_PAGE_FIELDS, shape: specListPage },
};
