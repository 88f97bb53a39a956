/**
 * The neutral import plan: what a reader of another tool's files (`src/core/import/<format>.ts`)
 * makes of them, before anything is compared with the workspace. Specs, plans with their tasks
 * (each plan task also becomes a ticket), fields that have no home in Baton, and files that
 * were looked at and left out. Readers are pure: the files' text in, this plan out.
 */
import { isTaskId } from "../plan/tasks.ts";
import type { SpecLayout } from "../spec/folders.ts";
import type { Stage } from "../spec/status.ts";
import type { TaskProgress } from "../spec/task-progress.ts";
import { readTaskStatus, type TaskStatus } from "../task.ts";
import type { FullYaml } from "../yaml.ts";

export const IMPORT_FORMATS = [
  "kiro",
  "speckit",
  "openspec",
  "taskmaster",
  "backlogmd",
  "ccw",
] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** Each format as its users call it. */
export const FORMAT_NAMES: Readonly<Record<ImportFormat, string>> = {
  kiro: "Kiro",
  speckit: "Spec Kit",
  openspec: "OpenSpec",
  taskmaster: "Taskmaster",
  backlogmd: "Backlog.md",
  ccw: "Claude-Code-Workflow",
};

/** The formats whose files are spec folders, set up in place rather than copied. */
export const SPEC_FORMATS: ReadonlySet<ImportFormat> = new Set(["kiro", "speckit", "openspec"]);

/** One file of the source, as the store read it. */
export interface SourceFile {
  /** As recorded: relative to the workspace root with `/`, or absolute when outside it. */
  path: string;
  text: string;
}

/** What the store read under the path named on the command line. */
export interface SourceTree {
  /** The path named, as recorded (see SourceFile.path); `.` for the workspace root. */
  root: string;
  /** True when the path named is a file (the tree holds that file alone). */
  isFile: boolean;
  /** The files read (those the format's reader asked for), sorted by path. */
  files: SourceFile[];
  /** Every file seen under the root, read or not, sorted. */
  paths: string[];
}

/** A task as the source holds it; dependencies still name the source's own ids. */
export interface ImportedTask {
  /** The task's id in the source, unique within its plan (`master/3`, `task-7`, `IMPL-1`). */
  id: string;
  /** The Baton task id to give it when it is new (a valid plan task id). */
  key: string;
  /** The file it was read from. */
  path: string;
  title: string;
  description: string;
  status: TaskStatus;
  /** Source ids of the tasks it waits for. */
  depends_on: string[];
  /** The source id of the task it is a subtask of: that task then waits for this one. */
  parent: string | null;
  acceptance: string[];
  files: string[];
  requirements: string[];
}

/** A task list of the source: one Baton plan with a task JSON and a ticket per task. */
export interface ImportedPlan {
  /** Where the list lives (`.taskmaster/tasks/tasks.json`, `backlog`, a WFS folder) and its id. */
  path: string;
  id: string;
  title: string;
  /** plan.md's text below its title, written when the plan is made. */
  body: string;
  tasks: ImportedTask[];
}

/** A spec folder of the source, set up in place as a Baton spec. */
export interface ImportedSpec {
  /** The folder, as recorded. */
  path: string;
  /** The spec name it would get (the folder's name, folded). */
  name: string;
  layout: SpecLayout;
  stage: Stage;
  /** Why the stage is not draft, when it is not. */
  stage_reason: string | null;
  /** Its tasks.md read as Baton reads spec tasks; null without one. */
  tasks: TaskProgress | null;
  /** Documents its layout expects that the folder lacks. */
  missing: string[];
}

/** A field of the source with no place in Baton: reported, and kept in the ticket's text. */
export interface Unmapped {
  /** The item's source reference (`backlogmd:backlog/tasks/task-7.md#task-7`). */
  item: string;
  field: string;
  /** The value, shortened, when it is short enough to show. */
  value?: string;
}

export interface ImportPlan {
  format: ImportFormat;
  specs: ImportedSpec[];
  plans: ImportedPlan[];
  unmapped: Unmapped[];
  /** Files under the path that were looked at and are not imported, and why. */
  skipped: { path: string; reason: string }[];
}

/** What a reader needs besides the files: a full YAML parser for frontmatter beyond Baton's subset. */
export interface ReaderDeps {
  yaml: FullYaml;
}

/** Joins a folder (`.` for the root) and a relative path, with `/`. */
export function joinPath(dir: string, rel: string): string {
  if (dir === "." || dir === "") return rel;
  return `${dir.replace(/\/+$/, "")}/${rel}`;
}

export function baseName(path: string): string {
  const trimmed = path.replace(/\/+$/, "");
  return trimmed.slice(trimmed.lastIndexOf("/") + 1);
}

export function dirName(path: string): string {
  const trimmed = path.replace(/\/+$/, "");
  const at = trimmed.lastIndexOf("/");
  return at < 0 ? "." : at === 0 ? "/" : trimmed.slice(0, at);
}

/** Other tools' status words that `readTaskStatus` does not know, by what they mean. */
const IMPORT_STATUSES: Readonly<Record<string, TaskStatus>> = {
  to_do: "todo",
  backlog: "todo",
  new: "todo",
  planned: "todo",
  active: "in_progress",
  started: "in_progress",
  in_review: "in_progress",
  wip: "in_progress",
  on_hold: "blocked",
  waiting: "blocked",
  finished: "done",
  resolved: "done",
  wontfix: "cancelled",
  won_t_fix: "cancelled",
  wont_fix: "cancelled",
  abandoned: "cancelled",
  rejected: "cancelled",
  dropped: "cancelled",
};

/**
 * A status as another tool writes it (`In Progress`, `To Do`, `Wontfix`, `completed`), as the one
 * status set; null when it means nothing known (the caller reports it and imports `todo`).
 */
export function importStatus(raw: string): TaskStatus | null {
  const direct = readTaskStatus(raw);
  if (direct) return direct;
  const folded = raw
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  return readTaskStatus(folded) ?? IMPORT_STATUSES[folded] ?? null;
}

/** A value as an unmapped report shows it: short text, or a count of what it holds. */
export function shownValue(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === "string") return clip(value.replace(/\s+/g, " ").trim(), 120);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === "string" || typeof v === "number"))
      return clip(value.join(", "), 120);
    return `${value.length} entries`;
  }
  return clip(JSON.stringify(value), 120);
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * A plan task id made from a source's id: characters a task id cannot hold become `-`, a
 * leading digit gets `prefix`, and anything still not an id falls back to `prefix` + `n`.
 */
export function taskKeyFor(sourceId: string, prefix: string, n: number): string {
  let key = sourceId
    .replace(/[^A-Za-z0-9_-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^-+|-+$/g, "");
  if (key === "") return `${prefix}${n}`;
  if (!/^[A-Za-z]/.test(key)) key = `${prefix}${key}`;
  return isTaskId(key) ? key : `${prefix}${n}`;
}
