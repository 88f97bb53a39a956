import { END_STATES } from "../../core/work/session.ts";
import { defineOperation } from "../operation.ts";
import { longText, WORK_SESSION } from "./fields.ts";
import { moveSession, type TransitionResult } from "./transition.ts";

export const workEndOperation = defineOperation({
  name: "work end",
  summary: "end a work session: done, failed or cancelled, with a summary",
  description:
    "Any open state -> the end state given; final. Its claims are released (back in the ready queue; tickets and plan tasks sharing them back to todo). Ending is always allowed for an open session, a lost claim included. With --json: {session, from, to, released}.",
  examples: [
    'baton work end ws-k3x9q2ab --state done --summary "tokens stored in the keychain"',
    'baton work end ws-k3x9q2ab --state failed --summary "lease lost while offline"',
  ],
  access: "write",
  input: {
    session: WORK_SESSION,
    state: {
      type: "enum",
      values: END_STATES,
      required: true,
      description: "how it ended",
    },
    summary: {
      type: "string",
      description: "what was done, or why not",
      cli: { value: "<text>" },
    },
  },
  tool: { description: "End a work session (done, failed, cancelled)." },
  run: (env, input): Promise<TransitionResult> =>
    moveSession(env.context(), input.session, "end", {
      to: input.state,
      summary: longText(input.summary, "summary"),
    }),
});
