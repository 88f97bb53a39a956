import { SCHEMA_VERSION } from "../core/schema.ts";
import { appendLine } from "./atomic.ts";
import { readTextOrNull } from "./files.ts";
import type { Workspace } from "./workspace.ts";

/** One line of the append-only event log: every state change Baton makes. */
export interface BatonEvent {
  schema_version: number;
  at: string;
  type: string;
  [key: string]: unknown;
}

export function recordEvent(
  ws: Workspace,
  type: string,
  at: string,
  data: Record<string, unknown> = {},
): void {
  const event: BatonEvent = { schema_version: SCHEMA_VERSION, at, type, ...data };
  appendLine(ws.paths.events, JSON.stringify(event));
}

/**
 * The last `limit` events, newest last. A torn final line (a writer killed mid-append) is
 * skipped rather than failing the read.
 */
export function readEvents(ws: Workspace, limit = 50): BatonEvent[] {
  const text = readTextOrNull(ws.paths.events);
  if (!text) return [];
  const lines = text.split("\n").filter((line) => line.trim() !== "");
  const events: BatonEvent[] = [];
  for (const line of lines.slice(-limit)) {
    try {
      events.push(JSON.parse(line) as BatonEvent);
    } catch {
      // A partial line from an interrupted append carries no complete event.
    }
  }
  return events;
}
