/**
 * Progress, one function for every face: a task's (done is 100; one in hand, what its holder
 * last reported), a session's (its tasks and its children's, each task once, averaged; without
 * tasks, what it reported of itself), and the spec's (the tasks.md counts: required tasks done
 * over required tasks, as `spec status` has always counted them). `spec status`, `work show`,
 * `work tree`, `status` and the MCP tools all print what this returns.
 */
import type { TaskProgress } from "../spec/task-progress.ts";
import { countProgress } from "../spec/task-progress.ts";
import type { Claim } from "./claims.ts";
import type { WorkTask } from "./ready.ts";
import type { WorkSession } from "./session.ts";

export interface TaskPercent {
  id: string;
  /** done in tasks.md; in_progress when a claim holds it (or its box says so); else todo. */
  status: "todo" | "in_progress" | "done";
  percent: number;
  /** The session holding it, when one does. */
  session: string | null;
  note: string | null;
}

export interface SessionProgress {
  /** The tasks counted: its own (held or done) and its descendants', each once. */
  tasks: number;
  done: number;
  /** 0..100, rounded down: the mean of those tasks' percents, or its own report without tasks. */
  percent: number;
  /** The same over its own tasks only. */
  own: { tasks: number; done: number; percent: number };
}

export interface WorkProgress {
  spec: TaskProgress;
  tasks: Map<string, TaskPercent>;
  sessions: Map<string, SessionProgress>;
}

export function workProgress(
  tasks: readonly WorkTask[],
  sessions: readonly WorkSession[],
  claims: ReadonlyMap<string, Claim>,
): WorkProgress {
  const bySession = new Map(sessions.map((s) => [s.id, s]));
  const out = new Map<string, TaskPercent>();
  for (const task of tasks) {
    const claim = claims.get(task.id);
    const holder = claim?.state === "held" ? (claim.session as string) : null;
    const entry = holder
      ? bySession.get(holder)?.tasks.find((t) => t.id === task.id && t.state === "held")
      : undefined;
    const done = task.status === "done";
    out.set(task.id, {
      id: task.id,
      status: done ? "done" : holder !== null ? "in_progress" : task.status,
      percent: done ? 100 : (entry?.percent ?? 0),
      session: done ? null : holder,
      note: done ? null : (entry?.note ?? null),
    });
  }
  // Each session's own tasks: those it holds or finished (not released, not lost).
  const own = new Map<string, Set<string>>();
  for (const s of sessions) {
    own.set(
      s.id,
      new Set(s.tasks.filter((t) => t.state === "held" || t.state === "done").map((t) => t.id)),
    );
  }
  const children = new Map<string, string[]>();
  for (const s of sessions) {
    if (s.parent === null || !bySession.has(s.parent)) continue;
    children.set(s.parent, [...(children.get(s.parent) ?? []), s.id]);
  }
  const figures = (ids: Iterable<string>) => {
    let n = 0;
    let done = 0;
    let sum = 0;
    for (const id of ids) {
      const t = out.get(id);
      if (!t) continue;
      n++;
      if (t.status === "done") done++;
      sum += t.percent;
    }
    return { tasks: n, done, percent: n === 0 ? 0 : Math.floor(sum / n) };
  };
  const result = new Map<string, SessionProgress>();
  for (const s of sessions) {
    // Its subtree's tasks, walked with a stack (no depth of spawning can overflow it).
    const ids = new Set<string>();
    const seen = new Set<string>();
    const stack = [s.id];
    while (stack.length > 0) {
      const at = stack.pop() as string;
      if (seen.has(at)) continue;
      seen.add(at);
      for (const id of own.get(at) ?? []) ids.add(id);
      stack.push(...(children.get(at) ?? []));
    }
    const all = figures(ids);
    const mine = figures(own.get(s.id) ?? []);
    const report = s.progress?.percent ?? 0;
    result.set(s.id, {
      ...all,
      percent: all.tasks === 0 ? report : all.percent,
      own: { ...mine, percent: mine.tasks === 0 ? report : mine.percent },
    });
  }
  return { spec: countProgress(tasks), tasks: out, sessions: result };
}
