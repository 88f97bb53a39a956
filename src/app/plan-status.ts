import { isSettled, PHASES, type Phase, type PhaseRecord } from "../core/plan/phases.ts";
import { readWorkflow, workflowPath } from "../store/plan-workflow.ts";
import type { AppContext } from "./context.ts";
import { notesPath } from "./plan-notes.ts";
import { requirePlan } from "./topics.ts";

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
  const planId = requirePlan(ws, planArg).id;
  const phases = phaseList(ctx, planId);
  const current = phases.find((p) => !isSettled(p));
  return {
    plan: planId,
    workflow: ws.rel(workflowPath(ws, planId)),
    notes: ws.rel(notesPath(ws, planId)),
    current: current?.phase ?? null,
    phases,
  };
}
