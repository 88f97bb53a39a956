/**
 * The read model of the workspace: the facts `status`, `resume` and the journal show (the active
 * session and its plan's task count, the active spec, the open tickets, the recent changes, what
 * to do next), each read once from store. Verbs and the journal's refresh after every write read
 * them here rather than calling one another.
 */
import { summarizeEvent } from "../../core/event-summary.ts";
import { type JournalFacts, sinceLastArchive } from "../../core/journal.ts";
import { readEvents } from "../../store/events.ts";
import type { Workspace } from "../../store/workspace.ts";
import { nextSteps } from "./next-steps.ts";
import { planningSessionFacts } from "./planning-session.ts";
import { activeSpecSummary } from "./spec.ts";
import { ticketFacts } from "./tickets.ts";
import { activeSpecWork } from "./work.ts";

/** Everything the journal and `resume` show, read from Baton's state. Never throws on a bad spec. */
export function journalFacts(ws: Workspace, eventLimit = 8): JournalFacts {
  const { session, plan_tasks } = planningSessionFacts(ws);
  const tickets = ticketFacts(ws);
  const spec = activeSpecSummary(ws);
  const work = spec?.stage === "implementing" ? activeSpecWork(ws, spec.name, new Date()) : null;
  return {
    session,
    plan_tasks,
    spec,
    ...(work ? { work } : {}),
    ...tickets,
    // A fresh journal tells only of changes since the last one was archived: the rest are the
    // archived session's, and its archive holds them.
    recent_events: sinceLastArchive(readEvents(ws, eventLimit)).map((e) => ({
      at: e.at,
      summary: summarizeEvent(e),
    })),
    suggestions: nextSteps(session, plan_tasks, tickets.open_ticket_count),
  };
}
