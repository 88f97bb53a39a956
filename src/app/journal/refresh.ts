import { renderJournal } from "../../core/journal.ts";
import type { BatonEvent } from "../../store/events.ts";
import { readJournalText, writeJournalState, writeJournalText } from "../../store/journal.ts";
import type { Workspace } from "../../store/workspace.ts";
import { journalFacts } from "../read/facts.ts";
import { archiveEnded, currentJournal } from "./current.ts";

/**
 * Rewrites PLANNING.md (and journal.json) from the state, after every transaction that changed
 * it. When the session it described has ended (completed, or replaced by another, now or by a
 * writer that died before it could say so), the current PLANNING.md is archived first and a
 * fresh journal begins. Returns the archive made, if any.
 */
export function refreshJournal(
  ws: Workspace,
  events: BatonEvent[],
  command: string | null,
  now: Date,
): string | null {
  const current = currentJournal(ws, events, now);
  const archived = current.ended ? archiveEnded(ws, current.ended, current.state, now) : null;
  const state = current.state;
  // The fresh state of an ended journal is saved by archiveEnded; otherwise only a new session
  // (or a first journal) changes journal.json here: entries change through the journal commands.
  if (!current.ended && (state.session !== current.stored.session || !current.existed)) {
    writeJournalState(ws, state);
  }
  const existing = readJournalText(ws);
  const text = renderJournal(existing, state, { ...journalFacts(ws), command });
  if (text !== existing) writeJournalText(ws, text);
  return archived;
}
