import path from "node:path";
import { cmd } from "../core/command-ref.ts";
import { BatonError, corruptFile } from "../core/errors.ts";
import {
  isTaskId,
  MAX_PLAN_TASKS,
  normalizeTask,
  type PlanTaskRecord,
  planTaskFile,
} from "../core/plan/tasks.ts";
import { SCHEMA_VERSION } from "../core/schema.ts";
import { TEMP_MARKER } from "./atomic.ts";
import { jsonText, listNames, readJsonOrNull, replaceFolder, writeJson } from "./files.ts";
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
  // A writer switching the set in (see writePlanTasks) may move the folder between our listing
  // and our reads: a file gone missing means read the whole set again, never half of it.
  for (let attempt = 1; ; attempt++) {
    const tasks = readTaskSet(ws, planId);
    if (tasks !== undefined || attempt === 5) return tasks ?? null;
  }
}

/** One read of the set; undefined when a listed file vanished meanwhile. */
function readTaskSet(ws: Workspace, planId: string): PlanTaskRecord[] | null | undefined {
  const names = taskFileNames(ws, planId);
  if (names === null) return null;
  if (names.length > MAX_PLAN_TASKS) {
    throw new BatonError(
      "PLAN_INVALID",
      `plan ${planId} has ${names.length.toLocaleString("en")} task files, more than the ${MAX_PLAN_TASKS.toLocaleString("en")} a plan may have`,
      `split the work into several plans: ${cmd("plan tasks", { plan_id: planId, from: "<file>" })} with at most ${MAX_PLAN_TASKS.toLocaleString("en")} tasks replaces the set`,
    );
  }
  const tasks: PlanTaskRecord[] = [];
  for (const name of names) {
    const file = path.join(taskDir(ws, planId), name);
    const shown = ws.rel(file);
    const data = readJsonOrNull(ws, file, shown);
    if (!data) return undefined;
    const { task, findings } = normalizeTask(data, shown, 1, SCHEMA_VERSION);
    if (!task || task.id !== name.slice(0, -5)) {
      const why = findings[0]?.message ?? `its id is not ${name.slice(0, -5)}`;
      throw corruptFile(
        shown,
        why,
        `fix the task by hand or restore it from git (git checkout -- ${shown})`,
      );
    }
    tasks.push(task);
  }
  return tasks;
}

/**
 * Replaces the plan's task set as one unit: the new `.task/` is written aside, then switched in
 * place of the old one (store/atomic.ts `replaceFolder`), so no reader and no crash ever sees
 * new tasks beside old ones, and a full disk fails before anything changed. Unchanged task files
 * and anything in `.task/` that is not a task file are carried over as they are.
 */
export function writePlanTasks(ws: Workspace, planId: string, tasks: PlanTaskRecord[]): void {
  const entries = new Map<string, string | null>();
  let changed = false;
  for (const task of tasks) {
    const file = taskFile(ws, planId, task.id);
    const text = jsonText(planTaskFile(task));
    const same = readText(ws, file) === text;
    entries.set(path.basename(file), same ? null : text);
    if (!same) changed = true;
  }
  for (const name of listFolder(ws, planId)) {
    if (entries.has(name) || name.includes(TEMP_MARKER)) continue;
    if (name.endsWith(".json") && isTaskId(name.slice(0, -5))) changed = true;
    else entries.set(name, null);
  }
  if (changed) replaceFolder(ws, taskDir(ws, planId), entries);
}

function listFolder(ws: Workspace, planId: string): string[] {
  return listNames(ws, taskDir(ws, planId)) ?? [];
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
    throw corruptFile(
      shown,
      findings[0]?.message ?? `its id is not ${path.basename(file, ".json")}`,
      `fix the task by hand or restore it from git (git checkout -- ${shown})`,
    );
  }
  return task;
}

/** Replaces one task's JSON (atomically), leaving the rest of the set alone. */
export function writePlanTask(ws: Workspace, planId: string, task: PlanTaskRecord): void {
  writeJson(ws, taskFile(ws, planId, task.id), planTaskFile(task));
}

/** Writes `file` only when its text changed, so regenerating unchanged views touches nothing. */
export function writeView(ws: Workspace, file: string, text: string): boolean {
  if (readText(ws, file) === text) return false;
  writeText(ws, file, text);
  return true;
}
