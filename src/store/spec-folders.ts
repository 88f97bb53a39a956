/**
 * Disk access for planning folders beyond one status.yaml: finding every folder that holds one
 * (also nested ones, as branch-named folders such as `feature/auth/` are), reading one without
 * the strict model, moving folders, locating a spec's tasks file, and what a spec's documents
 * path holds (one file, or a folder and its listing).
 */

import path from "node:path";
import { cmd } from "../core/command-ref.ts";
import { BatonError } from "../core/errors.ts";
import { checkSchemaVersion } from "../core/schema.ts";
import type { FolderListing } from "../core/spec/documents.ts";
import { isLegacyStatus, type SpecStatus } from "../core/spec/status.ts";
import {
  createNewFile,
  exists,
  type FileReader,
  pathKind as kindOf,
  listEntries,
  listNames,
  movePath,
  type PathKind,
  parseYamlText,
  readTextOrNull,
  removeEmptyDir,
} from "./files.ts";
import { activeSpecMarker, specDocumentsPath } from "./specs.ts";
import type { Workspace } from "./workspace.ts";

/** Branch names nest (`feature/team/auth`); deeper than this is not a planning folder. */
const MAX_DEPTH = 4;

/**
 * Folders under the planning folder that hold a status.yaml, relative to it with forward
 * slashes, sorted. Hidden folders are skipped, and a folder holding status.yaml is not searched
 * further (its subfolders are the spec's own documents).
 */
export function findStatusFolders(ws: Workspace): string[] {
  const found: string[] = [];
  const walk = (dir: string, rel: string, depth: number) => {
    for (const entry of listEntries(ws, dir) ?? []) {
      if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
      const full = path.join(dir, entry.name);
      const childRel = rel === "" ? entry.name : `${rel}/${entry.name}`;
      if (exists(ws, path.join(full, "status.yaml"))) found.push(childRel);
      else if (depth < MAX_DEPTH) walk(full, childRel, depth + 1);
    }
  };
  walk(ws.paths.planning, "", 1);
  return found.sort();
}

/** Names directly inside the planning folder (files and folders, hidden ones included). */
export function planningEntries(ws: Workspace): string[] {
  return listNames(ws, ws.paths.planning) ?? [];
}

export function planningPath(ws: Workspace, rel: string): string {
  return path.join(ws.paths.planning, ...rel.split("/"));
}

/** A status.yaml read only as far as YAML and schema_version, for files the model may refuse. */
export function readStatusRecord(ws: Workspace, folder: string): Record<string, unknown> {
  const file = path.join(planningPath(ws, folder), "status.yaml");
  const shown = ws.rel(file);
  const text = readTextOrNull(ws, file);
  if (text === null) {
    throw new BatonError("FILE_NOT_FOUND", `${shown} is missing`, `run: ${cmd("spec list")}`);
  }
  const data = parseYamlText(text, shown);
  return checkSchemaVersion(data, shown);
}

/**
 * A status.yaml as `spec migrate` reads it: like `readStatusRecord`, but a file of the legacy
 * branch-folder layout (no schema_version; name, spec, branch) is returned too, marked legacy,
 * with its text so nothing of it is lost when it is rewritten.
 */
export function readStatusForMigration(
  ws: Workspace,
  folder: string,
): { record: Record<string, unknown>; legacy: boolean; text: string } {
  const file = path.join(planningPath(ws, folder), "status.yaml");
  const shown = ws.rel(file);
  const text = readTextOrNull(ws, file);
  if (text === null) {
    throw new BatonError("FILE_NOT_FOUND", `${shown} is missing`, `run: ${cmd("spec list")}`);
  }
  const data = parseYamlText(text, shown);
  if (isLegacyStatus(data)) return { record: data, legacy: true, text };
  return { record: checkSchemaVersion(data, shown), legacy: false, text };
}

