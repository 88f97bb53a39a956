import { assertOpen } from "../../core/work/session.ts";
import { withWorkspaceLock } from "../../store/transaction.ts";
import { recordWorkEvent } from "../../store/work.ts";
import type { AppContext } from "../context.ts";
import { defineOperation } from "../operation.ts";
import {
  assertHolds,
  loadSession,
  loadSpecWork,
  renewHeld,
  requireTask,
  type SessionView,
  saveSession,
  sessionView,
  withHeldEntry,
} from "./common.ts";
import { longText, WORK_SESSION, WORK_TASK, WORK_TOKEN } from "./fields.ts";

export interface ProgressResult {
  session: SessionView;
  /** The task reported on, or null for the session itself. */
  task: string | null;
  percent: number;
  note: string | null;
}

export const workProgressOperation = defineOperation({
  name: "work progress",
  summary: "report how far a work session is, on one of its tasks or as a whole",
  description:
    "With --task: how far along the session is with a task it holds (a claim it lost is LEASE_LOST); it counts in the task's, the session's and its parents' progress until the task is done (100). Without: the session's own figure, shown while it holds no task. Recorded as a work.progress event; renews the session's leases. With --json: {session, task, percent, note}.",
  examples: [
    'baton work progress ws-k3x9q2ab --task 1.2 --percent 60 --note "tokens stored, refresh left"',
    "baton work progress ws-k3x9q2ab --percent 30",
  ],
  access: "write",
  input: {
    session: WORK_SESSION,
    task: { ...WORK_TASK, description: "the task it reports on (one it holds)" },
    percent: {
      type: "int",
      min: 0,
      max: 100,
      required: true,
      example: 50,
      description: "how far along, 0 to 100",
      cli: { value: "<n>" },
    },
    note: { type: "string", description: "what is done, what is left", cli: { value: "<text>" } },
    token: WORK_TOKEN,
  },
  tool: { description: "Report a work session's progress on a task or overall." },
  run: (env, input) => reportProgress(env.context(), input),
});

export function reportProgress(
  ctx: AppContext,
  input: {
    session: string;
    task?: string | undefined;
    percent: number;
    note?: string | undefined;
    token?: number | undefined;
  },
): Promise<ProgressResult> {
  const note = longText(input.note, "note", 1000);
  return withWorkspaceLock(ctx.ws, () => {
    const before = loadSession(ctx, input.session);
    const work = loadSpecWork(ctx, before.spec);
    assertOpen(before, "reporting progress");
    const task = input.task === undefined ? null : requireTask(work, input.task);
    if (task) assertHolds(work, before, [task.id], input.token);
    let session = renewHeld(work, before);
    session = task
      ? withHeldEntry(session, task.id, { percent: input.percent, ...(note ? { note } : {}) })
      : { ...session, progress: { percent: input.percent, note, at: work.now } };
    saveSession(work, session);
    recordWorkEvent(ctx.ws, work.status.name, "work.progress", work.now, {
      session: session.id,
      ...(task ? { task: task.id } : {}),
      percent: input.percent,
      ...(note ? { note } : {}),
    });
    return {
      session: sessionView(session, work.claims, work.byId, work.nowMs, work.ttlMs),
      task: task?.id ?? null,
      percent: input.percent,
      note,
    };
  });
}
