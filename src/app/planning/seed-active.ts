import type { PlanningSession } from "../../core/planning-session.ts";
import { defineOperation } from "../operation.ts";
import { activePlanningSession } from "./planning-session.ts";

export interface ActivePlanningSessionView {
  session: PlanningSession | null;
}

/** `baton seed --active`: the active planning session, or none. */
export const showActivePlanningSession = defineOperation({
  name: "seed --active",
  summary: "print the active session, or none",
  examples: ["baton seed --active"],
  access: "read",
  input: {},
  cli: { path: ["seed"], mode: "active", tag: { action: "active" } },
  tool: false,
  withoutTool: "session_list and status answer with the active session",
  run(env): ActivePlanningSessionView {
    return { session: activePlanningSession(env.context()) };
  },
});
