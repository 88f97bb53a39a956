/**
 * The mechanism every `baton work …` verb shares: a spec's tasks and claims read once, the fence
 * check of a session's claims, renewing its leases, taking a claim (with its event and the
 * tickets and plan tasks that share the task), and moving the spec to implementing when its
 * first session starts. Write verbs call these inside the workspace lock; every check that can
 * refuse comes before the first write, so a refused command changes nothing.
 */
import { cmd } from "../../core/command-ref.ts";
import { leaseTtlMs } from "../../core/config.ts";
import { BatonError } from "../../core/errors.ts";
import {
  assertWorkSessionId,
  assertWorkTaskId,
  idRandom,
  newWorkSessionId,
} from "../../core/ids.ts";
import { assertSpecName, type SpecStatus } from "../../core/spec/status.ts";
import { type Claim, fence, renewClaim, takeClaim } from "../../core/work/claims.ts";
import { type NotReady, notReady, queueContext, type WorkTask } from "../../core/work/ready.ts";
import {
  assertOpen,
  heldTasks,
  type SessionTask,
  type WorkSession,
} from "../../core/work/session.ts";
import { specTasksFile } from "../../store/spec-folders.ts";
import { requireSpecStatus } from "../../store/specs.ts";
import { withWorkspaceLock } from "../../store/transaction.ts";
import {
  readClaims,
  recordWorkEvent,
  requireWorkSession,
  workSessionExists,
  writeClaim,
  writeWorkSession,
} from "../../store/work.ts";
import { readWorkTasks } from "../../store/work-tasks.ts";
import type { AppContext } from "../context.ts";
import { type HeldClaim, type SessionView, sessionView } from "../read/work.ts";
import { applyGate } from "../specs/gate.ts";
import { syncSharedTask } from "./shared.ts";

/** A spec's tasks and the claims on them, read once for a command, at one instant. */
export interface SpecWork {
  ctx: AppContext;
  status: SpecStatus;
  /** The tasks file read, relative to the workspace root; null when the spec has none. */
  tasksFile: string | null;
  tasks: WorkTask[];
  byId: Map<string, WorkTask>;
  claims: Map<string, Claim>;
  now: string;
  nowMs: number;
  ttlMs: number;
}

export function loadSpecWork(ctx: AppContext, spec: string): SpecWork {
  const { ws } = ctx;
  const status = requireSpecStatus(ws, assertSpecName(spec));
  const file = specTasksFile(ws, status);
  const read = file === null ? null : readWorkTasks(ws, status.name, file);
  const tasks = read ?? [];
  const now = ctx.now();
  return {
    ctx,
    status,
    tasksFile: file === null || read === null ? null : ws.rel(file),
    tasks,
    byId: new Map(tasks.map((t) => [t.id, t])),
    claims: readClaims(ws, status.name),
    now: now.toISOString(),
    nowMs: now.getTime(),
    ttlMs: leaseTtlMs(ws.config),
  };
}

/** The task `id` of the spec, or TASK_NOT_FOUND naming where to look. */
export function requireTask(work: SpecWork, id: string): WorkTask {
  assertWorkTaskId(id);
  const task = work.byId.get(id);
  if (task) return task;
  const name = work.status.name;
  throw new BatonError(
    "TASK_NOT_FOUND",
    work.tasksFile === null
      ? `spec ${name} has no tasks file, so no task ${id}`
      : `spec ${name} has no task ${id} (${work.tasksFile})`,
    `see the spec's tasks and which are ready with: ${cmd("work next", { spec: name })}`,
  );
}

/** Why a task cannot be taken now, or null when it can. */
export function whyNotReady(work: SpecWork, task: WorkTask): NotReady | null {
  return notReady(task, queueContext(work.tasks, work.claims, work.nowMs));
}

