import { setEventSource } from "../store/events.ts";
import { onStateChange, withSavepoint } from "../store/transaction.ts";
import { type AppContext, type ContextOptions, openContext } from "./context.ts";
import { refreshJournal } from "./journal/refresh.ts";

export interface OpenOptions extends ContextOptions {
  /** The command line as typed, shown in PLANNING.md as the active command. */
  command?: string | null;
  /** The command without its arguments (`baton spike`), recorded with every event it makes. */
  source?: string | null;
}

/**
 * Opens the workspace for a face (CLI, MCP, server) and wires the journal: every transaction
 * that changes state rewrites PLANNING.md. A journal that cannot be written is reported as a
 * notice and does not undo or fail the change that was made.
 */
export function openApp(options: OpenOptions): AppContext {
  const ctx = openContext(options);
  setEventSource(ctx.ws, options.source ?? null);
  onStateChange(ctx.ws, "journal", (ws, events) => {
    try {
      // A journal that fails halfway leaves nothing of its own (no archive without its state).
      const archived = withSavepoint(ws, () =>
        refreshJournal(ws, events, options.command ?? null, ctx.now()),
      );
      if (archived) ctx.notice(`Archived the journal to ${archived}; PLANNING.md starts afresh`);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      ctx.notice(`PLANNING.md was not updated: ${reason}`);
    }
  });
  return ctx;
}
