import { cmd, prose } from "./command-ref.ts";
import { BatonError, corruptFile } from "./errors.ts";
import { isPlanningSessionId, isTicketId, isTopicId, topicTypeOf } from "./ids.ts";
import { SCHEMA_VERSION } from "./schema.ts";

export type PlanningSessionState = "active" | "archived" | "completed";

export interface PlanningSessionBacklog {
  topic: string;
  backlog_md: string;
  tickets: string[];
}

/** A planning session, schema v1: the active pointer and every snapshot share this shape. */
export interface PlanningSession {
  schema_version: number;
  session_id: string;
  state: PlanningSessionState;
  root_seed: string;
  spikes: string[];
  plan: string | null;
  backlog: PlanningSessionBacklog | null;
  created: string;
  updated: string;
  completed_at: string | null;
}

export function newPlanningSession(
  sessionId: string,
  rootSeed: string,
  now: string,
): PlanningSession {
  return {
    schema_version: SCHEMA_VERSION,
    session_id: sessionId,
    state: "active",
    root_seed: rootSeed,
    spikes: [],
    plan: null,
    backlog: null,
    created: now,
    updated: now,
    completed_at: null,
  };
}

/** Attaches a spike once; returns the same object when it was already attached. */
export function attachSpike(
  session: PlanningSession,
  spikeId: string,
  now: string,
): PlanningSession {
  if (session.spikes.includes(spikeId)) return session;
  return { ...session, spikes: [...session.spikes, spikeId], updated: now };
}

/** One current plan per session: a new plan replaces the previous one. */
export function attachPlan(session: PlanningSession, planId: string, now: string): PlanningSession {
  if (session.plan === planId) return session;
  return { ...session, plan: planId, updated: now };
}

export function archivePlanningSession(session: PlanningSession, now: string): PlanningSession {
  return { ...session, state: "archived", updated: now };
}

export function resumePlanningSession(session: PlanningSession, now: string): PlanningSession {
  if (session.state === "completed") {
    throw new BatonError(
      "STATE_CONFLICT",
      `session ${session.session_id} is completed and cannot be resumed`,
      `start a new session for its seed: ${cmd("seed --resume")} is for archived sessions; run ${cmd("seed", { title: prose("title") })} to begin again`,
    );
  }
  return { ...session, state: "active", updated: now };
}

export function completePlanningSession(
  session: PlanningSession,
  backlog: PlanningSessionBacklog,
  now: string,
): PlanningSession {
  return { ...session, state: "completed", backlog, updated: now, completed_at: now };
}

const STATES: readonly PlanningSessionState[] = ["active", "archived", "completed"];

/** Validates a parsed session file; findings name the first bad field. */
export function parsePlanningSession(data: Record<string, unknown>, file: string): PlanningSession {
  const bad = (field: string): never => {
    throw corruptFile(
      file,
      `field ${field} is missing or malformed`,
      `restore it from git (git checkout -- ${file}) or fix the field by hand; Baton left it untouched`,
    );
  };
  const str = (key: string): string =>
    typeof data[key] === "string" ? (data[key] as string) : bad(key);
  const strOrNull = (key: string): string | null =>
    data[key] === null || data[key] === undefined ? null : str(key);
  const strList = (key: string): string[] => {
    const value = data[key] ?? [];
    if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) bad(key);
    return value as string[];
  };
  const state = str("state") as PlanningSessionState;
  if (!STATES.includes(state)) bad("state");
  let backlog: PlanningSessionBacklog | null = null;
  const rawBacklog = data.backlog;
  if (rawBacklog !== null && rawBacklog !== undefined) {
    if (typeof rawBacklog !== "object") bad("backlog");
    const b = rawBacklog as Record<string, unknown>;
    if (
      typeof b.topic !== "string" ||
      typeof b.backlog_md !== "string" ||
      !Array.isArray(b.tickets)
    ) {
      bad("backlog");
    }
    backlog = {
      topic: b.topic as string,
      backlog_md: b.backlog_md as string,
      tickets: b.tickets as string[],
    };
  }
  // Ids from a file become paths later (snapshots, topic folders): a hand-edited or hostile
  // value such as "../x" is reported here, before anything is built from it.
  const ofType = (id: string, type: string): boolean => isTopicId(id) && topicTypeOf(id) === type;
  const sessionId = str("session_id");
  if (!isPlanningSessionId(sessionId)) bad("session_id");
  const rootSeed = str("root_seed");
  if (!ofType(rootSeed, "seed")) bad("root_seed");
  const spikes = strList("spikes");
  if (spikes.some((id) => !ofType(id, "spike"))) bad("spikes");
  const plan = strOrNull("plan");
  if (plan !== null && !ofType(plan, "plan")) bad("plan");
  if (backlog && (!isTopicId(backlog.topic) || backlog.tickets.some((t) => !isTicketId(t)))) {
    bad("backlog");
  }
  return {
    schema_version: data.schema_version as number,
    session_id: sessionId,
    state,
    root_seed: rootSeed,
    spikes,
    plan,
    backlog,
    created: str("created"),
    updated: str("updated"),
    completed_at: strOrNull("completed_at"),
  };
}