/** Refuses a task that is not ready, saying why and what to do instead. */
export function assertReady(work: SpecWork, task: WorkTask): void {
  const reason = whyNotReady(work, task);
  if (reason === null) return;
  const name = work.status.name;
  const hint =
    reason.why === "done"
      ? `take a task still to do: ${cmd("work next", { spec: name })}`
      : reason.why === "claimed"
        ? `take another ready task (${cmd("work next", { spec: name })}); this one is free again if ${reason.session} releases it or its lease runs out`
        : reason.why === "waiting"
          ? `finish ${reason.on.join(", ")} first, or take a ready task: ${cmd("work next", { spec: name })}`
          : `wait until task ${reason.task} is done or released, or take a ready task: ${cmd("work next", { spec: name })}`;
  throw new BatonError("STATE_CONFLICT", `${reason.detail}; it cannot be claimed now`, hint);
}

/** Work session `id`, its id checked first. */
export function loadSession(ctx: AppContext, id: string): WorkSession {
  return requireWorkSession(ctx.ws, assertWorkSessionId(id));
}

/** A spec must be implementing for its tasks to be claimed (done is final). */
export function assertImplementing(work: SpecWork): void {
  const { stage, name } = work.status;
  if (stage === "implementing") return;
  throw new BatonError(
    "STATE_CONFLICT",
    `spec ${name} is ${stage}; claiming its tasks needs it implementing`,
    stage === "done"
      ? `${name} is done; start a new spec for more work (${cmd("spec new", { name: "<name>" })})`
      : `start a work session, which starts the spec: ${cmd("work start", { spec: name })}`,
  );
}

/**
 * Checks that the session still holds each of `tasks` (default: every task its record holds)
 * with the token it got, and `given` when a command passes one: LEASE_LOST otherwise.
 */
export function assertHolds(
  work: SpecWork,
  session: WorkSession,
  tasks?: readonly string[],
  given?: number,
): void {
  const held = heldTasks(session);
  const wanted = tasks ?? held.map((t) => t.id);
  for (const id of wanted) {
    const entry = held.find((t) => t.id === id);
    if (!entry) {
      const past = [...session.tasks].reverse().find((t) => t.id === id);
      if (past?.state === "lost") {
        fence(work.claims.get(id) ?? null, work.status.name, id, session.id, past.token, given);
      }
      throw new BatonError(
        "STATE_CONFLICT",
        past
          ? `work session ${session.id} does not hold task ${id} any more (${past.state})`
          : `work session ${session.id} never claimed task ${id}`,
        `see what it holds: ${cmd("work show", { session: session.id })}`,
      );
    }
    fence(work.claims.get(id) ?? null, work.status.name, id, session.id, entry.token, given);
  }
}

/**
 * The session as of a command of its own at `work.now`: seen now, and the leases of the claims
 * it still holds renewed (written here); claims taken over since are marked lost in its record.
 * The record itself is returned for the caller to change further and write.
 */
export function renewHeld(work: SpecWork, session: WorkSession): WorkSession {
  const tasks = session.tasks.map((t): SessionTask => {
    if (t.state !== "held") return t;
    const claim = work.claims.get(t.id);
    if (claim?.state !== "held" || claim.session !== session.id || claim.token !== t.token)
      return { ...t, state: "lost", until: work.now };
    const renewed = renewClaim(claim, work.now, work.ttlMs);
    writeClaim(work.ctx.ws, renewed);
    work.claims.set(t.id, renewed);
    return t;
  });
  return { ...session, tasks, seen: work.now, updated: work.now };
}

/** What a session's command on one task it holds works with, checked (see {@link withHeldTask}). */
export interface HeldTask {
  work: SpecWork;
  /** The session's record as read, before this command changed it. */
  session: WorkSession;
  task: WorkTask;
  /** The claim's fencing token (0 when it has no claim file any more). */
  token: number;
}

/**
 * A locked command of a session on one task it holds (`release`, `done`): the session is open,
 * the task is the spec's, and the session still holds it with its token (LEASE_LOST otherwise),
 * before `act` changes anything.
 */
export function withHeldTask<R>(
  ctx: AppContext,
  input: { session: string; task: string; token?: number | undefined },
  doing: string,
  act: (held: HeldTask) => R,
): Promise<R> {
  return withWorkspaceLock(ctx.ws, () => {
    const session = loadSession(ctx, input.session);
    const work = loadSpecWork(ctx, session.spec);
    const task = requireTask(work, input.task);
    assertOpen(session, doing);
    assertHolds(work, session, [task.id], input.token);
    return act({ work, session, task, token: work.claims.get(task.id)?.token ?? 0 });
  });
}

