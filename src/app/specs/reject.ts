import { defineOperation } from "../operation.ts";
import { applyGate, GATE_SPEC, GATE_WHO, gateDescription, gateTool } from "./gate.ts";

export const rejectOperation = defineOperation({
  name: "spec reject",
  summary: "turn a spec in review down (in_review -> rejected)",
  description: gateDescription("The spec can be reworked and submitted again."),
  examples: ['baton spec reject user-auth --comment "out of scope for this release"'],
  access: "write",
  input: {
    name: GATE_SPEC,
    ...GATE_WHO,
  },
  tool: gateTool("reject"),
  run: (env, input) => applyGate(env.context(), "reject", input),
});
