/**
 * Work sessions on disk, in the spec's planning folder:
 *
 *   {planning.dir}/{spec}/work/{ws-id}.json        one work session
 *   {planning.dir}/{spec}/work/claims/{task}.json  the claim on a task: session, token, lease
 *   {planning.dir}/{spec}/events.jsonl             the coordination timeline
 *
 * Every id is checked against its pattern before a path is built from it, and every path goes
 * through the workspace's guard (files.ts). Writes join the caller's transaction.
 */

import path from "node:path";
import { cmd } from "../core/command-ref.ts";
import { BatonError } from "../core/errors.ts";
import { assertWorkSessionId, assertWorkTaskId, idRandom, newEventId } from "../core/ids.ts";
import { SCHEMA_VERSION } from "../core/schema.ts";
import { type Claim, parseClaim } from "../core/work/claims.ts";
import { parseWorkEvent, type WorkEvent } from "../core/work/events.ts";
import { parseWorkSession, type WorkSession } from "../core/work/session.ts";
import type { BatonEvent } from "./events.ts";
import {
  exists,
  jsonText,
  listNames,
  parseJsonText,
  readFolderTexts,
  readTextOrNull,
  removeFile,
  writeText,
} from "./files.ts";
import { listSpecNames, specDir } from "./specs.ts";
import type { Workspace } from "./workspace.ts";

export function workDir(ws: Workspace, spec: string): string {
  return path.join(specDir(ws, spec), "work");
}

export function workSessionFile(ws: Workspace, spec: string, id: string): string {
  return path.join(workDir(ws, spec), `${assertWorkSessionId(id)}.json`);
}

export function claimsDir(ws: Workspace, spec: string): string {
  return path.join(workDir(ws, spec), "claims");
}

export function claimFile(ws: Workspace, spec: string, task: string): string {
  return path.join(claimsDir(ws, spec), `${assertWorkTaskId(task)}.json`);
}

export function workEventsFile(ws: Workspace, spec: string): string {
  return path.join(specDir(ws, spec), "events.jsonl");
}

function readRecord(ws: Workspace, file: string): unknown | null {
  const text = readTextOrNull(ws, file);
  return text === null ? null : parseJsonText(text, ws.rel(file));
}

export function readWorkSession(ws: Workspace, spec: string, id: string): WorkSession | null {
  const file = workSessionFile(ws, spec, id);
  const data = readRecord(ws, file);
  if (data === null) return null;
  const session = parseWorkSession(data, ws.rel(file));
  if (session.id !== id || session.spec !== spec) {
    throw new BatonError(
      "CORRUPT_FILE",
      `${ws.rel(file)} holds session ${session.id} of spec ${session.spec}, not ${id} of ${spec}`,
      "restore the file from git; Baton left it untouched",
    );
  }
  return session;
}

/** The spec holding work session `id`, found by its file; null when no spec has it. */
export function specOfWorkSession(ws: Workspace, id: string): string | null {
  assertWorkSessionId(id);
  for (const spec of listSpecNames(ws)) {
    if (exists(ws, workSessionFile(ws, spec, id))) return spec;
  }
  return null;
}

/** Work session `id`, wherever it is; SESSION_NOT_FOUND when no spec has it. */
export function requireWorkSession(ws: Workspace, id: string): WorkSession {
  const spec = specOfWorkSession(ws, id);
  const session = spec === null ? null : readWorkSession(ws, spec, id);
  if (!session) {
    throw new BatonError(
      "SESSION_NOT_FOUND",
      `no work session ${id}`,
      `list work sessions with: ${cmd("work list")} (or start one: ${cmd("work start", { spec: "<spec>" })})`,
    );
  }
  return session;
}

export function writeWorkSession(ws: Workspace, session: WorkSession): void {
  writeText(ws, workSessionFile(ws, session.spec, session.id), jsonText(session));
}

export function workSessionExists(ws: Workspace, spec: string, id: string): boolean {
  return exists(ws, workSessionFile(ws, spec, id));
}

/** A record file's name: `<id>.json`, not hidden (temp files start with a dot). */
const isRecordName = (name: string) => name.endsWith(".json") && !name.startsWith(".");

