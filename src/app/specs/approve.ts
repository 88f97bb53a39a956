import { defineOperation } from "../operation.ts";
import { applyGate, GATE_SPEC, GATE_WHO, gateDescription, gateTool } from "./gate.ts";

export const approveOperation = defineOperation({
  name: "spec approve",
  summary: "approve a spec in review (in_review -> approved); records the documents' hash",
  description: gateDescription(
    "The human gate: implementation may start once approved. The approver (--by, default: git config user.name) must not be the one who submitted the spec: approving one's own submission is refused (STATE_CONFLICT) unless --self is given, which is recorded (kind self_approval). Changing the documents afterwards sends the spec back to review.",
  ),
  examples: [
    "baton spec approve user-auth --by ada",
    'baton spec approve user-auth --comment "LGTM" --json',
    'baton spec approve user-auth --self --comment "solo project"',
  ],
  access: "write",
  input: {
    name: GATE_SPEC,
    self: {
      type: "boolean",
      description: "approve a spec you submitted yourself; recorded in the history",
    },
    ...GATE_WHO,
  },
  tool: gateTool("approve"),
  run: (env, input) => applyGate(env.context(), "approve", input),
});
