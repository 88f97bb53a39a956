import type { SpecListResult } from "../../app/specs/list.ts";
import type { NoSpecStatus, SpecStatusReport, TaskTreeNode } from "../../app/specs/status.ts";
import type { Fields } from "../../core/fields.ts";
import { DEFAULT_LIMIT, type PageArgs, paged, pageLists } from "../inputs.ts";
import type { ToolView } from "../tool-view.ts";

/** One page of a list of rows: what spec_list and spec_status take. */
const ROW_PAGE: Fields = {
  limit: {
    type: "int",
    min: 0,
    max: 100,
    default: { api: DEFAULT_LIMIT },
    description: `at most this many rows (default ${DEFAULT_LIMIT}, max 100; 0: totals only)`,
  },
  offset: { type: "int", min: 0, description: "skip this many rows (default 0)" },
};

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
  "spec status": { input: ROW_PAGE, shape: specStatusPage },
  "spec list": { input: ROW_PAGE, shape: specListPage },
};
