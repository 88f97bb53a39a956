/**
 * Taskmaster (`.taskmaster/tasks/tasks.json`, or `tasks/tasks.json` of older versions): one plan
 * per tag (the file without tags is the tag `master`), its tasks and their subtasks as plan
 * tasks. A subtask `3.2` becomes `T3-2` and its parent `T3` waits for it; dependencies,
 * statuses (`pending`, `in-progress`, `review`, `deferred`…), details and test strategy are kept.
 */
import { BatonError, corruptFile } from "../errors.ts";
import {
  baseName,
  type ImportedPlan,
  type ImportedTask,
  type ImportPlan,
  importStatus,
  type SourceTree,
  shownValue,
  taskKeyFor,
  type Unmapped,
} from "./model.ts";

/** The files this reader takes from a folder: any `tasks.json` (Taskmaster's own place or older). */
export function wantsTaskmaster(path: string): boolean {
  return baseName(path) === "tasks.json";
}

/** `.taskmaster/tasks` and older `tasks/` first: the file Taskmaster itself would use. */
function rank(path: string): number {
  if (/(^|\/)\.taskmaster\/tasks\/tasks\.json$/.test(path)) return 0;
  if (/(^|\/)tasks\/tasks\.json$/.test(path)) return 1;
  return 2;
}

const TASK_FIELDS = new Set([
  "id",
  "title",
  "description",
  "details",
  "testStrategy",
  "status",
  "dependencies",
  "subtasks",
]);
const SUBTASK_FIELDS = new Set([...TASK_FIELDS, "parentId"]);
const TAG_FIELDS = new Set(["tasks", "metadata"]);

