import path from "node:path";
import { sectionLines } from "../core/markdown.ts";
import {
  type ConsolidationInput,
  renderConstraints,
  renderNextContext,
  renderTaskGeneration,
} from "../core/plan/consolidate.ts";
import type { PlanWorkflow } from "../core/plan/phases.ts";
import {
  intentRequirements,
  type PlanRequirement,
  requirementCoverage,
} from "../core/plan/requirements.ts";
import type { PlanStructure } from "../core/plan/structure.ts";
import type { PlanTaskRecord } from "../core/plan/tasks.ts";
import { parseRequirements } from "../core/spec/requirements.ts";
import { PLAN_SPECS_SECTION, SPEC_FILES } from "../core/spec/templates.ts";
import { readConflictResolution, readContextPackage } from "../store/plan-files.ts";
import { readPlanTasks } from "../store/plan-tasks.ts";
import { readWorkflow } from "../store/plan-workflow.ts";
import { readText, topicFile } from "../store/repo.ts";
import type { Workspace } from "../store/workspace.ts";
import type { NotesSections } from "./plan-notes.ts";

/**
 * Requirements the plan's tasks must cover: `REQ-1: …` items of its own text (phase 1's intent),
 * and the numbered requirements of every spec made from it (`spec new --from-plan`), whose
 * criteria count too.
 */
export function planRequirements(
  ws: Workspace,
  planId: string,
  intent: PlanStructure | null = readWorkflow(ws, planId).intent,
): PlanRequirement[] {
  const out = intentRequirements(intent);
  const sources = readText(ws, topicFile(ws, planId, "sources.md")) ?? "";
  for (const line of sectionLines(sources, PLAN_SPECS_SECTION) ?? []) {
    // `- spec: [name](link) (folder)`: the folder is workspace-relative.
    const match = /^- spec: \[([^\]]+)\]\([^)]*\) \(([^)]+)\)\s*$/.exec(line);
    if (!match) continue;
    const [, name, folder] = match as unknown as [string, string, string];
    const text = readText(ws, path.join(ws.root, folder, SPEC_FILES.requirements));
    if (text === null) continue;
    for (const r of parseRequirements(text).requirements) {
      out.push({
        id: r.id,
        text: r.title,
        source: `spec ${name}`,
        parts: r.criteria.map((c) => c.id),
      });
    }
  }
  return out;
}

/** What the caller already holds, so the plan's files are not read again. */
export interface KnownPlanState {
  workflow?: PlanWorkflow;
  tasks?: readonly PlanTaskRecord[];
}

/**
 * The notes' derived sections (Consolidated Constraints, Task Generation, N+1 Context), rebuilt
 * from the plan's stored state, for a caller to write with its own section in one go.
 */
export function derivedNotes(
  ws: Workspace,
  planId: string,
  known: KnownPlanState = {},
): Required<Pick<NotesSections, "constraints" | "tasks" | "next">> {
  const workflow = known.workflow ?? readWorkflow(ws, planId);
  const requirements = planRequirements(ws, planId, workflow.intent);
  const input: ConsolidationInput = {
    intent: workflow.intent,
    context: readContextPackage(ws, planId),
    resolution: readConflictResolution(ws, planId),
    conflictsState: workflow.phases.conflicts.state,
    requirements,
  };
  const tasks = known.tasks ?? readPlanTasks(ws, planId) ?? [];
  return {
    constraints: renderConstraints(input),
    tasks: renderTaskGeneration(tasks, requirementCoverage(tasks, requirements)),
    next: renderNextContext(input),
  };
}
