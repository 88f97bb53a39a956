/**
 * Reads another tool's files for `baton import`: the path named (a file, or a folder walked
 * below the places the format keeps its files), read and never written. Inside the workspace
 * every path goes through the guard, like Baton's own files; a path outside it (a person's
 * choice on the command line) is read where it is. Paths are recorded relative to the
 * workspace root, or absolute when outside it.
 */
import path from "node:path";
import { BatonError } from "../core/errors.ts";
import type { FormatReader } from "../core/import/index.ts";
import type { SourceFile, SourceTree } from "../core/import/model.ts";
import { type FileReader, pathWithin, userReader, workspaceReader } from "./files.ts";
import type { Workspace } from "./workspace.ts";

/** Folders never walked: a repository's own history and installed packages hold no plans. */
const NEVER = new Set([".git", ".hg", ".svn", "node_modules"]);

/** More files than this under the path: the walk stops and the command says to narrow it. */
export const MAX_SOURCE_FILES = 50_000;

export interface SourceLocation {
  absolute: string;
  /** The path as recorded: relative to the workspace root (`.` for the root), else absolute. */
  shown: string;
  inside: boolean;
}

/** Where a path named on the command line (relative to `cwd`) is, and how it is recorded. */
export function locateSource(ws: Workspace, cwd: string, named: string): SourceLocation {
  const absolute = path.resolve(cwd, named);
  const rel = pathWithin(ws.root, absolute);
  if (rel === null) return { absolute, shown: absolute.split(path.sep).join("/"), inside: false };
  return { absolute, shown: rel === "" ? "." : rel, inside: true };
}

/** The kind of thing at the location: a file, a folder, or nothing. */
export function sourceKind(ws: Workspace, where: SourceLocation): "file" | "folder" | null {
  return readerFor(ws, where).kind(where.absolute);
}

function readerFor(ws: Workspace, where: SourceLocation): FileReader {
  return where.inside ? workspaceReader(ws) : userReader;
}

/**
 * The files under `where` that `format` reads, with every file seen listed. Baton's own folder
 * is never part of a source.
 */
export function readSourceTree(
  ws: Workspace,
  where: SourceLocation,
  format: FormatReader,
): SourceTree {
  const reader = readerFor(ws, where);
  const record = (absolute: string): string => {
    if (!where.inside) return absolute.split(path.sep).join("/");
    return path.relative(ws.root, absolute).split(path.sep).join("/") || ".";
  };
  const kind = reader.kind(where.absolute);
  if (kind === "file") {
    const text = reader.text(where.absolute) ?? "";
    return {
      root: record(path.dirname(where.absolute)),
      isFile: true,
      files: [{ path: where.shown, text }],
      paths: [where.shown],
    };
  }
  const bases = format.bases
    .map((b) => path.join(where.absolute, b))
    .filter((b) => reader.kind(b) === "folder");
  const walked = bases.length > 0 ? bases : [where.absolute];
  const files: SourceFile[] = [];
  const paths: string[] = [];
  const own = path.resolve(ws.paths.batonDir);
  const walk = (dir: string, depth: number) => {
    for (const name of [...reader.names(dir)].sort()) {
      const full = path.join(dir, name);
      if (NEVER.has(name) || path.resolve(full) === own) continue;
      const k = reader.kind(full);
      if (k === "folder") {
        if (depth > 0) walk(full, depth - 1);
        continue;
      }
      if (k !== "file") continue;
      const shown = record(full);
      paths.push(shown);
      if (paths.length > MAX_SOURCE_FILES) {
        throw new BatonError(
          "INVALID_INPUT",
          `${where.shown} holds more than ${MAX_SOURCE_FILES.toLocaleString("en")} files`,
          "name the tool's own folder or file instead (e.g. .taskmaster/tasks/tasks.json or backlog)",
        );
      }
      if (format.wants(shown)) files.push({ path: shown, text: reader.text(full) ?? "" });
    }
  };
  for (const dir of walked) walk(dir, format.depth);
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  paths.sort();
  return { root: where.shown, isFile: false, files, paths };
}
