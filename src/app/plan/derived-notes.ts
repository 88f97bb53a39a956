import { removeGeneratedBlock } from "../../core/markdown.ts";
import {
  type ConsolidationInput,
  renderConstraints,
  renderNextContext,
  renderTaskGeneration,
} from "../../core/plan/consolidate.ts";
import type { PlanWorkflow } from "../../core/plan/phases.ts";
import {
  intentRequirements,
  type PlanRequirement,
  requirementCoverage,
} from "../../core/plan/requirements.ts";
import { type PlanStructure, structureInput } from "../../core/plan/structure.ts";
import type { PlanTaskRecord } from "../../core/plan/tasks.ts";
import { parseRequirements } from "../../core/spec/requirements.ts";
import { readConflictResolution, readContextPackage } from "../../store/plan-files.ts";
import { readPlanTasks } from "../../store/plan-tasks.ts";
import { readWorkflow } from "../../store/plan-workflow.ts";
import { readText, topicDocPath } from "../../store/repo.ts";
import { readSpecDocumentIn } from "../../store/specs.ts";
import type { Workspace } from "../../store/workspace.ts";
import type { NotesSections } from "./notes.ts";
import { planSpecs } from "./work.ts";

/** The plan document's own text: its H1 and the generated inputs block left out. */
function planDocText(ws: Workspace, planId: string): string {
  const doc = readText(ws, topicDocPath(ws, planId)) ?? "";
  return removeGeneratedBlock(doc, "Inputs / Related Topics").replace(/^# .*\n/, "");
}

/**
 * Requirements the plan's tasks must cover: `REQ-1: …` items of its own text, wherever they
 * stand outside an out-of-scope section (phase 1's intent, and plan.md as it is now, so ids
 * added to the plan later count too), and the numbered requirements of every spec made from it
 * (`spec new --from-plan`), whose criteria count too.
 */
export function planRequirements(
  ws: Workspace,
  planId: string,
  intent: PlanStructure | null = readWorkflow(ws, planId).intent,
): PlanRequirement[] {
  const out = intentRequirements(intent);
  const stated = new Set(out.map((r) => r.id.toUpperCase()));
  for (const r of intentRequirements(structureInput(planId, planDocText(ws, planId)))) {
    if (!stated.has(r.id.toUpperCase())) {
      stated.add(r.id.toUpperCase());
      out.push(r);
    }
  }
  for (const { name, folder } of planSpecs(ws, planId)) {
    const text = readSpecDocumentIn(ws, folder, "requirements");
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
