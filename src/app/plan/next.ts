import { cmd } from "../../core/command-ref.ts";
import { BatonError } from "../../core/errors.ts";
import { structuralFindings } from "../../core/plan/graph.ts";
import type { AppContext } from "../context.ts";
import { defineOperation } from "../operation.ts";
import { requirePlan } from "../planning/topics.ts";
import { PLAN_ID } from "./id.ts";
import { type HeldTask, readyTasks } from "./ready.ts";
import { describeFindings, requireTasks, type TaskSummary, taskSummary } from "./task-set.ts";

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
      `the tasks of ${planId} cannot be ordered: ${describeFindings(problems)}`,
      `fix the task JSONs, then check with: ${cmd("plan verify", { plan_id: planId })}`,
    );
  }
  const { ready, held } = readyTasks(ws, planId, tasks);
  return {
    plan: planId,
    next: ready.map(taskSummary),
    held,
    done: tasks.filter((t) => t.status === "done").length,
    total: tasks.length,
  };
}

export const planNextOp = defineOperation({
  name: "plan next",
  summary: "the plan's tasks ready to start: dependencies done, in working order",
  description:
    "Tasks to do (todo) or in progress whose dependencies are all done, ordered topologically (dependencies first), ties by id (IMPL-2 before IMPL-10). A task listing a file of a phase 3 conflict decided sequence_after is held back (listed under held, with the plan it waits for) while that other plan still has open work on the file. Reads the task JSONs; changes nothing. A cycle or dangling dependency is refused with PLAN_INVALID. --json prints {plan, next, held, done, total}.",
  examples: ["baton plan next plan-oauth-rollout", "baton plan next plan-oauth-rollout --json"],
  access: "read",
  input: { plan_id: PLAN_ID },
  tool: {
    description:
      "The plan's tasks that can start now: not done, every dependency done (paged; page.total.next says how many).",
    pageLists: ["next"],
  },
  run(env, input): NextResult {
    return planNext(env.context(), input.plan_id);
  },
});
