import { assertTopicId } from "../../core/ids.ts";
import {
  listPlanningSnapshotIds,
  readActivePlanningSession,
  readPlanningSnapshot,
} from "../../store/repo.ts";
import { defineOperation } from "../operation.ts";
import { type PlanningSessionSummary, summarizePlanningSession } from "./planning-session.ts";

export interface PlanningSessionList {
  sessions: PlanningSessionSummary[];
}

/**
 * `baton seed --sessions [seed-id]`: archived and completed snapshots, oldest first. A resumed
 * session keeps its archived snapshot on disk (snapshots only grow) but is active, so it is
 * left out here; `baton seed --active` shows it.
 */
export const listPlanningSessions = defineOperation({
  name: "seed --sessions",
  summary: "list archived and completed sessions (optionally of one seed)",
  examples: ["baton seed --sessions seed-oauth-login"],
  access: "read",
  input: {
    seed_id: {
      type: "string",
      min: 1,
      description: "seed id, e.g. seed-oauth-login",
      cli: { positional: true },
    },
  },
  cli: { path: ["seed"], mode: "sessions", tag: { action: "sessions" } },
  tool: {
    name: "session_list",
    description:
      "The active planning session, then the archived or completed ones (paged, oldest first); optionally of one seed.",
    cut: ["sessions"],
  },
  run(env, input): PlanningSessionList {
    const { ws } = env.context();
    const seedId = input.seed_id;
    if (seedId !== undefined) assertTopicId(seedId, "seed");
    const activeId = readActivePlanningSession(ws)?.session_id;
    const sessions = listPlanningSnapshotIds(ws, seedId).flatMap((id) => {
      if (id === activeId) return [];
      const snapshot = readPlanningSnapshot(ws, id);
      return snapshot ? [summarizePlanningSession(snapshot)] : [];
    });
    return { sessions };
  },
});
