import { carryOver } from "../../core/journal.ts";
import { recordEvent } from "../../store/events.ts";
import { journalFileName, readJournalState } from "../../store/journal.ts";
import { readActivePlanningSession } from "../../store/repo.ts";
import { withWorkspaceLock } from "../../store/transaction.ts";
import { defineOperation } from "../operation.ts";
import { archiveEnded } from "./current.ts";

export interface ArchiveResult {
  /** The archive made, relative to the root; null when there was nothing to archive. */
  archived: string | null;
  file: string;
}

/**
 * `baton journal archive`: archives PLANNING.md as it is (or, when it was deleted, the journal
 * as rendered from journal.json, so no note or decision is dropped) and starts a fresh one.
 */
export const archiveJournalNow = defineOperation({
  name: "journal archive",
  summary: "archive PLANNING.md with a timestamp and start a fresh one",
  description:
    "Archives go to journal.archiveDir as PLANNING-YYYY-MM-DD-HHMMSS.md and are never changed. Baton also archives on its own when a session completes or another replaces it.",
  examples: ["baton journal archive", "baton journal archive --json"],
  access: "write",
  input: {},
  tool: {
    description:
      "Archive PLANNING.md with a timestamp and start a fresh one (archives are never changed).",
  },
  run(env): Promise<ArchiveResult> {
    const ctx = env.context();
    return withWorkspaceLock(ctx.ws, () => {
      const now = ctx.now();
      const at = now.toISOString();
      const state = readJournalState(ctx.ws, at);
      const session = readActivePlanningSession(ctx.ws)?.session_id ?? null;
      // Unfinished next steps are still to do, whichever way the journal was archived.
      const fresh = { ...carryOver(state, at), session };
      const archived = archiveEnded(ctx.ws, state, fresh, now);
      recordEvent(ctx.ws, "journal.archived", at, { archive: archived });
      return { archived, file: journalFileName(ctx.ws) };
    });
  },
});
