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
  const event: BatonEvent = { schema_version: SCHEMA_VERSION, at, type };
  // A data key named like an envelope field (`type`, `at`) must never overwrite it.
  for (const [key, value] of Object.entries(data)) if (!(key in event)) event[key] = value;
  appendLine(ws.paths.events, JSON.stringify(event));
  recordedHere.push(event);
}

/** Events this process recorded, so a transaction can tell whether it changed anything. */
const recordedHere: BatonEvent[] = [];

export function recordedCount(): number {
  return recordedHere.length;
}

export function recordedSince(mark: number): BatonEvent[] {
  return recordedHere.slice(mark);
}

/**
 * The last `limit` events, newest last. A torn line (a writer killed or out of space mid-append)
 * is skipped rather than failing the read; later appends start on a fresh line (see appendLine).
 */
export function readEvents(ws: Workspace, limit = 50): BatonEvent[] {
  const text = readTextOrNull(ws.paths.events);
  if (!text) return [];
  const lines = text.split("\n");
  const events: BatonEvent[] = [];
  for (let i = lines.length - 1; i >= 0 && events.length < limit; i--) {
    const line = (lines[i] as string).trim();
    if (line === "") continue;
    try {
      const event = JSON.parse(line) as BatonEvent;
      if (event !== null && typeof event === "object" && typeof event.type === "string") {
        events.push(event);
      }
    } catch {
      // A partial line from an interrupted append carries no complete event.
    }
  }
  return events.reverse();
}
