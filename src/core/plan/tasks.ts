/**
 * Plan tasks (phase 4 of the plan workflow): the task records kept as `.task/<id>.json` in a
 * plan topic's folder, and the parsers that read them from a JSON array (Baton's shape or
 * Claude-Code-Workflow's, whose acceptance lives in `convergence.criteria`) or a Markdown
 * checklist. Parsing never throws: every problem is a finding, so a caller can refuse the whole
 * input at once and change nothing.
 */
import { type ItemSource, readItemSource } from "../source.ts";
import type { Finding } from "../spec/finding.ts";
import { readTaskStatus, TASK_STATUSES, type TaskStatus } from "../task.ts";

/**
 * The plan sizes Baton supports, refused above (PLAN_INVALID): every command on a plan stays
 * near-linear in its tasks, and importing the largest set (one JSON file per task, each
 * fsynced) holds the workspace lock for well under the 15 s other commands wait for it.
 */
export const MAX_PLAN_TASKS = 10_000;
export const MAX_TASK_DEPENDENCIES = 100;
/** A hard cap; more than MAX_TASK_FILES (10) files is already a warning of `plan verify`. */
export const MAX_TASK_FILE_ENTRIES = 100;

/** `IMPL-<n>`, or a letter then up to 40 letters, digits, `_` or `-`: safe as a file name. */
const TASK_ID = /^(?:IMPL-\d{1,9}|[A-Za-z][A-Za-z0-9_-]{0,40})$/;

export function isTaskId(value: unknown): value is string {
  return typeof value === "string" && TASK_ID.test(value);
}

export interface PlanTaskRecord {
  schema_version: number;
  id: string;
  title: string;
  description: string;
  status: TaskStatus;
  depends_on: string[];
  files: string[];
  acceptance: string[];
  /** Requirement references, e.g. `1.2` or `REQ-3`. */
  requirements: string[];
  /** Where `baton import` read the task from; absent on tasks written otherwise. */
  source?: ItemSource;
}

/**
 * A task as its `.task/<id>.json` holds it. The file keeps the spelling of Claude-Code-Workflow's
 * task JSON, which it follows: `pending` for a task to do. Reading takes any spelling
 * `readTaskStatus` knows, so a file saying `todo` works too.
 */
export type PlanTaskFile = Omit<PlanTaskRecord, "status"> & {
  status: Exclude<TaskStatus, "todo"> | "pending";
};

export function planTaskFile(task: PlanTaskRecord): PlanTaskFile {
  return { ...task, status: task.status === "todo" ? "pending" : task.status };
}

export interface ParsedPlanTasks {
  tasks: PlanTaskRecord[];
  findings: Finding[];
}

function finding(line: number, code: string, message: string, hint: string): Finding {
  return { line, severity: "error", code, message, hint };
}

function stringList(value: unknown): string[] | null {
  if (value === undefined || value === null) return [];
  if (typeof value === "string") return value.trim() === "" ? [] : [value.trim()];
  if (!Array.isArray(value)) return null;
  const out: string[] = [];
  for (const item of value) {
    if (typeof item === "string") {
      if (item.trim() !== "") out.push(item.trim());
    } else if (
      item &&
      typeof item === "object" &&
      typeof (item as { path?: unknown }).path === "string"
    ) {
      // CCW-style `files: [{path, action}]`.
      out.push((item as { path: string }).path);
    } else return null;
  }
  return out;
}

/**
 * One task from a parsed JSON object. `schemaVersion` is stamped on the record; a task's own
 * `schema_version` is not trusted here (the store checks it when reading files).
 */
