import type { PlanningSession } from "../../core/planning-session.ts";
import { defineOperation } from "../operation.ts";
import { nextSteps } from "../read/next-steps.ts";
import { planningSessionFacts } from "../read/planning-session.ts";
import { activeSpecSummary, type SpecSummary } from "../read/spec.ts";
import { type SpecWorkFacts, workFacts } from "../read/work.ts";

export interface StatusReport {
  workspace: string;
  knowledge_dir: string;
  session: PlanningSession | null;
  plan_tasks: number | null;
  /** The active spec and its stage, or null when none is active. */
  spec: SpecSummary;
  /** The specs being worked on: their work sessions under way, claims and first ready tasks. */
  work: SpecWorkFacts[];
  next_steps: string[];
}

/** `baton status`: the active session, its artifacts and what to do next. Reads, never writes. */
export const workspaceStatus = defineOperation({
  name: "status",
  summary: "the active planning session, the active spec, work sessions and what to do next",
  examples: ["baton status", "baton status --json"],
  access: "read",
  input: {},
  tool: {
    description:
      "The active planning session, the active spec and stage, work sessions and their claims, and next steps.",
  },
  run(env): StatusReport {
    const { ws } = env.context();
    const { session, plan_tasks } = planningSessionFacts(ws);
    return {
      workspace: ws.root,
      knowledge_dir: ws.config.workflow.knowledgeDir,
      session,
      plan_tasks,
      spec: activeSpecSummary(ws),
      work: workFacts(ws, env.now()),
      next_steps: nextSteps(session, plan_tasks),
    };
  },
});
