import { cmd } from "../../core/command-ref.ts";
import { BatonError } from "../../core/errors.ts";
import { FORMAT_READERS } from "../../core/import/index.ts";
import {
  FORMAT_NAMES,
  IMPORT_FORMATS,
  type ImportFormat,
  type ImportPlan,
  SPEC_FORMATS,
  type Unmapped,
} from "../../core/import/model.ts";
import {
  type ImportAction,
  type PlanAction,
  planImportedPlan,
  planSpecs,
  type SpecAction,
} from "../../core/import/planner.ts";
import { sourceRef } from "../../core/source.ts";
import { formatProgress } from "../../core/spec/task-progress.ts";
import { TASK_STATUSES, type TaskStatus } from "../../core/task.ts";
import { openCatalog } from "../../store/catalog-file.ts";
import { recordEvent } from "../../store/events.ts";
import { locateSource, readSourceTree, sourceKind } from "../../store/import-source.ts";
import { withWorkspaceLock } from "../../store/transaction.ts";
import type { Workspace } from "../../store/workspace.ts";
import { fullYaml } from "../../store/yaml.ts";
import { type AppContext, isoNow } from "../context.ts";
import { defineOperation } from "../operation.ts";
import { applyPlan, applySpec } from "./apply.ts";
import { existingPlan, existingSpecs } from "./existing.ts";

export type ItemKind = "spec" | "plan" | "task" | "ticket";

/** One thing the import made, changed or left as it was. */
export interface ImportItem {
  kind: ItemKind;
  action: ImportAction;
  /** The spec's name, the plan's or ticket's id, the task's id; null for a ticket yet to be made. */
  id: string | null;
  /** The item's source reference (`taskmaster:.taskmaster/tasks/tasks.json#master/3`). */
  source: string;
  /** The plan a task or ticket belongs to. */
  plan?: string;
  /** The task a ticket was made from. */
  task?: string;
  /** The fields an update changed. */
  fields?: string[];
}

export interface ImportedSpecSummary {
  action: ImportAction;
  name: string;
  path: string;
  layout: string;
  stage: string;
  stage_reason: string | null;
  /** Its tasks.md's progress, as `spec status` prints it; null without tasks.md. */
  tasks: string | null;
  task_count: number;
  /** Documents the layout expects that the folder lacks. */
  missing: string[];
  /** The folder's name when another spec had it and a suffix was added. */
  renamed_from: string | null;
}

export interface ImportedPlanSummary {
  action: ImportAction;
  id: string;
  title: string;
  source: string;
  tasks: number;
  statuses: Record<TaskStatus, number>;
  dependencies: number;
  acceptance: number;
  created: number;
  updated: number;
  skipped: number;
}

export interface ImportResult {
  format: ImportFormat;
  /** The path read, as recorded in each item's source. */
  path: string;
  dry_run: boolean;
  /** Items (specs, plans, tasks, tickets) by what the import does with them. */
  created: number;
  updated: number;
  skipped: number;
  specs: ImportedSpecSummary[];
  plans: ImportedPlanSummary[];
  items: ImportItem[];
  /** Fields of the source with no place in Baton (kept in the ticket's or plan's text). */
  unmapped: Unmapped[];
  /** Files under the path that were not imported, and why. */
  left_out: { path: string; reason: string }[];
}

