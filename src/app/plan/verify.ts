import { cmd } from "../../core/command-ref.ts";
import {
  MAX_TASK_CRITERIA,
  MAX_TASK_FILES,
  type TaskFinding,
  verifyTasks,
} from "../../core/plan/graph.ts";
import { requirementFindings } from "../../core/plan/requirements.ts";
import { SCHEMA_VERSION } from "../../core/schema.ts";
import { recordEvent } from "../../store/events.ts";
import { writeJson } from "../../store/files.ts";
import { topicFile } from "../../store/repo.ts";
import { withWorkspaceLock } from "../../store/transaction.ts";
import { type AppContext, isoNow } from "../context.ts";
import { defineOperation } from "../operation.ts";
import { requirePlan } from "../planning/topics.ts";
import { planRequirements } from "./derived-notes.ts";
import { PLAN_ID } from "./id.ts";
import { requireTasks, writeViews } from "./task-set.ts";

export interface VerifyResult {
  plan: string;
  ok: boolean;
  errors: number;
  warnings: number;
  thresholds: { max_files: number; max_acceptance: number };
  findings: Omit<TaskFinding, "line">[];
  verification_json: string;
  tasks: number;
  /** Present when ok is false, so `--json` output says why the exit code is non-zero. */
  error?: { code: "PLAN_INVALID"; message: string; hint: string };
}

/**
 * `baton plan verify <plan-id>`: the deterministic checks of graph.ts over the task JSONs,
 * written to the topic's verification.json (views regenerated too). Never refuses on findings:
 * the CLI exits 5 when any is an error.
 */
export function verifyPlan(ctx: AppContext, planArg: string): Promise<VerifyResult> {
  return withWorkspaceLock(ctx.ws, () => {
    const { ws } = ctx;
    const planId = requirePlan(ctx.ws, planArg).id;
    const tasks = requireTasks(ws, planId);
    const findings = [
      ...verifyTasks(tasks),
      ...requirementFindings(tasks, planRequirements(ws, planId)),
    ].map(({ line: _line, ...rest }) => rest);
    const errors = findings.filter((f) => f.severity === "error").length;
    const warnings = findings.length - errors;
    const thresholds = { max_files: MAX_TASK_FILES, max_acceptance: MAX_TASK_CRITERIA };
    const file = topicFile(ws, planId, "verification.json");
    const now = isoNow(ctx);
    writeJson(ws, file, {
      schema_version: SCHEMA_VERSION,
      plan: planId,
      verified_at: now,
      ok: errors === 0,
      errors,
      warnings,
      thresholds,
      findings,
    } as { schema_version: number });
    writeViews(ws, planId, tasks);
    recordEvent(ws, "plan.verified", now, { plan: planId, errors, warnings });
    const result: VerifyResult = {
      plan: planId,
      ok: errors === 0,
      errors,
      warnings,
      thresholds,
      findings,
      verification_json: ws.rel(file),
      tasks: tasks.length,
    };
    if (errors > 0) {
      result.error = {
        code: "PLAN_INVALID",
        message: `plan ${planId} has ${errors} error finding${errors === 1 ? "" : "s"}`,
        hint: `fix the task JSONs named in the findings, then run ${cmd("plan verify", { plan_id: planId })} again`,
      };
    }
    return result;
  });
}

export const planVerifyOp = defineOperation({
  name: "plan verify",
  summary: "check a plan's tasks; write verification.json; exit 5 on errors",
  description:
    "Deterministic checks over the plan's .task/*.json: dependency cycles (TASK_CYCLE), dependencies on unknown tasks (TASK_DANGLING_DEPENDENCY), tasks without acceptance criteria (TASK_NO_ACCEPTANCE), two tasks with no dependency path between them listing the same file (TASK_PARALLEL_FILE_CONFLICT) — all errors — and oversized tasks: more than 10 files (TASK_TOO_MANY_FILES) or more than 8 acceptance criteria (TASK_TOO_MANY_CRITERIA), warnings. The report is written to the topic's verification.json and the views are regenerated. Exit 0 without errors, exit 5 (PLAN_INVALID) with. --json prints {plan, ok, errors, warnings, thresholds, findings: [{task, severity, code, message, hint}], verification_json, tasks}, plus error when ok is false.",
  examples: ["baton plan verify plan-oauth-rollout", "baton plan verify plan-oauth-rollout --json"],
  access: "write",
  input: { plan_id: PLAN_ID },
  // Findings are the answer, not a failure to run: printed, and the exit code says there are errors.
  cli: { failure: (r: VerifyResult) => (r.ok ? null : "PLAN_INVALID") },
  tool: {
    description:
      "Check a plan's task graph (cycles, dangling dependencies, missing criteria, file clashes); writes verification.json and returns the findings.",
    pageLists: ["findings"],
  },
  run(env, input): Promise<VerifyResult> {
    return verifyPlan(env.context(), input.plan_id);
  },
});