/** Where `spec migrate` keeps a legacy status.yaml's text: `{planning}/{name}/status.legacy.yaml`. */
export function legacyCopyPath(ws: Workspace, folder: string): string {
  return path.join(planningPath(ws, folder), "status.legacy.yaml");
}

/** Keeps a legacy status.yaml's text beside its successor; an existing copy is never replaced. */
export function keepLegacyStatus(ws: Workspace, folder: string, text: string): string {
  const first = legacyCopyPath(ws, folder);
  const targets = [
    first,
    ...[2, 3, 4, 5, 6, 7, 8, 9].map((n) => first.replace(/\.yaml$/, `-${n}.yaml`)),
  ];
  const kept = createNewFile(ws, text, targets);
  if (kept === null) {
    throw new BatonError(
      "STATE_CONFLICT",
      `${ws.rel(first)} and its numbered copies already exist`,
      `move the old copies out of the planning folder, then run ${cmd("spec migrate")} again`,
    );
  }
  return kept;
}

/** The raw text of `{planning.dir}/.active`, trimmed; null when there is none. */
export function readActiveRaw(ws: Workspace): string | null {
  const text = readTextOrNull(ws, activeSpecMarker(ws))?.trim();
  return text ? text : null;
}

/** Renames one planning folder (`feature/auth` → `auth`); the target must not exist. */
export function movePlanningFolder(ws: Workspace, from: string, to: string): void {
  movePath(ws, planningPath(ws, from), planningPath(ws, to));
}

/** Removes the now-empty parents of a moved nested folder, up to the planning folder. */
export function removeEmptyParents(ws: Workspace, rel: string): void {
  const parts = rel.split("/");
  for (let n = parts.length - 1; n >= 1; n--) {
    const dir = planningPath(ws, parts.slice(0, n).join("/"));
    if (!removeEmptyDir(ws, dir)) return; // not empty (or already gone): stop climbing
  }
}

export type { PathKind };

export function pathKind(ws: Workspace, absolute: string): PathKind {
  return kindOf(ws, absolute);
}

/**
 * The spec's task list: `tasks.md` in a spec folder, else `tasks.md` in its planning folder, else
 * the spec file itself (a one-file spec keeps its checkboxes inline). Null when there is none.
 */
export function specTasksFile(ws: Workspace, status: SpecStatus): string | null {
  const spec = specDocumentsPath(ws, status);
  const kind = pathKind(ws, spec);
  const candidates =
    kind === "folder"
      ? [path.join(spec, "tasks.md"), path.join(ws.paths.planning, status.name, "tasks.md")]
      : [path.join(ws.paths.planning, status.name, "tasks.md"), spec];
  return candidates.find((file) => pathKind(ws, file) === "file") ?? null;
}

/**
 * What a spec's documents path holds, for picking its documents: one file (with its name), or a
 * folder's files and OpenSpec capabilities, each document's path found by its name in the folder
 * (`specs/auth/spec.md`). Null when nothing is there.
 */
export type SpecPlace =
  | { kind: "file"; name: string }
  | { kind: "folder"; listing: FolderListing; file: (rel: string) => string };

export function specPlace(reader: FileReader, target: string): SpecPlace | null {
  const kind = reader.kind(target);
  if (kind === null) return null;
  if (kind === "file") return { kind, name: path.basename(target) };
  return {
    kind,
    listing: listSpecFolder(reader, target),
    file: (rel) => path.join(target, ...rel.split("/")),
  };
}

/** The files of a spec documents folder and the OpenSpec capabilities under its `specs/`. */
function listSpecFolder(reader: FileReader, dir: string): FolderListing {
  const files = reader.names(dir).filter((name) => reader.kind(path.join(dir, name)) === "file");
  const specs = path.join(dir, "specs");
  const capabilities = reader
    .names(specs)
    .filter((name) => !name.startsWith(".") && reader.kind(path.join(specs, name)) === "folder")
    .filter((name) => reader.kind(path.join(specs, name, "spec.md")) === "file")
    .sort();
  return { files, capabilities };
}
