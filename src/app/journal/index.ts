import { type AnyOperation, inToolset } from "../operation.ts";
import { addJournalEntry } from "./add.ts";
import { archiveJournalNow } from "./archive.ts";
import { markNextStepDone } from "./done.ts";
import { resume } from "./resume.ts";
import { showJournalOperation } from "./show.ts";

export const JOURNAL_OPERATIONS: readonly AnyOperation[] = inToolset("journal", [
  showJournalOperation,
  addJournalEntry,
  markNextStepDone,
  archiveJournalNow,
  resume,
]);
