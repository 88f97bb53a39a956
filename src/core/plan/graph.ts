/**
 * Deterministic checks over a plan's tasks, and the order to work them in. Pure: no fs.
 */
import type { Finding } from "../spec/finding.ts";
import type { PlanTaskRecord } from "./tasks.ts";

/** A task listing more files than this is reported as oversized (TASK_TOO_MANY_FILES). */
export const MAX_TASK_FILES = 10;
/** A task with more acceptance criteria than this is reported as oversized (TASK_TOO_MANY_CRITERIA). */
export const MAX_TASK_CRITERIA = 8;

export interface TaskFinding extends Finding {
  /** The task the finding is about, or null for the plan as a whole. */
  task: string | null;
}

function f(
  task: string | null,
  severity: Finding["severity"],
  code: string,
  message: string,
  hint: string,
): TaskFinding {
  return { task, line: 1, severity, code, message, hint };
}

/** Dependencies naming no task of the plan, and tasks depending on themselves. */
export function danglingDependencies(tasks: readonly PlanTaskRecord[]): TaskFinding[] {
  const ids = new Set(tasks.map((t) => t.id));
  const out: TaskFinding[] = [];
  for (const t of tasks) {
    for (const dep of t.depends_on) {
      if (!ids.has(dep)) {
        out.push(
          f(
            t.id,
            "error",
            "TASK_DANGLING_DEPENDENCY",
            `${t.id} depends on ${dep}, which is not a task of this plan`,
            `remove ${dep} from depends_on or add a task ${dep}`,
          ),
        );
      }
    }
  }
  return out;
}

/** Each dependency cycle once, as the ids along it (`A → B → A`). */
export function dependencyCycles(tasks: readonly PlanTaskRecord[]): string[][] {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const state = new Map<string, 1 | 2>();
  const cycles: string[][] = [];
  const stack: string[] = [];
  const visit = (id: string) => {
    state.set(id, 1);
    stack.push(id);
    for (const dep of [...(byId.get(id)?.depends_on ?? [])].sort()) {
      if (!byId.has(dep)) continue;
      const s = state.get(dep);
      if (s === 1) cycles.push([...stack.slice(stack.indexOf(dep)), dep]);
      else if (s === undefined) visit(dep);
    }
    stack.pop();
    state.set(id, 2);
  };
  for (const id of [...byId.keys()].sort(compareTaskIds)) if (!state.has(id)) visit(id);
  return cycles;
}

export function cycleFindings(tasks: readonly PlanTaskRecord[]): TaskFinding[] {
  return dependencyCycles(tasks).map((cycle) =>
    f(
      cycle[0] as string,
      "error",
      "TASK_CYCLE",
      `dependency cycle: ${cycle.join(" → ")}`,
      "remove one of these dependencies so the tasks can be ordered",
    ),
  );
}

/** The structural errors that refuse a task list outright: dangling dependencies and cycles. */
export function structuralFindings(tasks: readonly PlanTaskRecord[]): TaskFinding[] {
  return [...danglingDependencies(tasks), ...cycleFindings(tasks)];
}

/** `IMPL-2` before `IMPL-10`: numeric runs compare as numbers. */
export function compareTaskIds(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true });
}

/** Every task each task depends on, directly or not. */
function ancestors(tasks: readonly PlanTaskRecord[]): Map<string, Set<string>> {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const memo = new Map<string, Set<string>>();
  const walk = (id: string, path: Set<string>): Set<string> => {
    const known = memo.get(id);
    if (known) return known;
    const out = new Set<string>();
    path.add(id);
    for (const dep of byId.get(id)?.depends_on ?? []) {
      if (!byId.has(dep) || path.has(dep)) continue;
      out.add(dep);
      for (const a of walk(dep, path)) out.add(a);
    }
    path.delete(id);
    memo.set(id, out);
    return out;
  };
  for (const t of tasks) walk(t.id, new Set());
  return memo;
}

/** `baton plan verify`: every finding, errors first within each check. */
export function verifyTasks(tasks: readonly PlanTaskRecord[]): TaskFinding[] {
  const out = structuralFindings(tasks);
  for (const t of tasks) {
    if (t.acceptance.length === 0) {
      out.push(
        f(
          t.id,
          "error",
          "TASK_NO_ACCEPTANCE",
          `${t.id} has no acceptance criteria`,
          `add "acceptance": ["<observable result>"] to ${t.id}.json`,
        ),
      );
    }
    if (t.files.length > MAX_TASK_FILES) {
      out.push(
        f(
          t.id,
          "warning",
          "TASK_TOO_MANY_FILES",
          `${t.id} edits ${t.files.length} files (more than ${MAX_TASK_FILES})`,
          "split it into smaller tasks",
        ),
      );
    }
    if (t.acceptance.length > MAX_TASK_CRITERIA) {
      out.push(
        f(
          t.id,
          "warning",
          "TASK_TOO_MANY_CRITERIA",
          `${t.id} has ${t.acceptance.length} acceptance criteria (more than ${MAX_TASK_CRITERIA})`,
          "split it into smaller tasks",
        ),
      );
    }
  }
  const anc = ancestors(tasks);
  const sorted = [...tasks].sort((a, b) => compareTaskIds(a.id, b.id));
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length; j++) {
      const a = sorted[i] as PlanTaskRecord;
      const b = sorted[j] as PlanTaskRecord;
      if (anc.get(a.id)?.has(b.id) || anc.get(b.id)?.has(a.id)) continue;
      const shared = a.files.filter((file) => b.files.includes(file));
      if (shared.length === 0) continue;
      out.push(
        f(
          a.id,
          "error",
          "TASK_PARALLEL_FILE_CONFLICT",
          `${a.id} and ${b.id} may run in parallel but both edit ${shared.join(", ")}`,
          `make one depend on the other (e.g. add ${a.id} to ${b.id}'s depends_on) or split the file's changes`,
        ),
      );
    }
  }
  return out;
}

/** Tasks in working order: dependencies first, ties by id. Assumes no cycles. */
export function topologicalOrder(tasks: readonly PlanTaskRecord[]): PlanTaskRecord[] {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const placed = new Set<string>();
  const order: PlanTaskRecord[] = [];
  const remaining = [...tasks].sort((a, b) => compareTaskIds(a.id, b.id));
  while (remaining.length > 0) {
    const index = remaining.findIndex((t) =>
      t.depends_on.every((d) => placed.has(d) || !byId.has(d)),
    );
    const next = remaining.splice(index === -1 ? 0 : index, 1)[0] as PlanTaskRecord;
    placed.add(next.id);
    order.push(next);
  }
  return order;
}

/** `baton plan next`: tasks not done whose dependencies are all done, in working order. */
export function nextTasks(tasks: readonly PlanTaskRecord[]): PlanTaskRecord[] {
  const done = new Set(tasks.filter((t) => t.status === "done").map((t) => t.id));
  return topologicalOrder(tasks).filter(
    (t) => t.status !== "done" && t.depends_on.every((d) => done.has(d)),
  );
}
