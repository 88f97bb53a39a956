import { assertSpecName } from "../../core/spec/status.ts";
import type { TaskProgress } from "../../core/spec/task-progress.ts";
import { isLiveSession } from "../../core/work/liveness.ts";
import type { WorkSession } from "../../core/work/session.ts";
import { listWorkSessions } from "../../store/work.ts";
import type { AppContext } from "../context.ts";
import { defineOperation } from "../operation.ts";
import { type ShownSession, shownSessions } from "../read/work.ts";
import { loadSpecWork } from "./common.ts";
import { WORK_SPEC } from "./fields.ts";

/** One session in the tree: its view, where it sits, and how many sessions are under it. */
export interface TreeRow extends ShownSession {
  /** 0 for a session no other spawned (or whose parent is not of this spec), then 1, 2, … */
  depth: number;
  /** Sessions below it, at any depth. */
  descendants: number;
}

export interface TreeResult {
  spec: string;
  stage: string;
  /** The spec's progress: its tasks.md, as spec status counts it. */
  progress: TaskProgress;
  /** Every session, parents before their children, siblings oldest first. */
  sessions: TreeRow[];
  live: number;
}

export const workTreeOperation = defineOperation({
  name: "work tree",
  summary: "a spec's work sessions as the hierarchy they spawned: state, tasks, liveness",
  description:
    "Parents before their children (work spawn, work start --parent), siblings oldest first; ended sessions too. Each session shows its state, liveness, the tasks it holds and has done, and its progress: its tasks and its children's, so a parent's rises as its children finish. Reads only. With --json: {spec, stage, progress, live, sessions: [{id, name, state, liveness, claims, done, progress {tasks, done, percent, own}, parent, depth, descendants, …}]} in tree order.",
  examples: ["baton work tree user-auth", "baton work tree user-auth --json"],
  access: "read",
  input: { spec: WORK_SPEC },
  tool: { description: "A spec's work sessions as a tree.", pageLists: ["sessions"] },
  run: (env, input) => workTree(env.context(), input.spec),
});

export function workTree(ctx: AppContext, spec: string): TreeResult {
  const work = loadSpecWork(ctx, assertSpecName(spec));
  const sessions = listWorkSessions(ctx.ws, work.status.name);
  const byId = new Map(sessions.map((s) => [s.id, s]));
  const { shown, progress } = shownSessions(
    sessions,
    work.claims,
    work.tasks,
    work.nowMs,
    work.ttlMs,
  );
  const views = new Map(shown.map((s) => [s.id, s]));
  const children = new Map<string, WorkSession[]>();
  const roots: WorkSession[] = [];
  for (const s of sessions) {
    if (s.parent !== null && byId.has(s.parent)) {
      const list = children.get(s.parent) ?? [];
      list.push(s);
      children.set(s.parent, list);
    } else roots.push(s);
  }
  const rows: TreeRow[] = [];
  // Depth first with an explicit stack: no chain of spawns can overflow the call stack. A
  // hand-edited loop of parents has no root: its sessions are shown from the first of them.
  const stack: { session: WorkSession; depth: number }[] = [];
  const seen = new Set<string>();
  const next = () => {
    if (stack.length > 0) return true;
    const root = roots.shift() ?? sessions.find((s) => !seen.has(s.id));
    if (root) stack.push({ session: root, depth: 0 });
    return root !== undefined;
  };
  while (next()) {
    const { session, depth } = stack.pop() as { session: WorkSession; depth: number };
    if (seen.has(session.id)) continue;
    seen.add(session.id);
    rows.push({ ...(views.get(session.id) as ShownSession), depth, descendants: 0 });
    for (const child of [...(children.get(session.id) ?? [])].reverse())
      stack.push({ session: child, depth: depth + 1 });
  }
  // Descendants, counted from the leaves up: rows are in tree order, so a later row with a
  // greater depth belongs to the nearest earlier row with a smaller one.
  const open: TreeRow[] = [];
  for (const row of rows) {
    while (open.length > 0 && (open.at(-1) as TreeRow).depth >= row.depth) open.pop();
    for (const ancestor of open) ancestor.descendants++;
    open.push(row);
  }
  return {
    spec: work.status.name,
    stage: work.status.stage,
    progress: progress.spec,
    sessions: rows,
    live: rows.filter((r) => isLiveSession(r.liveness)).length,
  };
}
