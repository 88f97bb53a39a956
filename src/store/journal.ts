import fs from "node:fs";
import path from "node:path";
import {
  archiveName,
  type JournalState,
  newJournalState,
  parseJournalState,
} from "../core/journal.ts";
import { ioError, tempPathFor, writeFileAtomic } from "./atomic.ts";
import { readJsonOrNull, writeJson } from "./files.ts";
import type { Workspace } from "./workspace.ts";

export function journalStatePath(ws: Workspace): string {
  return path.join(ws.paths.batonDir, "journal.json");
}

export function readJournalState(ws: Workspace, now: string): JournalState {
  const file = journalStatePath(ws);
  const data = readJsonOrNull(file, ws.rel(file));
  return data ? parseJournalState(data, ws.rel(file)) : newJournalState(now);
}

export function writeJournalState(ws: Workspace, state: JournalState): void {
  writeJson(journalStatePath(ws), state);
}

/**
 * Copies PLANNING.md into the archive under a name no other archive has, never replacing one:
 * the bytes go to a temp file first, then `link(2)` publishes it, which fails rather than
 * overwrite when the name is taken (two archives in one second get `-2`, `-3`…).
 */
export function archiveJournal(ws: Workspace, text: string, date: Date): string {
  fs.mkdirSync(ws.paths.archive, { recursive: true });
  const temp = tempPathFor(path.join(ws.paths.archive, "PLANNING.md"));
  writeFileAtomic(temp, text);
  try {
    for (let n = 1; n < 1000; n++) {
      const target = path.join(ws.paths.archive, archiveName(date, n));
      try {
        fs.linkSync(temp, target);
        return ws.rel(target);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST")
          throw ioError(error, `archive to ${ws.rel(target)}`);
      }
    }
    throw ioError(
      Object.assign(new Error("too many archives"), { code: "EEXIST" }),
      "archive PLANNING.md",
    );
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

/** The archives, oldest first (`-2` after the plain name of the same second, `-10` after `-9`). */
export function listArchives(ws: Workspace): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(ws.paths.archive).filter((name) => /^PLANNING-.*\.md$/.test(name));
  } catch {
    return [];
  }
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
