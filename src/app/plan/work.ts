/**
 * What a plan declares it will change, and whether it is still open: the facts phase 2 measures
 * overlaps with and `plan next` sequences against. A plan's declared files are its open tasks'
 * files when it has task JSONs, else the repository files its plan.md names; keyword matches
 * never count. A plan is closed when every task it has is done or cancelled, or when its
 * planning session completed and every spec made from it is done.
 */
import { sectionLines } from "../../core/markdown.ts";
import type { PlanTaskRecord } from "../../core/plan/tasks.ts";
import { PLAN_SPECS_SECTION } from "../../core/spec/templates.ts";
import { isClosed } from "../../core/task.ts";
import type { CatalogHandle } from "../../store/catalog-file.ts";
import { readPlanTasks } from "../../store/plan-tasks.ts";
import { readPlanningSnapshot, readText, topicDocPath, topicFile } from "../../store/repo.ts";
import { readSpecStatus } from "../../store/specs.ts";
import type { Workspace } from "../../store/workspace.ts";

/** The specs made from a plan (`spec new --from-plan`), from its sources.md `## Specs` lines. */
export function planSpecs(ws: Workspace, planId: string): { name: string; folder: string }[] {
  const sources = readText(ws, topicFile(ws, planId, "sources.md")) ?? "";
  const out: { name: string; folder: string }[] = [];
  for (const line of sectionLines(sources, PLAN_SPECS_SECTION) ?? []) {
    // `- spec: [name](link) (folder)`: the folder is workspace-relative.
    const match = /^- spec: \[([^\]]+)\]\([^)]*\) \(([^)]+)\)\s*$/.exec(line);
    if (match) out.push({ name: match[1] as string, folder: match[2] as string });
  }
  return out;
}

/** Paths a text names that are among the known files (`src/a.ts`, `` `lib/b.py` ``). */
export function mentionedPaths(text: string, known: ReadonlySet<string>): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(
    /[A-Za-z0-9_.@-]+(?:\/[A-Za-z0-9_.@-]+)+|[A-Za-z0-9_-]+\.[A-Za-z0-9]+/g,
  )) {
    const p = (m[0] as string).replace(/^\.\//, "").replace(/[.,:;]+$/, "");
    if (known.has(p)) out.add(p);
  }
  return [...out].sort();
}

const norm = (file: string) => file.replace(/^\.\//, "");

export interface PlanWork {
  plan: string;
  open: boolean;
  /** The files its open work declares, sorted. */
  files: string[];
  /** Its task JSONs, or null when it has none. */
  tasks: PlanTaskRecord[] | null;
}

function isPlanningSessionCompleted(
  ws: Workspace,
  catalog: CatalogHandle,
  planId: string,
): boolean {
  const session = catalog.get(planId)?.session_id;
  if (!session) return false;
  try {
    return readPlanningSnapshot(ws, session)?.state === "completed";
  } catch {
    return false; // an unreadable snapshot proves nothing: the plan stays open
  }
}

function specsDone(ws: Workspace, planId: string): boolean {
  return planSpecs(ws, planId).every((spec) => {
    try {
      const status = readSpecStatus(ws, spec.name);
      return status === null || status.stage === "done";
    } catch {
      return false;
    }
  });
}

/**
 * A plan's declared files and whether it is open. `tasks` may be passed when already read;
 * `known` is the repository's file list, for the paths plan.md names.
 */
export function planWork(
  ws: Workspace,
  catalog: CatalogHandle,
  planId: string,
  known: ReadonlySet<string>,
  tasks: PlanTaskRecord[] | null = readPlanTasks(ws, planId),
): PlanWork {
  const withTasks = tasks !== null && tasks.length > 0;
  const open =
    (!withTasks || tasks.some((t) => !isClosed(t.status))) &&
    !(isPlanningSessionCompleted(ws, catalog, planId) && specsDone(ws, planId));
  if (!open) return { plan: planId, open, files: [], tasks };
  const files = withTasks
    ? tasks.filter((t) => !isClosed(t.status)).flatMap((t) => t.files.map(norm))
    : mentionedPaths(readText(ws, topicDocPath(ws, planId)) ?? "", known);
  return { plan: planId, open, files: [...new Set(files)].sort(), tasks };
}
