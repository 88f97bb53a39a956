import { assertOpen } from "../../core/work/session.ts";
import { withWorkspaceLock } from "../../store/transaction.ts";
import type { AppContext } from "../context.ts";
import { defineOperation } from "../operation.ts";
import {
  assertHolds,
  loadSession,
  loadSpecWork,
  renewHeld,
  type SessionView,
  saveSession,
  sessionView,
} from "./common.ts";
import { WORK_SESSION } from "./fields.ts";

export interface HeartbeatResult {
  session: SessionView;
  /** The leases renewed, each running to `expires`. */
  renewed: { task: string; token: number; expires: string }[];
}

export const workHeartbeatOperation = defineOperation({
  name: "work heartbeat",
  summary: "renew a work session's leases and mark it alive; not an event",
  description:
    "Run it more often than the lease lasts (work.leaseTtl, default 15m). Every other command of the session renews its leases too. A claim taken over since (its lease ran out first) makes it LEASE_LOST, changing nothing. Heartbeats are no coordination events and leave PLANNING.md alone. With --json: {session, renewed: [{task, token, expires}]}.",
  examples: ["baton work heartbeat ws-k3x9q2ab"],
  access: "write",
  input: { session: WORK_SESSION },
  tool: { description: "Renew a work session's leases." },
  run: (env, input) => heartbeat(env.context(), input.session),
});

export function heartbeat(ctx: AppContext, id: string): Promise<HeartbeatResult> {
  return withWorkspaceLock(ctx.ws, () => {
    const before = loadSession(ctx, id);
    const work = loadSpecWork(ctx, before.spec);
    assertOpen(before, "a heartbeat");
    assertHolds(work, before);
    const session = renewHeld(work, before);
    saveSession(work, session);
    const view = sessionView(session, work.claims, work.byId, work.nowMs, work.ttlMs);
    return {
      session: view,
      renewed: view.claims.map((c) => ({ task: c.task, token: c.token, expires: c.expires ?? "" })),
    };
  });
}
