import { defineOperation } from "../operation.ts";
import { applyGate, GATE_SPEC, GATE_WHO, gateDescription, gateTool } from "./gate.ts";

export const submitOperation = defineOperation({
  name: "spec submit",
  summary:
    "send a spec for review (draft, changes_requested or rejected -> in_review); needs a clean lint",
  description: gateDescription(
    "Asks a person to review the documents. A spec with lint errors (what baton spec lint reports as error) is refused with LINT_FAILED (exit 5) unless --force is given; a forced submit records the override (kind lint_errors) in the history.",
  ),
  examples: [
    "baton spec submit user-auth",
    'baton spec submit user-auth --comment "ready for review"',
    'baton spec submit user-auth --force --comment "lint errors are in the vendored part"',
  ],
  access: "write",
  input: {
    name: GATE_SPEC,
    force: { type: "boolean", description: "submit despite lint errors; recorded in the history" },
    ...GATE_WHO,
  },
  tool: gateTool("submit"),
  run: (env, input) => applyGate(env.context(), "submit", input),
});
