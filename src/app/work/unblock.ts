import { defineOperation } from "../operation.ts";
import { WORK_SESSION } from "./fields.ts";
import { moveSession, type TransitionResult } from "./transition.ts";

export const workUnblockOperation = defineOperation({
  name: "work unblock",
  summary: "a blocked or waiting work session goes on (-> active)",
  description:
    "Blocked or waiting -> active; what it waited for is cleared. With --json: {session, from, to, released}.",
  examples: ["baton work unblock ws-k3x9q2ab"],
  access: "write",
  input: { session: WORK_SESSION },
  tool: { description: "A blocked or waiting work session goes on." },
  run: (env, input): Promise<TransitionResult> =>
    moveSession(env.context(), input.session, "unblock", {}),
});
