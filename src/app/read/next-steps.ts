import type { PlanningSession } from "../../core/planning-session.ts";

/** What to do next, from where the planning session stands (and the open tickets without one). */
export function nextSteps(
  session: PlanningSession | null,
  planTaskCount: number | null,
  openTickets = 0,
): string[] {
  if (!session) {
    const work =
      openTickets > 0
        ? [
            `Work the ${openTickets} open tickets: baton ticket list --status todo, then baton ticket set-status <id> in_progress`,
          ]
        : [];
    return [
      ...work,
      'Start a planning session from an idea: baton seed "<title>"',
      "Or resume an archived one: baton seed --sessions, then baton seed --resume <id>",
    ];
  }
  const steps: string[] = [];
  if (session.spikes.length === 0 && !session.plan) {
    steps.push('Research open questions: baton spike "<title>"');
  }
  if (!session.plan) {
    steps.push('Write the plan: baton plan "<title>"');
    return steps;
  }
  if (!planTaskCount) {
    steps.push(`Add "- [ ] <task>" lines to the plan ${session.plan}`);
    return steps;
  }
  steps.push(`Turn the plan's ${planTaskCount} tasks into tickets: baton backlog`);
  return steps;
}
