import fs from "node:fs";
import path from "node:path";
import { BatonError } from "../core/errors.ts";
import { isTaskId, normalizeTask, type PlanTaskRecord } from "../core/plan/tasks.ts";
import { SCHEMA_VERSION } from "../core/schema.ts";
import { ioError, replaceFolder, TEMP_MARKER } from "./atomic.ts";
import { jsonText, readJsonOrNull } from "./files.ts";
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
  try {
    return fs
      .readdirSync(taskDir(ws, planId))
      .filter((name) => name.endsWith(".json") && isTaskId(name.slice(0, -5)))
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw ioError(error, `read ${ws.rel(taskDir(ws, planId))}`);
  }
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
  const tasks: PlanTaskRecord[] = [];
  for (const name of names) {
    const file = path.join(taskDir(ws, planId), name);
    const shown = ws.rel(file);
    const data = readJsonOrNull(file, shown);
    if (!data) return undefined;
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
    const text = jsonText(task);
    const same = readText(file) === text;
    entries.set(path.basename(file), same ? null : text);
    if (!same) changed = true;
  }
  for (const name of listFolder(ws, planId)) {
    if (entries.has(name) || name.includes(TEMP_MARKER)) continue;
    if (name.endsWith(".json") && isTaskId(name.slice(0, -5))) changed = true;
    else entries.set(name, null);
  }
  if (changed) replaceFolder(taskDir(ws, planId), entries);
}

function listFolder(ws: Workspace, planId: string): string[] {
  try {
    return fs.readdirSync(taskDir(ws, planId));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return [];
    throw ioError(error, `read ${ws.rel(taskDir(ws, planId))}`);
  }
}

/** Writes `file` only when its text changed, so regenerating unchanged views touches nothing. */
export function writeView(file: string, text: string): boolean {
  if (readText(file) === text) return false;
  writeText(file, text);
  return true;
}
