/**
 * Claude-Code-Workflow (`.workflow/active/WFS-<name>/`): one plan per session folder. Its task
 * JSONs (`.task/IMPL-*.json`, the truth in that tool) become the plan's tasks; without them the
 * checklist of TODO_LIST.md is read instead. IMPL_PLAN.md and planning-notes.md become the plan's
 * text. Both task JSON shapes are read: the flat one (description, depends_on, convergence,
 * files) and the older one with a `context` object (requirements, focus_paths, acceptance,
 * parent, depends_on).
 */
import { corruptFile } from "../errors.ts";
import { parsePlanTodoList } from "../plan/tasks.ts";
import {
  baseName,
  dirName,
  type ImportedTask,
  type ImportPlan,
  importStatus,
  joinPath,
  type SourceFile,
  type SourceTree,
  shownValue,
  taskKeyFor,
  type Unmapped,
} from "./model.ts";

const DOCS = ["IMPL_PLAN.md", "planning-notes.md", "TODO_LIST.md", "workflow-session.json"];

/** The session folder a path lies in (`…/WFS-x`), or null. */
function sessionOf(path: string): string | null {
  const m = /^(.*?(?:^|\/)WFS-[^/]+)(?:\/|$)/.exec(path);
  return m ? (m[1] as string) : null;
}

export function wantsCcw(path: string): boolean {
  const session = sessionOf(path);
  if (session === null) return false;
  const rel = path.slice(session.length + 1);
  return DOCS.includes(rel) || /^\.task\/[^/]+\.json$/.test(rel);
}

const TASK_FIELDS = new Set([
  "id",
  "title",
  "status",
  "description",
  "depends_on",
  "dependencies",
  "acceptance",
  "convergence",
  "files",
  "modification_points",
  "requirements",
  "context",
  "parent",
]);
const CONTEXT_FIELDS = new Set([
  "requirements",
  "focus_paths",
  "acceptance",
  "parent",
  "depends_on",
]);

export function readCcw(tree: SourceTree): ImportPlan {
  const plan: ImportPlan = { format: "ccw", specs: [], plans: [], unmapped: [], skipped: [] };
  const sessions = new Map<string, SourceFile[]>();
  for (const file of tree.files) {
    const session = sessionOf(file.path) ?? (tree.isFile ? dirName(file.path) : null);
    if (session === null) continue;
    sessions.set(session, [...(sessions.get(session) ?? []), file]);
  }
  const read = new Set(tree.files.map((f) => f.path));
  for (const path of tree.paths) {
    if (!read.has(path)) {
      plan.skipped.push({
        path,
        reason:
          sessionOf(path) === null
            ? "not in a WFS-<name> session folder"
            : "not a plan document or task JSON of the session (summaries and process files stay where they are)",
      });
    }
  }
  for (const [session, files] of sessions) {
    const doc = (name: string) => files.find((f) => f.path === joinPath(session, name));
    const taskFiles = files.filter((f) => /\/\.task\/[^/]+\.json$/.test(f.path));
    const tasks: ImportedTask[] = [];
    if (taskFiles.length > 0) {
      taskFiles.forEach((file, i) => {
        tasks.push(readTaskJson(file, i + 1, plan.unmapped));
      });
    } else {
      const todo = doc("TODO_LIST.md");
      if (todo) tasks.push(...readTodoList(todo, plan.unmapped));
    }
    const name = baseName(session);
    const documents = ["IMPL_PLAN.md", "planning-notes.md"]
      .map((n) => doc(n))
      .filter((f): f is SourceFile => f !== undefined);
    const body = [
      `Imported from Claude-Code-Workflow: the session \`${session}\`.`,
      ...documents.map((f) => `From \`${baseName(f.path)}\`:\n\n${f.text.trim()}`),
    ].join("\n\n");
    const meta = doc("workflow-session.json");
    if (meta) {
      const data = parseJson(meta);
      if (data && typeof data === "object" && !Array.isArray(data)) {
        for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
          const shown = shownValue(value);
          plan.unmapped.push({
            item: `ccw:${session}#${name}`,
            field: `workflow-session.${key}`,
            ...(shown === undefined ? {} : { value: shown }),
          });
        }
      }
    }
    if (tasks.length === 0 && documents.length === 0) continue;
    plan.plans.push({ path: session, id: name, title: name, body, tasks });
  }
  return plan;
}

