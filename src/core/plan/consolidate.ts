/**
 * The derived sections of planning-notes.md: Consolidated Constraints (what phases 1–3 found,
 * as rules the task list must respect), Task Generation (what phase 4 produced) and N+1 Context
 * (the decisions taken and what was deferred, for whoever plans next). Pure: each is rebuilt
 * from the plan's stored state, so running any phase again gives the same text.
 */
import type { Conflict, ConflictResolutionFile } from "./conflicts.ts";
import type { ContextPackage } from "./context-package.ts";
import { compareTaskIds, taskGraph } from "./graph.ts";
import type { PlanRequirement } from "./requirements.ts";
import type { PlanStructure } from "./structure.ts";
import type { PlanTaskRecord } from "./tasks.ts";

export interface ConsolidationInput {
  intent: PlanStructure | null;
  context: ContextPackage | null;
  resolution: ConflictResolutionFile | null;
  /** Phase 3's state: `skipped` when the risk was below medium. */
  conflictsState: string;
  requirements: readonly PlanRequirement[];
}

/** What each conflict strategy asks of the tasks, as a constraint. */
const STRATEGY_RULE: Record<string, (c: Conflict) => string> = {
  sequence_after: (c) => `start the overlapping work only after the other plan: ${c.brief}`,
  coordinate: (c) => `coordinate with the other work before changing: ${c.brief}`,
  split_scope: (c) => `leave the overlapping files to the other plan: ${c.brief}`,
  align_with_spec: (c) => `follow the spec's tasks for the shared files: ${c.brief}`,
  commit_first: () => "commit the uncommitted changes in the affected files before starting",
  stash: () => "stash the uncommitted changes in the affected files before starting",
  include_in_plan: () => "treat the uncommitted changes in the affected files as part of this plan",
  keep_compatible: () => "keep public APIs and data models backward compatible",
  version_change: () => "a breaking API or data model change needs a version bump and notes",
  proceed: (c) => `proceed despite: ${c.brief}`,
};

const code = (items: readonly string[]) => items.map((i) => `\`${i}\``).join(", ");

export function renderConstraints(input: ConsolidationInput): string {
  const { intent, context, resolution } = input;
  const lines: string[] = [];
  if (intent) {
    lines.push(`- Goal: ${intent.goal}`);
    for (const item of intent.scope.in) lines.push(`- Deliver: ${item}`);
    for (const item of intent.scope.out) lines.push(`- Do not deliver (out of scope): ${item}`);
  }
  if (context) {
    const stack = context.project_context.tech_stack.languages;
    if (stack.length > 0) lines.push(`- Stay within the stack: ${stack.join(", ")}`);
    const files = context.prioritized_context.slice(0, 5).map((p) => p.path);
    if (files.length > 0) lines.push(`- Start from: ${code(files)}`);
    const c = context.conflict_detection;
    lines.push(`- Conflict risk ${c.risk_level}: ${c.mitigation_strategy}`);
  }
  const byId = new Map((resolution?.conflicts ?? []).map((c) => [c.id, c]));
  for (const r of resolution?.resolutions ?? []) {
    const conflict = byId.get(r.id);
    if (!conflict) continue;
    const rule = STRATEGY_RULE[r.strategy]?.(conflict) ?? `${r.strategy}: ${conflict.brief}`;
    const files = conflict.affected_files.slice(0, 5);
    lines.push(
      `- ${r.id}: ${rule}${files.length ? ` (${code(files)})` : ""}${r.note ? ` — ${r.note}` : ""}`,
    );
  }
  for (const req of input.requirements) {
    lines.push(`- Cover ${req.id} (${req.source}): ${req.text}`);
  }
  if (lines.length === 0) return "_Pending: gathered from phases 1–3 before tasks are written._";
  const upTo = resolution || input.conflictsState === "skipped" ? 3 : context ? 2 : 1;
  return [
    `_From phases 1–${upTo}; the tasks of phase 4 must respect every line._`,
    "",
    ...lines,
  ].join("\n");
}

/**
 * Parallel waves: each task in the first wave after all of its dependencies, ids in order within
 * a wave. One pass in working order; a dependency closing a cycle is not waited for.
 */
export function taskWaves(tasks: readonly PlanTaskRecord[]): string[][] {
  const { byRank, deps, order, position } = taskGraph(tasks);
  const depth = new Int32Array(byRank.length);
  for (const v of order) {
    let d = 0;
    for (const u of deps[v] as number[]) {
      if ((position[u] as number) < (position[v] as number))
        d = Math.max(d, (depth[u] as number) + 1);
    }
    depth[v] = d;
  }
  const waves: string[][] = [];
  byRank.forEach((t, rank) => {
    const d = depth[rank] as number;
    const wave = waves[d] ?? [];
    wave.push(t.id);
    waves[d] = wave;
  });
  return waves.filter((w) => w !== undefined);
}

export function renderTaskGeneration(
  tasks: readonly PlanTaskRecord[],
  coverage: { covered: string[]; uncovered: string[] },
): string {
  if (tasks.length === 0) return "_Pending: phase 4 (tasks)._";
  const done = tasks.filter((t) => t.status === "done").length;
  const waves = taskWaves(tasks);
  const lines = [
    `- ${tasks.length} task${tasks.length === 1 ? "" : "s"} (${done} done) in \`.task/\`; views: IMPL_PLAN.md, TODO_LIST.md`,
    `- Waves (tasks in one wave may run in parallel): ${waves.map((w, i) => `${i + 1}: ${w.join(", ")}`).join(" · ")}`,
  ];
  if (coverage.covered.length + coverage.uncovered.length > 0) {
    lines.push(
      `- Requirements covered: ${coverage.covered.join(", ") || "none"}; not covered: ${coverage.uncovered.join(", ") || "none"}`,
    );
  }
  lines.push("");
  for (const t of [...tasks].sort((a, b) => compareTaskIds(a.id, b.id))) {
    const facts = [
      t.depends_on.length ? `after ${t.depends_on.join(", ")}` : "",
      t.files.length ? `${t.files.length} file${t.files.length === 1 ? "" : "s"}` : "",
      t.requirements.length ? `covers ${t.requirements.join(", ")}` : "",
    ].filter((f) => f !== "");
    lines.push(`- ${t.id}: ${t.title}${facts.length ? ` (${facts.join("; ")})` : ""}`);
  }
  return lines.join("\n");
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function renderNextContext(input: ConsolidationInput): string {
  const rows: string[] = [];
  const c = input.context?.conflict_detection;
  if (c) {
    rows.push(
      `| conflict risk ${c.risk_level} | ${cell(c.risk_factors.join("; ") || "no risk factor found")} | 2 |`,
    );
  }
  if (input.conflictsState === "skipped" && c) {
    rows.push(`| conflict resolution skipped | risk ${c.risk_level} is below medium | 3 |`);
  }
  const byId = new Map((input.resolution?.conflicts ?? []).map((x) => [x.id, x]));
  for (const r of input.resolution?.resolutions ?? []) {
    const brief = byId.get(r.id)?.brief ?? "";
    rows.push(`| ${r.id}: ${r.strategy} | ${cell(r.note ?? brief)} | 3 |`);
  }
  const deferred = input.intent?.scope.out ?? [];
  return [
    "### Decisions",
    "",
    "| decision | reason | phase |",
    "| -------- | ------ | ----- |",
    ...rows,
    "",
    "### Deferred",
    "",
    ...(deferred.length ? deferred.map((d) => `- ${d} (out of scope)`) : ["- (none yet)"]),
  ].join("\n");
}
