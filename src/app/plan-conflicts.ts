import { BatonError } from "../core/errors.ts";
import {
  type Conflict,
  type ConflictResolutionFile,
  checkResolutions,
  deriveConflicts,
  type Resolution,
  type ResolutionFinding,
  recommendedResolutions,
  renderDecisions,
} from "../core/plan/conflicts.ts";
import { type RiskLevel, riskAtLeast } from "../core/plan/context-risk.ts";
import { assertCanStart } from "../core/plan/phases.ts";
import { SCHEMA_VERSION } from "../core/schema.ts";
import { writeJson } from "../store/files.ts";
import { readContextPackage, resolutionPath } from "../store/plan-files.ts";
import { readWorkflow } from "../store/plan-workflow.ts";
import type { AppContext } from "./context.ts";
import { isoNow } from "./context.ts";
import { runPhase } from "./plan-phase.ts";
import { requirePlan } from "./topics.ts";

export interface PlanConflictsResult {
  plan: string;
  /** skipped: risk below medium; listed: conflicts shown, awaiting decisions; resolved: recorded. */
  action: "skipped" | "listed" | "resolved";
  risk_level: RiskLevel;
  conflicts: Conflict[];
  resolutions: Resolution[];
  conflict_resolution: string | null;
}

function describe(findings: readonly ResolutionFinding[]): string {
  return findings.map((f) => `${f.code}: ${f.message}`).join("; ");
}

/**
 * `baton plan conflicts <plan-id> [--resolutions <json> | --recommended]`: phase 3. Below medium
 * risk the phase is skipped. Otherwise lists the conflicts the context package implies; with
 * resolutions, checks them all first (refusing with nothing changed), then writes
 * conflict-resolution.json and the notes' Conflict Decisions section and completes the phase.
 */
export async function planConflicts(
  ctx: AppContext,
  input: { plan: string; resolutions?: unknown; recommended?: boolean },
): Promise<PlanConflictsResult> {
  const { ws } = ctx;
  if (input.resolutions !== undefined && input.recommended === true) {
    throw new BatonError(
      "USAGE",
      "--resolutions and --recommended cannot be combined",
      "give the decisions in the file, or take the recommended ones",
    );
  }
  const plan = requirePlan(ws, input.plan);
  assertCanStart(readWorkflow(ws, plan.id), "conflicts");
  const pkg = readContextPackage(ws, plan.id);
  if (!pkg) {
    throw new BatonError(
      "STATE_CONFLICT",
      `plan ${plan.id} has no context package`,
      `run phase 2 first: baton plan context ${plan.id}`,
    );
  }
  const risk = pkg.conflict_detection.risk_level;
  const conflicts = riskAtLeast(risk, "medium") ? deriveConflicts(pkg.conflict_detection) : [];
  const deciding = input.recommended === true || input.resolutions !== undefined;
  let resolutions: Resolution[] = [];
  if (deciding && conflicts.length > 0) {
    const checked = input.recommended
      ? { resolutions: recommendedResolutions(conflicts), findings: [] }
      : checkResolutions(conflicts, input.resolutions);
    if (checked.findings.length > 0) {
      throw new BatonError(
        "INVALID_INPUT",
        `the resolutions were refused, nothing changed: ${describe(checked.findings)}`,
        checked.findings[0]?.hint ?? "fix the resolutions and run the command again",
      );
    }
    resolutions = checked.resolutions;
  }
  const file = resolutionPath(ws, plan.id);
  const result = (
    action: PlanConflictsResult["action"],
    written: string | null,
  ): PlanConflictsResult => ({
    plan: plan.id,
    action,
    risk_level: risk,
    conflicts,
    resolutions,
    conflict_resolution: written,
  });
  return runPhase<PlanConflictsResult>(ctx, plan.id, "conflicts", () => {
    if (conflicts.length === 0) {
      return {
        state: "skipped",
        notes: { conflicts: `- Skipped: conflict risk is ${risk} (below medium).` },
        result: result("skipped", null),
      };
    }
    if (!deciding) return { state: "in_progress", result: result("listed", null) };
    const record: ConflictResolutionFile = {
      schema_version: SCHEMA_VERSION,
      plan: plan.id,
      decided_at: isoNow(ctx),
      risk_level: risk,
      conflicts,
      resolutions,
    };
    writeJson(ws, file, record);
    return {
      state: "completed",
      notes: { conflicts: renderDecisions(conflicts, resolutions) },
      result: result("resolved", ws.rel(file)),
    };
  });
}
