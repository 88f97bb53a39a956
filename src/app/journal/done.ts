import { completeNextStep, type JournalState } from "../../core/journal.ts";
import { recordEvent } from "../../store/events.ts";
import { withWorkspaceLock } from "../../store/transaction.ts";
import { defineOperation } from "../operation.ts";
import { changeJournal } from "./current.ts";

export const markNextStepDone = defineOperation({
  name: "journal done",
  summary: "tick next step <n> (numbered as in PLANNING.md)",
  examples: ["baton journal done 2"],
  access: "write",
  input: {
    n: {
      type: "int",
      min: 1,
      required: true,
      description: "the step's number",
      cli: { positional: true },
    },
  },
  tool: { description: "Tick off next step number n (1-based, as journal_show lists them)." },
  run(env, input): Promise<JournalState> {
    const ctx = env.context();
    const { n } = input;
    return withWorkspaceLock(ctx.ws, () => {
      let ticked: string | null = null;
      const next = changeJournal(ctx, (state, at) => {
        const done = completeNextStep(state, n, at);
        if (done !== state) ticked = at;
        return done;
      });
      // Ticking a step already done changes nothing and records nothing.
      if (ticked !== null) {
        recordEvent(ctx.ws, "journal.done", ticked, {
          step: n,
          text: next.next[n - 1]?.text ?? "",
        });
      }
      return next;
    });
  },
});
