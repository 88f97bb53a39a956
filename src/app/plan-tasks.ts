import { BatonError } from "../core/errors.ts";
import {
  compareTaskIds,
  MAX_TASK_CRITERIA,
  MAX_TASK_FILES,
  structuralFindings,
  type TaskFinding,
  verifyTasks,
} from "../core/plan/graph.ts";
import { afterTasksSteps, type PlanNextStep } from "../core/plan/next-steps.ts";
import { assertNotBlocked, finishPhase, pendingBefore } from "../core/plan/phases.ts";
import { renderImplPlan, renderTodoList } from "../core/plan/render.ts";
import { requirementFindings } from "../core/plan/requirements.ts";
import { type PlanTaskRecord, parseTasksJson, parseTasksMarkdown } from "../core/plan/tasks.ts";
import { SCHEMA_VERSION } from "../core/schema.ts";
import type { Finding } from "../core/spec/finding.ts";
import { recordEvent } from "../store/events.ts";
import { writeJson } from "../store/files.ts";
import { readPlanTasks, taskDir, writePlanTasks, writeView } from "../store/plan-tasks.ts";
import { readWorkflow, writeWorkflow } from "../store/plan-workflow.ts";
import { topicFile } from "../store/repo.ts";
import { withWorkspaceLock } from "../store/transaction.ts";
import type { Workspace } from "../store/workspace.ts";
import { type AppContext, isoNow } from "./context.ts";
import { derivedNotes, planRequirements } from "./plan-derived-notes.ts";
import { writeNotes } from "./plan-notes.ts";
import { type HeldTask, readyTasks } from "./plan-ready.ts";
import { requirePlan } from "./topics.ts";

export interface TaskSummary {
  id: string;
  title: string;
  status: string;
  depends_on: string[];
}

export interface PlanTasksResult {
  plan: string;
  /** `imported` when --from replaced the task set; `regenerated` when the views were rebuilt. */
  action: "imported" | "regenerated";
  task_dir: string;
  impl_plan: string;
  todo_list: string;
  tasks: TaskSummary[];
  /** Once phase 4 is done: verify, execute (the ready tasks), status. */
  next_steps: PlanNextStep[];
}

/** What workflow.json and the notes record for phases passed over with --skip-context. */
const SKIP_REASON = "the tasks were written with --skip-context, without this phase";

function summary(t: PlanTaskRecord): TaskSummary {
  return { id: t.id, title: t.title, status: t.status, depends_on: t.depends_on };
}

function describe(findings: readonly Finding[]): string {
  const shown = findings.slice(0, 5).map((f) => `${f.code}: ${f.message}`);
  const more = findings.length > 5 ? `; and ${findings.length - 5} more` : "";
  return `${shown.join("; ")}${more}`;
}

/** JSON when the text starts like JSON, else a Markdown checklist. */
export function parseTaskInput(text: string): { tasks: PlanTaskRecord[]; findings: Finding[] } {
  const trimmed = text.trimStart();
  return trimmed.startsWith("[") || trimmed.startsWith("{")
    ? parseTasksJson(text, SCHEMA_VERSION)
    : parseTasksMarkdown(text, SCHEMA_VERSION);
}

function requireTasks(ws: Workspace, planId: string): PlanTaskRecord[] {
  const tasks = readPlanTasks(ws, planId);
  if (!tasks || tasks.length === 0) {
    throw new BatonError(
      "NO_TASKS",
      `plan ${planId} has no task files in ${ws.rel(taskDir(ws, planId))}`,
      `write them first: baton plan tasks ${planId} --from <tasks.json|tasks.md>`,
    );
  }
  return tasks;
}

/** Regenerates IMPL_PLAN.md and TODO_LIST.md from the task set; true when either changed. */
export function writeViews(ws: Workspace, planId: string, tasks: PlanTaskRecord[]): boolean {
  const a = writeView(ws, topicFile(ws, planId, "IMPL_PLAN.md"), renderImplPlan(planId, tasks));
  const b = writeView(ws, topicFile(ws, planId, "TODO_LIST.md"), renderTodoList(planId, tasks));
  return a || b;
}

/**
 * `baton plan tasks <plan-id> [--from <file>] [--skip-context]`: with input, validates the whole
 * task list (ids, fields, dangling dependencies, cycles) and refuses it with PLAN_INVALID,
 * changing nothing, when anything is wrong; refuses to complete phase 4 while phase 2 or 3 never
 * ran, unless `skipContext` marks them skipped (recorded with the reason); otherwise replaces
 * `.task/` with one JSON per task and regenerates IMPL_PLAN.md and TODO_LIST.md. Without input,
 * regenerates the views from the task JSONs.
 */
