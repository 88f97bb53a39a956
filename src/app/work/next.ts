import { assertSpecName } from "../../core/spec/status.ts";
import { type NotReady, readyQueue } from "../../core/work/ready.ts";
import type { AppContext } from "../context.ts";
import { defineOperation } from "../operation.ts";
import { loadSpecWork } from "./common.ts";
import { WORK_SPEC } from "./fields.ts";

export interface ReadyTask {
  id: string;
  title: string;
  optional: boolean;
  /** Tasks it waited for (done now). */
  depends: string[];
  files: string[];
}

export interface WaitingTask {
  id: string;
  title: string;
  why: NotReady["why"];
  detail: string;
}

export interface WorkNextResult {
  spec: string;
  stage: string;
  tasks_file: string | null;
  /** Ready now, in the order to take them: dependencies first, then by id. */
  ready: ReadyTask[];
  /** Open tasks that are not ready, and why. */
  waiting: WaitingTask[];
  counts: { total: number; done: number; ready: number; claimed: number; waiting: number };
  /** `_Depends:` ids the tasks file does not hold (not awaited). */
  unknown_depends: { task: string; depends: string }[];
}

export const workNextOperation = defineOperation({
  name: "work next",
  summary: "the ready queue of a spec: tasks a work session can take now, and why others wait",
  description:
    "A task is ready when it is not done, its sub-tasks and the tasks its _Depends: line names are done, no live lease holds it, and the files its _Files: line declares do not overlap a claimed task's. Ordered dependencies first, then by id. Reads only. With --json: {spec, stage, tasks_file, ready: [{id, title, optional, depends, files}], waiting: [{id, title, why, detail}], counts, unknown_depends}.",
  examples: ["baton work next user-auth", "baton work next user-auth --json"],
  access: "read",
  input: { spec: WORK_SPEC },
  tool: {
    description: "A spec's ready queue: tasks to take now, and why the others wait.",
    pageLists: ["ready", "waiting"],
  },
  run: (env, input) => workNext(env.context(), input.spec),
});

export function workNext(ctx: AppContext, spec: string): WorkNextResult {
  const work = loadSpecWork(ctx, assertSpecName(spec));
  const queue = readyQueue(work.tasks, work.claims, work.nowMs);
  const claimed = queue.held.filter((h) => h.reason.why === "claimed").length;
  return {
    spec: work.status.name,
    stage: work.status.stage,
    tasks_file: work.tasksFile,
    ready: queue.ready.map((t) => ({
      id: t.id,
      title: t.title,
      optional: t.optional,
      depends: t.depends,
      files: t.files,
    })),
    waiting: queue.held.map(({ task, reason }) => ({
      id: task.id,
      title: task.title,
      why: reason.why,
      detail: reason.detail,
    })),
    counts: {
      total: work.tasks.length,
      done: queue.done,
      ready: queue.ready.length,
      claimed,
      waiting: queue.held.length - claimed,
    },
    unknown_depends: queue.unknown,
  };
}
