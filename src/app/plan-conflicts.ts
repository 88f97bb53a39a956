import { BatonError } from "../core/errors.ts";
import {
  type Conflict,
  type ConflictResolutionFile,
  checkResolutions,
  deriveConflicts,
  type Resolution,
  type ResolutionFinding,
  recommendedResolutions,
} from "../core/plan/conflicts.ts";
import { type RiskLevel, riskAtLeast } from "../core/plan/context-risk.ts";
import { assertCanStart } from "../core/plan/phases.ts";
import { SCHEMA_VERSION } from "../core/schema.ts";
import { writeJson } from "../store/files.ts";
import { readContextPackage, resolutionPath } from "../store/plan-files.ts";
import { readWorkflow } from "../store/plan-workflow.ts";
import type { AppContext } from "./context.ts";
import { isoNow } from "./context.ts";
import { planOf, runPhase } from "./plan-context.ts";
import { writeNotesSection } from "./plan-notes.ts";

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
  const plan = planOf(ctx, input.plan);
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
  return runPhase<PlanConflictsResult>(ctx, plan.id, "conflicts", () => {
    if (conflicts.length === 0) {
      writeNotesSection(
        ws,
        plan.id,
        "Conflict Decisions (Phase 3)",
        `- Skipped: conflict risk is ${risk} (below medium).`,
      );
      return {
        state: "skipped",
        result: {
          plan: plan.id,
          action: "skipped",
          risk_level: risk,
          conflicts,
          resolutions,
          conflict_resolution: null,
        },
      };
    }
    if (!deciding) {
      return {
        state: "in_progress",
        result: {
          plan: plan.id,
          action: "listed",
          risk_level: risk,
          conflicts,
          resolutions,
          conflict_resolution: null,
        },
      };
    }
    const byId = new Map(conflicts.map((c) => [c.id, c]));
    const record: ConflictResolutionFile = {
      schema_version: SCHEMA_VERSION,
      plan: plan.id,
      decided_at: isoNow(ctx),
      risk_level: risk,
      conflicts,
      resolutions,
    };
    writeJson(file, record);
    writeNotesSection(
      ws,
      plan.id,
      "Conflict Decisions (Phase 3)",
      resolutions
        .map((r) => {
          const c = byId.get(r.id) as Conflict;
          return `- ${r.id} (${c.severity}, ${c.category}): ${c.brief} → **${r.strategy}**${r.note ? ` — ${r.note}` : ""}`;
        })
        .join("\n"),
    );
    return {
      state: "completed",
      result: {
        plan: plan.id,
        action: "resolved",
        risk_level: risk,
        conflicts,
        resolutions,
        conflict_resolution: ws.rel(file),
      },
    };
  });
}
