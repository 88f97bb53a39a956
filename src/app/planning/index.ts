import { type AnyOperation, inToolset } from "../operation.ts";
import { createBacklog } from "./backlog.ts";
import { writePlan } from "./plan.ts";
import { createSeed } from "./seed.ts";
import { showActivePlanningSession } from "./seed-active.ts";
import { resumePlanningSessionById } from "./seed-resume.ts";
import { listPlanningSessions } from "./seed-sessions.ts";
import { createSpike } from "./spike.ts";
import { listTopics } from "./topic-list.ts";
import { showTopic } from "./topic-show.ts";

/** The planning lifecycle (seed → spike → plan → backlog) and the topics it records. */
export const PLANNING_OPERATIONS: readonly AnyOperation[] = inToolset("planning", [
  createSeed,
  showActivePlanningSession,
  listPlanningSessions,
  resumePlanningSessionById,
  createSpike,
  writePlan,
  createBacklog,
  listTopics,
  showTopic,
]);
