import { recordEvent } from "../../store/events.ts";
import { readActiveRaw } from "../../store/spec-folders.ts";
import { writeActiveSpec } from "../../store/specs.ts";
import { withWorkspaceLock } from "../../store/transaction.ts";
import { isoNow } from "../context.ts";
import { defineOperation } from "../operation.ts";

export interface DeactivateResult {
  previous: string | null;
  changed: boolean;
}

export const deactivateOperation = defineOperation({
  name: "spec deactivate",
  summary: "clear the active spec on this machine",
  examples: ["baton spec deactivate", "baton spec deactivate --json"],
  access: "write",
  input: {},
  tool: { description: "Clear the active spec." },
  run(env): Promise<DeactivateResult> {
    const ctx = env.context();
    return withWorkspaceLock(ctx.ws, () => {
      const previous = readActiveRaw(ctx.ws);
      if (previous === null) return { previous: null, changed: false };
      writeActiveSpec(ctx.ws, null);
      recordEvent(ctx.ws, "spec.deactivated", isoNow(ctx), { previous });
      return { previous, changed: true };
    });
  },
});
