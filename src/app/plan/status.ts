import { isSettled, PHASES, type Phase, type PhaseRecord } from "../../core/plan/phases.ts";
import { readWorkflow, workflowPath } from "../../store/plan-workflow.ts";
import type { AppContext } from "../context.ts";
import { defineOperation } from "../operation.ts";
import { requirePlan } from "../planning/topics.ts";
import { PLAN_ID, titleNote } from "./id.ts";
import { notesPath } from "./notes.ts";

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

export const planStatusOp = defineOperation({
  name: "plan status",
  summary: "where a plan's workflow stands: each phase with its state and sub-steps",
  description: `Reads the plan's workflow.json: the four phases in order (structure, context, conflicts, tasks), each pending, in_progress, completed, skipped or failed, with its sub-steps, start and finish times and the last error. A plan made before the workflow existed shows every phase pending. Changes nothing. --json prints {plan, workflow, notes, current, phases: [{phase, state, started, finished, error, steps}]}. ${titleNote(["status", "run"])}`,
  examples: ["baton plan status plan-oauth-rollout", "baton plan status plan-oauth-rollout --json"],
  access: "read",
  input: { plan_id: PLAN_ID },
  tool: {
    description:
      "Where a plan's workflow stands: each phase (structure, context, conflicts, tasks) with its state, sub-steps and last error.",
  },
  run(env, input): PlanStatusResult {
    return planStatus(env.context(), input.plan_id);
  },
});
