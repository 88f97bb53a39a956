import { type AnyOperation, inToolset } from "../operation.ts";
import { createBacklog } from "./backlog.ts";
import { writePlan } from "./plan.ts";
import { createSeed } from "./seed.ts";
import { showActiveSession } from "./seed-active.ts";
import { resumeSessionById } from "./seed-resume.ts";
import { listSessions } from "./seed-sessions.ts";
import { createSpike } from "./spike.ts";
import { listTopics } from "./topic-list.ts";
import { showTopic } from "./topic-show.ts";

/** The planning lifecycle (seed → spike → plan → backlog) and the topics it records. */
export const PLANNING_OPERATIONS: readonly AnyOperation[] = inToolset("planning", [
  createSeed,
  showActiveSession,
  listSessions,
  resumeSessionById,
  createSpike,
  writePlan,
  createBacklog,
  listTopics,
  showTopic,
]);
