import type { ConflictResolutionFile } from "../core/plan/conflicts.ts";
import type { ContextPackage } from "../core/plan/context-package.ts";
import { readJsonOrNull } from "./files.ts";
import { topicFile } from "./repo.ts";
import type { Workspace } from "./workspace.ts";

/** The files phases 2 and 3 of the plan workflow write in the plan topic's folder. */
export const CONTEXT_FILE = "context-package.json";
export const RESOLUTION_FILE = "conflict-resolution.json";

export function contextPath(ws: Workspace, planId: string): string {
  return topicFile(ws, planId, CONTEXT_FILE);
}

export function resolutionPath(ws: Workspace, planId: string): string {
  return topicFile(ws, planId, RESOLUTION_FILE);
}

export function readContextPackage(ws: Workspace, planId: string): ContextPackage | null {
  const file = contextPath(ws, planId);
  return readJsonOrNull(ws, file, ws.rel(file)) as ContextPackage | null;
}

export function readConflictResolution(
  ws: Workspace,
  planId: string,
): ConflictResolutionFile | null {
  const file = resolutionPath(ws, planId);
  return readJsonOrNull(ws, file, ws.rel(file)) as ConflictResolutionFile | null;
}
