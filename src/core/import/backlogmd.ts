/**
 * Backlog.md (`backlog/tasks/*.md`, `backlog/completed/`, `backlog/archive/tasks/`,
 * `backlog/drafts/`): one plan for the backlog folder, a task per file. The frontmatter gives id,
 * title, status, dependencies and the parent task; the body's Description is the description,
 * its Acceptance Criteria (and Definition of Done) the acceptance, other sections follow the
 * description. Files written by hand without frontmatter are read from their name and text.
 */
import { parseFrontmatter } from "../frontmatter.ts";
import {
  baseName,
  dirName,
  type ImportedTask,
  type ImportPlan,
  importStatus,
  type ReaderDeps,
  type SourceFile,
  type SourceTree,
  shownValue,
  taskKeyFor,
  type Unmapped,
} from "./model.ts";

/** The folders of a backlog that hold tasks. */
const TASK_FOLDER = /(?:^|\/)(tasks|completed|drafts|archive\/tasks)\/(?:.+\/)?[^/]+\.md$/;

export function wantsBacklog(path: string): boolean {
  return TASK_FOLDER.test(path) && !/(^|\/)\.[^/]*$/.test(path);
}

/** The backlog folder a task file belongs to: the folder above tasks/, completed/… */
function backlogRoot(path: string): string {
  const m = /^(?:(.*?)\/)?(?:tasks|completed|drafts|archive\/tasks)\/(?:.+\/)?[^/]+\.md$/.exec(
    path,
  );
  if (!m) return dirName(path);
  return m[1] ?? ".";
}

const KNOWN = new Set(["id", "title", "status", "dependencies", "parent_task_id", "parent"]);

export function readBacklogMd(tree: SourceTree, deps: ReaderDeps): ImportPlan {
  const plan: ImportPlan = { format: "backlogmd", specs: [], plans: [], unmapped: [], skipped: [] };
  const files = tree.files.filter((f) => tree.isFile || wantsBacklog(f.path));
  const read = new Set(files.map((f) => f.path));
  for (const path of tree.paths) {
    if (!read.has(path)) {
      plan.skipped.push({
        path,
        reason:
          "not a Backlog.md task file (only tasks/, completed/, drafts/ and archive/tasks/ hold tasks)",
      });
    }
  }
  const byRoot = new Map<string, SourceFile[]>();
  for (const file of files) {
    const root = backlogRoot(file.path);
    byRoot.set(root, [...(byRoot.get(root) ?? []), file]);
  }
  for (const [root, group] of byRoot) {
    const tasks: ImportedTask[] = [];
    const seen = new Map<string, string>();
    group.forEach((file, i) => {
      const task = readTaskFile(file, i + 1, deps, plan.unmapped);
      const lower = task.id.toLowerCase();
      const first = seen.get(lower);
      if (first !== undefined) {
        // Backlog.md numbers tasks in sequence, so two branches can both make task-7 (#711).
        let n = 2;
        while (seen.has(`${lower}~${n}`)) n++;
        const was = `backlogmd:${file.path}#${task.id}`;
        const now = `backlogmd:${file.path}#${task.id}~${n}`;
        // What was reported of this file names the task by the id it is imported under.
        for (const u of plan.unmapped) if (u.item === was) u.item = now;
        plan.unmapped.push({
          item: now,
          field: "id",
          value: `${task.id} is also the id of ${first}; imported as ${task.id}~${n}`,
        });
        task.id = `${task.id}~${n}`;
        task.key = `${task.key}-${n}`;
      }
      seen.set(task.id.toLowerCase(), file.path);
      tasks.push(task);
    });
    const named = root === "." || baseName(root) === "backlog" ? "" : ` ${baseName(root)}`;
    plan.plans.push({
      path: root,
      id: "backlog",
      title: `Backlog.md${named}`,
      body: `Imported from Backlog.md: the task files of \`${root}\`.`,
      tasks,
    });
  }
  return plan;
}

function readTaskFile(
  file: SourceFile,
  n: number,
  deps: ReaderDeps,
  unmapped: Unmapped[],
): ImportedTask {
  const { data, body, repaired } = readFrontmatter(file, deps);
  const name = baseName(file.path).replace(/\.md$/, "");
  const fromName = /^(\S+?)(?: - |\s|$)/.exec(name)?.[1] ?? name;
  const nameId = /^([A-Za-z]+(?:-[A-Za-z]+)*-\d+(?:\.\d+)*)/.exec(name)?.[1] ?? fromName;
  const meta = data ?? {};
  const id = scalarText(meta.id) || nameId;
  const ref = `backlogmd:${file.path}#${id}`;
  const sections = readSections(body);
  if (repaired) {
    unmapped.push({
      item: ref,
      field: "frontmatter",
      value:
        "not valid YAML as written (a value starts with @ or `): such values were read as text",
    });
  }
  if (data === null) {
    unmapped.push({
      item: ref,
      field: "frontmatter",
      value: "none: id from the file name, title and status from the text",
    });
  }
  for (const [key, value] of Object.entries(meta)) {
    if (!KNOWN.has(key)) unmapped.push(entry(ref, key, value));
  }
  const title =
    scalarText(meta.title) ||
    sections.heading?.replace(/^(?:Sub-?Task|Task)\b[^:]*:\s*/i, "").trim() ||
    name.replace(/^\S+ - /, "").replaceAll("-", " ");
  const writtenStatus = scalarText(meta.status) || sections.statusLine || "";
  const place = /(?:^|\/)archive\/tasks\//.test(file.path)
    ? "archived"
    : /(?:^|\/)completed\//.test(file.path)
      ? "completed"
      : /(?:^|\/)drafts\//.test(file.path)
        ? "draft"
        : "open";
  let status = writtenStatus === "" ? null : importStatus(writtenStatus);
  if (writtenStatus !== "" && status === null) {
    unmapped.push({ item: ref, field: "status", value: `${writtenStatus} (imported as todo)` });
  }
  if (place === "completed" && status === null) status = "done";
  if (place === "archived" && status !== "done" && status !== "cancelled") {
    unmapped.push({
      item: ref,
      field: "archived",
      value: `in the archive${writtenStatus ? ` with status ${writtenStatus}` : ""}: imported as cancelled`,
    });
    status = "cancelled";
  }
  if (place === "draft") {
    unmapped.push({ item: ref, field: "draft", value: "a draft: imported as todo" });
    status = status ?? "todo";
  }
  const checked = sections.acceptance.filter((a) => a.done).length;
  if (checked > 0) {
    unmapped.push({
      item: ref,
      field: "acceptance_criteria.checked",
      value: `${checked} of ${sections.acceptance.length} ticked`,
    });
  }
  const parent = scalarText(meta.parent_task_id) || scalarText(meta.parent) || null;
  return {
    id,
    key: taskKeyFor(id, "B", n),
    path: file.path,
    title,
    description: sections.description,
    status: status ?? "todo",
    depends_on: listOf(meta.dependencies),
    parent,
    acceptance: sections.acceptance.map((a) => a.text),
    files: [],
    requirements: [],
  };
}

