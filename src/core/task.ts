/**
 * One task model for every place a task lives: a spec's tasks.md checkbox, a plan's task JSON,
 * a backlog ticket. One status set, the old spellings read as their meaning (files keep
 * working; nothing is rewritten behind the user's back), and one reference type naming where a
 * task lives: `spec:<name>#1.2`, `plan:<plan-id>#IMPL-3`.
 */
import { BatonError } from "./errors.ts";

export const TASK_STATUSES = ["todo", "in_progress", "blocked", "done", "cancelled"] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/**
 * The spellings Baton itself gave `todo` before the one set: a plan task's `pending`, a spec
 * task's `open`. Commands taking a status still accept them (an enum field's `aliases`).
 */
export const OLD_STATUS_SPELLINGS: Readonly<Record<string, TaskStatus>> = {
  pending: "todo",
  open: "todo",
};

/** Spellings older files and other tools use, by what they mean. */
const ALIASES: Readonly<Record<string, TaskStatus>> = {
  ...OLD_STATUS_SPELLINGS,
  "not-started": "todo",
  not_started: "todo",
  "in-progress": "in_progress",
  doing: "in_progress",
  review: "in_progress",
  completed: "done",
  complete: "done",
  closed: "done",
  deferred: "cancelled",
  canceled: "cancelled",
};

/** A status as written anywhere, as the model's status; null when it means nothing known. */
export function readTaskStatus(raw: string): TaskStatus | null {
  const value = raw.trim().toLowerCase();
  if ((TASK_STATUSES as readonly string[]).includes(value)) return value as TaskStatus;
  return ALIASES[value] ?? null;
}

/** Done or cancelled: nothing more will happen to it, and tasks after it may go on. */
export function isClosed(status: TaskStatus): boolean {
  return status === "done" || status === "cancelled";
}

export type TaskSource = "spec" | "plan";

/** Where a task lives: `spec:<name>#<task-id>` or `plan:<plan-id>#<task-id>`. */
export interface TaskRef {
  source: TaskSource;
  /** The spec's name or the plan's id. */
  owner: string;
  task: string;
}

const REF = /^(spec|plan):([a-z0-9][a-z0-9._-]{0,119})#([A-Za-z0-9][A-Za-z0-9._-]{0,79})$/;

export function formatTaskRef(ref: TaskRef): string {
  return `${ref.source}:${ref.owner}#${ref.task}`;
}

export function parseTaskRef(text: string): TaskRef {
  const m = REF.exec(text);
  if (!m) {
    throw new BatonError(
      "INVALID_ID",
      `${JSON.stringify(text.slice(0, 80))} is not a task reference`,
      "task references look like spec:user-auth#1.2 or plan:plan-oauth#IMPL-3",
    );
  }
  return { source: m[1] as TaskSource, owner: m[2] as string, task: m[3] as string };
}
