/**
 * The read model of work sessions: how a session is shown wherever it is shown (its claims and
 * their leases, its liveness, the agent mapping), and the facts `status` and `resume` give about
 * the specs being worked on: the sessions under way, what they hold, the tasks ready next.
 */
import { leaseTtlMs } from "../../core/config.ts";
import { type Claim, isLive } from "../../core/work/claims.ts";
import { isLiveSession, type Liveness, livenessOf } from "../../core/work/liveness.ts";
import { type SessionProgress, type WorkProgress, workProgress } from "../../core/work/progress.ts";
import { readyQueue, type WorkTask } from "../../core/work/ready.ts";
import { heldTasks, isEnded, type WorkSession } from "../../core/work/session.ts";
import { specTasksFile } from "../../store/spec-folders.ts";
import { listSpecNames, readSpecStatus } from "../../store/specs.ts";
import { hasWorkSessions, listWorkSessions, processAlive, readClaims } from "../../store/work.ts";
import { readWorkTasks } from "../../store/work-tasks.ts";
import type { Workspace } from "../../store/workspace.ts";

/** A claim a session holds, as shown. */
export interface HeldClaim {
  task: string;
  title: string | null;
  token: number;
  expires: string | null;
  /** live: the lease runs; expired: it ran out and nobody took it over yet; lost: taken over. */
  lease: "live" | "expired" | "lost";
  /** Who holds it now, when the session lost it. */
  holder: string | null;
}

/** How a session is shown wherever it is shown (list, show, status, resume, claim results). */
export interface SessionView {
  id: string;
  spec: string;
  name: string | null;
  description: string | null;
  parent: string | null;
  agent: WorkSession["agent"];
  state: WorkSession["state"];
  reason: string | null;
  liveness: Liveness;
  forced: boolean;
  claims: HeldClaim[];
  /** Tasks it finished. */
  done: string[];
  created: string;
  seen: string;
  ended: string | null;
}

export function sessionView(
  session: WorkSession,
  claims: ReadonlyMap<string, Claim>,
  tasks: ReadonlyMap<string, WorkTask>,
  nowMs: number,
  ttlMs: number,
): SessionView {
  return {
    id: session.id,
    spec: session.spec,
    name: session.name,
    description: session.description,
    parent: session.parent,
    agent: session.agent,
    state: session.state,
    reason: session.reason,
    liveness: livenessOf(session, { nowMs, ttlMs, processAlive: processAlive(session.process) }),
    forced: session.forced,
    claims: heldTasks(session).map((t) => {
      const claim = claims.get(t.id);
      const ours =
        claim?.state === "held" && claim.session === session.id && claim.token === t.token;
      return {
        task: t.id,
        title: tasks.get(t.id)?.title ?? null,
        token: t.token,
        expires: ours ? (claim?.expires ?? null) : null,
        lease: !ours ? "lost" : isLive(claim as Claim, nowMs) ? "live" : "expired",
        holder: ours ? session.id : (claim?.session ?? null),
      };
    }),
    done: session.tasks.filter((t) => t.state === "done").map((t) => t.id),
    created: session.created,
    seen: session.seen,
    ended: session.ended,
  };
}

/** A session as list, show and tree show it: with its progress (its tasks and its children's). */
export interface ShownSession extends SessionView {
  progress: SessionProgress;
}

export const NO_PROGRESS: SessionProgress = {
  tasks: 0,
  done: 0,
  percent: 0,
  own: { tasks: 0, done: 0, percent: 0 },
};

/** Each session shown with its progress, computed once for all of them. */
export function shownSessions(
  sessions: readonly WorkSession[],
  claims: ReadonlyMap<string, Claim>,
  tasks: readonly WorkTask[],
  nowMs: number,
  ttlMs: number,
): { shown: ShownSession[]; progress: WorkProgress } {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const progress = workProgress(tasks, sessions, claims);
  const shown = sessions.map((s) => ({
    ...sessionView(s, claims, byId, nowMs, ttlMs),
    progress: progress.sessions.get(s.id) ?? NO_PROGRESS,
  }));
  return { shown, progress };
}

/** One spec being worked on, briefly. */
export interface SpecWorkFacts {
  spec: string;
  stage: string;
  /** Sessions not ended, oldest first. */
  sessions: {
    id: string;
    name: string | null;
    liveness: Liveness;
    claims: string[];
    /** Its progress: its tasks and its children's (core/work/progress.ts). */
    percent: number;
  }[];
  /** Sessions under way and heard from (working, idle, waiting). */
  live: number;
  ended: number;
  /** The first tasks of the ready queue. */
  ready: { id: string; title: string }[];
  ready_count: number;
}

/** How many ready tasks the facts name; `baton work next` lists them all. */
const READY_SHOWN = 5;

/**
 * Every spec with work sessions that is not finished (a session not ended, or the spec not
 * done). A broken file in one spec leaves that spec out: status and resume must still answer.
 */
export function workFacts(ws: Workspace, now: Date): SpecWorkFacts[] {
  const out: SpecWorkFacts[] = [];
  const nowMs = now.getTime();
  const ttl = leaseTtlMs(ws.config);
  for (const name of listSpecNames(ws)) {
    try {
      if (!hasWorkSessions(ws, name)) continue;
      const status = readSpecStatus(ws, name);
      if (!status) continue;
      const sessions = listWorkSessions(ws, name);
      const open = sessions.filter((s) => !isEnded(s.state));
      if (open.length === 0 && status.stage === "done") continue;
      const claims = readClaims(ws, name);
      const file = specTasksFile(ws, status);
      const tasks = (file === null ? null : readWorkTasks(ws, name, file)) ?? [];
      const queue = readyQueue(tasks, claims, nowMs);
      const progress = workProgress(tasks, sessions, claims);
      const shown = open.map((s) => sessionView(s, claims, new Map(), nowMs, ttl));
      out.push({
        spec: name,
        stage: status.stage,
        sessions: shown.map((s) => ({
          id: s.id,
          name: s.name,
          liveness: s.liveness,
          claims: s.claims
            .filter((c) => c.lease !== "lost")
            .map((c) => (c.lease === "expired" ? `${c.task} (lease expired)` : c.task)),
          percent: progress.sessions.get(s.id)?.percent ?? 0,
        })),
        live: shown.filter((s) => isLiveSession(s.liveness)).length,
        ended: sessions.length - open.length,
        ready: queue.ready.slice(0, READY_SHOWN).map((t) => ({ id: t.id, title: t.title })),
        ready_count: queue.ready.length,
      });
    } catch {
      // A broken work file is reported by the work commands, not by the readers of these facts.
    }
  }
  return out;
}

/**
 * The active spec's work in two numbers, for the journal after every change: tasks held by live
 * leases and tasks ready. Read from the claims and the tasks (cached), never the session files,
 * so the journal costs the same however many sessions there are. Null when it cannot be read.
 */
export function activeSpecWork(
  ws: Workspace,
  name: string,
  now: Date,
): { spec: string; claimed: number; ready: number } | null {
  try {
    const status = readSpecStatus(ws, name);
    const file = status ? specTasksFile(ws, status) : null;
    if (!status || file === null) return null;
    const claims = readClaims(ws, name);
    if (claims.size === 0 && !hasWorkSessions(ws, name)) return null;
    const nowMs = now.getTime();
    const tasks = readWorkTasks(ws, name, file) ?? [];
    const claimed = [...claims.values()].filter((c) => isLive(c, nowMs)).length;
    return { spec: name, claimed, ready: readyQueue(tasks, claims, nowMs).ready.length };
  } catch {
    return null;
  }
}
