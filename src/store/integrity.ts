/**
 * What `baton doctor` needs of the disk beyond the readers every command uses: the logs Baton
 * keeps, line by line (every refusal, not the first), the files and folders it names by id, and
 * the few repairs that rewrite a log. Everything goes through the guarded file layer.
 */
import path from "node:path";
import { type LogScan, repeatedLines, scanLog } from "../core/doctor.ts";
import { isPlanningSessionId, isTicketId, isTopicId, topicTypeOf } from "../core/ids.ts";
import { parseCatalogLogLine } from "./catalog-file.ts";
import { parseEventLine } from "./events.ts";
import { exists, listEntries, listNames, readTextOrNull, writeText } from "./files.ts";
import type { Workspace } from "./workspace.ts";

/** A JSON Lines log Baton appends to and git merges by union. */
export interface StateLog {
  /** `events` (every state change) or `catalog` (index.json's recent changes). */
  kind: string;
  shown: string;
  /** Each line read by the log's own reader; null when the log does not exist. */
  scan(): LogScan<unknown> | null;
  /**
   * What makes two lines one record: an event's id (events written before ids stay, however
   * alike), a snapshot's whole text.
   */
  key(record: unknown): string | null;
}

/**
 * Every log: the event log and the catalog's log. Per-spec logs (work sessions' timelines) join
 * this list, so doctor checks and repairs them alike.
 */
export function stateLogs(ws: Workspace): StateLog[] {
  const log = (
    kind: string,
    file: string,
    parse: (line: string, shown: string, n: number) => unknown,
    key: StateLog["key"],
  ): StateLog => {
    const shown = ws.rel(file);
    return {
      kind,
      shown,
      key,
      scan() {
        const text = readTextOrNull(ws, file);
        return text === null ? null : scanLog(text, (line, n) => parse(line, shown, n));
      },
    };
  };
  return [
    log("events", ws.paths.events, parseEventLine, (e) => {
      const id = (e as { id?: unknown }).id;
      return typeof id === "string" ? id : null;
    }),
    log("catalog", ws.paths.indexLog, parseCatalogLogLine, (t) => JSON.stringify(t)),
  ];
}

/**
 * Rewrites the log named `shown` without its torn last line and with each line held twice, byte
 * for byte, kept once (the first). Nothing else is touched; a line that does not parse stays.
 * Under the lock, in the transaction. What it did, or null when there was nothing to do.
 */
export function cleanLog(ws: Workspace, shown: string): { cut: boolean; dropped: number } | null {
  const log = stateLogs(ws).find((l) => l.shown === shown);
  const file = logFile(ws, shown);
  const text = file === null ? null : readTextOrNull(ws, file);
  if (!log || file === null || text === null) return null;
  const scan = log.scan();
  if (scan === null) return null;
  const drop = new Set(repeatedLines(scan, log.key));
  const lines = text.split("\n");
  const kept = lines.filter((_, i) => !drop.has(i + 1));
  let out = kept.join("\n");
  const cut = scan.torn !== null;
  if (cut) out = out.slice(0, out.lastIndexOf("\n") + 1);
  if (out === text) return null;
  writeText(ws, file, out);
  return { cut, dropped: drop.size };
}

function logFile(ws: Workspace, shown: string): string | null {
  for (const file of [ws.paths.events, ws.paths.indexLog]) if (ws.rel(file) === shown) return file;
  return null;
}

/** The single state files doctor reads by what they are (absolute paths). */
export function stateFiles(ws: Workspace): {
  catalog: string;
  activeSession: string;
  journal: string;
} {
  return { catalog: ws.paths.index, activeSession: ws.paths.active, journal: ws.paths.journal };
}

/**
 * The crash marker left by a writer that died inside its transaction, or null when there is
 * none or its writer (the pid its undo log's header names) is alive here, still writing.
 */
export function deadWritersMarker(ws: Workspace): { shown: string } | null {
  const text = readTextOrNull(ws, ws.paths.dirtyMarker);
  if (text === null) return null;
  let pid: unknown = null;
  try {
    pid = (JSON.parse(text.split("\n", 1)[0] as string) as { pid?: unknown }).pid;
  } catch {
    // No header: an older Baton's marker, or one torn before its header was written.
  }
  if (typeof pid === "number" && Number.isSafeInteger(pid) && pid > 0 && isAlive(pid)) return null;
  return { shown: ws.rel(ws.paths.dirtyMarker) };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** One folder in the topics folder, named like a topic or not. */
export interface TopicFolder {
  name: string;
  shown: string;
  /** A topic id whose main document (`seed.md`…) is there. */
  hasDoc: boolean;
  /** Its Markdown files (absolute), for the conflict-marker check. */
  markdown: string[];
}

/** The folders of the topics folder, hidden ones and plain files aside. */
export function topicFolders(ws: Workspace): TopicFolder[] {
  const out: TopicFolder[] = [];
  for (const entry of listEntries(ws, ws.paths.topics) ?? []) {
    if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
    const dir = path.join(ws.paths.topics, entry.name);
    const valid = isTopicId(entry.name);
    const markdown = (listNames(ws, dir) ?? [])
      .filter((name) => name.endsWith(".md") && !name.startsWith("."))
      .sort()
      .map((name) => path.join(dir, name));
    out.push({
      name: entry.name,
      shown: ws.rel(dir),
      hasDoc: valid && exists(ws, path.join(dir, `${topicTypeOf(entry.name)}.md`)),
      markdown,
    });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** A file in a folder of records named by id (sessions, tickets): its id, and whether it is one. */
export interface IdFile {
  id: string;
  file: string;
  shown: string;
  valid: boolean;
}

/** `sessions/*.json`: every snapshot file, named like a session id or not. */
export function snapshotFiles(ws: Workspace): IdFile[] {
  return idFiles(ws, ws.paths.sessions, ".json", isPlanningSessionId);
}

/** `tickets/*.md`: every ticket file, named like a ticket id or not. */
export function ticketFiles(ws: Workspace): IdFile[] {
  return idFiles(ws, ws.paths.tickets, ".md", isTicketId);
}

function idFiles(
  ws: Workspace,
  dir: string,
  ext: string,
  valid: (id: string) => boolean,
): IdFile[] {
  return (listNames(ws, dir) ?? [])
    .filter((name) => name.endsWith(ext) && !name.startsWith("."))
    .sort()
    .map((name) => {
      const id = name.slice(0, -ext.length);
      const file = path.join(dir, name);
      return { id, file, shown: ws.rel(file), valid: valid(id) };
    });
}
