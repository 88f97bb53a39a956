import { type PlanRunResult, runPlanWorkflow } from "../../app/plan-run.ts";
import { type PlanStatusResult, planStatus } from "../../app/plan-status.ts";
import { BatonError } from "../../core/errors.ts";
import type { PhaseRecord } from "../../core/plan/phases.ts";
import { type CommandSpec, defineCommand } from "../spec.ts";
import { table } from "../style.ts";
import { renderNextSteps } from "./plan-tasks.ts";
import { BODY_OPTIONS, bodyFrom } from "./planning.ts";

const TITLE_NOTE =
  'A plan titled exactly "status" or "run" is created with: baton plan -- "status".';

function stepsOf(record: PhaseRecord): string {
  const steps = Object.entries(record.steps).map(([name, state]) => `${name}:${state}`);
  return steps.length === 0 ? "-" : steps.join(" ");
}

function phaseTable(phases: PlanStatusResult["phases"]): string {
  return table([
    ["PHASE", "STATE", "STEPS", "ERROR"],
    ...phases.map((p) => [
      p.phase,
      p.state,
      stepsOf(p),
      p.error ? `${p.error.code}: ${p.error.message}` : "-",
    ]),
  ]);
}

export const planStatusCommand = defineCommand<PlanStatusResult>({
  path: ["plan", "status"],
  summary: "where a plan's workflow stands: each phase with its state and sub-steps",
  description: `Reads the plan's workflow.json: the four phases in order (structure, context, conflicts, tasks), each pending, in_progress, completed, skipped or failed, with its sub-steps, start and finish times and the last error. A plan made before the workflow existed shows every phase pending. Changes nothing. --json prints {plan, workflow, notes, current, phases: [{phase, state, started, finished, error, steps}]}. ${TITLE_NOTE}`,
  positionals: [
    { name: "plan-id", required: true, description: "the plan topic, e.g. plan-oauth" },
  ],
  examples: ["baton plan status plan-oauth-rollout", "baton plan status plan-oauth-rollout --json"],
  run: (inv) => {
    const [plan, ...rest] = inv.positionals;
    if (plan === undefined || plan.trim() === "" || rest.length > 0) {
      throw new BatonError("USAGE", "expected one plan id", "baton plan status <plan-id>");
    }
    return planStatus(inv.context(), plan);
  },
  render: (r) =>
    [
      `${r.plan}: ${r.current ? `at phase ${r.current}` : "every phase done"} (${r.workflow})`,
      phaseTable(r.phases),
    ].join("\n"),
});

export const planRunCommand = defineCommand<PlanRunResult>({
  path: ["plan", "run"],
  summary: "run the plan workflow's phases in order; stop where the agent must supply something",
  description: `Phase 1 creates the plan (or finds it) from the goal and optional --body/--file text, exactly as baton plan does; each later phase this build can run by itself follows, and the run stops at the first phase that needs the agent, saying what to supply and the command that continues. Phase 4 always waits for the task list (baton plan tasks <plan-id> --from <file>). Running it again continues where it stopped. --yes (-y) takes the recommended resolution of every conflict in phase 3. Once every phase is done it offers the next steps: verify the plan (recommended), execute (the ready tasks, as baton plan next lists them) and review the status. --json prints {plan, stopped_at, need, next_command, next_steps, ran, phases}. ${TITLE_NOTE}`,
  positionals: [{ name: "goal", required: true, description: "what the plan delivers" }],
  options: [
    ...BODY_OPTIONS,
    {
      name: "yes",
      short: "y",
      type: "boolean",
      description: "take the recommended conflict resolutions without asking",
    },
  ],
  examples: [
    'baton plan run "OAuth rollout" --file requirements.md',
    'baton plan run "OAuth rollout" --yes --json',
    'baton plan run "OAuth rollout" -y',
  ],
  run: (inv) => {
    const [goal, ...rest] = inv.positionals;
    if (goal === undefined || goal.trim() === "") {
      throw new BatonError("USAGE", "plan run needs a goal", 'baton plan run "<goal>"');
    }
    if (rest.length > 0) {
      throw new BatonError(
        "USAGE",
        `expected one goal, got ${inv.positionals.length} words`,
        `quote the goal: baton plan run "${inv.positionals.join(" ")}"`,
      );
    }
    return runPlanWorkflow(inv.context(), {
      goal,
      body: bodyFrom(inv),
      yes: inv.options.yes === true,
    });
  },
  render: (r) =>
    [
      r.stopped_at ? `${r.plan}: stopped at phase ${r.stopped_at}` : `${r.plan}: every phase done`,
      phaseTable(r.phases),
      ...(r.need ? [`Needed: ${r.need}`] : []),
      ...(r.next_steps.length > 0
        ? renderNextSteps(r.next_steps)
        : r.next_command
          ? [`Next: ${r.next_command}`]
          : []),
    ].join("\n"),
});

export const planWorkflowCommands: CommandSpec[] = [planStatusCommand, planRunCommand];
