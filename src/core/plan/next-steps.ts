/**
 * What to do once phase 4 has written the tasks, as the plan workflow's source design offers it:
 * verify the plan's quality (recommended), start executing the ready tasks, or review the status.
 */

export interface PlanNextStep {
  step: "verify" | "execute" | "status";
  /** The command that takes the step. */
  command: string;
  description: string;
  /** For `execute`: the tasks ready to start, in working order. */
  ready?: string[];
}

export function afterTasksSteps(plan: string, ready: readonly string[]): PlanNextStep[] {
  const shown = ready.slice(0, 5).join(", ");
  const more = ready.length > 5 ? ` and ${ready.length - 5} more` : "";
  return [
    {
      step: "verify",
      command: `baton plan verify ${plan}`,
      description: "check the task graph before starting (recommended)",
    },
    {
      step: "execute",
      command: `baton plan next ${plan}`,
      description:
        ready.length === 0
          ? "no task is ready to start yet"
          : `start the ready tasks: ${shown}${more} (mark one with baton plan task ${plan} ${ready[0]} --status in_progress)`,
      ready: [...ready],
    },
    {
      step: "status",
      command: `baton plan status ${plan}`,
      description: "review the phases and the task breakdown",
    },
  ];
}