function parseJson(file: SourceFile): unknown {
  try {
    return JSON.parse(file.text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw corruptFile(
      file.path,
      `is not valid JSON (${reason})`,
      "fix the JSON (the session's files are read as they are, never changed); nothing was imported",
    );
  }
}

function readTaskJson(file: SourceFile, n: number, unmapped: Unmapped[]): ImportedTask {
  const data = parseJson(file);
  if (!data || typeof data !== "object" || Array.isArray(data)) {
    throw corruptFile(
      file.path,
      "does not hold a task object",
      "fix the task JSON; nothing was imported",
    );
  }
  const r = data as Record<string, unknown>;
  const id =
    typeof r.id === "string" && r.id.trim() !== ""
      ? r.id.trim()
      : baseName(file.path).replace(/\.json$/, "");
  const ref = `ccw:${file.path}#${id}`;
  for (const [key, value] of Object.entries(r)) {
    if (!TASK_FIELDS.has(key)) push(unmapped, ref, key, value);
  }
  const context =
    r.context && typeof r.context === "object" && !Array.isArray(r.context)
      ? (r.context as Record<string, unknown>)
      : null;
  if (context) {
    for (const [key, value] of Object.entries(context)) {
      if (!CONTEXT_FIELDS.has(key)) push(unmapped, ref, `context.${key}`, value);
    }
  }
  const convergence =
    r.convergence && typeof r.convergence === "object" && !Array.isArray(r.convergence)
      ? (r.convergence as Record<string, unknown>)
      : null;
  if (convergence) {
    for (const [key, value] of Object.entries(convergence)) {
      if (key !== "criteria") push(unmapped, ref, `convergence.${key}`, value);
    }
  }
  const written = typeof r.status === "string" ? r.status : "pending";
  let status = importStatus(written);
  if (status === null) {
    push(unmapped, ref, "status", `${written} (imported as todo)`);
    status = "todo";
  }
  if (written.trim().toLowerCase() === "container") {
    push(unmapped, ref, "status", "container (a task holding subtasks): imported as todo");
  }
  const requirements = strings(r.requirements ?? context?.requirements);
  const descriptionText =
    typeof r.description === "string"
      ? r.description.trim()
      : typeof r.context === "string"
        ? r.context.trim()
        : "";
  // The older shape's requirements are sentences, not references: they read as the description.
  const description = [
    descriptionText,
    ...(requirements.length > 0 && !requirements.every(isRequirementRef)
      ? [`Requirements:\n${requirements.map((q) => `- ${q}`).join("\n")}`]
      : []),
  ]
    .filter((p) => p !== "")
    .join("\n\n");
  const files = [
    ...strings(r.files ?? r.modification_points),
    ...(r.files === undefined && r.modification_points === undefined
      ? strings(context?.focus_paths)
      : []),
  ];
  const parent =
    typeof r.parent === "string"
      ? r.parent
      : typeof context?.parent === "string"
        ? context.parent
        : null;
  return {
    id,
    key: taskKeyFor(id, "T", n),
    path: file.path,
    title: typeof r.title === "string" && r.title.trim() !== "" ? r.title.trim() : `Task ${id}`,
    description,
    status,
    depends_on: strings(r.depends_on ?? r.dependencies ?? context?.depends_on),
    parent,
    acceptance: strings(r.acceptance ?? convergence?.criteria ?? context?.acceptance),
    files,
    requirements: requirements.every(isRequirementRef) ? requirements : [],
  };
}

function readTodoList(file: SourceFile, unmapped: Unmapped[]): ImportedTask[] {
  const parsed = parsePlanTodoList(file.text, 1);
  for (const f of parsed.findings) {
    unmapped.push({ item: `ccw:${file.path}`, field: `line ${f.line}`, value: f.message });
  }
  return parsed.tasks.map((t, i) => ({
    id: t.id,
    key: taskKeyFor(t.id, "T", i + 1),
    path: file.path,
    title: t.title,
    description: t.description,
    status: t.status,
    depends_on: t.depends_on,
    parent: null,
    acceptance: t.acceptance,
    files: t.files,
    requirements: t.requirements,
  }));
}

function isRequirementRef(text: string): boolean {
  return /^(?:[A-Z]+-)?\d+(?:\.\d+)*$/.test(text);
}

function strings(value: unknown): string[] {
  if (typeof value === "string") return value.trim() === "" ? [] : [value.trim()];
  if (!Array.isArray(value)) return [];
  const out: string[] = [];
  for (const item of value) {
    if (typeof item === "string" && item.trim() !== "") out.push(item.trim());
    else if (
      item &&
      typeof item === "object" &&
      typeof (item as { path?: unknown }).path === "string"
    )
      out.push((item as { path: string }).path);
  }
  return out;
}

function push(unmapped: Unmapped[], item: string, field: string, value: unknown): void {
  const shown = shownValue(value);
  unmapped.push(shown === undefined ? { item, field } : { item, field, value: shown });
}
