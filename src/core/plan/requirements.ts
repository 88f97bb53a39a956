/**
 * The requirements a plan's tasks must cover, and the check that they do. A requirement is stated
 * in the plan's own text (`REQ-1: …` scope items of phase 1) or in a spec made from the plan.
 */
import { parseRequirementRefs } from "../spec/requirement-refs.ts";
import type { TaskFinding } from "./graph.ts";
import type { PlanStructure } from "./structure.ts";
import type { PlanTaskRecord } from "./tasks.ts";

/** A requirement the plan's tasks must cover, and the finer ids that count as covering it. */
export interface PlanRequirement {
  id: string;
  text: string;
  /** Where it was stated: the plan's own text or a spec made from the plan. */
  source: string;
  /** Criterion ids under it (`1.1`, `1.2` for requirement `1`); citing one covers it. */
  parts: string[];
}

/** `REQ-1: …`, `FR-2: …` scope items of phase 1 (structure.ts writes ids that way). */
const STATED_REQUIREMENT = /^((?:REQ|FR|NFR|R)-?\d+(?:\.\d+)*):\s*(.*)$/;

export function intentRequirements(intent: PlanStructure | null): PlanRequirement[] {
  const out: PlanRequirement[] = [];
  for (const item of intent?.scope.in ?? []) {
    const match = STATED_REQUIREMENT.exec(item);
    if (match) {
      out.push({ id: match[1] as string, text: match[2] as string, source: "plan", parts: [] });
    }
  }
  return out;
}

const norm = (id: string) => id.toUpperCase();

/** A task's references with ranges (`1.1-1.3`) expanded, normalised. */
function refsOf(task: PlanTaskRecord): string[] {
  return task.requirements.length === 0
    ? []
    : parseRequirementRefs(task.requirements.join(", ")).refs.map(norm);
}

export interface RequirementCoverage {
  covered: string[];
  uncovered: string[];
  /** References that name no known requirement (only checked when the plan has requirements). */
  unknown: { task: string; ref: string }[];
}

export function requirementCoverage(
  tasks: readonly PlanTaskRecord[],
  requirements: readonly PlanRequirement[],
): RequirementCoverage {
  const cited = new Map<string, string[]>();
  for (const t of tasks) cited.set(t.id, refsOf(t));
  const all = new Set([...cited.values()].flat());
  const known = new Set<string>();
  const covered: string[] = [];
  const uncovered: string[] = [];
  for (const r of requirements) {
    const ids = [r.id, ...r.parts].map(norm);
    for (const id of ids) known.add(id);
    (ids.some((id) => all.has(id)) ? covered : uncovered).push(r.id);
  }
  const unknown: RequirementCoverage["unknown"] = [];
  if (requirements.length > 0) {
    for (const [task, refs] of cited) {
      for (const ref of refs) if (!known.has(ref)) unknown.push({ task, ref });
    }
  }
  return { covered, uncovered, unknown };
}

/** Requirements no task covers (errors) and references to unknown requirements (warnings). */
export function requirementFindings(
  tasks: readonly PlanTaskRecord[],
  requirements: readonly PlanRequirement[],
): TaskFinding[] {
  const coverage = requirementCoverage(tasks, requirements);
  const byId = new Map(requirements.map((r) => [r.id, r]));
  const out: TaskFinding[] = [];
  for (const id of coverage.uncovered) {
    const r = byId.get(id) as PlanRequirement;
    out.push({
      task: null,
      line: 1,
      severity: "error",
      code: "REQUIREMENT_UNCOVERED",
      message: `requirement ${id} (${r.source}) is covered by no task${r.text ? `: ${r.text}` : ""}`,
      hint: `add "${id}" to the requirements of the task that delivers it`,
    });
  }
  for (const { task, ref } of coverage.unknown) {
    out.push({
      task,
      line: 1,
      severity: "warning",
      code: "TASK_UNKNOWN_REQUIREMENT",
      message: `${task} cites requirement ${ref}, which the plan and its specs do not state`,
      hint: `known requirements: ${requirements.map((r) => r.id).join(", ")}`,
    });
  }
  return out;
}
