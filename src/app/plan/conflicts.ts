import { cmd } from "../../core/command-ref.ts";
import { BatonError } from "../../core/errors.ts";
import {
  type Conflict,
  type ConflictResolutionFile,
  checkResolutions,
  deriveConflicts,
  type Resolution,
  type ResolutionFinding,
  recommendedResolutions,
  renderDecisions,
} from "../../core/plan/conflicts.ts";
import { type RiskLevel, riskAtLeast } from "../../core/plan/context-risk.ts";
import { assertCanStart } from "../../core/plan/phases.ts";
import { SCHEMA_VERSION } from "../../core/schema.ts";
import { writeJson } from "../../store/files.ts";
import { readContextPackage, resolutionPath } from "../../store/plan-files.ts";
import { readWorkflow } from "../../store/plan-workflow.ts";
import { type AppContext, isoNow } from "../context.ts";
import { defineOperation } from "../operation.ts";
import { requirePlan } from "../planning/topics.ts";
import { PLAN_ID } from "./id.ts";
import { runPhase } from "./phase.ts";

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
      `run phase 2 first: ${cmd("plan context", { plan_id: plan.id })}`,
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

export const planConflictsOp = defineOperation({
  name: "plan conflicts",
  summary: "phase 3: list the plan's conflicts; record the agent's resolutions",
  description:
    'Runs only when the context package\'s risk is medium or high; otherwise the phase is marked skipped. Lists each conflict {id, brief, severity, category, affected_files, strategies, recommended} derived from context-package.json (categories: concurrent_plan, spec_overlap, uncommitted_changes, public_api). With --resolutions (a JSON array [{"id": "CONF-1", "strategy": "sequence_after", "note": "..."}], - for stdin) or --recommended (--yes), every conflict must be decided with one of its strategies: unknown ids or strategies, duplicates and undecided conflicts refuse the whole input with INVALID_INPUT and change nothing. The decisions go to conflict-resolution.json and the Conflict Decisions (Phase 3) section of planning-notes.md, and the phase is completed. Needs phase 2 completed.',
  examples: [
    "baton plan conflicts plan-oauth-rollout",
    "baton plan conflicts plan-oauth-rollout --resolutions decisions.json",
    "baton plan conflicts plan-oauth-rollout --recommended",
  ],
  access: "write",
  input: {
    plan_id: PLAN_ID,
    resolutions: {
      type: "json",
      description: "the decisions, one per conflict",
      schema: {
        type: "array",
        items: {
          type: "object",
          properties: {
            id: { type: "string", description: "conflict id, e.g. CONF-1" },
            strategy: { type: "string", description: "one of the conflict's strategies" },
            note: { type: "string" },
          },
          required: ["id", "strategy"],
        },
      },
      // Inline over a tool; a file (or - for stdin) on the command line.
      cli: {
        file: {
          flag: "resolutions",
          only: true,
          description: "the decisions: JSON [{id, strategy, note?}] (- for stdin)",
        },
      },
      excludes: ["recommended", "yes"],
    },
    recommended: { type: "boolean", description: "take every conflict's recommended strategy" },
    yes: { type: "boolean", description: "same as --recommended", cli: { short: "y" } },
  },
  tool: {
    description:
      "Phase 3: list the plan's conflicts (only at medium risk or higher, else skipped); with resolutions or recommended, record every decision in conflict-resolution.json.",
  },
  run(env, input): Promise<PlanConflictsResult> {
    return planConflicts(env.context(), {
      plan: input.plan_id,
      resolutions: input.resolutions,
      recommended: input.recommended === true || input.yes === true,
    });
  },
});
