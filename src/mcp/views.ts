import { JOURNAL_LIST_OF, type JournalKind, type JournalView } from "../app/journal.ts";
import type { JournalState } from "../core/journal.ts";
import { type PageArgs, type PageNote, pageLists } from "./inputs.ts";

/**
 * Compact answers for the tools whose CLI results grow with the work (every task, every note):
 * the same facts, paged, so an agent reads a page and asks for the next.
 */

type NumberedStep = JournalState["next"][number] & { n: number };

interface JournalPage {
  file: string;
  state: Omit<JournalState, "next"> & { next: NumberedStep[] };
  archives: string[];
  page: PageNote<"notes" | "decisions" | "next" | "archives">;
  text?: string;
}

/** The journal with its lists paged alike; next steps carry the number journal_done takes. */
export function journalPage(view: JournalView, args: PageArgs & { text?: boolean }): JournalPage {
  const { state } = view;
  const lists = pageLists(
    {
      notes: state.notes,
      decisions: state.decisions,
      next: state.next.map((step, i) => ({ n: i + 1, ...step })),
      archives: view.archives,
    },
    ["notes", "decisions", "next", "archives"],
    args,
  );
  const { notes, decisions, next, archives, page } = lists;
  return {
    file: view.file,
    state: { ...state, notes, decisions, next },
    archives,
    page,
    ...(args.text ? { text: view.text } : {}),
  };
}

/** The lists journal_show pages, as the size cap names them. */
export const JOURNAL_LISTS = ["state.notes", "state.decisions", "state.next", "archives"] as const;

function totals(state: JournalState) {
  return {
    notes: state.notes.length,
    decisions: state.decisions.length,
    next: state.next.length,
    next_done: state.next.filter((s) => s.done_at !== null).length,
  };
}

/** What journal_add changed: the entry, its number in its list, and the journal's totals. */
export function journalAdded(kind: JournalKind, state: JournalState) {
  const list = state[JOURNAL_LIST_OF[kind]];
  return {
    kind,
    n: list.length,
    entry: list.at(-1) ?? null,
    totals: totals(state),
  };
}

/** What journal_done changed: the step ticked and how many are done. */
export function journalTicked(n: number, state: JournalState) {
  return { n, step: state.next[n - 1] ?? null, totals: totals(state) };
}
