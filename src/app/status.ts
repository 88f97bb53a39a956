import fs from "node:fs";
import type { PlanningSession } from "../core/session.ts";
import { readActiveSession, topicDocPath } from "../store/repo.ts";
import { planTasks } from "./backlog.ts";
import type { AppContext } from "./context.ts";

export interface StatusReport {
  workspace: string;
  knowledge_dir: string;
  session: PlanningSession | null;
  plan_tasks: number | null;
  next_steps: string[];
}

/** `baton status`: the active session, its artifacts and what to do next. Reads, never writes. */
export function workspaceStatus(ctx: AppContext): StatusReport {
  const { ws } = ctx;
  const session = readActiveSession(ws);
  let planTaskCount: number | null = null;
  if (session?.plan && fs.existsSync(topicDocPath(ws, session.plan))) {
    planTaskCount = planTasks(ws, session.plan).length;
  }
  return {
    workspace: ws.root,
    knowledge_dir: ws.config.workflow.knowledgeDir,
    session,
    plan_tasks: planTaskCount,
    next_steps: nextSteps(session, planTaskCount),
  };
}

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
