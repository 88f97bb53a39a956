import { asBatonError } from "../../core/errors.ts";
import {
  failPhase,
  finishPhase,
  isSettled,
  type Phase,
  startPhase,
} from "../../core/plan/phases.ts";
import { recordEvent } from "../../store/events.ts";
import { readWorkflow, writeWorkflow } from "../../store/plan-workflow.ts";
import { failKeepingChanges, withSavepoint, withWorkspaceLock } from "../../store/transaction.ts";
import { type AppContext, isoNow } from "../context.ts";
import { derivedNotes } from "./derived-notes.ts";
import { type NotesSections, writeNotes } from "./notes.ts";

export interface PhaseOutcome<T> {
  result: T;
  state: "completed" | "skipped" | "in_progress";
  steps?: Record<string, "completed">;
  /** The phase's own sections of planning-notes.md. */
  notes?: NotesSections;
}

/**
 * Runs one phase of the plan workflow under the workspace lock: start it, do the work, mark it
 * in workflow.json, and write the phase's notes together with the derived sections in one
 * write. A failure inside the work is recorded with failPhase (nothing proceeds past it) and
 * rethrown.
 */
export function runPhase<T>(
  ctx: AppContext,
  planId: string,
  phase: Phase,
  work: () => PhaseOutcome<T>,
): Promise<T> {
  return withWorkspaceLock(ctx.ws, () => {
    const { ws } = ctx;
    const before = readWorkflow(ws, planId);
    const started = startPhase(before, phase, isoNow(ctx));
    let outcome: PhaseOutcome<T>;
    try {
      // Whatever the work wrote is undone when it fails; the failure record is kept.
      outcome = withSavepoint(ws, work);
    } catch (error) {
      const { code, message } = asBatonError(error);
      const err = { code, message };
      writeWorkflow(ws, failPhase(started, phase, err, isoNow(ctx)));
      recordEvent(ws, "plan.phase_failed", isoNow(ctx), { plan: planId, phase, code: err.code });
      failKeepingChanges(error);
    }
    // Only listing again (phase 3 without decisions) leaves a settled phase as it was.
    if (outcome.state === "in_progress" && isSettled(before.phases[phase])) return outcome.result;
    const now = isoNow(ctx);
    const workflow =
      outcome.state === "in_progress"
        ? started
        : finishPhase(started, phase, outcome.state, now, outcome.steps);
    writeWorkflow(ws, workflow);
    writeNotes(ws, planId, { ...outcome.notes, ...derivedNotes(ws, planId, { workflow }) });
    recordEvent(ws, `plan.${phase}`, now, { plan: planId, state: outcome.state });
    return outcome.result;
  });
}
