/**
 * Progress over a task tree. Every node counts, parents and sub-tasks alike, because each one is a
 * checkbox a person ticks. Optional tasks (Kiro's `*`) are counted and reported but left out of
 * `percent`: skipping them is allowed, so they must not hold a spec below 100%. When every task is
 * optional, `percent` falls back to all tasks so it still moves.
 */
import type { TaskNode } from "./tasks-md.ts";

export interface TaskProgress {
  total: number;
  done: number;
  in_progress: number;
  open: number;
  /** Tasks marked optional, whatever their state. */
  optional: number;
  /** Done non-optional tasks over non-optional tasks, 0..100, rounded down so 100 means all. */
  percent: number;
}

export function taskProgress(tasks: readonly TaskNode[]): TaskProgress {
  const progress: TaskProgress = {
    total: 0,
    done: 0,
    in_progress: 0,
    open: 0,
    optional: 0,
    percent: 0,
  };
  let required = 0;
  let requiredDone = 0;
  const visit = (nodes: readonly TaskNode[]): void => {
    for (const node of nodes) {
      progress.total += 1;
      progress[node.status] += 1;
      if (node.optional) progress.optional += 1;
      else {
        required += 1;
        if (node.status === "done") requiredDone += 1;
      }
      visit(node.children);
    }
  };
  visit(tasks);
  const [part, whole] = required > 0 ? [requiredDone, required] : [progress.done, progress.total];
  progress.percent = whole === 0 ? 0 : Math.floor((part * 100) / whole);
  return progress;
}
