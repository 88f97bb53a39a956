import { defineOperation } from "../operation.ts";
import { oneLineText, WORK_SESSION } from "./fields.ts";
import { moveSession, type TransitionResult } from "./transition.ts";

export const workWaitOperation = defineOperation({
  name: "work wait",
  summary: "mark a work session waiting on a human, saying for what",
  description:
    "Active or blocked -> waiting (liveness: waiting); baton work unblock goes on once the person answered. The session keeps its claims: heartbeats keep them. With --json: {session, from, to, released}.",
  examples: ['baton work wait ws-k3x9q2ab --reason "which OAuth provider first?"'],
  access: "write",
  input: {
    session: WORK_SESSION,
    reason: {
      type: "string",
      min: 1,
      required: true,
      description: "what the person is asked",
      cli: { value: "<text>" },
    },
  },
  tool: { description: "Mark a work session waiting on a human." },
  run: (env, input): Promise<TransitionResult> =>
    moveSession(env.context(), input.session, "wait", {
      reason: oneLineText(input.reason, "reason", 500),
    }),
});
