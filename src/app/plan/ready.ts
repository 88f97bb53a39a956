/**
 * The tasks of a plan ready to start: dependencies done (graph.ts `nextTasks`), less those a
 * recorded `sequence_after` decision holds back. Phase 3 records that decision for a conflict
 * with another open plan over shared files; while that plan still has open work on them, this
 * plan's tasks listing one of those files wait.
 */
import { conflictPlan } from "../../core/plan/conflicts.ts";
import { nextTasks } from "../../core/plan/graph.ts";
import type { PlanTaskRecord } from "../../core/plan/tasks.ts";
import { isClosed } from "../../core/task.ts";
import { openCatalog } from "../../store/catalog-file.ts";
import { readConflictResolution } from "../../store/plan-files.ts";
import { readPlanTasks } from "../../store/plan-tasks.ts";
import type { Workspace } from "../../store/workspace.ts";
import { planWork } from "./work.ts";

export interface HeldTask {
  id: string;
  title: string;
  /** The plan this one is sequenced after. */
  after: string;
  /** The phase 3 conflict whose decision was sequence_after. */
  conflict: string;
  /** The shared files the other plan still has open work on. */
  files: string[];
}

/** Per task id: why a sequence_after decision holds it back. */
export function sequenceHolds(
  ws: Workspace,
  planId: string,
  tasks: readonly PlanTaskRecord[],
): Map<string, HeldTask> {
  const held = new Map<string, HeldTask>();
  const record = readConflictResolution(ws, planId);
  if (!record) return held;
  const catalog = openCatalog(ws);
  for (const decision of record.resolutions) {
    if (decision.strategy !== "sequence_after") continue;
    const conflict = record.conflicts.find((c) => c.id === decision.id);
    const other = conflict ? conflictPlan(conflict) : null;
    if (!conflict || !other || other === planId) continue;
    let work: ReturnType<typeof planWork>;
    try {
      // The shared files are known already: the other plan's text needs no file list.
      work = planWork(
        ws,
        catalog,
        other,
        new Set(conflict.affected_files),
        readPlanTasks(ws, other),
      );
    } catch {
      continue; // a plan that cannot be read any more holds nothing back
    }
    const shared = new Set(conflict.affected_files);
    const still = work.files.filter((f) => shared.has(f));
    if (still.length === 0) continue;
    for (const t of tasks) {
      if (isClosed(t.status) || held.has(t.id)) continue;
      const files = t.files.map((f) => f.replace(/^\.\//, "")).filter((f) => still.includes(f));
      if (files.length === 0) continue;
      held.set(t.id, { id: t.id, title: t.title, after: other, conflict: conflict.id, files });
    }
  }
  return held;
}

/** Tasks to start now, in working order, and those held back by a sequencing decision. */
export function readyTasks(
  ws: Workspace,
  planId: string,
  tasks: readonly PlanTaskRecord[],
): { ready: PlanTaskRecord[]; held: HeldTask[] } {
  const holds = sequenceHolds(ws, planId, tasks);
  const next = nextTasks(tasks);
  return {
    ready: next.filter((t) => !holds.has(t.id)),
    held: next.flatMap((t) => {
      const hold = holds.get(t.id);
      return hold ? [hold] : [];
    }),
  };
}
