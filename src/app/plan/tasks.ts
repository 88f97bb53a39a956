import { cmd } from "../../core/command-ref.ts";
import { BatonError } from "../../core/errors.ts";
import { compareTaskIds, structuralFindings } from "../../core/plan/graph.ts";
import { afterTasksSteps, type PlanNextStep } from "../../core/plan/next-steps.ts";
import { assertNotBlocked, finishPhase, pendingBefore } from "../../core/plan/phases.ts";
import { type PlanTaskRecord, parsePlanTodoList, parseTasksJson } from "../../core/plan/tasks.ts";
import { SCHEMA_VERSION } from "../../core/schema.ts";
import type { Finding } from "../../core/spec/finding.ts";
import { recordEvent } from "../../store/events.ts";
import { taskDir, writePlanTasks } from "../../store/plan-tasks.ts";
import { readWorkflow, writeWorkflow } from "../../store/plan-workflow.ts";
import { topicFile } from "../../store/repo.ts";
import { withWorkspaceLock } from "../../store/transaction.ts";
import { type AppContext, isoNow } from "../context.ts";
import { defineOperation } from "../operation.ts";
import { requirePlan } from "../planning/topics.ts";
import { derivedNotes } from "./derived-notes.ts";
import { PLAN_ID, titleNote } from "./id.ts";
import { writeNotes } from "./notes.ts";
import { readyTasks } from "./ready.ts";
import {
  describeFindings,
  requireTasks,
  type TaskSummary,
  taskSummary,
  writeViews,
} from "./task-set.ts";

export type { TaskSummary };

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

/** JSON when the text starts like JSON, else a Markdown checklist. */
export function parseTaskInput(text: string): { tasks: PlanTaskRecord[]; findings: Finding[] } {
  const trimmed = text.trimStart();
  return trimmed.startsWith("[") || trimmed.startsWith("{")
    ? parseTasksJson(text, SCHEMA_VERSION)
    : parsePlanTodoList(text, SCHEMA_VERSION);
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
  input: { plan: string; text?: string | undefined; skipContext?: boolean },
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
          `the task list was refused, nothing changed: ${describeFindings(findings)}`,
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
          `run them first (${cmd("plan context", { plan_id: planId })}, then ${cmd("plan conflicts", { plan_id: planId })}), or write the tasks without them: ${cmd("plan tasks", { plan_id: planId, from: "<file>", skip_context: true })} (recorded in workflow.json)`,
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
      tasks: [...tasks].sort((a, b) => compareTaskIds(a.id, b.id)).map(taskSummary),
      next_steps: afterTasksSteps(
        planId,
        readyTasks(ws, planId, tasks).ready.map((t) => t.id),
      ),
    };
  });
}

export const planTasksOp = defineOperation({
  name: "plan tasks",
  summary: "phase 4: write a plan's task JSONs, IMPL_PLAN.md and TODO_LIST.md",
  description: `Reads a JSON array of tasks ({id, title, description, depends_on, files, acceptance, requirements, status}; Claude-Code-Workflow's convergence.criteria is accepted for acceptance) or a Markdown checklist ("- [ ] IMPL-1: Title" with indented "- depends: IMPL-2", "- files: a.ts, b.ts", "- acceptance: ..." lines) from --from (- for stdin). Task ids are IMPL-<n> or a letter followed by up to 40 letters, digits, _ or -. Malformed tasks, duplicate ids, dangling dependencies and cycles refuse the whole list with PLAN_INVALID (exit 5) and change nothing. Phase 4 completes only after phases 2 (context) and 3 (conflicts) ran or were judged unnecessary: while either is pending the list is refused with STATE_CONFLICT, unless --skip-context, which marks them skipped with the reason in workflow.json and planning-notes.md. Otherwise the plan's .task/ folder is replaced by one <id>.json per task (schema_version, status todo|in_progress|blocked|done|cancelled, todo written pending as in Claude-Code-Workflow's task JSON; a checklist's [ ], [~], [!], [x], [-]) and IMPL_PLAN.md and TODO_LIST.md are regenerated. The JSON files are the truth: without --from, the views are regenerated from them after a hand edit. ${titleNote(["tasks", "task", "verify", "next"])}`,
  examples: [
    "baton plan tasks plan-oauth-rollout --from tasks.json",
    "baton plan tasks plan-oauth-rollout --from - < tasks.md",
    "baton plan tasks plan-oauth-rollout --from tasks.json --skip-context",
    "baton plan tasks plan-oauth-rollout",
  ],
  access: "write",
  input: {
    plan_id: PLAN_ID,
    from: {
      type: "string",
      description: "the task list itself (JSON or Markdown), not a path",
      cli: {
        file: {
          flag: "from",
          only: true,
          description: "the task list: JSON array or Markdown checklist (- for stdin)",
        },
      },
    },
    skip_context: {
      type: "boolean",
      description: "complete phase 4 although phases 2 and 3 never ran (recorded as skipped)",
    },
  },
  tool: {
    description:
      "Phase 4: replace the plan's tasks with the given list (a JSON array of {id, title, description, depends_on, files, acceptance} or a Markdown checklist), refused whole with findings on cycles, dangling dependencies or malformed tasks; without `from`, regenerate IMPL_PLAN.md and TODO_LIST.md from the task JSONs.",
    more: "plan_next lists the tasks that can start; the task JSONs are in task_dir",
  },
  run(env, input): Promise<PlanTasksResult> {
    return writePlanTaskSet(
      env.context(),
      input.from === undefined
        ? { plan: input.plan_id }
        : { plan: input.plan_id, text: input.from, skipContext: input.skip_context === true },
    );
  },
});
