import path from "node:path";
import {
  carryOver,
  completeNextStep,
  type JournalFacts,
  type JournalState,
  oneLine,
  renderJournal,
  sessionEnded,
} from "../core/journal.ts";
import { removeFile, writeFileAtomic } from "../store/atomic.ts";
import { type BatonEvent, readEvents, recordEvent } from "../store/events.ts";
import {
  archiveJournal,
  listArchives,
  readJournalFile,
  readJournalState,
  writeJournalState,
} from "../store/journal.ts";
import { readActiveSession, readText } from "../store/repo.ts";
import { ticketOverview } from "../store/ticket-cache.ts";
import { withWorkspaceLock } from "../store/transaction.ts";
import type { Workspace } from "../store/workspace.ts";
import { type AppContext, isoNow } from "./context.ts";
import { activeSpecSummary, nextSteps, sessionPlanTasks } from "./status.ts";

const OPEN_STATUSES = ["todo", "in_progress", "blocked"] as const;

/** Everything the journal and `resume` show, read from Baton's state. Never throws on a bad spec. */
export function gatherFacts(ws: Workspace, eventLimit = 8): JournalFacts {
  const session = readActiveSession(ws);
  const planTaskCount = sessionPlanTasks(ws, session);
  const tickets = ticketOverview(ws);
  const openCount = [...OPEN_STATUSES].reduce((n, s) => n + (tickets.by_status[s] ?? 0), 0);
  const current = tickets.open.find((t) => t.status === "in_progress") ?? null;
  return {
    session,
    plan_tasks: planTaskCount,
    spec: activeSpecSummary(ws),
    current_task: current ? { id: current.id, title: current.title, status: current.status } : null,
    open_tickets: tickets.open.map((t) => ({ id: t.id, title: t.title, status: t.status })),
    open_ticket_count: openCount,
    recent_events: readEvents(ws, eventLimit).map((e) => ({
      at: e.at,
      summary: summarizeEvent(e),
    })),
    suggestions: nextSteps(session, planTaskCount, openCount),
  };
}

/** An event as one short line: its type and the values it carries. */
export function summarizeEvent(event: BatonEvent): string {
  const details = Object.entries(event)
    .filter(([key]) => key !== "schema_version" && key !== "at" && key !== "type")
    .map(([, value]) => (typeof value === "string" ? value : JSON.stringify(value)))
    .join(" ");
  return details ? `${event.type} ${details}` : event.type;
}

/**
 * Rewrites PLANNING.md (and journal.json) from the state. When the session it described has
 * ended (completed, or replaced by another, now or by a writer that died before it could say
 * so), the current PLANNING.md is archived first and a fresh journal begins.
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
  const existing = readText(ws.paths.journal);
  const text = renderJournal(existing, state, { ...gatherFacts(ws), command });
  if (text !== existing) writeFileAtomic(ws.paths.journal, text);
  return archived;
}

/**
 * The journal state to change now, and, when the session the stored one describes has ended,
 * that stored state (to archive): then the state to change is a fresh one holding the
 * unfinished next steps. Changes nothing on disk.
 */
