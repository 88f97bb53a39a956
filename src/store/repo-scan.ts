/**
 * Phase 2's disk side: the repository's files (respecting .gitignore), their text with a size
 * cap and binary skip, and the uncommitted paths. Read-only; git runs without a shell. A file
 * or folder that is a link leading outside the repository is not read (the guard refuses it).
 */
import type fs from "node:fs";
import path from "node:path";
import { parseStatusV2 } from "../core/git.ts";
import { type Guarded, listEntries, readBytesOrNull, statOrNull } from "./files.ts";
import { runGit } from "./git.ts";
import { isUnsafePath } from "./guard.ts";

/** Files larger than this are listed but not read. */
export const MAX_READ_BYTES = 256 * 1024;

const BINARY_EXT =
  /\.(png|jpe?g|gif|bmp|ico|webp|avif|tiff?|psd|pdf|zip|gz|tgz|bz2|xz|7z|rar|jar|war|class|o|a|so|dylib|dll|exe|bin|wasm|woff2?|ttf|otf|eot|mp3|mp4|mov|avi|mkv|webm|ogg|wav|flac|sqlite|db|pyc|lock)$/i;
const SKIP_DIRS = new Set(["node_modules", "dist", "build", "target", "vendor", "__pycache__"]);

/** git's output, or null when git is missing or fails (not a repository). */
function git(cwd: string, args: string[]): string | null {
  // A listing of a very large repository can run past the default buffer.
  const run = runGit(cwd, args, 256 * 1024 * 1024);
  return run.ok ? run.stdout : null;
}

export interface FileListing {
  /** `git` when git listed the files (.gitignore respected), `walk` otherwise. */
  source: "git" | "walk";
  /** Paths relative to the root, forward slashes, sorted. */
  files: string[];
}

/** Tracked and untracked-but-not-ignored files under `root`; a plain walk outside git. */
export function listRepoFiles(
  ws: Guarded & { root: string },
  exclude: (rel: string) => boolean,
): FileListing {
  const root = ws.root;
  const out = git(root, ["ls-files", "--cached", "--others", "--exclude-standard", "-z"]);
  if (out !== null) {
    const files = [...new Set(out.split("\0"))].filter((f) => f !== "" && !exclude(f)).sort();
    return { source: "git", files };
  }
  const files: string[] = [];
  const walk = (dir: string, rel: string) => {
    let entries: fs.Dirent[];
    try {
      entries = listEntries(ws, dir) ?? [];
    } catch {
      return; // UNSAFE_PATH: not walked
    }
    for (const e of entries) {
      const r = rel === "" ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) {
        if (e.name.startsWith(".") || SKIP_DIRS.has(e.name) || exclude(r)) continue;
        walk(path.join(dir, e.name), r);
      } else if (e.isFile() && !exclude(r)) {
        files.push(r);
      }
    }
  };
  walk(root, "");
  return { source: "walk", files: files.sort() };
}

export interface FileText {
  size: number;
  /** Null when the file is binary, larger than the cap, or unreadable. */
  text: string | null;
}

/** One file's text, read only when small and not binary (a NUL in the first 8 KB). */
export function readCapped(
  ws: Guarded & { root: string },
  rel: string,
  maxBytes = MAX_READ_BYTES,
): FileText {
  const full = path.join(ws.root, rel);
  let size = 0;
  try {
    size = statOrNull(ws, full)?.size ?? 0;
  } catch (error) {
    if (isUnsafePath(error)) return { size: 0, text: null };
    throw error;
  }
  if (size > maxBytes || BINARY_EXT.test(rel)) return { size, text: null };
  let buf: Buffer | null;
  try {
    buf = readBytesOrNull(ws, full);
  } catch {
    return { size, text: null };
  }
  if (buf === null || buf.subarray(0, 8192).includes(0)) return { size, text: null };
  return { size, text: buf.toString("utf8") };
}

/** Workspace-relative paths with uncommitted changes (untracked included); empty outside git. */
export function uncommittedPaths(root: string): string[] {
  const prefix = git(root, ["rev-parse", "--show-prefix"]);
  if (prefix === null) return [];
  const out = git(root, ["status", "--porcelain=v2", "-z", "--untracked-files=all"]);
  if (out === null) return [];
  const p = prefix.trim();
  return parseStatusV2(out)
    .entries.map((e) => e.path)
    .filter((f) => f.startsWith(p))
    .map((f) => f.slice(p.length))
    .sort();
}
