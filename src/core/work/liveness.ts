/**
 * Whether a work session is alive, derived at read time and never stored as truth: from its
 * state, when it was last seen (any command of it, heartbeats included), the lease length and,
 * when it recorded a local process, whether that process still runs.
 */
import { heldTasks, isEnded, type WorkSession } from "./session.ts";

/**
 * working: holds claims, seen within the lease; idle: seen within the lease, holding nothing
 * (or blocked); waiting: on a human; stale: not seen for longer than a lease; gone: its recorded
 * local process is dead; ended: done, failed or cancelled.
 */
export const LIVENESS = ["working", "idle", "waiting", "stale", "gone", "ended"] as const;
export type Liveness = (typeof LIVENESS)[number];

export interface LivenessInput {
  nowMs: number;
  ttlMs: number;
  /** Whether the recorded process runs: null when none is recorded or it cannot be told here. */
  processAlive: boolean | null;
}

export function livenessOf(session: WorkSession, input: LivenessInput): Liveness {
  if (isEnded(session.state)) return "ended";
  if (input.processAlive === false) return "gone";
  if (input.nowMs - Date.parse(session.seen) > input.ttlMs) return "stale";
  if (session.state === "waiting") return "waiting";
  if (session.state === "active" && heldTasks(session).length > 0) return "working";
  return "idle";
}

/** Live: under way and heard from (working, idle or waiting), so a spec is not finished yet. */
export function isLiveSession(liveness: Liveness): boolean {
  return liveness === "working" || liveness === "idle" || liveness === "waiting";
}
