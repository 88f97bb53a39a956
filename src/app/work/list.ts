import { leaseTtlMs } from "../../core/config.ts";
import { assertSpecName } from "../../core/spec/status.ts";
import { isEnded } from "../../core/work/session.ts";
import { specTasksFile } from "../../store/spec-folders.ts";
import { listSpecNames, readSpecStatus, requireSpecStatus } from "../../store/specs.ts";
import { listWorkSessions, readClaims } from "../../store/work.ts";
import { readWorkTasks } from "../../store/work-tasks.ts";
import type { AppContext } from "../context.ts";
import { defineOperation } from "../operation.ts";
import { type ShownSession, shownSessions } from "../read/work.ts";

export interface WorkListResult {
  /** The spec asked about, or null for every spec. */
  spec: string | null;
  /** Ended sessions are listed too (--all). */
  all: boolean;
  sessions: ShownSession[];
  /** Sessions left out because they ended (shown with --all). */
  ended: number;
}

export const workListOperation = defineOperation({
  name: "work list",
  summary: "the work sessions of a spec (or of every spec): state, liveness, claims, agent",
  description:
    "Progress is the session's tasks and its children's (done 100, one in hand what it reported). Liveness is derived: working (holds claims, seen within the lease), idle, waiting (on a human), stale (not seen for longer than a lease), gone (its recorded process is dead), ended. Ended sessions are left out unless --all. Reads only. With --json: {spec, all, sessions: [{id, spec, name, state, liveness, claims, agent, parent, progress {tasks, done, percent, own}, …}], ended}.",
  examples: ["baton work list", "baton work list user-auth --all --json"],
  access: "read",
  input: {
    spec: {
      type: "string",
      min: 1,
      description: "only this spec's sessions",
      cli: { positional: true, value: "<spec>" },
    },
    all: { type: "boolean", description: "list ended sessions too" },
  },
  tool: { description: "Work sessions with state, liveness and claims.", pageLists: ["sessions"] },
  run: (env, input) => listWork(env.context(), input),
});

export function listWork(
  ctx: AppContext,
  input: { spec?: string | undefined; all?: boolean | undefined },
): WorkListResult {
  const { ws } = ctx;
  const specs =
    input.spec === undefined
      ? listSpecNames(ws)
      : [requireSpecStatus(ws, assertSpecName(input.spec)).name];
  const now = ctx.now().getTime();
  const ttl = leaseTtlMs(ws.config);
  const sessions: ShownSession[] = [];
  let ended = 0;
  for (const spec of specs) {
    const all = listWorkSessions(ws, spec);
    if (all.length === 0) continue;
    const status = readSpecStatus(ws, spec);
    const file = status ? specTasksFile(ws, status) : null;
    const tasks = (file === null ? null : readWorkTasks(ws, spec, file)) ?? [];
    const { shown } = shownSessions(all, readClaims(ws, spec), tasks, now, ttl);
    for (const session of shown) {
      if (!input.all && isEnded(session.state)) {
        ended++;
        continue;
      }
      sessions.push(session);
    }
  }
  return { spec: input.spec ?? null, all: input.all === true, sessions, ended };
}
