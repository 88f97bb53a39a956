/**
 * Coordination events: every change to a spec's work sessions and claims is one line of
 * `{planning.dir}/{spec}/events.jsonl` with an id of its own (`ev-…`), so two clones' timelines
 * merge by union (`.gitattributes`) and no event is lost or doubled. Heartbeats are not events.
 */
import { BatonError } from "../errors.ts";
import { isEventId } from "../ids.ts";
import { checkSchemaVersion } from "../schema.ts";

export interface WorkEvent {
  schema_version: number;
  id: string;
  at: string;
  /** `work.started`, `work.claimed`, `work.released`, … */
  type: string;
  spec: string;
  session?: string;
  task?: string;
  [key: string]: unknown;
}

/** One line of a spec's events.jsonl as an event; a blank line is null; anything else is refused. */
export function parseWorkEvent(line: string, where: string): WorkEvent | null {
  if (line.trim() === "") return null;
  let data: unknown;
  try {
    data = JSON.parse(line);
  } catch {
    throw badLine(
      where,
      `${where} is not a valid event line: ${JSON.stringify(line.slice(0, 60))}`,
    );
  }
  const record = checkSchemaVersion(data, where);
  if (
    typeof record.type !== "string" ||
    typeof record.at !== "string" ||
    typeof record.id !== "string" ||
    !isEventId(record.id)
  ) {
    throw badLine(where, `${where} is not a coordination event (it needs an id, a type and at)`);
  }
  return record as WorkEvent;
}

function badLine(where: string, message: string): BatonError {
  return new BatonError(
    "CORRUPT_FILE",
    message,
    `fix or remove that line of ${where.replace(/:\d+$/, "")}, or restore the file from git`,
  );
}

/** An event as one line of text: `work.claimed ws-a 1.2 (token 2, took over from ws-b)`. */
export function describeWorkEvent(e: WorkEvent): string {
  const who = typeof e.session === "string" ? ` ${e.session}` : "";
  const task = typeof e.task === "string" ? ` task ${e.task}` : "";
  const extra: string[] = [];
  if (typeof e.token === "number") extra.push(`token ${e.token}`);
  const takeover = e.takeover as { session?: string } | undefined;
  if (takeover?.session) extra.push(`took over from ${takeover.session}`);
  for (const key of ["to", "state", "reason", "summary", "note", "text", "on", "parent"]) {
    const value = e[key];
    if (typeof value === "string" && value !== "") extra.push(`${key}: ${oneLine(value, 80)}`);
  }
  if (typeof e.percent === "number") extra.push(`${e.percent}%`);
  if (Array.isArray(e.tasks) && e.tasks.length > 0) extra.push(`tasks ${e.tasks.join(", ")}`);
  return `${e.type}${who}${task}${extra.length > 0 ? ` (${extra.join("; ")})` : ""}`;
}

function oneLine(text: string, max: number): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
