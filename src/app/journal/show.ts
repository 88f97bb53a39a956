import { type JournalState, renderJournal } from "../../core/journal.ts";
import {
  journalFileName,
  listArchives,
  readJournalState,
  readJournalText,
} from "../../store/journal.ts";
import { type AppContext, isoNow } from "../context.ts";
import { defineOperation } from "../operation.ts";
import { journalFacts } from "../read/facts.ts";

export interface JournalView {
  file: string;
  state: JournalState;
  text: string;
  archives: string[];
}

/** The journal as it stands: PLANNING.md (rendered from the state when it is missing), its state and archives. */
export function showJournal(ctx: AppContext): JournalView {
  const { ws } = ctx;
  const state = readJournalState(ws, isoNow(ctx));
  const text = readJournalText(ws) ?? renderJournal(null, state, journalFacts(ws));
  return { file: journalFileName(ws), state, text, archives: listArchives(ws) };
}

const SHOW = { fixed: {} } as const;

export const showJournalOperation = defineOperation({
  name: "journal show",
  summary: "print PLANNING.md, the live journal",
  description:
    "PLANNING.md mirrors the active session, spec, tickets, decisions and next steps; every state-changing command rewrites its generated sections and keeps everything else.",
  examples: ["baton journal", "baton journal show --json"],
  access: "read",
  input: {},
  cli: {
    variants: [
      { path: ["journal"], ...SHOW },
      { path: ["journal", "show"], ...SHOW },
    ],
  },
  tool: {
    description:
      "The journal, PLANNING.md: notes, decisions, next steps (numbered for journal_done) and archives, oldest first, paged.",
    more: "the whole journal is the file named by `file`",
  },
  run: (env): JournalView => showJournal(env.context()),
});
