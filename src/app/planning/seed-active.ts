import type { PlanningSession } from "../../core/session.ts";
import { defineOperation } from "../operation.ts";
import { activeSession } from "./sessions.ts";

export interface ActiveSessionView {
  session: PlanningSession | null;
}

/** `baton seed --active`: the active planning session, or none. */
export const showActiveSession = defineOperation({
  name: "seed --active",
  summary: "print the active session, or none",
  examples: ["baton seed --active"],
  access: "read",
  input: {},
  cli: { path: ["seed"], mode: "active", tag: { action: "active" } },
  tool: false,
  withoutTool: "session_list and status answer with the active session",
  run(env): ActiveSessionView {
    return { session: activeSession(env.context()) };
  },
});
