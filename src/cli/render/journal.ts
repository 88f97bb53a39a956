import type { JournalKind } from "../../app/journal/add.ts";
import type { ArchiveResult } from "../../app/journal/archive.ts";
import type { ResumeBrief } from "../../app/journal/resume.ts";
import type { JournalView } from "../../app/journal/show.ts";
import type { JournalState } from "../../core/journal.ts";
import { renderBrief } from "../../core/resume.ts";
import type { Render } from "../derive.ts";

function renderAdded(state: JournalState, input: { kind?: JournalKind }): string {
  if (input.kind === "next") return `Next step ${state.next.length} added to PLANNING.md`;
  if (input.kind === "decide") return `Decision ${state.decisions.length} recorded in PLANNING.md`;
  return `Note ${state.notes.length} added to PLANNING.md`;
}

function renderDone(state: JournalState): string {
  return `${state.next.filter((s) => s.done_at).length} of ${state.next.length} next steps done`;
}

function renderArchived(r: ArchiveResult): string {
  return r.archived
    ? `Archived to ${r.archived}; ${r.file} starts afresh`
    : `Nothing to archive; ${r.file} starts afresh`;
}

export const journalRenderers: Readonly<Record<string, Render>> = {
  "journal show": ((r: JournalView) => r.text.trimEnd()) as Render,
  "journal add": renderAdded as Render,
  "journal done": renderDone as Render,
  "journal archive": renderArchived as Render,
  resume: ((r: ResumeBrief) => renderBrief(r)) as Render,
};
