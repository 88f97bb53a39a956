import { afterTasksSteps, type PlanNextStep } from "../../core/plan/next-steps.ts";
import { isSettled, PHASES, type Phase } from "../../core/plan/phases.ts";
import { readPlanTasks } from "../../store/plan-tasks.ts";
import { readWorkflow } from "../../store/plan-workflow.ts";
import type { AppContext } from "../context.ts";
import { defineOperation } from "../operation.ts";
import { createPlan } from "../planning/plan.ts";
import { planConflicts } from "./conflicts.ts";
import { planContext } from "./context.ts";
import { titleNote } from "./id.ts";
import { readyTasks } from "./ready.ts";
import { type PhaseStatus, phaseList } from "./status.ts";

/**
 * A phase the runner can drive by itself: it updates workflow.json (completing the phase, or
 * leaving it in progress when the agent must supply something) and returns its own result.
 */
export type PhaseRunner = (
  ctx: AppContext,
  planId: string,
  options: { yes: boolean },
) => Promise<unknown> | unknown;

/** Phases 2 and 3; a phase without a runner is left to its own command. */
export interface PhaseRunners {
  context?: PhaseRunner;
  conflicts?: PhaseRunner;
}

/** The phase runners this build has: phase 3 takes the recommended resolutions with --yes. */
export const PHASE_RUNNERS: PhaseRunners = {
  context: (ctx, plan) => planContext(ctx, { plan }),
  conflicts: (ctx, plan, { yes }) => planConflicts(ctx, { plan, recommended: yes }),
};

export interface PlanRunResult {
  plan: string;
  /** The phase waiting for the agent, or null when every phase is done. */
  stopped_at: Phase | null;
  /** What the agent must supply before continuing. */
  need: string | null;
  /** The command that continues the workflow (after phase 4: verify). */
  next_command: string | null;
  /** After phase 4: verify, execute (the ready tasks) and status; empty before. */
  next_steps: PlanNextStep[];
  /** The result of each phase this run executed, by phase. */
  ran: Partial<Record<Phase, unknown>>;
  phases: PhaseStatus[];
}

const NEED: Record<Phase, (plan: string) => { need: string; next_command: string }> = {
  structure: (plan) => ({
    need: "the plan's goal, scope and context (phase 1)",
    next_command: `baton plan status ${plan}`,
  }),
  context: (plan) => ({
    need: "context findings: the code, docs and prior decisions this plan touches (phase 2)",
    next_command: `baton plan context ${plan}`,
  }),
  conflicts: (plan) => ({
    need: "a decision for each conflict listed by phase 3: a JSON array [{id, strategy, note?}] (or --recommended to take the recommended strategies)",
    next_command: `baton plan conflicts ${plan} --resolutions <file>`,
  }),
  tasks: (plan) => ({
    need: "the task list derived from planning-notes.md: a JSON array of tasks or a Markdown checklist",
    next_command: `baton plan tasks ${plan} --from <file>`,
  }),
};

/**
 * `baton plan run "<goal>"`: phase 1 (creating the plan, or finding it), then each later phase
 * in order that this build can run by itself, stopping at the first one that needs the agent:
 * what to supply and the command that continues. Running it again picks up where it stopped.
 */
export async function runPlanWorkflow(
  ctx: AppContext,
  input: { goal: string; body?: string | undefined; yes?: boolean },
  runners: PhaseRunners = PHASE_RUNNERS,
): Promise<PlanRunResult> {
  const created = await createPlan(ctx, { title: input.goal, body: input.body });
  const plan = created.topic.id;
  const ran: PlanRunResult["ran"] = {};
  if (created.structured) ran.structure = created.structure;
  const settled = (phase: Phase) => isSettled(readWorkflow(ctx.ws, plan).phases[phase]);
  for (const phase of PHASES) {
    if (settled(phase)) continue;
    const runner = phase === "context" || phase === "conflicts" ? runners[phase] : undefined;
    if (runner) {
      ran[phase] = await runner(ctx, plan, { yes: input.yes === true });
      if (settled(phase)) continue;
    }
    return {
      plan,
      stopped_at: phase,
      ...NEED[phase](plan),
      next_steps: [],
      ran,
      phases: phaseList(ctx, plan),
    };
  }
  const tasks = readPlanTasks(ctx.ws, plan) ?? [];
  const ready = readyTasks(ctx.ws, plan, tasks).ready.map((t) => t.id);
  return {
    plan,
    stopped_at: null,
    need: null,
    next_command: `baton plan verify ${plan}`,
    next_steps: afterTasksSteps(plan, ready),
    ran,
    phases: phaseList(ctx, plan),
  };
}

export const planRunOp = defineOperation({
  name: "plan run",
  summary: "run the plan workflow's phases in order; stop where the agent must supply something",
  description: `Phase 1 creates the plan (or finds it) from the goal and optional --body/--file text, exactly as baton plan does; each later phase this build can run by itself follows, and the run stops at the first phase that needs the agent, saying what to supply and the command that continues. Phase 4 always waits for the task list (baton plan tasks <plan-id> --from <file>). Running it again continues where it stopped. --yes (-y) takes the recommended resolution of every conflict in phase 3. Once every phase is done it offers the next steps: verify the plan (recommended), execute (the ready tasks, as baton plan next lists them) and review the status. --json prints {plan, stopped_at, need, next_command, next_steps, ran, phases}. ${titleNote(["status", "run"])}`,
  examples: [
    'baton plan run "OAuth rollout" --file requirements.md',
    'baton plan run "OAuth rollout" --yes --json',
    'baton plan run "OAuth rollout" -y',
  ],
  access: "write",
  input: {
    goal: {
      type: "string",
      min: 1,
      required: true,
      description: "what the plan delivers",
      cli: { positional: true },
    },
    body: {
      type: "string",
      description: "the topic's text",
      cli: {
        value: "<text>",
        file: {
          flag: "file",
          value: "<path>",
          description: "read the topic's text from a file (- for stdin)",
        },
      },
    },
    yes: {
      type: "boolean",
      description: "take the recommended conflict resolutions without asking",
      cli: { short: "y" },
    },
  },
  tool: {
    description:
      "Run the plan workflow's phases in order from a goal (and optional text); stops where the agent must supply something, naming what and the command that continues.",
  },
  run(env, input): Promise<PlanRunResult> {
    return runPlanWorkflow(env.context(), {
      goal: input.goal,
      body: input.body,
      yes: input.yes === true,
    });
  },
});
