import { assertTopicId } from "../core/ids.ts";
import { PHASES, type Phase, type PhaseRecord } from "../core/plan/phases.ts";
import { openCatalog } from "../store/catalog-file.ts";
import { readWorkflow, workflowPath } from "../store/plan-workflow.ts";
import { requireTopic } from "../store/repo.ts";
import type { AppContext } from "./context.ts";
import { notesPath } from "./plan-notes.ts";

export interface PhaseStatus extends PhaseRecord {
  phase: Phase;
}

export interface PlanStatusResult {
  plan: string;
  workflow: string;
  notes: string;
  /** The first phase neither completed nor skipped; null when all are. */
  current: Phase | null;
  phases: PhaseStatus[];
}

/** The plan's phases in order, each with its state, times, sub-steps and last error. */
export function phaseList(ctx: AppContext, planId: string): PhaseStatus[] {
  const workflow = readWorkflow(ctx.ws, planId);
  return PHASES.map((phase) => ({ phase, ...workflow.phases[phase] }));
}

/** `baton plan status <plan-id>`: where the plan workflow stands (read-only). */
export function planStatus(ctx: AppContext, planArg: string): PlanStatusResult {
  const { ws } = ctx;
  const planId = assertTopicId(planArg, "plan");
  requireTopic(openCatalog(ws), planId, "plan");
  const phases = phaseList(ctx, planId);
  const current = phases.find((p) => p.state !== "completed" && p.state !== "skipped");
  return {
    plan: planId,
    workflow: ws.rel(workflowPath(ws, planId)),
    notes: ws.rel(notesPath(ws, planId)),
    current: current?.phase ?? null,
    phases,
  };
}