export function normalizeTask(
  raw: unknown,
  where: string,
  line: number,
  schemaVersion: number,
): { task: PlanTaskRecord | null; findings: Finding[] } {
  const findings: Finding[] = [];
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) {
    return {
      task: null,
      findings: [
        finding(
          line,
          "TASK_MALFORMED",
          `${where} is not an object`,
          "write each task as {id, title, ...}",
        ),
      ],
    };
  }
  const r = raw as Record<string, unknown>;
  const id = r.id;
  if (!isTaskId(id)) {
    findings.push(
      finding(
        line,
        "TASK_BAD_ID",
        `${where}: id ${JSON.stringify(id)} is not a valid task id`,
        "use IMPL-<n>, or a letter followed by up to 40 letters, digits, _ or -",
      ),
    );
  }
  const title = typeof r.title === "string" ? r.title.trim() : "";
  if (title === "") {
    findings.push(
      finding(
        line,
        "TASK_NO_TITLE",
        `${where}: the task has no title`,
        'add "title": "<what it delivers>"',
      ),
    );
  }
  const description = r.description ?? r.context ?? "";
  const lists: Record<string, string[]> = {};
  const convergence = r.convergence as Record<string, unknown> | undefined;
  const listSources: [string, unknown][] = [
    ["depends_on", r.depends_on ?? r.dependencies],
    ["files", r.files ?? r.modification_points],
    [
      "acceptance",
      r.acceptance ??
        (convergence && typeof convergence === "object" ? convergence.criteria : undefined),
    ],
    ["requirements", r.requirements ?? r.requirement_refs],
  ];
  for (const [name, value] of listSources) {
    const list = stringList(value);
    if (list === null) {
      findings.push(
        finding(
          line,
          "TASK_MALFORMED",
          `${where}: ${name} must be a list of strings`,
          `write "${name}": ["..."]`,
        ),
      );
      lists[name] = [];
    } else lists[name] = list;
  }
  for (const [name, max, code] of [
    ["depends_on", MAX_TASK_DEPENDENCIES, "TASK_DEPENDENCIES_OVER_LIMIT"],
    ["files", MAX_TASK_FILE_ENTRIES, "TASK_FILES_OVER_LIMIT"],
  ] as const) {
    const count = (lists[name] as string[]).length;
    if (count > max) {
      findings.push(
        finding(
          line,
          code,
          `${where}: ${name} lists ${count} entries, more than the ${max} a task may have`,
          "split the task into smaller ones",
        ),
      );
    }
  }
  const status = r.status === undefined || r.status === null ? "todo" : readStatus(r.status);
  if (status === null) {
    findings.push(
      finding(
        line,
        "TASK_BAD_STATUS",
        `${where}: status ${JSON.stringify(r.status)} is unknown`,
        `use one of: ${TASK_STATUSES.join(", ")}`,
      ),
    );
  }
  if (typeof description !== "string") {
    findings.push(
      finding(
        line,
        "TASK_MALFORMED",
        `${where}: description must be text`,
        'write "description": "..."',
      ),
    );
  }
  // Only an object is a recorded source; other tools' task JSON may use the name otherwise.
  const source = r.source && typeof r.source === "object" ? readItemSource(r.source) : null;
  if (source === undefined) {
    findings.push(
      finding(
        line,
        "TASK_MALFORMED",
        `${where}: source must be {format, path, id} with text values`,
        "remove the source field or restore it from git",
      ),
    );
  }
  if (findings.length > 0) return { task: null, findings };
  return {
    task: {
      schema_version: schemaVersion,
      id: id as string,
      title,
      description: description as string,
      status: status as TaskStatus,
      depends_on: lists.depends_on as string[],
      files: lists.files as string[],
      acceptance: lists.acceptance as string[],
      requirements: lists.requirements as string[],
      ...(source ? { source } : {}),
    },
    findings,
  };
}

function readStatus(value: unknown): TaskStatus | null {
  return typeof value === "string" ? readTaskStatus(value) : null;
}

/** A JSON array of tasks, or `{tasks: [...]}`. */
export function parseTasksJson(text: string, schemaVersion: number): ParsedPlanTasks {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      tasks: [],
      findings: [
        finding(1, "TASKS_NOT_JSON", `the input is not valid JSON (${reason})`, "fix the JSON"),
      ],
    };
  }
  const list =
    data &&
    typeof data === "object" &&
    !Array.isArray(data) &&
    Array.isArray((data as { tasks?: unknown }).tasks)
      ? (data as { tasks: unknown[] }).tasks
      : data;
  if (!Array.isArray(list)) {
    return {
      tasks: [],
      findings: [
        finding(
          1,
          "TASKS_NOT_LIST",
          "the input must be a JSON array of tasks",
          'write [{"id": "IMPL-1", "title": "..."}]',
        ),
      ],
    };
  }
  if (list.length > MAX_PLAN_TASKS) return { tasks: [], findings: [tooMany(list.length)] };
  const tasks: PlanTaskRecord[] = [];
  const findings: Finding[] = [];
  list.forEach((raw, i) => {
    const r = normalizeTask(raw, `task ${i + 1}`, 1, schemaVersion);
    findings.push(...r.findings);
    if (r.task) tasks.push(r.task);
  });
  return { tasks, findings: [...findings, ...checkUniqueIds(tasks)] };
}