/** The session with its held entry for task `id` changed, every other entry as it was. */
export function withHeldEntry(
  session: WorkSession,
  id: string,
  change: Partial<SessionTask>,
): WorkSession {
  return {
    ...session,
    tasks: session.tasks.map((t) => (t.id === id && t.state === "held" ? { ...t, ...change } : t)),
  };
}

export interface Taken {
  session: WorkSession;
  claim: Claim;
  takeover: { session: string; token: number; expired: string } | null;
}

/**
 * `session` takes `task` (checked ready by the caller): the claim file, the session's record
 * (returned, not written), the `work.claimed` event, and the ticket and plan task sharing it.
 */
export function takeTask(work: SpecWork, session: WorkSession, task: WorkTask): Taken {
  const { ws } = work.ctx;
  const spec = work.status.name;
  const existing = work.claims.get(task.id) ?? null;
  const { claim, takeover } = takeClaim(existing, spec, task.id, session.id, work.now, work.ttlMs);
  writeClaim(ws, claim);
  work.claims.set(task.id, claim);
  recordWorkEvent(ws, spec, "work.claimed", work.now, {
    session: session.id,
    task: task.id,
    token: claim.token,
    expires: claim.expires,
    ...(takeover ? { takeover } : {}),
  });
  if (takeover) {
    work.ctx.notice(
      `Task ${task.id}: the lease of ${takeover.session} ran out at ${takeover.expired}; taken over with token ${claim.token}`,
    );
  }
  syncSharedTask(work.ctx, work.status, task, "in_progress", work.now);
  const entry: SessionTask = {
    id: task.id,
    token: claim.token,
    state: "held",
    claimed: work.now,
    until: null,
  };
  const next = { ...session, tasks: [...session.tasks, entry], updated: work.now, seen: work.now };
  return { session: next, claim, takeover };
}

/** A session id no spec holds yet. */
export function freshSessionId(work: SpecWork): string {
  for (let i = 0; i < 20; i++) {
    const id = newWorkSessionId(idRandom);
    if (!workSessionExists(work.ctx.ws, work.status.name, id)) return id;
  }
  throw new BatonError(
    "INTERNAL",
    "could not draw a free work session id",
    "run the command again",
  );
}

export interface SpecStart {
  /** The spec moved to implementing with this command. */
  started: boolean;
  /** It did so without approval (`--force`, recorded as force_start). */
  forced: boolean;
  stage: SpecStatus["stage"];
}

/**
 * A work session needs a spec being implemented: an approved spec is started (approved →
 * implementing, recorded in its approval history as `spec start` records it); one not approved
 * only with `force`, recorded as force_start. Anything else is refused before anything changes.
 */
export async function ensureImplementing(
  work: SpecWork,
  force: boolean,
  session: string,
): Promise<SpecStart> {
  const { stage, name } = work.status;
  if (stage === "implementing") return { started: false, forced: false, stage };
  if (stage === "done" || (stage !== "approved" && !force)) {
    throw new BatonError(
      "STATE_CONFLICT",
      `spec ${name} is ${stage}; a work session needs it approved${stage === "done" ? " and not yet done" : ""}`,
      stage === "done"
        ? `${name} is done; start a new spec for more work (${cmd("spec new", { name: "<name>" })})`
        : `get it approved (${cmd("spec submit", { name })}, then a reviewer runs ${cmd("spec approve", { name })}), or start anyway: ${cmd("work start", { spec: name, force: true })} (recorded)`,
    );
  }
  const result = await applyGate(work.ctx, "start", {
    name,
    force,
    comment: `first work session ${session}`,
  });
  work.status = { ...work.status, stage: result.stage };
  return { started: true, forced: result.forced, stage: result.stage };
}

/** Writes the session's record (the caller has made every other change). */
export function saveSession(work: SpecWork, session: WorkSession): void {
  writeWorkSession(work.ctx.ws, session);
}

export { type HeldClaim, type SessionView, sessionView };
