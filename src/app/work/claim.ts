import { cmd } from "../../core/command-ref.ts";
import { BatonError } from "../../core/errors.ts";
import { assertSpecName } from "../../core/spec/status.ts";
import { filesOverlap, type ReadyQueue, readyQueue, type WorkTask } from "../../core/work/ready.ts";
import { assertOpen, newWorkSession, type WorkSession } from "../../core/work/session.ts";
import { withWorkspaceLock } from "../../store/transaction.ts";
import { recordWorkEvent } from "../../store/work.ts";
import type { AppContext } from "../context.ts";
import { defineOperation } from "../operation.ts";
import {
  assertImplementing,
  assertReady,
  ensureImplementing,
  freshSessionId,
  loadSession,
  loadSpecWork,
  renewHeld,
  requireTask,
  type SessionView,
  type SpecWork,
  saveSession,
  sessionView,
  takeTask,
} from "./common.ts";
import { WORK_SPEC, WORK_TASK } from "./fields.ts";
import type { ClaimedTask } from "./start.ts";

export interface ClaimResult {
  spec: string;
  session: SessionView;
  /** True when the claim started a new session (no --session given). */
  started: boolean;
  claimed: ClaimedTask;
  /** Tasks still ready after this claim. */
  ready: number;
}

export const workClaimOperation = defineOperation({
  name: "work claim",
  summary: "take the next ready task of a spec for a work session, atomically",
  description:
    "One locked compare-and-set: the first task of the ready queue (baton work next), or --task, becomes the session's, with a lease (work.leaseTtl in config, default 15m) and a fencing token. A claim whose lease ran out is taken over, with the next token, and recorded. Without --session a new session is started for the task (on an approved spec, that starts the spec). No ready task is NO_TASKS. The session's other leases are renewed. With --json: {spec, session, started, claimed: {task, title, token, expires, takeover}, ready}.",
  examples: [
    "baton work claim user-auth --session ws-k3x9q2ab",
    "baton work claim user-auth --session ws-k3x9q2ab --task 2.1",
    "baton work claim user-auth --json",
  ],
  access: "write",
  input: {
    spec: WORK_SPEC,
    session: {
      type: "string",
      description: "the work session taking it (default: a new session)",
      apiDescription: "work session id (default: a new session)",
      cli: { value: "<ws>" },
    },
    task: { ...WORK_TASK, description: "take this task rather than the next ready one" },
  },
  tool: { description: "Take the next ready task of a spec for a work session." },
  run: (env, input) => claimTask(env.context(), input),
});

/** `baton work claim <spec> [--session <ws>] [--task <id>]`. */
export function claimTask(
  ctx: AppContext,
  input: { spec: string; session?: string | undefined; task?: string | undefined },
): Promise<ClaimResult> {
  const spec = assertSpecName(input.spec);
  return withWorkspaceLock(ctx.ws, async () => {
    const work = loadSpecWork(ctx, spec);
    let session: WorkSession | null = null;
    if (input.session !== undefined) {
      session = loadSession(ctx, input.session);
      if (session.spec !== spec) {
        throw new BatonError(
          "STATE_CONFLICT",
          `work session ${session.id} works on spec ${session.spec}, not ${spec}`,
          `claim for it on its own spec: ${cmd("work claim", { spec: session.spec, session: session.id })}`,
        );
      }
      assertOpen(session, "claiming a task");
      assertImplementing(work);
    }
    const queue = readyQueue(work.tasks, work.claims, work.nowMs);
    let task: WorkTask;
    if (input.task === undefined) task = firstReady(work, queue);
    else {
      task = requireTask(work, input.task);
      assertReady(work, task);
    }
    let started = false;
    if (session === null) {
      const id = freshSessionId(work);
      await ensureImplementing(work, false, id);
      session = newWorkSession({ id, spec, now: work.now });
      recordWorkEvent(ctx.ws, spec, "work.started", work.now, {
        session: id,
        agent: session.agent,
        tasks: [task.id],
      });
      started = true;
    } else session = renewHeld(work, session);
    const taken = takeTask(work, session, task);
    saveSession(work, taken.session);
    return {
      spec,
      session: sessionView(taken.session, work.claims, work.byId, work.nowMs, work.ttlMs),
      started,
      claimed: {
        task: task.id,
        title: task.title,
        token: taken.claim.token,
        expires: taken.claim.expires,
        takeover: taken.takeover,
      },
      ready: stillReady(queue, task),
    };
  });
}

/** The ready tasks left once `taken` is claimed: less it and those sharing its files. */
function stillReady(queue: ReadyQueue, taken: WorkTask): number {
  return queue.ready.filter(
    (t) => t.id !== taken.id && !t.files.some((f) => taken.files.some((g) => filesOverlap(f, g))),
  ).length;
}

function firstReady(work: SpecWork, queue: ReadyQueue): WorkTask {
  const first = queue.ready[0];
  if (first) return first;
  const counts = new Map<string, number>();
  for (const h of queue.held) counts.set(h.reason.why, (counts.get(h.reason.why) ?? 0) + 1);
  const parts = [
    `${counts.get("claimed") ?? 0} claimed`,
    `${counts.get("waiting") ?? 0} waiting for other tasks`,
    ...(counts.get("files") ? [`${counts.get("files")} sharing files with claimed tasks`] : []),
    `${queue.done} done of ${work.tasks.length}`,
  ];
  const name = work.status.name;
  throw new BatonError(
    "NO_TASKS",
    work.tasks.length === 0
      ? `spec ${name} has no tasks${work.tasksFile === null ? " file" : ""} to claim`
      : `no task of spec ${name} is ready: ${parts.join(", ")}`,
    work.tasks.length === 0
      ? `write the spec's tasks (tasks.md) first`
      : `see why each waits with: ${cmd("work next", { spec: name })}`,
  );
}
