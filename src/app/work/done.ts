import { BatonError } from "../../core/errors.ts";
import { parseTaskLine, setCheckbox } from "../../core/spec/task-line.ts";
import { parseSpecTaskList } from "../../core/spec/tasks-md.ts";
import type { WorkTask } from "../../core/work/ready.ts";
import { readTextOrNull, writeText } from "../../store/files.ts";
import { specTasksFile } from "../../store/spec-folders.ts";
import { recordWorkEvent, removeClaim } from "../../store/work.ts";
import type { AppContext } from "../context.ts";
import { defineOperation } from "../operation.ts";
import {
  renewHeld,
  type SessionView,
  type SpecWork,
  saveSession,
  sessionView,
  withHeldEntry,
  withHeldTask,
} from "./common.ts";
import { WORK_SESSION, WORK_TASK, WORK_TOKEN } from "./fields.ts";
import { syncSharedTask } from "./shared.ts";

export interface DoneResult {
  session: SessionView;
  task: string;
  token: number;
  /** The tasks file whose box was ticked, relative to the workspace root. */
  tasks_file: string;
  /** False when the box was ticked already. */
  ticked: boolean;
}

export const workDoneOperation = defineOperation({
  name: "work done",
  summary: "finish a claimed task: tick its box in tasks.md, end its claim",
  description:
    "Only the box changes ([ ] or [-] becomes [x]); every other byte of tasks.md stays as it is, and the approval is not invalidated (the documents' hash reads every box as unticked). The claim file goes; a ticket or plan task sharing the task is done too. A claim the session no longer holds (or a --token that is not the claim's) is LEASE_LOST and changes nothing. Tasks waiting for this one may become ready. With --json: {session, task, token, tasks_file, ticked}.",
  examples: [
    "baton work done ws-k3x9q2ab --task 1.2",
    "baton work done ws-k3x9q2ab --task 1.2 --token 3",
  ],
  access: "write",
  input: { session: WORK_SESSION, task: { ...WORK_TASK, required: true }, token: WORK_TOKEN },
  tool: { description: "Finish a claimed task: tick its box in tasks.md." },
  run: (env, input) => finishTask(env.context(), input),
});

export function finishTask(
  ctx: AppContext,
  input: { session: string; task: string; token?: number | undefined },
): Promise<DoneResult> {
  return withHeldTask(ctx, input, "finishing a task", ({ work, session: before, task, token }) => {
    const { file, ticked } = tick(work, task);
    removeClaim(ctx.ws, work.status.name, task.id);
    work.claims.delete(task.id);
    const session = renewHeld(
      work,
      withHeldEntry(before, task.id, { state: "done", until: work.now, percent: 100 }),
    );
    saveSession(work, session);
    recordWorkEvent(ctx.ws, work.status.name, "work.task_done", work.now, {
      session: session.id,
      task: task.id,
      token,
    });
    syncSharedTask(ctx, work.status, task, "done", work.now);
    return {
      session: sessionView(session, work.claims, work.byId, work.nowMs, work.ttlMs),
      task: task.id,
      token,
      tasks_file: file,
      ticked,
    };
  });
}

/** Ticks the task's box in the tasks file, changing no other byte. */
function tick(work: SpecWork, task: WorkTask): { file: string; ticked: boolean } {
  const { ws } = work.ctx;
  const path = specTasksFile(ws, work.status);
  const text = path === null ? null : readTextOrNull(ws, path);
  if (path === null || text === null) {
    throw new BatonError(
      "FILE_NOT_FOUND",
      `spec ${work.status.name} has no tasks file to tick task ${task.id} in`,
      "restore the spec's tasks.md",
    );
  }
  const file = ws.rel(path);
  if (task.status === "done") return { file, ticked: false };
  // The line the parse cached, checked against the text as it is now; else the text parsed again.
  const lineOf = (n: number) => (text.split("\n")[n - 1] ?? "").replace(/\r$/, "");
  const cached = parseTaskLine(lineOf(task.line));
  let line = task.line;
  if (cached?.kind !== "task" || (cached.task.id ?? `L${task.line}`) !== task.id) {
    const found = findNode(parseSpecTaskList(text).tasks, task.id);
    if (!found) {
      throw new BatonError(
        "TASK_NOT_FOUND",
        `task ${task.id} is no longer in ${file}`,
        `see the spec's tasks with: baton work next ${work.status.name}`,
      );
    }
    line = found;
  }
  const next = setCheckbox(text, line, "x");
  if (next === null) {
    throw new BatonError(
      "INTERNAL",
      `line ${line} of ${file} is no checkbox`,
      "this is a bug in Baton; run with BATON_DEBUG=1 for the stack",
    );
  }
  if (next !== text) writeText(ws, path, next);
  return { file, ticked: next !== text };
}

function findNode(nodes: ReturnType<typeof parseSpecTaskList>["tasks"], id: string): number | null {
  for (const node of nodes) {
    if (node.id === id) return node.line;
    const inner = findNode(node.children, id);
    if (inner !== null) return inner;
  }
  return null;
}
