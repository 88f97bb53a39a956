import path from "node:path";
import {
  archiveName,
  type JournalState,
  newJournalState,
  parseJournalState,
} from "../core/journal.ts";
import { ioError } from "./atomic.ts";
import {
  createNewFile,
  listNames,
  readJsonOrNull,
  readTextOrNull,
  removeFile,
  writeJson,
  writeText,
} from "./files.ts";
import type { Workspace } from "./workspace.ts";

/** PLANNING.md as the workspace names it (`journal.file`), relative to its root. */
export function journalFileName(ws: Workspace): string {
  return ws.rel(ws.paths.journal);
}

/** PLANNING.md's text, or null when there is none. */
export function readJournalText(ws: Workspace): string | null {
  return readTextOrNull(ws, ws.paths.journal);
}

export function writeJournalText(ws: Workspace, text: string): void {
  writeText(ws, ws.paths.journal, text);
}

/** Removes PLANNING.md, so the next render starts afresh. */
export function removeJournalText(ws: Workspace): void {
  removeFile(ws, ws.paths.journal);
}

export function journalStatePath(ws: Workspace): string {
  return path.join(ws.paths.batonDir, "journal.json");
}

export function readJournalState(ws: Workspace, now: string): JournalState {
  return readJournalFile(ws, now).state;
}

/** The journal state, and whether journal.json exists yet (a fresh state when it does not). */
export function readJournalFile(
  ws: Workspace,
  now: string,
): { state: JournalState; existed: boolean } {
  const file = journalStatePath(ws);
  const data = readJsonOrNull(ws, file, ws.rel(file));
  return data
    ? { state: parseJournalState(data, ws.rel(file)), existed: true }
    : { state: newJournalState(now), existed: false };
}

export function writeJournalState(ws: Workspace, state: JournalState): void {
  writeJson(ws, journalStatePath(ws), state);
}

/**
 * Copies PLANNING.md into the archive under a name no other archive has, never replacing one:
 * the bytes go to a temp file first, then `link(2)` publishes it, which fails rather than
 * overwrite when the name is taken (two archives in one second get `-2`, `-3`…).
 */
export function archiveJournal(ws: Workspace, text: string, date: Date): string {
  const names = Array.from({ length: 999 }, (_, i) =>
    path.join(ws.paths.archive, archiveName(date, i + 1)),
  );
  const archived = createNewFile(ws, text, names);
  if (archived === null) {
    throw ioError(
      Object.assign(new Error("too many archives"), { code: "EEXIST" }),
      "archive PLANNING.md",
    );
  }
  return ws.rel(archived);
}

/** The archives, oldest first (`-2` after the plain name of the same second, `-10` after `-9`). */
export function listArchives(ws: Workspace): string[] {
  const names = (listNames(ws, ws.paths.archive) ?? []).filter((name) =>
    /^PLANNING-.*\.md$/.test(name),
  );
  const key = (name: string): [string, number] => {
    const m = /^PLANNING-(\d{4}-\d{2}-\d{2}-\d{6})(?:-(\d+))?\.md$/.exec(name);
    return m ? [m[1] as string, Number(m[2] ?? 1)] : [name, 0];
  };
  return names.sort((a, b) => {
    const [sa, na] = key(a);
    const [sb, nb] = key(b);
    return sa < sb ? -1 : sa > sb ? 1 : na - nb;
  });
}

/** The newest archive when it holds exactly `text` (relative to the root), else null. */
export function newestArchiveHolding(ws: Workspace, text: string): string | null {
  const newest = listArchives(ws).at(-1);
  if (newest === undefined) return null;
  const file = path.join(ws.paths.archive, newest);
  return readTextOrNull(ws, file) === text ? ws.rel(file) : null;
}
