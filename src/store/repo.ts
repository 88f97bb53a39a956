import path from "node:path";
import type { Catalog, CatalogView, TopicEntry } from "../core/catalog.ts";
import { cmd } from "../core/command-ref.ts";
import { BatonError } from "../core/errors.ts";
import {
  assertPlanningSessionId,
  assertTicketId,
  assertTopicId,
  type TopicType,
  topicTypeOf,
} from "../core/ids.ts";
import { type PlanningSession, parsePlanningSession } from "../core/planning-session.ts";
import { parseTicket, renderTicket, type Ticket } from "../core/ticket.ts";
import { readCatalogFile } from "./catalog-file.ts";
import {
  exists,
  listNames,
  readJsonOrNull,
  readTextOrNull,
  removeFile,
  writeJson,
  writeText as writeTextFile,
} from "./files.ts";
import { noteTicketWrite } from "./ticket-cache.ts";
import type { Workspace } from "./workspace.ts";
import { fullYaml } from "./yaml.ts";

// ---- catalog (index.json) ----

export function readCatalog(ws: Workspace): Catalog {
  return readCatalogFile(ws);
}

// ---- topics ----

export function topicDir(ws: Workspace, id: string): string {
  return path.join(ws.paths.topics, assertTopicId(id));
}

/** The topic's main document: `seed.md`, `spike.md`, `plan.md` or `backlog.md`. */
export function topicDocPath(ws: Workspace, id: string): string {
  return path.join(topicDir(ws, id), `${topicTypeOf(id)}.md`);
}

export function topicFile(ws: Workspace, id: string, name: string): string {
  return path.join(topicDir(ws, id), name);
}

/** The names in the topics folder (each topic's folder, and whatever else lies there). */
export function listTopicFolders(ws: Workspace): string[] {
  return listNames(ws, ws.paths.topics) ?? [];
}

export function requireTopic(catalog: CatalogView, id: string, type?: TopicType): TopicEntry {
  assertTopicId(id, type);
  const entry = catalog.get(id);
  if (!entry) {
    throw new BatonError(
      "TOPIC_NOT_FOUND",
      `no topic ${id}`,
      `list topics with: ${cmd("topic list")}`,
    );
  }
  return entry;
}

export function readText(ws: Workspace, file: string): string | null {
  return readTextOrNull(ws, file);
}

export function writeText(ws: Workspace, file: string, text: string): void {
  writeTextFile(ws, file, text);
}

// ---- planning sessions ----

export function readActivePlanningSession(ws: Workspace): PlanningSession | null {
  const shown = ws.rel(ws.paths.active);
  const data = readJsonOrNull(ws, ws.paths.active, shown);
  return data ? parsePlanningSession(data, shown) : null;
}

export function writeActivePlanningSession(ws: Workspace, session: PlanningSession): void {
  writeJson(ws, ws.paths.active, session);
}

export function clearActivePlanningSession(ws: Workspace): void {
  removeFile(ws, ws.paths.active);
}

function snapshotPath(ws: Workspace, sessionId: string): string {
  return path.join(ws.paths.sessions, `${assertPlanningSessionId(sessionId)}.json`);
}

export function readPlanningSnapshot(ws: Workspace, sessionId: string): PlanningSession | null {
  const file = snapshotPath(ws, sessionId);
  const data = readJsonOrNull(ws, file, ws.rel(file));
  return data ? parsePlanningSession(data, ws.rel(file)) : null;
}

export function writePlanningSnapshot(ws: Workspace, session: PlanningSession): void {
  writeJson(ws, snapshotPath(ws, session.session_id), session);
}

export function planningSnapshotExists(ws: Workspace, sessionId: string): boolean {
  return exists(ws, snapshotPath(ws, sessionId));
}

/** Ids of every snapshot, oldest first (ids sort by their timestamp within one seed). */
export function listPlanningSnapshotIds(ws: Workspace, seedId?: string): string[] {
  const names = listNames(ws, ws.paths.sessions) ?? [];
  const prefix = seedId ? `${seedId}@` : "";
  return names
    .filter((name) => name.endsWith(".json") && name.startsWith(prefix))
    .map((name) => name.slice(0, -".json".length))
    .sort(comparePlanningSessionIds);
}

/** Orders session ids by start time, then by the same-second suffix. */
export function comparePlanningSessionIds(a: string, b: string): number {
  const key = (id: string) => {
    const [, rest = ""] = id.split("@");
    const [stamp = "", suffix = "1"] = rest.split(/-(?=\d+$)/);
    return { stamp, n: Number(suffix) };
  };
  const ka = key(a);
  const kb = key(b);
  if (ka.stamp !== kb.stamp) return ka.stamp < kb.stamp ? -1 : 1;
  if (ka.n !== kb.n) return ka.n - kb.n;
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---- tickets ----

/** The tickets folder (`tickets.dir`). */
export function ticketsDir(ws: Workspace): string {
  return ws.paths.tickets;
}

export function ticketPath(ws: Workspace, id: string): string {
  return path.join(ws.paths.tickets, `${assertTicketId(id)}.md`);
}

export function readTicket(ws: Workspace, id: string): Ticket | null {
  const file = ticketPath(ws, id);
  const text = readTextOrNull(ws, file);
  return text === null ? null : parseTicket(text, ws.rel(file), fullYaml);
}

export function requireTicket(ws: Workspace, id: string): Ticket {
  const ticket = readTicket(ws, id);
  if (!ticket)
    throw new BatonError(
      "TICKET_NOT_FOUND",
      `no ticket ${id}`,
      `list tickets with: ${cmd("ticket list")}`,
    );
  return ticket;
}

export function writeTicket(ws: Workspace, ticket: Ticket): void {
  noteTicketWrite(ws, ticket);
  writeTextFile(ws, ticketPath(ws, ticket.id), renderTicket(ticket));
}

export function ticketExists(ws: Workspace, id: string): boolean {
  return exists(ws, ticketPath(ws, id));
}

export function listTicketIds(ws: Workspace): string[] {
  return (listNames(ws, ws.paths.tickets) ?? [])
    .filter((name) => name.endsWith(".md") && !name.startsWith("."))
    .map((name) => name.slice(0, -3));
}