/**
 * The frontmatter, also as Backlog.md itself reads it: it writes `assignee: @name`, which YAML
 * refuses (`@` and `` ` `` are reserved), so such plain values are quoted and read again. Any
 * other bad YAML is CORRUPT_FILE naming the file: nothing is imported past it.
 */
function readFrontmatter(
  file: SourceFile,
  deps: ReaderDeps,
): { data: Record<string, unknown> | null; body: string; repaired: boolean } {
  try {
    return { ...parseFrontmatter(file.text, file.path, deps.yaml), repaired: false };
  } catch (error) {
    const fence = /^---\r?\n([\s\S]*?)\r?\n---/.exec(file.text);
    if (!fence) throw error;
    const quoted = (fence[1] as string)
      .split(/\r?\n/)
      .map((line) => {
        const m = /^(\s*(?:[A-Za-z_][\w.-]*:|-)\s+)([@`].*?)\s*$/.exec(line);
        return m ? `${m[1]}${JSON.stringify(m[2])}` : line;
      })
      .join("\n");
    if (quoted === fence[1]) throw error;
    const text = `---\n${quoted}\n---${file.text.slice(fence[0].length)}`;
    try {
      return { ...parseFrontmatter(text, file.path, deps.yaml), repaired: true };
    } catch {
      throw error;
    }
  }
}

interface Sections {
  heading: string | null;
  statusLine: string | null;
  description: string;
  acceptance: { text: string; done: boolean }[];
}

const ACCEPTANCE = /^(acceptance criteria|definition of done)$/i;
const CHECK = /^\s*[-*+]\s+\[([ xX])\]\s+(?:#\d+\s+)?(.*?)\s*$/;

/** The body's sections: Description first, checklists as acceptance, the rest after it. */
function readSections(body: string): Sections {
  const out: Sections = { heading: null, statusLine: null, description: "", acceptance: [] };
  const parts: { title: string | null; lines: string[] }[] = [{ title: null, lines: [] }];
  let fence = false;
  for (const line of body.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) fence = !fence;
    const h2 = fence ? null : /^##\s+(.+?)\s*#*\s*$/.exec(line);
    const h1 = fence ? null : /^#\s+(.+?)\s*$/.exec(line);
    if (h1 && out.heading === null) {
      out.heading = h1[1] as string;
      continue;
    }
    if (h2) {
      parts.push({ title: h2[1] as string, lines: [] });
      continue;
    }
    // Hand-written files say `**Status:** Done` or `**Status**: Done`.
    const status = fence ? null : /^\*\*Status(?::\*\*|\*\*\s*:)\s*(.+?)\s*$/i.exec(line);
    if (status && out.statusLine === null) out.statusLine = status[1] as string;
    (parts.at(-1) as { lines: string[] }).lines.push(line);
  }
  const strip = (lines: string[]) =>
    lines
      .filter((l) => !/^\s*<!--\s*(SECTION|AC|DOD):[A-Z]+:(BEGIN|END)\s*-->\s*$/.test(l))
      .join("\n")
      .trim();
  const text: string[] = [];
  for (const part of parts) {
    if (part.title !== null && ACCEPTANCE.test(part.title)) {
      for (const line of part.lines) {
        const m = CHECK.exec(line);
        if (m && (m[2] as string) !== "")
          out.acceptance.push({ text: m[2] as string, done: m[1] !== " " });
      }
      continue;
    }
    const content = strip(part.lines);
    if (part.title === null || /^description$/i.test(part.title)) {
      if (content !== "") text.unshift(content);
    } else if (content !== "") text.push(`${part.title}:\n\n${content}`);
  }
  out.description = text.join("\n\n");
  return out;
}

function scalarText(value: unknown): string {
  if (typeof value === "string") return value.trim();
  if (typeof value === "number") return String(value);
  return "";
}

function listOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(scalarText).filter((v) => v !== "");
  const one = scalarText(value);
  return one === ""
    ? []
    : one
        .split(",")
        .map((v) => v.trim())
        .filter(Boolean);
}

function entry(item: string, field: string, value: unknown): Unmapped {
  const shown = shownValue(value);
  return shown === undefined ? { item, field } : { item, field, value: shown };
}
