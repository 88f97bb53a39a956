/**
 * `topics/<plan>/import.json`: the task list of another tool a plan was imported from, so the
 * next `baton import` of that list finds this plan again.
 */
import { corruptFile } from "../core/errors.ts";
import { SCHEMA_VERSION } from "../core/schema.ts";
import { type ItemSource, readItemSource, sourceFields } from "../core/source.ts";
import { readJsonOrNull, writeJson } from "./files.ts";
import { topicFile } from "./repo.ts";
import type { Workspace } from "./workspace.ts";

export const IMPORT_FILE = "import.json";

export interface PlanImportRecord {
  schema_version: number;
  source: ItemSource;
  /** When the plan was made from it. */
  imported: string;
}

export function planImportPath(ws: Workspace, planId: string): string {
  return topicFile(ws, planId, IMPORT_FILE);
}

/** The plan's import record, or null when the plan was not imported. */
export function readPlanImport(ws: Workspace, planId: string): PlanImportRecord | null {
  const file = planImportPath(ws, planId);
  const data = readJsonOrNull(ws, file, ws.rel(file));
  if (!data) return null;
  const source = readItemSource(data.source);
  if (!source || typeof data.imported !== "string") {
    throw corruptFile(
      ws.rel(file),
      "does not hold {source: {format, path, id}, imported}",
      "restore it from git; Baton left it untouched",
    );
  }
  return { schema_version: SCHEMA_VERSION, source, imported: data.imported };
}

export function writePlanImport(ws: Workspace, planId: string, record: PlanImportRecord): void {
  const data = {
    schema_version: record.schema_version,
    source: sourceFields(record.source),
    imported: record.imported,
  };
  writeJson(ws, planImportPath(ws, planId), data);
}
