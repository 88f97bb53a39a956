/**
 * Progress over a task tree. Every node counts, parents and sub-tasks alike, because each one is a
 * checkbox a person ticks. Optional tasks (Kiro's `*`) are counted and reported but left out of
 * `percent`: skipping them is allowed, so they must not hold a spec below 100%. When every task is
 * optional, `percent` falls back to all tasks so it still moves. `formatProgress` is the one way
 * every face prints it, so the counts and the percentage always share one denominator.
 */
import type { TaskNode } from "./tasks-md.ts";

export interface TaskProgress {
  total: number;
  done: number;
  in_progress: number;
  todo: number;
  /** Tasks marked optional, whatever their state. */
  optional: number;
  /** Tasks not marked optional: the denominator of `percent`. */
  required: number;
  /** Required tasks that are done. */
  required_done: number;
  /** Done non-optional tasks over non-optional tasks, 0..100, rounded down so 100 means all. */
  percent: number;
}

export function taskProgress(tasks: readonly TaskNode[]): TaskProgress {
  const flat: TaskNode[] = [];
  const visit = (nodes: readonly TaskNode[]): void => {
    for (const node of nodes) {
      flat.push(node);
      visit(node.children);
    }
  };
  visit(tasks);
  return countProgress(flat);
}

/** The same figures over a flat list of tasks (each node of a tree once). */
export function countProgress(
  tasks: readonly { status: TaskNode["status"]; optional: boolean }[],
): TaskProgress {
  const progress: TaskProgress = {
    total: 0,
    done: 0,
    in_progress: 0,
    todo: 0,
    optional: 0,
    required: 0,
    required_done: 0,
    percent: 0,
  };
  for (const task of tasks) {
    progress.total += 1;
    progress[task.status] += 1;
    if (task.optional) progress.optional += 1;
    else {
      progress.required += 1;
      if (task.status === "done") progress.required_done += 1;
    }
  }
  const [part, whole] =
    progress.required > 0
      ? [progress.required_done, progress.required]
      : [progress.done, progress.total];
  progress.percent = whole === 0 ? 0 : Math.floor((part * 100) / whole);
  return progress;
}

/**
 * `21/23 required done (91%), 14 optional`: the done count and the percentage over the same
 * tasks, with the optional ones named apart. All optional: `2/5 done (40%), all optional`.
 */
export function formatProgress(p: TaskProgress): string {
  if (p.total === 0) return "no tasks";
  if (p.required === 0) return `${p.done}/${p.total} done (${p.percent}%), all optional`;
  const optional = p.optional > 0 ? `, ${p.optional} optional` : "";
  return `${p.required_done}/${p.required} required done (${p.percent}%)${optional}`;
}
