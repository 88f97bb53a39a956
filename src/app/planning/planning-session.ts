import { archivePlanningSession, type PlanningSession } from "../../core/planning-session.ts";
import { recordEvent } from "../../store/events.ts";
import {
  readActivePlanningSession,
  readPlanningSnapshot,
  writePlanningSnapshot,
} from "../../store/repo.ts";
import type { AppContext } from "../context.ts";

/**
 * Reads the snapshot an archive or completion is about to replace: a corrupt one or one from a
 * newer Baton is reported (CORRUPT_FILE / SCHEMA_TOO_NEW) rather than silently overwritten.
 * Callers run it before their first write so a refusal changes nothing.
 */
export function assertPlanningSnapshotWritable(ctx: AppContext, sessionId: string): void {
  readPlanningSnapshot(ctx.ws, sessionId);
}

/** Archives the active session to its snapshot; returns its id. */
export function archiveActive(ctx: AppContext, active: PlanningSession, now: string): string {
  writePlanningSnapshot(ctx.ws, archivePlanningSession(active, now));
  recordEvent(ctx.ws, "session.archived", now, { session: active.session_id });
  return active.session_id;
}

export function activePlanningSession(ctx: AppContext): PlanningSession | null {
  return readActivePlanningSession(ctx.ws);
}

export interface PlanningSessionSummary {
  session_id: string;
  state: string;
  root_seed: string;
  spikes: number;
  plan: string | null;
  tickets: number;
  created: string;
  updated: string;
  completed_at: string | null;
}

export function summarizePlanningSession(session: PlanningSession): PlanningSessionSummary {
  return {
    session_id: session.session_id,
    state: session.state,
    root_seed: session.root_seed,
    spikes: session.spikes.length,
    plan: session.plan,
    tickets: session.backlog?.tickets.length ?? 0,
    created: session.created,
    updated: session.updated,
    completed_at: session.completed_at,
  };
}
