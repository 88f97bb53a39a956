import { defineOperation } from "../operation.ts";
import { applyGate, GATE_SPEC, GATE_WHO, gateDescription, gateTool } from "./gate.ts";

export const completeOperation = defineOperation({
  name: "spec complete",
  summary:
    "mark a spec's implementation done (implementing -> done); needs its required tasks done and no live work session",
  description: gateDescription(
    "Refused (STATE_CONFLICT) while tasks.md has required tasks (not marked optional with *) that are not done, naming them, or while a work session of the spec is live (working, idle or waiting; end it with baton work end); --force completes anyway and records the override (kind open_tasks, or live_sessions).",
  ),
  examples: [
    "baton spec complete user-auth",
    'baton spec complete user-auth --comment "shipped in v1.4"',
    'baton spec complete user-auth --force --comment "3.2 moved to the next spec"',
  ],
  access: "write",
  input: {
    name: GATE_SPEC,
    force: {
      type: "boolean",
      description: "complete with required tasks open; recorded in the history",
    },
    ...GATE_WHO,
  },
  tool: gateTool("complete"),
  run: (env, input) => applyGate(env.context(), "complete", input),
});