function currentJournal(
  ws: Workspace,
  events: BatonEvent[],
  now: Date,
): { state: JournalState; stored: JournalState; existed: boolean; ended: JournalState | null } {
  const at = now.toISOString();
  const { state: stored, existed } = readJournalFile(ws, at);
  const active = readActiveSession(ws)?.session_id ?? null;
  const types = events.map((e) => e.type);
  if (!sessionEnded(stored, active, types)) {
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
function archiveEnded(
  ws: Workspace,
  ended: JournalState,
  fresh: JournalState,
  now: Date,
): string | null {
  const existing = readText(ws.paths.journal);
  const kept = ended.notes.length + ended.decisions.length + ended.next.length > 0;
  const text = existing ?? (kept ? renderJournal(null, ended, gatherFacts(ws)) : null);
  const archived =
    text === null ? null : (alreadyArchived(ws, text) ?? archiveJournal(ws, text, now));
  writeJournalState(ws, fresh);
  removeFile(ws.paths.journal);
  return archived;
}

/** The newest archive when it holds exactly `text` (an archive a killed writer made), else null. */
function alreadyArchived(ws: Workspace, text: string): string | null {
  const newest = listArchives(ws).at(-1);
  if (newest === undefined) return null;
  const file = path.join(ws.paths.archive, newest);
  return readText(file) === text ? ws.rel(file) : null;
}

/**
 * Runs a journal command's change on the current journal. When the session the stored journal
 * describes ended without the journal being told (a writer killed in between), the change goes
 * to the fresh journal, and the old one is archived only once the change is known to be valid:
 * a refused command changes nothing.
 */
function changeJournal(
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

export interface JournalView {
  file: string;
  state: JournalState;
  text: string;
  archives: string[];
}

export function showJournal(ctx: AppContext): JournalView {
  const { ws } = ctx;
  const state = readJournalState(ws, isoNow(ctx));
  const text = readText(ws.paths.journal) ?? renderJournal(null, state, gatherFacts(ws));
  return { file: ws.rel(ws.paths.journal), state, text, archives: listArchives(ws) };
}

/** The kinds of `baton journal note|decide|next`. */
export const JOURNAL_KINDS = ["note", "decide", "next"] as const;
export type JournalKind = (typeof JOURNAL_KINDS)[number];

/** The journal list each kind adds to. */
export const JOURNAL_LIST_OF = {
  note: "notes",
  decide: "decisions",
  next: "next",
} as const satisfies Record<JournalKind, "notes" | "decisions" | "next">;

const EVENT_FOR: Record<JournalKind, string> = {
  note: "journal.note",
  decide: "journal.decision",
  next: "journal.next",
};

/** `baton journal note|decide|next "<text>"`: one timestamped entry; PLANNING.md follows. */
export function addJournalEntry(
  ctx: AppContext,
  kind: JournalKind,
  text: string,
): Promise<JournalState> {
  return withWorkspaceLock(ctx.ws, () => {
    const entry = { at: isoNow(ctx), text: oneLine(text) };
    const next = changeJournal(ctx, (state, at) => {
      entry.at = at;
      if (kind === "note") return { ...state, notes: [...state.notes, entry] };
      if (kind === "decide") return { ...state, decisions: [...state.decisions, entry] };
      return { ...state, next: [...state.next, { ...entry, done_at: null }] };
    });
    recordEvent(ctx.ws, EVENT_FOR[kind], entry.at, { text: entry.text });
    return next;
  });
}

/** `baton journal done <n>`. */
export function markNextStepDone(ctx: AppContext, n: number): Promise<JournalState> {
  return withWorkspaceLock(ctx.ws, () => {
    let ticked: string | null = null;
    const next = changeJournal(ctx, (state, at) => {
      const done = completeNextStep(state, n, at);
      if (done !== state) ticked = at;
      return done;
    });
    // Ticking a step already done changes nothing and records nothing.
    if (ticked !== null) {
      recordEvent(ctx.ws, "journal.done", ticked, { step: n, text: next.next[n - 1]?.text ?? "" });
    }
    return next;
  });
}

/**
 * `baton journal archive`: archives PLANNING.md as it is (or, when it was deleted, the journal
 * as rendered from journal.json, so no note or decision is dropped) and starts a fresh one.
 */
export function archiveJournalNow(
  ctx: AppContext,
): Promise<{ archived: string | null; file: string }> {
  return withWorkspaceLock(ctx.ws, () => {
    const now = ctx.now();
    const at = now.toISOString();
    const state = readJournalState(ctx.ws, at);
    const session = readActiveSession(ctx.ws)?.session_id ?? null;
    // Unfinished next steps are still to do, whichever way the journal was archived.
    const fresh = { ...carryOver(state, at), session };
    const archived = archiveEnded(ctx.ws, state, fresh, now);
    recordEvent(ctx.ws, "journal.archived", at, { archive: archived });
    return { archived, file: ctx.ws.rel(ctx.ws.paths.journal) };
  });
}