export const importOperation = defineOperation({
  name: "import",
  summary:
    "import another tool's specs and task lists (Kiro, Spec Kit, OpenSpec, Taskmaster, Backlog.md, CCW)",
  description:
    "Reads the files of kiro (.kiro/specs/<name>/), speckit (specs/NNN-<name>/), openspec (openspec/changes/<id>/, changes/archive/, openspec/specs/<name>/), taskmaster (.taskmaster/tasks/tasks.json: a plan per tag, subtasks, dependencies, statuses), backlogmd (backlog/tasks, completed, drafts and archive/tasks: one plan, a task per file, acceptance criteria, dependencies) or ccw (.workflow/active/WFS-<name>/: a plan per session from .task/*.json, else TODO_LIST.md, with IMPL_PLAN.md and planning-notes.md as its text). Give the project folder, the tool's folder, or its file. Spec folders are set up in place as specs (the folder must be inside the workspace); task lists become plans with a task JSON per task and a ticket per task. Every item records its source (format, path, id and a digest): importing again updates what changed in the source and creates nothing twice. Fields with no place in Baton are listed under unmapped and kept in the ticket's or plan's text. --dry-run lists what would be created, updated or skipped and changes nothing. The source files are never changed.",
  examples: [
    "baton import taskmaster .",
    "baton import backlogmd backlog --dry-run",
    "baton import kiro .kiro/specs/user-auth",
    "baton import ccw .workflow/active/WFS-oauth --json",
  ],
  access: "write",
  input: {
    format: {
      type: "enum",
      values: IMPORT_FORMATS,
      required: true,
      description:
        "the tool the files come from: kiro, speckit, openspec, taskmaster, backlogmd or ccw",
      cli: { positional: true },
    },
    path: {
      type: "string",
      min: 1,
      required: true,
      description: "the project folder, the tool's folder or its file",
      apiDescription: "the project folder, the tool's folder or its file, inside the workspace",
      cli: { positional: true },
    },
    dry_run: {
      type: "boolean",
      description: "list what would be created, updated or skipped; change nothing",
    },
  },
  tool: {
    toolset: "import",
    description:
      "Import another tool's specs and task lists (kiro, speckit, openspec, taskmaster, backlogmd, ccw) from a path inside the workspace: spec folders set up in place, task lists as plans with task JSONs and tickets. Idempotent; dry_run shows what would change.",
    pageLists: ["items", "unmapped", "left_out"],
  },
  run(env, input): Promise<ImportResult> | ImportResult {
    const ctx = env.context();
    const format = input.format as ImportFormat;
    const plan = readSource(ctx.ws, env.cwd, format, input.path, env.confined);
    if (input.dry_run === true) return importPlan(ctx, format, plan.shown, plan.plan, false);
    return withWorkspaceLock(ctx.ws, () => importPlan(ctx, format, plan.shown, plan.plan, true));
  },
});

/** Reads and parses the source; every refusal here comes before anything is written. */
function readSource(
  ws: Workspace,
  cwd: string,
  format: ImportFormat,
  named: string,
  confined: boolean,
): { shown: string; plan: ImportPlan } {
  const where = locateSource(ws, cwd, named);
  const name = FORMAT_NAMES[format];
  if (!where.inside && (confined || SPEC_FORMATS.has(format))) {
    throw new BatonError(
      "INVALID_INPUT",
      `${named} is outside the workspace ${ws.root}`,
      SPEC_FORMATS.has(format)
        ? `${name} spec folders are set up where they are: copy the folder into the repository, then ${cmd("import", { format, path: "<path>" })}`
        : "name a path inside the workspace",
    );
  }
  const kind = sourceKind(ws, where);
  if (kind === null) {
    throw new BatonError(
      "FILE_NOT_FOUND",
      `no file or folder at ${where.shown}`,
      `name the project folder, the ${name} folder or its file, e.g. ${cmd("import", { format, path: "." })}`,
    );
  }
  if (kind === "file" && SPEC_FORMATS.has(format)) {
    throw new BatonError(
      "INVALID_INPUT",
      `${where.shown} is a file, not a whole ${name} spec: a spec is its folder (${FOLDER_WORDS[format]})`,
      `name the folder holding it: ${cmd("import", { format, path: parentOf(where.shown) })}`,
    );
  }
  const reader = FORMAT_READERS[format];
  const tree = readSourceTree(ws, where, reader);
  const plan = reader.read(tree, { yaml: fullYaml });
  if (plan.specs.length === 0 && plan.plans.length === 0) {
    throw new BatonError(
      "INVALID_INPUT",
      `${where.shown} holds no ${name} ${SPEC_FORMATS.has(format) ? "spec folder" : "task list"} (${FOLDER_WORDS[format]})`,
      `check the format, or name the ${name} folder itself, e.g. ${cmd("import", { format, path: EXAMPLE_PATHS[format] })}`,
    );
  }
  return { shown: where.shown, plan };
}

const FOLDER_WORDS: Record<ImportFormat, string> = {
  kiro: ".kiro/specs/<name>/ with requirements.md, design.md, tasks.md",
  speckit: "specs/NNN-<name>/ with spec.md, plan.md, tasks.md",
  openspec: "openspec/changes/<id>/ or openspec/specs/<name>/",
  taskmaster: ".taskmaster/tasks/tasks.json",
  backlogmd: "backlog/tasks/*.md, backlog/completed/, backlog/archive/tasks/",
  ccw: ".workflow/active/WFS-<name>/ with .task/*.json or TODO_LIST.md",
};