export function writePlanTaskSet(
  ctx: AppContext,
  input: { plan: string; text?: string; skipContext?: boolean },
): Promise<PlanTasksResult> {
  return withWorkspaceLock(ctx.ws, () => {
    const { ws } = ctx;
    const planId = requirePlan(ws, input.plan).id;
    let tasks: PlanTaskRecord[];
    if (input.text !== undefined) {
      const parsed = parseTaskInput(input.text);
      const findings = [...parsed.findings];
      if (findings.length === 0) findings.push(...structuralFindings(parsed.tasks));
      if (findings.length === 0 && parsed.tasks.length === 0) {
        throw new BatonError(
          "PLAN_INVALID",
          "the task list is empty",
          'give a JSON array of tasks or "- [ ] IMPL-1: Title" lines',
        );
      }
      if (findings.length > 0) {
        throw new BatonError(
          "PLAN_INVALID",
          `the task list was refused, nothing changed: ${describe(findings)}`,
          "fix these problems in the input and run the command again",
        );
      }
      const before = readWorkflow(ws, planId);
      assertNotBlocked(before, "tasks");
      // Phase 1 is never left pending by `baton plan`; phases 2 and 3 must run or be skipped.
      const skipped = pendingBefore(before, "tasks").filter((p) => p !== "structure");
      if (skipped.length > 0 && input.skipContext !== true) {
        throw new BatonError(
          "STATE_CONFLICT",
          `phase 4 of ${planId} cannot complete: ${skipped.map((p) => `phase ${p}`).join(" and ")} ${skipped.length === 1 ? "is" : "are"} pending`,
          `run them first (baton plan context ${planId}, then baton plan conflicts ${planId}), or pass --skip-context to write the tasks without them (recorded in workflow.json)`,
        );
      }
      tasks = parsed.tasks;
      writePlanTasks(ws, planId, tasks);
      writeViews(ws, planId, tasks);
      const now = isoNow(ctx);
      let workflow = before;
      for (const phase of skipped) {
        workflow = finishPhase(workflow, phase, "skipped", now, {}, SKIP_REASON);
      }
      // Phase 4 of the plan workflow is done once a valid task list is in place.
      workflow = finishPhase(workflow, "tasks", "completed", now, { import: "completed" });
      writeWorkflow(ws, workflow);
      const skipNotes = Object.fromEntries(skipped.map((p) => [p, `- Skipped: ${SKIP_REASON}.`]));
      writeNotes(ws, planId, { ...skipNotes, ...derivedNotes(ws, planId, { workflow, tasks }) });
      if (skipped.length > 0) {
        recordEvent(ws, "plan.phases_skipped", now, { plan: planId, phases: skipped });
      }
      recordEvent(ws, "plan.tasks", now, { plan: planId, tasks: tasks.length });
    } else {
      tasks = requireTasks(ws, planId);
      writeNotes(ws, planId, derivedNotes(ws, planId, { tasks }));
      if (writeViews(ws, planId, tasks)) {
        recordEvent(ws, "plan.views", isoNow(ctx), { plan: planId, tasks: tasks.length });
      }
    }
    return {
      plan: planId,
      action: input.text !== undefined ? "imported" : "regenerated",
      task_dir: ws.rel(taskDir(ws, planId)),
      impl_plan: ws.rel(topicFile(ws, planId, "IMPL_PLAN.md")),
      todo_list: ws.rel(topicFile(ws, planId, "TODO_LIST.md")),
      tasks: [...tasks].sort((a, b) => compareTaskIds(a.id, b.id)).map(summary),
      next_steps: afterTasksSteps(
        planId,
        readyTasks(ws, planId, tasks).ready.map((t) => t.id),
      ),
    };
  });
}

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
        hint: "fix the task JSONs named in the findings, then run baton plan verify again",
      };
    }
    return result;
  });
}

export interface NextResult {
  plan: string;
  next: TaskSummary[];
  /** Tasks whose dependencies are done but that a sequence_after decision holds back. */
  held: HeldTask[];
  done: number;
  total: number;
}

/**
 * `baton plan next <plan-id>`: tasks ready to start (read-only): dependencies done, not held
 * back by a sequencing decision of phase 3. Refuses a cyclic graph.
 */
export function planNext(ctx: AppContext, planArg: string): NextResult {
  const { ws } = ctx;
  const planId = requirePlan(ctx.ws, planArg).id;
  const tasks = requireTasks(ws, planId);
  const problems = structuralFindings(tasks);
  if (problems.length > 0) {
    throw new BatonError(
      "PLAN_INVALID",
      `the tasks of ${planId} cannot be ordered: ${describe(problems)}`,
      `fix the task JSONs, then check with: baton plan verify ${planId}`,
    );
  }
  const { ready, held } = readyTasks(ws, planId, tasks);
  return {
    plan: planId,
    next: ready.map(summary),
    held,
    done: tasks.filter((t) => t.status === "done").length,
    total: tasks.length,
  };
}
