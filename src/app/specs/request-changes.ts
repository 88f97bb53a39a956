import { defineOperation } from "../operation.ts";
import { applyGate, GATE_SPEC, GATE_WHO, gateDescription, gateTool } from "./gate.ts";

export const requestChangesOperation = defineOperation({
  name: "spec request-changes",
  summary: "send a spec in review back for changes (in_review -> changes_requested)",
  description: gateDescription("Say what to change with --comment; submit again when done."),
  examples: ['baton spec request-changes user-auth --comment "criterion 1.2 is not testable"'],
  access: "write",
  input: {
    name: GATE_SPEC,
    ...GATE_WHO,
  },
  tool: gateTool("request-changes"),
  run: (env, input) => applyGate(env.context(), "request-changes", input),
});
