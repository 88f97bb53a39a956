import { BatonError } from "../../core/errors.ts";
import {
  NOTES_SECTIONS,
  type NotesSectionKey,
  renderNotes,
  replaceNotesSection,
} from "../../core/plan/notes.ts";
import { readText, topicFile, writeText } from "../../store/repo.ts";
import type { Workspace } from "../../store/workspace.ts";

export const NOTES_FILE = "planning-notes.md";

export type NotesSections = Partial<Record<NotesSectionKey, string>>;

export function notesPath(ws: Workspace, planId: string): string {
  return topicFile(ws, planId, NOTES_FILE);
}

/**
 * Rewrites the given sections of the plan's planning-notes.md in one write, keeping every other
 * byte; a missing file is created first with every section's placeholder (titled `title`).
 * Call it inside `withWorkspaceLock`. True when the file changed.
 */
export function writeNotes(
  ws: Workspace,
  planId: string,
  sections: NotesSections,
  title: string = planId,
): boolean {
  const file = notesPath(ws, planId);
  const existing = readText(ws, file);
  let after = existing ?? renderNotes(planId, title);
  for (const [key, body] of Object.entries(sections) as [NotesSectionKey, string][]) {
    if (!NOTES_SECTIONS.some((s) => s.key === key)) {
      throw new BatonError(
        "INTERNAL",
        `planning-notes.md has no section ${JSON.stringify(key)}`,
        `use one of: ${NOTES_SECTIONS.map((s) => s.key).join(", ")}`,
      );
    }
    after = replaceNotesSection(after, key, body);
  }
  if (after === existing) return false;
  writeText(ws, file, after);
  return true;
}