/** Every work session of a spec, oldest first. */
export function listWorkSessions(ws: Workspace, spec: string): WorkSession[] {
  const sessions: WorkSession[] = [];
  const dir = workDir(ws, spec);
  const base = ws.rel(dir);
  for (const { name, text } of readFolderTexts(ws, dir, isRecordName)) {
    const shown = `${base}/${name}`;
    const session = parseWorkSession(parseJsonText(text, shown), shown);
    if (`${session.id}.json` !== name || session.spec !== spec) {
      throw new BatonError(
        "CORRUPT_FILE",
        `${shown} holds session ${session.id} of spec ${session.spec}`,
        "restore the file from git; Baton left it untouched",
      );
    }
    sessions.push(session);
  }
  return sessions.sort((a, b) =>
    a.created < b.created ? -1 : a.created > b.created ? 1 : a.id < b.id ? -1 : 1,
  );
}

/** Whether a spec has any work session, without reading one. */
export function hasWorkSessions(ws: Workspace, spec: string): boolean {
  return (listNames(ws, workDir(ws, spec)) ?? []).some(isRecordName);
}

/** The claims on a spec's tasks, by task id. */
export function readClaims(ws: Workspace, spec: string): Map<string, Claim> {
  const claims = new Map<string, Claim>();
  const dir = claimsDir(ws, spec);
  const base = ws.rel(dir);
  for (const { name, text } of readFolderTexts(ws, dir, isRecordName)) {
    const shown = `${base}/${name}`;
    const claim = parseClaim(parseJsonText(text, shown), shown);
    if (`${claim.task}.json` !== name || claim.spec !== spec) {
      throw new BatonError(
        "CORRUPT_FILE",
        `${shown} holds the claim on task ${claim.task} of spec ${claim.spec}`,
        "restore the file from git; Baton left it untouched",
      );
    }
    claims.set(claim.task, claim);
  }
  return claims;
}

export function writeClaim(ws: Workspace, claim: Claim): void {
  writeText(ws, claimFile(ws, claim.spec, claim.task), jsonText(claim));
}

export function removeClaim(ws: Workspace, spec: string, task: string): void {
  removeFile(ws, claimFile(ws, spec, task));
}

/**
 * Records a coordination event in the spec's timeline. Inside a transaction it waits for the
 * commit, like the workspace's own events, so the timeline never tells of a change a failed
 * command did not make.
 */
export function recordWorkEvent(
  ws: Workspace,
  spec: string,
  type: string,
  at: string,
  data: Record<string, unknown> = {},
): WorkEvent {
  const event: WorkEvent = {
    schema_version: SCHEMA_VERSION,
    id: newEventId(idRandom),
    at,
    type,
    spec,
  };
  for (const [key, value] of Object.entries(data)) if (!(key in event)) event[key] = value;
  if (ws.source !== null && !("command" in event)) event.command = ws.source;
  const file = workEventsFile(ws, spec);
  if (!ws.tx) {
    throw new BatonError("INTERNAL", `${type} recorded outside a transaction`, "report this bug");
  }
  const pending = ws.tx.logs.get(file) ?? [];
  pending.push(event as BatonEvent);
  ws.tx.logs.set(file, pending);
  return event;
}

/**
 * A spec's coordination timeline, oldest first. A torn last line (a writer killed mid-append) is
 * skipped; any other line that is not an event is CORRUPT_FILE naming it.
 */
export function readWorkEvents(ws: Workspace, spec: string): WorkEvent[] {
  const file = workEventsFile(ws, spec);
  const text = readTextOrNull(ws, file);
  if (text === null) return [];
  const shown = ws.rel(file);
  const lines = text.split("\n");
  const events: WorkEvent[] = [];
  // The last element follows the final newline: empty, or a torn line.
  for (let i = 0; i < lines.length - 1; i++) {
    const event = parseWorkEvent(lines[i] as string, `${shown}:${i + 1}`);
    if (event) events.push(event);
  }
  return events;
}

/** This machine's name, as a session's process is recorded with it. */
export function localHost(): string {
  return process.getBuiltinModule("node:os").hostname();
}

/**
 * Whether a session's recorded process still runs: null when none is recorded or it ran on
 * another machine (nothing can be told from here).
 */
export function processAlive(proc: { pid: number; host: string } | null): boolean | null {
  if (proc === null || proc.host !== localHost()) return null;
  try {
    process.kill(proc.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
