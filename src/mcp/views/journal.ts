/**
 * How the journal's tools answer an agent: its lists paged alike with the steps numbered for
 * journal_done, what an entry changed rather than the whole journal, and resume packed again
 * when its brief is over the size cap.
 */
import type { JournalKind } from "../../app/journal/add.ts";
import { JOURNAL_LIST_OF } from "../../app/journal/add.ts";
import { MIN_JSON_BUDGET, type ResumeBrief } from "../../app/journal/resume.ts";
import type { JournalView } from "../../app/journal/show.ts";
import type { AnyOperation, OpEnv } from "../../app/operation.ts";
import { TOOL_PAGE_FIELDS } from "../../app/paging.ts";
import type { JournalState } from "../../core/journal.ts";
import { jsonBytes, MAX_RESULT_BYTES } from "../cap.ts";
import { type PageArgs, type PageNote, pageLists } from "../inputs.ts";
import type { ToolView } from "../tool-view.ts";

type NumberedStep = JournalState["next"][number] & { n: number };

interface JournalPage {
  file: string;
  state: Omit<JournalState, "next"> & { next: NumberedStep[] };
  archives: string[];
  page: PageNote<"notes" | "decisions" | "next" | "archives">;
  text?: string;
}

/** The journal with its lists paged alike; next steps carry the number journal_done takes. */
function journalPage(view: JournalView, args: PageArgs & { text?: boolean }): JournalPage {
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

function totals(state: JournalState) {
  return {
    notes: state.notes.length,
    decisions: state.decisions.length,
    next: state.next.length,
    next_done: state.next.filter((s) => s.done_at !== null).length,
  };
}

/** What journal_add changed: the entry, its number in its list, and the journal's totals. */
function journalAdded(state: JournalState, args: { kind: JournalKind }) {
  const list = state[JOURNAL_LIST_OF[args.kind]];
  return { kind: args.kind, n: list.length, entry: list.at(-1) ?? null, totals: totals(state) };
}

/** What journal_done changed: the step ticked and how many are done. */
function journalTicked(state: JournalState, args: { n: number }) {
  return { n: args.n, step: state.next[args.n - 1] ?? null, totals: totals(state) };
}

/**
 * resume packs its brief to a token budget, but tokens are not bytes (a Japanese note costs
 * three bytes a character): a brief over the size cap is packed again to a smaller budget, so
 * it is cut where resume cuts, with its own "… N more" pointers, rather than mid-list.
 */
async function resumeWithinCap(
  env: OpEnv,
  input: Record<string, unknown>,
  op: AnyOperation,
): Promise<ResumeBrief & { requested_budget?: number }> {
  const pack = async (budget?: number): Promise<ResumeBrief> =>
    op.run(env, budget === undefined ? input : { ...input, budget });
  let brief = await pack();
  const requested = brief.budget;
  for (let i = 0; i < 4; i++) {
    const bytes = jsonBytes(brief);
    if (bytes <= MAX_RESULT_BYTES) break;
    // At the smallest budget the size cap cuts whatever is still over.
    const budget = Math.max(
      MIN_JSON_BUDGET,
      Math.floor((brief.budget * MAX_RESULT_BYTES * 0.9) / bytes),
    );
    if (budget >= brief.budget) break;
    brief = await pack(budget);
  }
  return brief.budget === requested ? brief : { ...brief, requested_budget: requested };
}

export const journalViews: Readonly<Record<string, ToolView>> = {
  "journal show": {
    input: {
      text: { type: "boolean", description: "include the rendered PLANNING.md (default false)" },
      ...TOOL_PAGE_FIELDS,
    },
    shape: journalPage,
    cut: ["state.notes", "state.decisions", "state.next", "archives"],
  },
  "journal add": { shape: journalAdded },
  "journal done": { shape: journalTicked },
  resume: { run: resumeWithinCap },
};
