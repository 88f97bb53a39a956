import fs from "node:fs";
import path from "node:path";
import { type BatonError, corruptFile } from "../core/errors.ts";
import { idRandom, newEventId } from "../core/ids.ts";
import { checkSchemaVersion, SCHEMA_VERSION } from "../core/schema.ts";
import { appendLine, openForRead, readTextOrNull, statOrNull, writeCache } from "./files.ts";
import { isUnsafePath } from "./guard.ts";
import type { Workspace } from "./workspace.ts";

/**
 * One line of the append-only event log: every state change Baton makes. `id` is random, so two
 * clones never make the same one and a line met twice after a merge is read once; events written
 * before ids existed have none.
 */
export interface BatonEvent {
  schema_version: number;
  id?: string;
  at: string;
  type: string;
  [key: string]: unknown;
}

/**
 * The command a workspace handle was opened for (`baton spike`, `baton mcp plan_tasks`),
 * recorded with every event it makes so the log says which command changed what. Kept on the
 * handle: the MCP server opens one handle per request.
 */
export function setEventSource(ws: Workspace, command: string | null): void {
  ws.source = command;
}

export function recordEvent(
  ws: Workspace,
  type: string,
  at: string,
  data: Record<string, unknown> = {},
): void {
  const event: BatonEvent = {
    schema_version: SCHEMA_VERSION,
    // Unique, not secret: Math.random (seeded per process) costs nothing, where Web Crypto's
    // first call costs a command about 15 ms, and every write records an event.
    id: newEventId(idRandom),
    at,
    type,
  };
  // A data key named like an envelope field (`type`, `at`, `command`) must never overwrite it.
  const source = ws.source ?? undefined;
  for (const [key, value] of Object.entries(data)) {
    if (!(key in event) && !(source !== undefined && key === "command")) event[key] = value;
  }
  if (source !== undefined) event.command = source;
  // Inside a transaction the event waits for its commit, so the log never tells of a change a
  // failed command did not make.
  if (ws.tx) ws.tx.events.push(event);
  else appendEvents(ws, [event]);
}

/**
 * Appends to the log only after checking it, like every other state file is checked before it
 * is changed: a line that is not an event, or one from a newer Baton, refuses the append.
 * Reading the whole log on every write would cost more the longer the log grows, so the check
 * is remembered per machine (`cache/events.checked`: the inode, size and mtime it was valid
 * at) and the log is read again only when something else changed it (git, an editor).
 */
export function appendEvents(ws: Workspace, events: readonly BatonEvent[]): void {
  if (events.length === 0) return;
  const file = ws.paths.events;
  const checkpoint = path.join(ws.paths.batonDir, "cache", "events.checked");
  const before = stampOf(ws, file);
  if (before !== null && readTextOrNull(ws, checkpoint)?.trim() !== before) checkEventLog(ws);
  appendLine(ws, file, events.map((e) => JSON.stringify(e)).join("\n"));
  const after = stampOf(ws, file);
  if (after !== null) writeCache(ws, checkpoint, `${after}\n`);
}

function stampOf(ws: Workspace, file: string): string | null {
  const stat = statOrNull(ws, file, true);
  return stat === null ? null : `${stat.ino}:${stat.size}:${stat.mtimeNs}`;
}

/** Every whole line of the log is an event this Baton understands; a torn last line is fine. */
function checkEventLog(ws: Workspace): void {
  const text = readTextOrNull(ws, ws.paths.events);
  if (text === null) return;
  const lines = text.split("\n");
  const shown = ws.rel(ws.paths.events);
  // The last element is what follows the final newline: empty, or a torn line (tolerated).
  for (let i = 0; i < lines.length - 1; i++) parseEventLine(lines[i] as string, shown, i + 1);
}

/** One line of the log as an event; blank is null; anything else is refused. */
export function parseEventLine(line: string, shown: string, n: number | null): BatonEvent | null {
  if (line.trim() === "") return null;
  let event: unknown;
  try {
    event = JSON.parse(line);
  } catch {
    throw badEventLine(shown, n, `is not a valid event line: ${JSON.stringify(line.slice(0, 60))}`);
  }
  const record = checkSchemaVersion(event, shown, n ?? undefined);
  if (typeof record.type !== "string" || typeof record.at !== "string") {
    throw badEventLine(shown, n, "is not an event (it has no type or at)");
  }
  return record as BatonEvent;
}

function badEventLine(shown: string, n: number | null, cause: string): BatonError {
  const which = n === null ? "the bad line" : `line ${n}`;
  return corruptFile(
    shown,
    cause,
    `fix or remove ${which} of ${shown}, or restore the file from git; Baton left it untouched`,
    n ?? undefined,
  );
}

/**
 * The last `limit` events, newest last, read from the end of the log so the cost does not grow
 * with its length. A torn last line (a writer killed or out of space mid-append) is skipped
 * rather than failing the read, and cut off by the next append (see appendLine); any other line
 * that is not an event this Baton understands is refused, as in every other state file. An
 * event whose id was already read (the log merges by union in git) is read once.
 */
export function readEvents(ws: Workspace, limit = 50): BatonEvent[] {
  const shown = ws.rel(ws.paths.events);
  for (let want = limit; ; want *= 2) {
    const { lines, whole } = tailLines(ws, ws.paths.events, want);
    const seen = new Set<string>();
    const events: BatonEvent[] = [];
    // The last element follows the final newline: empty, or a torn line.
    for (let i = lines.length - 2; i >= 0 && events.length < limit; i--) {
      const event = parseEventLine(lines[i] as string, shown, null);
      if (!event) continue;
      if (typeof event.id === "string") {
        if (seen.has(event.id)) continue;
        seen.add(event.id);
      }
      events.push(event);
    }
    // Duplicates took places in the window: read further back unless the log has no more.
    if (events.length >= limit || whole) return events.reverse();
  }
}

/**
 * At least `count` complete lines from the end of `file` (fewer if the file has fewer), and
 * whether they are the whole file.
 */
function tailLines(
  ws: Workspace,
  file: string,
  count: number,
): { lines: string[]; whole: boolean } {
  let fd: number | null;
  try {
    fd = openForRead(ws, file);
  } catch (error) {
    if (isUnsafePath(error)) throw error;
    return { lines: [], whole: true };
  }
  if (fd === null) return { lines: [], whole: true };
  try {
    const size = fs.fstatSync(fd).size;
    let start = size;
    let buffer = Buffer.alloc(0);
    let newlines = 0;
    // Events are a few hundred bytes: a small first read usually holds every line asked for.
    let step = Math.max(4096, count * 512);
    while (start > 0) {
      const from = Math.max(0, start - step);
      const chunk = Buffer.allocUnsafe(start - from);
      fs.readSync(fd, chunk, 0, chunk.length, from);
      for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) newlines++;
      buffer = buffer.length === 0 ? chunk : Buffer.concat([chunk, buffer]);
      start = from;
      // One extra line: the first one in the buffer may be cut in half.
      if (newlines > count + 1) break;
      step *= 2;
    }
    const lines = buffer.toString("utf8").split("\n");
    return start > 0 ? { lines: lines.slice(1), whole: false } : { lines, whole: true };
  } finally {
    fs.closeSync(fd);
  }
}
