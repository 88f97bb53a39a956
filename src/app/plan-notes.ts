import fs from "node:fs";
import { BatonError } from "../core/errors.ts";
import {
  NOTES_SECTIONS,
  notesSection,
  readNotesSection,
  renderNotes,
  replaceNotesSection,
} from "../core/plan/notes.ts";
import { readText, topicFile, writeText } from "../store/repo.ts";
import type { Workspace } from "../store/workspace.ts";

export const NOTES_FILE = "planning-notes.md";

export function notesPath(ws: Workspace, planId: string): string {
  return topicFile(ws, planId, NOTES_FILE);
}

/** Writes a fresh planning-notes.md unless the plan already has one; true when written. */
export function ensureNotes(ws: Workspace, planId: string, title: string): boolean {
  const file = notesPath(ws, planId);
  if (fs.existsSync(file)) return false;
  writeText(file, renderNotes(planId, title));
  return true;
}

/**
 * Rewrites one section of the plan's planning-notes.md (named by its key, e.g. `context`, or its
 * heading, e.g. `Context Findings (Phase 2)`), keeping every other byte. Creates the file when
 * missing. Call it inside `withWorkspaceLock`. True when the file changed.
 */
export function writeNotesSection(
  ws: Workspace,
  planId: string,
  heading: string,
  body: string,
): boolean {
  const section = notesSection(heading);
  if (!section) {
    throw new BatonError(
      "INVALID_INPUT",
      `planning-notes.md has no section ${JSON.stringify(heading)}`,
      `use one of: ${NOTES_SECTIONS.map((s) => s.key).join(", ")}`,
    );
  }
  const file = notesPath(ws, planId);
  const before = readText(file) ?? renderNotes(planId, planId);
  const after = replaceNotesSection(before, section.key, body);
  if (after === before && fs.existsSync(file)) return false;
  writeText(file, after);
  return true;
}

/** One section's body, or null when the notes or the section's markers are missing. */
export function readNotes(ws: Workspace, planId: string, heading: string): string | null {
  const section = notesSection(heading);
  const text = readText(notesPath(ws, planId));
  return section && text !== null ? readNotesSection(text, section.key) : null;
}