const EXAMPLE_PATHS: Record<ImportFormat, string> = {
  kiro: ".kiro/specs",
  speckit: "specs",
  openspec: "openspec",
  taskmaster: ".taskmaster/tasks/tasks.json",
  backlogmd: "backlog",
  ccw: ".workflow/active",
};

function parentOf(p: string): string {
  const at = p.lastIndexOf("/");
  return at <= 0 ? "." : p.slice(0, at);
}

function importPlan(
  ctx: AppContext,
  format: ImportFormat,
  shown: string,
  plan: ImportPlan,
  write: boolean,
): ImportResult {
  const { ws } = ctx;
  const now = isoNow(ctx);
  const unmapped = [...plan.unmapped];
  const specs = planSpecs(format, plan.specs, existingSpecs(ws), now);
  const catalog = openCatalog(ws);
  const assigned = new Set<string>();
  const plans = plan.plans.map((imported) => {
    const existing = existingPlan(ws, catalog, format, imported, assigned);
    assigned.add(existing.id);
    return planImportedPlan(format, imported, existing, unmapped);
  });
  const byItem = new Map<string, Unmapped[]>();
  for (const u of unmapped) byItem.set(u.item, [...(byItem.get(u.item) ?? []), u]);
  if (write) {
    for (const spec of specs) applySpec(ws, spec, now);
    for (const p of plans) applyPlan(ctx, catalog, format, p, byItem, now);
    catalog.save();
  }
  const items: ImportItem[] = [];
  for (const s of specs) {
    items.push({ kind: "spec", action: s.action, id: s.name, source: sourceRef(s.source) });
  }
  for (const p of plans) {
    items.push({ kind: "plan", action: p.action, id: p.id, source: sourceRef(p.source) });
    for (const c of p.changes) {
      items.push({
        kind: "task",
        action: c.action,
        id: c.task,
        source: c.source,
        plan: p.id,
        ...(c.fields ? { fields: c.fields } : {}),
      });
    }
    for (const t of p.tickets) {
      items.push({
        kind: "ticket",
        action: t.action,
        id: t.ticket,
        source: sourceRef(t.source),
        plan: p.id,
        task: t.task,
      });
    }
  }
  const count = (a: ImportAction) => items.filter((i) => i.action === a).length;
  const result: ImportResult = {
    format,
    path: shown,
    dry_run: !write,
    created: count("create"),
    updated: count("update"),
    skipped: count("skip"),
    specs: specs.map(specSummary),
    plans: plans.map(planSummary),
    items,
    unmapped,
    left_out: plan.skipped,
  };
  if (write && (result.created > 0 || result.updated > 0)) {
    recordEvent(ws, "import.completed", now, {
      format,
      path: shown,
      created: result.created,
      updated: result.updated,
      skipped: result.skipped,
      specs: specs.map((s) => s.name),
      plans: plans.map((p) => p.id),
    });
  }
  return result;
}

function specSummary(s: SpecAction): ImportedSpecSummary {
  return {
    action: s.action,
    name: s.name,
    path: s.imported.path,
    layout: s.imported.layout,
    stage: s.status.stage,
    stage_reason: s.action === "create" ? s.imported.stage_reason : null,
    tasks: s.imported.tasks ? formatProgress(s.imported.tasks) : null,
    task_count: s.imported.tasks?.total ?? 0,
    missing: s.imported.missing,
    renamed_from: s.renamed_from,
  };
}

function planSummary(p: PlanAction): ImportedPlanSummary {
  const statuses = Object.fromEntries(TASK_STATUSES.map((s) => [s, 0])) as Record<
    TaskStatus,
    number
  >;
  const imported = new Set(p.changes.map((c) => c.task));
  let dependencies = 0;
  let acceptance = 0;
  for (const t of p.tasks) {
    if (!imported.has(t.id)) continue;
    statuses[t.status] += 1;
    dependencies += t.depends_on.length;
    acceptance += t.acceptance.length;
  }
  const n = (a: ImportAction) => p.changes.filter((c) => c.action === a).length;
  return {
    action: p.action,
    id: p.id,
    title: p.title,
    source: sourceRef(p.source),
    tasks: imported.size,
    statuses,
    dependencies,
    acceptance,
    created: n("create"),
    updated: n("update"),
    skipped: n("skip"),
  };
}
