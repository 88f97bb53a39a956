import path from "node:path";
import { BatonError } from "../core/errors.ts";
import {
  isTaskId,
  MAX_PLAN_TASKS,
  normalizeTask,
  type PlanTaskRecord,
} from "../core/plan/tasks.ts";
import { SCHEMA_VERSION } from "../core/schema.ts";
import { listNames, readJsonOrNull, removeFile, writeJson } from "./files.ts";
import { readText, topicFile, writeText } from "./repo.ts";
import type { Workspace } from "./workspace.ts";

/** `{knowledgeDir}/topics/<plan-id>/.task/`: one `<task-id>.json` per task. */
export function taskDir(ws: Workspace, planId: string): string {
  return topicFile(ws, planId, ".task");
}

/** The file of one task; the id is checked before it becomes part of a path. */
export function taskFile(ws: Workspace, planId: string, taskId: string): string {
  if (!isTaskId(taskId)) {
    throw new BatonError(
      "INVALID_ID",
      `${JSON.stringify(taskId)} is not a valid task id`,
      "use IMPL-<n>, or a letter followed by up to 40 letters, digits, _ or -",
    );
  }
  return path.join(taskDir(ws, planId), `${taskId}.json`);
}

function taskFileNames(ws: Workspace, planId: string): string[] | null {
  const names = listNames(ws, taskDir(ws, planId));
  return names === null
    ? null
    : names.filter((name) => name.endsWith(".json") && isTaskId(name.slice(0, -5))).sort();
}

/**
 * The plan's task records, or null when it has no `.task/` folder. A task file that is not
 * valid JSON, is newer than this Baton, or does not hold a well-formed task (or one whose id
 * differs from its file name) is reported as CORRUPT_FILE, never skipped.
 */
export function readPlanTasks(ws: Workspace, planId: string): PlanTaskRecord[] | null {
  const names = taskFileNames(ws, planId);
  if (names === null) return null;
  if (names.length > MAX_PLAN_TASKS) {
    throw new BatonError(
      "PLAN_INVALID",
      `plan ${planId} has ${names.length.toLocaleString("en")} task files, more than the ${MAX_PLAN_TASKS.toLocaleString("en")} a plan may have`,
      `split the work into several plans: baton plan tasks ${planId} --from <file> with at most ${MAX_PLAN_TASKS.toLocaleString("en")} tasks replaces the set`,
    );
  }
  const tasks: PlanTaskRecord[] = [];
  for (const name of names) {
    const file = path.join(taskDir(ws, planId), name);
    const shown = ws.rel(file);
    const data = readJsonOrNull(ws, file, shown);
    if (!data) continue;
    const { task, findings } = normalizeTask(data, shown, 1, SCHEMA_VERSION);
    if (!task || task.id !== name.slice(0, -5)) {
      const why = findings[0]?.message ?? `its id is not ${name.slice(0, -5)}`;
      throw new BatonError(
        "CORRUPT_FILE",
        `${shown}: ${why}`,
        `fix the task by hand or restore it from git (git checkout -- ${shown})`,
      );
    }
    tasks.push(task);
  }
  return tasks;
}

/**
 * Replaces the plan's task set: writes every task's JSON, then removes the files of tasks no
 * longer in the set. Each write is atomic.
 */
export function writePlanTasks(ws: Workspace, planId: string, tasks: PlanTaskRecord[]): void {
  const keep = new Set<string>();
  for (const task of tasks) {
    const file = taskFile(ws, planId, task.id);
    keep.add(`${task.id}.json`);
    const text = `${JSON.stringify(task, null, 2)}\n`;
    if (readText(ws, file) !== text) writeJson(ws, file, task);
  }
  for (const name of taskFileNames(ws, planId) ?? []) {
    if (keep.has(name)) continue;
    removeFile(ws, path.join(taskDir(ws, planId), name));
  }
}

/**
 * One task of the plan, by id in any letter case (ids are unique without case), or null when
 * the plan has no such task file. A bad file is CORRUPT_FILE, as in readPlanTasks.
 */
export function readPlanTask(ws: Workspace, planId: string, taskId: string): PlanTaskRecord | null {
  let file = taskFile(ws, planId, taskId);
  if (readText(ws, file) === null) {
    const wanted = `${taskId}.json`.toLowerCase();
    const name = (taskFileNames(ws, planId) ?? []).find((n) => n.toLowerCase() === wanted);
    if (!name) return null;
    file = path.join(taskDir(ws, planId), name);
  }
  const shown = ws.rel(file);
  const data = readJsonOrNull(ws, file, shown);
  if (!data) return null;
  const { task, findings } = normalizeTask(data, shown, 1, SCHEMA_VERSION);
  if (!task || path.basename(file) !== `${task.id}.json`) {
    throw new BatonError(
      "CORRUPT_FILE",
      `${shown}: ${findings[0]?.message ?? `its id is not ${path.basename(file, ".json")}`}`,
      `fix the task by hand or restore it from git (git checkout -- ${shown})`,
    );
  }
  return task;
}

/** Replaces one task's JSON (atomically), leaving the rest of the set alone. */
export function writePlanTask(ws: Workspace, planId: string, task: PlanTaskRecord): void {
  writeJson(ws, taskFile(ws, planId, task.id), task);
}

/** Writes `file` only when its text changed, so regenerating unchanged views touches nothing. */
export function writeView(ws: Workspace, file: string, text: string): boolean {
  if (readText(ws, file) === text) return false;
  writeText(ws, file, text);
  return true;
}
