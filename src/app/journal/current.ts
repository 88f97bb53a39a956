/**
 * The journal every journal verb and the refresh after a write change: the stored state, or,
 * when the session it describes has ended, a fresh one carrying the unfinished next steps, with
 * the ended one archived first.
 */
import {
  carryOver,
  type JournalState,
  planningSessionEnded,
  renderJournal,
} from "../../core/journal.ts";
import type { BatonEvent } from "../../store/events.ts";
import {
  archiveJournal,
  newestArchiveHolding,
  readJournalFile,
  readJournalText,
  removeJournalText,
  writeJournalState,
} from "../../store/journal.ts";
import { readActivePlanningSession } from "../../store/repo.ts";
import type { Workspace } from "../../store/workspace.ts";
import type { AppContext } from "../context.ts";
import { journalFacts } from "../read/facts.ts";

export interface CurrentJournal {
  state: JournalState;
  stored: JournalState;
  existed: boolean;
  ended: JournalState | null;
}

/**
 * The journal state to change now, and, when the session the stored one describes has ended,
 * that stored state (to archive): then the state to change is a fresh one holding the
 * unfinished next steps. Changes nothing on disk.
 */
export function currentJournal(ws: Workspace, events: BatonEvent[], now: Date): CurrentJournal {
  const at = now.toISOString();
  const { state: stored, existed } = readJournalFile(ws, at);
  const active = readActivePlanningSession(ws)?.session_id ?? null;
  const types = events.map((e) => e.type);
  if (!planningSessionEnded(stored, active, types)) {
    return { state: { ...stored, session: active }, stored, existed, ended: null };
  }
  return { state: { ...carryOver(stored, at), session: active }, stored, existed, ended: stored };
}

/**
 * Archives an ended journal, then saves the fresh state, then removes PLANNING.md so the next
 * render starts afresh. A PLANNING.md deleted by hand still has its notes and decisions in
 * journal.json: they are archived as rendered now rather than dropped. The order makes a crash
 * harmless: killed before the fresh state is saved, the retry finds PLANNING.md unchanged and
 * the newest archive already holding exactly those bytes, so it archives nothing twice.
 */
export function archiveEnded(
  ws: Workspace,
  ended: JournalState,
  fresh: JournalState,
  now: Date,
): string | null {
  const existing = readJournalText(ws);
  const kept = ended.notes.length + ended.decisions.length + ended.next.length > 0;
  const text = existing ?? (kept ? renderJournal(null, ended, journalFacts(ws)) : null);
  const archived =
    text === null ? null : (newestArchiveHolding(ws, text) ?? archiveJournal(ws, text, now));
  writeJournalState(ws, fresh);
  removeJournalText(ws);
  return archived;
}

/**
 * Runs a journal command's change on the current journal. When the session the stored journal
 * describes ended without the journal being told (a writer killed in between), the change goes
 * to the fresh journal, and the old one is archived only once the change is known to be valid:
 * a refused command changes nothing.
 */
export function changeJournal(
  ctx: AppContext,
  change: (state: JournalState, at: string) => JournalState,
): JournalState {
  const now = ctx.now();
  const current = currentJournal(ctx.ws, [], now);
  const next = change(current.state, now.toISOString());
  if (current.ended) {
    const archived = archiveEnded(ctx.ws, current.ended, next, now);
    if (archived) ctx.notice(`Archived the journal to ${archived}; PLANNING.md starts afresh`);
  }
  if (next !== current.state || current.ended) writeJournalState(ctx.ws, next);
  return next;
}
