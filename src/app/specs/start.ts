import { defineOperation } from "../operation.ts";
import { applyGate, GATE_SPEC, GATE_WHO, gateDescription, gateTool } from "./gate.ts";

export const startOperation = defineOperation({
  name: "spec start",
  summary: "begin implementing an approved spec (approved -> implementing); --force skips approval",
  description: gateDescription(
    "Refuses a spec that is not approved unless --force is given; a forced start (from draft, in_review, changes_requested or rejected) is recorded as force_start with who and why.",
  ),
  examples: [
    "baton spec start user-auth",
    'baton spec start user-auth --force --comment "hotfix, reviewed afterwards"',
  ],
  access: "write",
  input: {
    name: GATE_SPEC,
    force: { type: "boolean", description: "start without approval; recorded as force_start" },
    ...GATE_WHO,
  },
  tool: gateTool("start"),
  run: (env, input) => applyGate(env.context(), "start", input),
});
