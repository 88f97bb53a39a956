import { releaseClaim } from "../../core/work/claims.ts";
import { recordWorkEvent, writeClaim } from "../../store/work.ts";
import type { AppContext } from "../context.ts";
import { defineOperation } from "../operation.ts";
import {
  renewHeld,
  type SessionView,
  saveSession,
  sessionView,
  withHeldEntry,
  withHeldTask,
} from "./common.ts";
import { WORK_SESSION, WORK_TASK, WORK_TOKEN } from "./fields.ts";
import { syncSharedTask } from "./shared.ts";

export interface ReleaseResult {
  session: SessionView;
  task: string;
  token: number;
}

export const workReleaseOperation = defineOperation({
  name: "work release",
  summary: "give a claimed task back to the ready queue",
  description:
    "The claim's file stays with its token, so the next claim of the task gets a higher one. A claim the session no longer holds (taken over after its lease ran out), or a --token that is not the claim's, is LEASE_LOST and changes nothing. A ticket or plan task sharing the task goes back to todo. With --json: {session, task, token}.",
  examples: [
    "baton work release ws-k3x9q2ab --task 1.2",
    "baton work release ws-k3x9q2ab --task 1.2 --token 3",
  ],
  access: "write",
  input: {
    session: WORK_SESSION,
    task: { ...WORK_TASK, required: true },
    token: WORK_TOKEN,
  },
  tool: { description: "Give a claimed task back." },
  run: (env, input) => release(env.context(), input),
});

export function release(
  ctx: AppContext,
  input: { session: string; task: string; token?: number | undefined },
): Promise<ReleaseResult> {
  return withHeldTask(ctx, input, "releasing a task", ({ work, session: before, task, token }) => {
    const claim = work.claims.get(task.id);
    if (claim) {
      const released = releaseClaim(claim, work.now);
      writeClaim(ctx.ws, released);
      work.claims.set(task.id, released);
    }
    const session = renewHeld(
      work,
      withHeldEntry(before, task.id, { state: "released", until: work.now }),
    );
    recordWorkEvent(ctx.ws, work.status.name, "work.released", work.now, {
      session: session.id,
      task: task.id,
      token,
    });
    syncSharedTask(ctx, work.status, task, "todo", work.now);
    saveSession(work, session);
    return {
      session: sessionView(session, work.claims, work.byId, work.nowMs, work.ttlMs),
      task: task.id,
      token,
    };
  });
}
