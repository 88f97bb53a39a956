import path from "node:path";
import { cmd } from "../core/command-ref.ts";
import { BatonError } from "../core/errors.ts";
import {
  assertSpecName,
  isLegacyStatus,
  parseSpecStatus,
  renderSpecStatus,
  type SpecStatus,
} from "../core/spec/status.ts";
import { SPEC_FILES } from "../core/spec/templates.ts";
import {
  exists,
  listEntries,
  parseYamlText,
  readTextOrNull,
  removeFile,
  statOrNull,
  writeText,
} from "./files.ts";
import { repoPath, type Workspace } from "./workspace.ts";

export function specDir(ws: Workspace, name: string): string {
  return path.join(ws.paths.planning, assertSpecName(name));
}

export function specStatusPath(ws: Workspace, name: string): string {
  return path.join(specDir(ws, name), "status.yaml");
}

/** Whether the spec's planning folder holds a status.yaml (readable or not). */
export function hasSpecStatus(ws: Workspace, name: string): boolean {
  return exists(ws, specStatusPath(ws, name));
}

/** The documents `spec new` writes into a spec's planning folder, by what they are. */
export type SpecFileKind = keyof typeof SPEC_FILES;

/** One of those documents in the spec's planning folder (`{planning.dir}/{name}/tasks.md`). */
export function specFile(ws: Workspace, name: string, which: SpecFileKind): string {
  return path.join(specDir(ws, name), SPEC_FILES[which]);
}

/** Writes one of the spec's documents in its planning folder; returns where it went. */
export function writeSpecFile(
  ws: Workspace,
  name: string,
  which: SpecFileKind,
  text: string,
): string {
  const file = specFile(ws, name, which);
  writeText(ws, file, text);
  return file;
}

/**
 * One of those documents in a repository-relative folder (as a plan's sources.md records a
 * spec's folder), or null when it is not there.
 */
export function readSpecDocumentIn(
  ws: Workspace,
  folder: string,
  which: SpecFileKind,
): string | null {
  return readTextOrNull(ws, path.join(repoPath(ws, folder), SPEC_FILES[which]));
}

/** The spec's documents, the file or folder its status.yaml names (`spec`, from the root). */
export function specDocumentsPath(ws: Workspace, status: SpecStatus): string {
  return path.resolve(ws.root, status.spec);
}

export function readSpecStatus(ws: Workspace, name: string): SpecStatus | null {
  const file = specStatusPath(ws, name);
  const text = readTextOrNull(ws, file);
  if (text === null) return null;
  const data = parseYamlText(text, ws.rel(file));
  if (isLegacyStatus(data)) {
    throw new BatonError(
      "STATE_CONFLICT",
      `${ws.rel(file)} is a status.yaml of the old branch-folder layout (name, spec, branch; no schema_version)`,
      `upgrade it with: ${cmd("spec migrate")} (${cmd("spec migrate", { dry_run: true })} shows what it does)`,
    );
  }
  return parseSpecStatus(data, ws.rel(file));
}

export function requireSpecStatus(ws: Workspace, name: string): SpecStatus {
  const status = readSpecStatus(ws, name);
  if (!status) {
    throw new BatonError(
      "SPEC_NOT_FOUND",
      `no spec ${name} in ${ws.config.planning.dir}`,
      `list specs with: ${cmd("spec list")} (or set one up: ${cmd("spec setup", { spec: "<path>" })})`,
    );
  }
  return status;
}

export function writeSpecStatus(ws: Workspace, status: SpecStatus): void {
  writeText(ws, specStatusPath(ws, status.name), renderSpecStatus(status));
}

/** Names of every planning folder holding a status.yaml, sorted. */
export function listSpecNames(ws: Workspace): string[] {
  return (listEntries(ws, ws.paths.planning) ?? [])
    .filter(
      (e) => e.isDirectory() && exists(ws, path.join(ws.paths.planning, e.name, "status.yaml")),
    )
    .map((e) => e.name)
    .sort();
}

/** `{planning.dir}/.active`: the active spec's name, per machine (gitignored). */
export function activeSpecMarker(ws: Workspace): string {
  return path.join(ws.paths.planning, ".active");
}

/** The active spec's name (per machine, gitignored), or null. */
export function readActiveSpec(ws: Workspace): string | null {
  const text = readTextOrNull(ws, activeSpecMarker(ws))?.trim();
  if (!text) return null;
  return assertSpecName(text);
}

export function writeActiveSpec(ws: Workspace, name: string | null): void {
  if (name === null) {
    removeFile(ws, activeSpecMarker(ws));
    return;
  }
  writeText(ws, activeSpecMarker(ws), `${assertSpecName(name)}\n`);
}

/**
 * The spec documents, for hashing: every Markdown file in the spec folder (or the spec
 * file itself), sorted, excluding Baton's own status.yaml.
 */
export function specDocumentFiles(ws: Workspace, status: SpecStatus): string[] {
  const target = specDocumentsPath(ws, status);
  const stat = statOrNull(ws, target);
  if (stat === null) return [];
  if (stat.isFile()) return [target];
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of listEntries(ws, dir) ?? []) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      // Only the Markdown documents: metadata, status and work files change without the spec
      // changing, and must not send an approved spec back to review.
      else if (entry.isFile() && entry.name.endsWith(".md") && !entry.name.startsWith("."))
        files.push(full);
    }
  };
  walk(target);
  return files.sort();
}

/**
 * sha256 over each document's relative path and text, with every checkbox read as unticked:
 * ticking tasks off is progress on the approved spec, not a change to it.
 */
export function specContentHash(ws: Workspace, status: SpecStatus): string {
  const crypto = process.getBuiltinModule("node:crypto");
  const hash = crypto.createHash("sha256");
  for (const file of specDocumentFiles(ws, status)) {
    hash.update(ws.rel(file));
    hash.update("\0");
    hash.update(withoutTicks(readTextOrNull(ws, file) ?? ""));
    hash.update("\0");
  }
  return `sha256:${hash.digest("hex")}`;
}

/** `- [x]`, `- [X]`, `- [-]`, `- [~]` (and `*`, `+`, numbered items) all as `[ ]`. */
function withoutTicks(text: string): string {
  return text.replace(/^(\s*(?:[-*+]|\d+[.)])\s+)\[[xX~-]\]/gm, "$1[ ]");
}

/**
 * Who an approval-gate action is recorded as when `--by` is not given: the repository's
 * `git config user.name`, else the operating-system user, else "unknown".
 */
export function defaultActor(ws: Workspace): string {
  try {
    const { spawnSync } = process.getBuiltinModule("node:child_process");
    const result = spawnSync("git", ["config", "user.name"], {
      cwd: ws.root,
      encoding: "utf8",
      timeout: 5000,
      stdio: ["ignore", "pipe", "ignore"],
    });
    const name = result.status === 0 ? result.stdout.trim() : "";
    if (name !== "") return name;
  } catch {
    // No git on PATH: fall back to the OS user.
  }
  try {
    const name = process.getBuiltinModule("node:os").userInfo().username.trim();
    if (name !== "") return name;
  } catch {
    // No passwd entry (some containers).
  }
  return "unknown";
}
