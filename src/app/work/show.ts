import type { WorkSession } from "../../core/work/session.ts";
import { workSessionFile } from "../../store/work.ts";
import type { AppContext } from "../context.ts";
import { defineOperation } from "../operation.ts";
import { loadSession, loadSpecWork, type SessionView, sessionView } from "./common.ts";
import { WORK_SESSION } from "./fields.ts";

export interface WorkShowResult extends SessionView {
  /** The agent's local process, when recorded. */
  process: WorkSession["process"];
  /** Every task it claimed and what became of each claim. */
  tasks: WorkSession["tasks"];
  updated: string;
  /** The record's file, relative to the workspace root. */
  file: string;
}

export const workShowOperation = defineOperation({
  name: "work show",
  summary: "one work session: state, liveness, agent mapping, claims and their leases",
  description:
    "A claim shows its lease: live, expired (nobody took it over yet: a heartbeat renews it) or lost (taken over; commands on it get LEASE_LOST). Reads only. With --json: the session with process, tasks (every claim it took: id, token, state held|released|done|lost), file.",
  examples: ["baton work show ws-k3x9q2ab", "baton work show ws-k3x9q2ab --json"],
  access: "read",
  input: { session: WORK_SESSION },
  tool: { description: "One work session with its claims and leases." },
  run: (env, input) => showWork(env.context(), input.session),
});

export function showWork(ctx: AppContext, id: string): WorkShowResult {
  const session = loadSession(ctx, id);
  const work = loadSpecWork(ctx, session.spec);
  return {
    ...sessionView(session, work.claims, work.byId, work.nowMs, work.ttlMs),
    process: session.process,
    tasks: session.tasks,
    updated: session.updated,
    file: ctx.ws.rel(workSessionFile(ctx.ws, session.spec, session.id)),
  };
}