const FIELD =
  /^\s+[-*+]\s+(depends(?:_on)?|files|acceptance|requirements|description)\s*:\s*(.*?)\s*$/i;
const ITEM = /^[-*+]\s+\[([ xX~!-])\]\s+(.+?)\s*$/;
const BOX_STATUS: Record<string, TaskStatus> = {
  " ": "todo",
  "~": "in_progress",
  "!": "blocked",
  "-": "cancelled",
  x: "done",
  X: "done",
};

/**
 * A Markdown checklist: each top-level `- [ ] IMPL-1: Title` (the id, optionally bold, may be
 * left out: tasks are then numbered IMPL-1, IMPL-2, …) with optional indented fields
 * `- depends: IMPL-1, IMPL-2`, `- files: a.ts, b.ts`, `- acceptance: <one criterion>` (repeat for
 * more), `- requirements: 1.1, 1.2`, `- description: <text>`. `[x]` is done, `[~]` in progress,
 * `[!]` blocked and `[-]` cancelled, as TODO_LIST.md shows them.
 */
export function parsePlanTodoList(text: string, schemaVersion: number): ParsedPlanTasks {
  const tasks: PlanTaskRecord[] = [];
  const findings: Finding[] = [];
  let current: { raw: Record<string, unknown>; line: number } | null = null;
  const flush = () => {
    if (!current) return;
    const r = normalizeTask(
      current.raw,
      `task on line ${current.line}`,
      current.line,
      schemaVersion,
    );
    findings.push(...r.findings);
    if (r.task) tasks.push(r.task);
    current = null;
  };
  let inFence = false;
  let items = 0;
  text.split("\n").forEach((line, index) => {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    if (inFence) return;
    const item = ITEM.exec(line);
    if (item) {
      flush();
      const box = item[1] as string;
      let rest = (item[2] as string).replace(/\s*(?:->|→)\s*\[.*$/, "");
      const idMatch = /^(?:\*\*)?([A-Za-z][A-Za-z0-9_-]*)(?:\*\*)?\s*:\s*(?:\*\*)?\s*(.*)$/.exec(
        rest,
      );
      items++;
      let id: string = `IMPL-${items}`;
      const bold = rest.startsWith("**");
      if (idMatch && (bold || /^[A-Za-z]+-\d+$/.test(idMatch[1] as string)) && idMatch[2] !== "") {
        id = idMatch[1] as string;
        rest = idMatch[2] as string;
      }
      current = {
        raw: {
          id,
          title: rest.trim(),
          status: BOX_STATUS[box] as TaskStatus,
          depends_on: [],
          files: [],
          acceptance: [],
          requirements: [],
        },
        line: index + 1,
      };
      return;
    }
    const field = FIELD.exec(line);
    if (field && current) {
      const name = (field[1] as string).toLowerCase();
      const value = field[2] as string;
      const raw = (current as { raw: Record<string, unknown> }).raw;
      if (name === "description") raw.description = value;
      else if (name === "acceptance") (raw.acceptance as string[]).push(value);
      else {
        const key = name.startsWith("depends") ? "depends_on" : name;
        (raw[key] as string[]).push(
          ...value
            .split(",")
            .map((s) => s.trim().replace(/^`|`$/g, ""))
            .filter(Boolean),
        );
      }
      return;
    }
    if (/^\S/.test(line)) flush();
  });
  flush();
  if (items > MAX_PLAN_TASKS) return { tasks: [], findings: [tooMany(items)] };
  return { tasks, findings: [...findings, ...checkUniqueIds(tasks)] };
}

function tooMany(count: number): Finding {
  return finding(
    1,
    "TASKS_OVER_LIMIT",
    `the list holds ${count.toLocaleString("en")} tasks, more than the ${MAX_PLAN_TASKS.toLocaleString("en")} a plan may have`,
    "split the work into several plans",
  );
}

function checkUniqueIds(tasks: PlanTaskRecord[]): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const t of tasks) {
    // Compared without case: task ids become file names, and some file systems ignore case.
    const key = t.id.toLowerCase();
    if (seen.has(key)) {
      out.push(
        finding(
          1,
          "TASK_DUPLICATE_ID",
          `task id ${t.id} is used twice (ids are compared without case)`,
          "give every task its own id",
        ),
      );
    }
    seen.add(key);
  }
  return out;
}