export function readTaskmaster(tree: SourceTree): ImportPlan {
  const candidates = tree.files.filter((f) => tree.isFile || wantsTaskmaster(f.path));
  const chosen = [...candidates].sort((a, b) => rank(a.path) - rank(b.path))[0];
  const plan: ImportPlan = {
    format: "taskmaster",
    specs: [],
    plans: [],
    unmapped: [],
    skipped: candidates
      .filter((f) => f !== chosen)
      .map((f) => ({ path: f.path, reason: `another tasks.json; ${chosen?.path} was imported` })),
  };
  if (!chosen) {
    throw new BatonError(
      "INVALID_INPUT",
      `${tree.root} holds no Taskmaster tasks.json (looked for .taskmaster/tasks/tasks.json and tasks/tasks.json)`,
      "pass the project folder or the tasks.json itself",
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(chosen.text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw corruptFile(
      chosen.path,
      `is not valid JSON (${reason})`,
      "fix the JSON (Taskmaster's file is read as it is, never changed); nothing was imported",
    );
  }
  const tags = tagsOf(data, chosen.path);
  for (const [tag, value] of tags) {
    plan.plans.push(readTag(chosen.path, tag, value, plan.unmapped));
  }
  return plan;
}

/** `{tasks: […]}` is the one tag `master`; otherwise each key holding `{tasks: […]}` is a tag. */
function tagsOf(data: unknown, path: string): [string, Record<string, unknown>][] {
  const notTaskmaster = () =>
    corruptFile(
      path,
      "is not a Taskmaster task file: it holds no tasks list, neither {tasks: […]} nor {<tag>: {tasks: […]}}",
      "pass Taskmaster's .taskmaster/tasks/tasks.json; nothing was imported",
    );
  if (!data || typeof data !== "object" || Array.isArray(data)) throw notTaskmaster();
  const record = data as Record<string, unknown>;
  if (Array.isArray(record.tasks)) return [["master", record]];
  const tags = Object.entries(record).filter(
    (entry): entry is [string, Record<string, unknown>] =>
      !!entry[1] &&
      typeof entry[1] === "object" &&
      Array.isArray((entry[1] as { tasks?: unknown }).tasks),
  );
  if (tags.length === 0) throw notTaskmaster();
  return tags;
}

function readTag(
  path: string,
  tag: string,
  value: Record<string, unknown>,
  unmapped: Unmapped[],
): ImportedPlan {
  const planRef = `taskmaster:${path}#${tag}`;
  for (const [key, v] of Object.entries(value)) {
    if (!TAG_FIELDS.has(key)) unmapped.push(entry(planRef, key, v));
  }
  const metadata = value.metadata;
  let about = "";
  if (metadata && typeof metadata === "object" && !Array.isArray(metadata)) {
    for (const [key, v] of Object.entries(metadata as Record<string, unknown>)) {
      if (key === "description" && typeof v === "string") about = v.trim();
      else unmapped.push(entry(planRef, `metadata.${key}`, v));
    }
  }
  const tasks: ImportedTask[] = [];
  let n = 0;
  for (const raw of value.tasks as unknown[]) {
    n++;
    if (!raw || typeof raw !== "object" || Array.isArray(raw)) {
      unmapped.push({ item: planRef, field: `tasks[${n - 1}]`, value: "not a task object" });
      continue;
    }
    const task = raw as Record<string, unknown>;
    const id = idText(task.id) ?? String(n);
    const own = `${tag}/${id}`;
    const ref = `taskmaster:${path}#${own}`;
    for (const [key, v] of Object.entries(task)) {
      if (!TASK_FIELDS.has(key)) unmapped.push(entry(ref, key, v));
    }
    const parent = makeTask(task, own, `T${id}`, path, ref, unmapped);
    parent.depends_on = depList(task.dependencies).map((d) => `${tag}/${d}`);
    tasks.push(parent);
    const subtasks = Array.isArray(task.subtasks) ? task.subtasks : [];
    let m = 0;
    for (const rawSub of subtasks) {
      m++;
      if (!rawSub || typeof rawSub !== "object" || Array.isArray(rawSub)) {
        unmapped.push({ item: ref, field: `subtasks[${m - 1}]`, value: "not a task object" });
        continue;
      }
      const sub = rawSub as Record<string, unknown>;
      const subId = idText(sub.id) ?? String(m);
      const subOwn = `${own}.${subId}`;
      const subRef = `taskmaster:${path}#${subOwn}`;
      for (const [key, v] of Object.entries(sub)) {
        if (!SUBTASK_FIELDS.has(key)) unmapped.push(entry(subRef, key, v));
      }
      const child = makeTask(sub, subOwn, `T${id}-${subId}`, path, subRef, unmapped);
      // A subtask names a sibling by its number, any other task's subtask as `<task>.<sub>`.
      child.depends_on = depList(sub.dependencies).map((d) =>
        d.includes(".") ? `${tag}/${d}` : `${own}.${d}`,
      );
      child.parent = own;
      tasks.push(child);
    }
  }
  const body = [
    `Imported from Taskmaster: tag \`${tag}\` of \`${path}\`.`,
    ...(about ? [about] : []),
  ].join("\n\n");
  return { path, id: tag, title: `Taskmaster ${tag}`, body, tasks };
}

function makeTask(
  task: Record<string, unknown>,
  own: string,
  key: string,
  path: string,
  ref: string,
  unmapped: Unmapped[],
): ImportedTask {
  const title = typeof task.title === "string" && task.title.trim() !== "" ? task.title.trim() : "";
  if (title === "") unmapped.push({ item: ref, field: "title", value: "missing; named by its id" });
  const parts = [text(task.description), text(task.details)].filter((p) => p !== "");
  const testStrategy = text(task.testStrategy);
  let status = importStatus(typeof task.status === "string" ? task.status : "pending");
  if (status === null) {
    unmapped.push({
      item: ref,
      field: "status",
      value: `${shownValue(task.status)} (imported as todo)`,
    });
    status = "todo";
  }
  return {
    id: own,
    key: taskKeyFor(key, "T", 0),
    path,
    title: title || `Task ${own}`,
    description: parts.join("\n\n"),
    status,
    depends_on: [],
    parent: null,
    acceptance: testStrategy ? [testStrategy] : [],
    files: [],
    requirements: [],
  };
}

function text(value: unknown): string {
  return typeof value === "string" ? value.trim() : "";
}

function idText(value: unknown): string | null {
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "string" && value.trim() !== "") return value.trim();
  return null;
}

function depList(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.map(idText).filter((d): d is string => d !== null);
}

function entry(item: string, field: string, value: unknown): Unmapped {
  const shown = shownValue(value);
  return shown === undefined ? { item, field } : { item, field, value: shown };
}
