import { cmd } from "../../core/command-ref.ts";
import { BatonError } from "../../core/errors.ts";
import { isWorkSessionId } from "../../core/ids.ts";
import { readWorkSession } from "../../store/work.ts";
import { defineOperation } from "../operation.ts";
import { requireTask } from "./common.ts";
import { oneLineText, WORK_SESSION } from "./fields.ts";
import { moveSession, type TransitionResult } from "./transition.ts";

const TRANSITION_JSON = "With --json: {session, from, to, released}.";

export const workBlockOperation = defineOperation({
  name: "work block",
  summary: "mark a work session blocked on another session or a task",
  description: `Active or waiting -> blocked, with what it waits for (a session of the same spec, or a task of it) and why. The session keeps its claims. ${TRANSITION_JSON}`,
  examples: [
    'baton work block ws-k3x9q2ab --on ws-p4m2x8cd --reason "needs the schema migration"',
    'baton work block ws-k3x9q2ab --on 2.1 --reason "waits for the API"',
  ],
  access: "write",
  input: {
    session: WORK_SESSION,
    on: {
      type: "string",
      min: 1,
      required: true,
      description: "what it waits for: a work session (ws-…) or a task id of the spec",
      apiDescription: "work session id or task id it waits for",
      cli: { value: "<ws|task>" },
    },
    reason: {
      type: "string",
      min: 1,
      required: true,
      description: "why, in a line",
      cli: { value: "<text>" },
    },
  },
  tool: { description: "Mark a work session blocked on a session or task." },
  run: (env, input): Promise<TransitionResult> => {
    const ctx = env.context();
    const reason = oneLineText(input.reason, "reason", 500);
    const on = input.on.trim();
    const target: { session: string } | { task: string } = isWorkSessionId(on)
      ? { session: on }
      : { task: on };
    return moveSession(ctx, input.session, "block", { reason, on: target }, (work, session) => {
      if ("task" in target) {
        requireTask(work, target.task);
        return;
      }
      if (target.session === session.id) {
        throw new BatonError(
          "INVALID_INPUT",
          `work session ${session.id} cannot be blocked on itself`,
          "name the session or task it waits for",
        );
      }
      if (!readWorkSession(ctx.ws, work.status.name, target.session)) {
        throw new BatonError(
          "SESSION_NOT_FOUND",
          `spec ${work.status.name} has no work session ${target.session}`,
          `list its sessions with: ${cmd("work list", { spec: work.status.name })}`,
        );
      }
    });
  },
});
