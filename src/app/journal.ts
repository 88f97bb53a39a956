import fs from "node:fs";
import {
  carryOver,
  completeNextStep,
  type JournalFacts,
  type JournalState,
  oneLine,
  renderJournal,
} from "../core/journal.ts";
import type { PlanningSession } from "../core/session.ts";
import { writeFileAtomic } from "../store/atomic.ts";
import { type BatonEvent, readEvents, recordEvent } from "../store/events.ts";
import {
  archiveJournal,
  listArchives,
  readJournalState,
  writeJournalState,
} from "../store/journal.ts";
import { readActiveSession, readText, topicDocPath } from "../store/repo.ts";
import { readActiveSpec, readSpecStatus } from "../store/specs.ts";
import { ticketOverview } from "../store/ticket-cache.ts";
import { withWorkspaceLock } from "../store/transaction.ts";
import type { Workspace } from "../store/workspace.ts";
import { planTasks } from "./backlog.ts";
import { type AppContext, isoNow } from "./context.ts";
import { nextSteps } from "./status.ts";

const OPEN_STATUSES = ["todo", "in_progress", "blocked"] as const;
/** Events after which the journal describes a session that is over: archive it, start afresh. */
const SESSION_ENDINGS = new Set(["session.completed", "session.archived"]);

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
    spec: activeSpecFacts(ws),
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

function sessionPlanTasks(ws: Workspace, session: PlanningSession | null): number | null {
  if (!session?.plan || !fs.existsSync(topicDocPath(ws, session.plan))) return null;
  return planTasks(ws, session.plan).length;
}

function activeSpecFacts(ws: Workspace): JournalFacts["spec"] {
  try {
    const name = readActiveSpec(ws);
    const status = name ? readSpecStatus(ws, name) : null;
    return status
      ? { name: status.name, stage: status.stage, last_known_branch: status.last_known_branch }
      : null;
  } catch {
    // A broken spec file is reported by the spec commands; the journal still renders.
    return null;
  }
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
 * ended (completed, or replaced by another), the current PLANNING.md is archived first and a
 * fresh journal begins.
 */
export function refreshJournal(
  ws: Workspace,
  events: BatonEvent[],
  command: string | null,
  now: Date,
): string | null {
  const at = now.toISOString();
  let state = readJournalState(ws, at);
  let archived: string | null = null;
  const existing = readText(ws.paths.journal);
  if (events.some((e) => SESSION_ENDINGS.has(e.type))) {
    // A PLANNING.md deleted by hand still has its notes and decisions in journal.json: they
    // are archived as rendered now rather than dropped.
    const kept = state.notes.length + state.decisions.length + state.next.length > 0;
    const text = existing ?? (kept ? renderJournal(null, state, gatherFacts(ws)) : null);
    if (text !== null) archived = archiveJournal(ws, text, now);
    state = carryOver(state, at);
  }
  state = { ...state, last_command: command ?? state.last_command };
  writeJournalState(ws, state);
  const base = archived ? null : existing;
  const text = renderJournal(base, state, gatherFacts(ws));
  if (text !== existing) writeFileAtomic(ws.paths.journal, text);
  return archived;
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

export type JournalKind = "note" | "decide" | "next";

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
    const at = isoNow(ctx);
    const state = readJournalState(ctx.ws, at);
    const entry = { at, text: oneLine(text) };
    const next: JournalState =
      kind === "note"
        ? { ...state, notes: [...state.notes, entry] }
        : kind === "decide"
          ? { ...state, decisions: [...state.decisions, entry] }
          : { ...state, next: [...state.next, { ...entry, done_at: null }] };
    writeJournalState(ctx.ws, next);
    recordEvent(ctx.ws, EVENT_FOR[kind], at, { text: entry.text });
    return next;
  });
}

/** `baton journal done <n>`. */
export function markNextStepDone(ctx: AppContext, n: number): Promise<JournalState> {
  return withWorkspaceLock(ctx.ws, () => {
    const at = isoNow(ctx);
    const state = readJournalState(ctx.ws, at);
    const next = completeNextStep(state, n, at);
    if (next !== state) {
      writeJournalState(ctx.ws, next);
      recordEvent(ctx.ws, "journal.done", at, { step: n, text: state.next[n - 1]?.text ?? "" });
    }
    return next;
  });
}

/** `baton journal archive`: archives PLANNING.md as it is and starts a fresh one. */
export function archiveJournalNow(
  ctx: AppContext,
): Promise<{ archived: string | null; file: string }> {
  return withWorkspaceLock(ctx.ws, () => {
    const now = ctx.now();
    const existing = readText(ctx.ws.paths.journal);
    const archived = existing === null ? null : archiveJournal(ctx.ws, existing, now);
    // Unfinished next steps are still to do, whichever way the journal was archived.
    const state = readJournalState(ctx.ws, now.toISOString());
    writeJournalState(ctx.ws, carryOver(state, now.toISOString()));
    fs.rmSync(ctx.ws.paths.journal, { force: true });
    recordEvent(ctx.ws, "journal.archived", now.toISOString(), { archive: archived });
    return { archived, file: ctx.ws.rel(ctx.ws.paths.journal) };
  });
}
