import type { JournalFacts } from "../core/journal.ts";
import type { PlanningSession } from "../core/session.ts";
import { exists } from "../store/files.ts";
import { readActiveSession, topicDocPath } from "../store/repo.ts";
import { readActiveSpec, readSpecStatus, specContentHash } from "../store/specs.ts";
import type { Workspace } from "../store/workspace.ts";
import { planTaskCount } from "./backlog.ts";
import type { AppContext } from "./context.ts";

export interface StatusReport {
  workspace: string;
  knowledge_dir: string;
  session: PlanningSession | null;
  plan_tasks: number | null;
  /** The active spec and its stage, or null when none is active. */
  spec: JournalFacts["spec"];
  next_steps: string[];
}

/** `baton status`: the active session, its artifacts and what to do next. Reads, never writes. */
export function workspaceStatus(ctx: AppContext): StatusReport {
  const { ws } = ctx;
  const session = readActiveSession(ws);
  const planTaskCount = sessionPlanTasks(ws, session);
  return {
    workspace: ws.root,
    knowledge_dir: ws.config.workflow.knowledgeDir,
    session,
    plan_tasks: planTaskCount,
    spec: activeSpecSummary(ws),
    next_steps: nextSteps(session, planTaskCount),
  };
}

/** How many tasks the session's plan has, or null without a plan document. */
export function sessionPlanTasks(ws: Workspace, session: PlanningSession | null): number | null {
  if (!session?.plan || !exists(ws, topicDocPath(ws, session.plan))) return null;
  return planTaskCount(ws, session.plan);
}

/**
 * The active spec for status, resume and the journal; a broken spec file never breaks them. An
 * approved spec whose documents changed since is shown as back in review, as the next spec
 * command will record it, so no reader is told it may start implementing.
 */
export function activeSpecSummary(ws: Workspace): StatusReport["spec"] {
  try {
    const name = readActiveSpec(ws);
    const stored = name ? readSpecStatus(ws, name) : null;
    if (!stored) return null;
    const changed =
      stored.stage === "approved" &&
      stored.approved_hash !== null &&
      specContentHash(ws, stored) !== stored.approved_hash;
    return {
      name: stored.name,
      stage: changed ? "in_review" : stored.stage,
      last_known_branch: stored.last_known_branch,
      ...(changed ? { changed_since_approval: true } : {}),
    };
  } catch {
    return null;
  }
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
