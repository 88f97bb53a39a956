import { assertSpecName } from "../../core/spec/status.ts";
import { recordEvent } from "../../store/events.ts";
import { readActiveRaw } from "../../store/spec-folders.ts";
import { writeActiveSpec } from "../../store/specs.ts";
import { withWorkspaceLock } from "../../store/transaction.ts";
import { type AppContext, isoNow } from "../context.ts";
import { defineOperation } from "../operation.ts";
import { loadSpec } from "./folder.ts";

export interface ActivateResult {
  name: string;
  previous: string | null;
  changed: boolean;
}

export const activateOperation = defineOperation({
  name: "spec activate",
  summary: "make a spec the active one on this machine",
  description:
    "The active spec is kept in {planning.dir}/.active, which is per machine (baton init gitignores it). Commands that take --spec default to it.",
  examples: ["baton spec activate user-auth", "baton planning activate user-auth --json"],
  access: "write",
  input: {
    name: {
      type: "string",
      min: 1,
      required: true,
      description: "the spec's name, e.g. user-auth",
      cli: { positional: true },
    },
  },
  tool: { description: "Make a spec the active one." },
  run: (env, input) => activateSpec(env.context(), input.name),
});

/** `baton spec activate <name>`: the per-machine active spec (gitignored `.active`). */
export function activateSpec(ctx: AppContext, name: string): Promise<ActivateResult> {
  assertSpecName(name);
  return withWorkspaceLock(ctx.ws, () => {
    loadSpec(ctx.ws, name);
    const previous = readActiveRaw(ctx.ws);
    if (previous === name) return { name, previous, changed: false };
    writeActiveSpec(ctx.ws, name);
    // Recorded so the journal (PLANNING.md) shows the new active spec.
    recordEvent(ctx.ws, "spec.activated", isoNow(ctx), { spec: name, previous });
    return { name, previous, changed: true };
  });
}
