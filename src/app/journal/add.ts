import { type JournalState, oneLine } from "../../core/journal.ts";
import { assertPrintable } from "../../core/text.ts";
import { recordEvent } from "../../store/events.ts";
import { withWorkspaceLock } from "../../store/transaction.ts";
import { isoNow } from "../context.ts";
import { defineOperation } from "../operation.ts";
import { changeJournal } from "./current.ts";

/** The kinds of `baton journal note|decide|next`. */
export const JOURNAL_KINDS = ["note", "decide", "next"] as const;
export type JournalKind = (typeof JOURNAL_KINDS)[number];

/** The journal list each kind adds to. */
export const JOURNAL_LIST_OF = {
  note: "notes",
  decide: "decisions",
  next: "next",
} as const satisfies Record<JournalKind, "notes" | "decisions" | "next">;

const ENTRY_NAME: Record<JournalKind, string> = {
  note: "note",
  decide: "decision",
  next: "next step",
};

const EVENT_FOR: Record<JournalKind, string> = {
  note: "journal.note",
  decide: "journal.decision",
  next: "journal.next",
};

const EXAMPLE: Record<JournalKind, string> = {
  note: 'baton journal note "Tokens expire after 1 h"',
  decide: 'baton journal decide "Use arctic for OAuth"',
  next: 'baton journal next "Write the sign-in test"',
};

function variant(kind: JournalKind, summary: string) {
  return {
    path: ["journal", kind],
    fixed: { kind },
    summary,
    examples: [EXAMPLE[kind], `${EXAMPLE[kind]} --json`],
  };
}

/** `baton journal note|decide|next "<text>"`: one timestamped entry; PLANNING.md follows. */
export const addJournalEntry = defineOperation({
  name: "journal add",
  summary: "add a note, a decision or a next step to the journal",
  examples: JOURNAL_KINDS.map((kind) => EXAMPLE[kind]),
  access: "write",
  input: {
    kind: {
      type: "enum",
      values: JOURNAL_KINDS,
      required: true,
      description: "note (a finding), decide (a decision) or next (a next step)",
    },
    text: {
      type: "string",
      min: 1,
      required: true,
      description: "one line",
      cli: { positional: true, rest: true },
    },
  },
  cli: {
    variants: [
      variant("note", "record a finding under Gathered State"),
      variant("decide", "record a decision, timestamped"),
      variant("next", "add a next step to the checklist"),
    ],
  },
  tool: {
    name: "journal_add",
    description: "Add a note, a decision or a next step to the journal.",
  },
  run(env, input): Promise<JournalState> {
    const ctx = env.context();
    const { kind } = input;
    const printable = assertPrintable(input.text, ENTRY_NAME[kind], true);
    return withWorkspaceLock(ctx.ws, () => {
      const entry = { at: isoNow(ctx), text: oneLine(printable) };
      const next = changeJournal(ctx, (state, at) => {
        entry.at = at;
        if (kind === "note") return { ...state, notes: [...state.notes, entry] };
        if (kind === "decide") return { ...state, decisions: [...state.decisions, entry] };
        return { ...state, next: [...state.next, { ...entry, done_at: null }] };
      });
      recordEvent(ctx.ws, EVENT_FOR[kind], entry.at, { text: entry.text });
      return next;
    });
  },
});
