import type { TaskPercent } from "../../core/work/progress.ts";
import type { WorkSession } from "../../core/work/session.ts";
import { listWorkSessions, workSessionFile } from "../../store/work.ts";
import type { AppContext } from "../context.ts";
import { defineOperation } from "../operation.ts";
import { type ShownSession, shownSessions } from "../read/work.ts";
import { loadSession, loadSpecWork } from "./common.ts";
import { WORK_SESSION } from "./fields.ts";

export interface WorkShowResult extends ShownSession {
  /** Each task it holds or finished, with its progress. */
  task_progress: TaskPercent[];
  /** What it waits for while blocked. */
  blocked_on: WorkSession["blocked_on"];
  /** How it ended. */
  summary: string | null;
  /** Messages to it (and to its spec), oldest first: the latest 100. */
  inbox: WorkSession["inbox"];
  /** The sessions it spawned. */
  children: string[];
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
  summary: "one work session: state, liveness, agent mapping, claims, inbox, children",
  description:
    "A claim shows its lease: live, expired (nobody took it over yet: a heartbeat renews it) or lost (taken over; commands on it get LEASE_LOST). The inbox holds the messages sent to the session or its spec (the latest 100; the timeline has them all). Progress: its tasks and its children's (done 100, one in hand what its holder reported), each task's in task_progress. Reads only. With --json: the session with progress, task_progress, blocked_on, summary, inbox, children, process, tasks (every claim it took: id, token, state held|released|done|lost), file.",
  examples: ["baton work show ws-k3x9q2ab", "baton work show ws-k3x9q2ab --json"],
  access: "read",
  input: { session: WORK_SESSION },
  tool: { description: "One work session: claims, leases, inbox.", cut: ["inbox"] },
  run: (env, input) => showWork(env.context(), input.session),
});

export function showWork(ctx: AppContext, id: string): WorkShowResult {
  const session = loadSession(ctx, id);
  const work = loadSpecWork(ctx, session.spec);
  const all = listWorkSessions(ctx.ws, session.spec);
  const { shown, progress } = shownSessions(all, work.claims, work.tasks, work.nowMs, work.ttlMs);
  const me = shown.find((s) => s.id === session.id) as ShownSession;
  const mine = session.tasks.filter((t) => t.state === "held" || t.state === "done");
  return {
    ...me,
    task_progress: mine.flatMap((t) => {
      const p = progress.tasks.get(t.id);
      return p ? [p] : [];
    }),
    blocked_on: session.blocked_on,
    summary: session.summary,
    inbox: session.inbox,
    children: all.filter((s) => s.parent === session.id).map((s) => s.id),
    process: session.process,
    tasks: session.tasks,
    updated: session.updated,
    file: ctx.ws.rel(workSessionFile(ctx.ws, session.spec, session.id)),
  };
}
