/**
 * File access for everything under a workspace: every path goes through the workspace's
 * {@link PathGuard} before it is read, written, listed or removed, so a symlink committed to the
 * repository cannot lead Baton outside it. The raw primitives (atomic.ts) are for this module,
 * the lock and the transaction only. Files a person names on the command line (`--file`,
 * `--from`) are theirs to choose and are read with {@link readUserFile}.
 */
import fs from "node:fs";
import path from "node:path";
import { BatonError, corruptFile } from "../core/errors.ts";
import { checkSchemaVersion, SCHEMA_VERSION } from "../core/schema.ts";
import { parseYaml } from "../core/yaml.ts";
import {
  appendLine as appendLineRaw,
  createNewFile as createNewFileRaw,
  ioError,
  makeDir as makeDirRaw,
  removeFile as removeFileRaw,
  renamePath,
  replaceFolder as replaceFolderRaw,
  type WriteBatch,
  writeFileAtomic,
} from "./atomic.ts";
import type { PathGuard } from "./guard.ts";
import { fullYaml } from "./yaml.ts";

/** Anything that carries a workspace's guard (a Workspace), and its transaction if one is open. */
export interface Guarded {
  guard: PathGuard;
  tx?: { batch: WriteBatch } | null;
}

/** The write batch of the transaction under way, if any: writes join it (undo on failure). */
function batchOf(ws: Guarded): WriteBatch | null {
  return ws.tx?.batch ?? null;
}

/** The path to use for `target`, a file or folder Baton reads or writes (links followed inside). */
export function safePath(ws: Guarded, target: string): string {
  return ws.guard.resolve(target);
}

/**
 * `target` with its folders resolved but the last name kept as it is, for removing or renaming
 * the entry itself (a link inside the repository is removed, not what it points to). The last
 * name is still checked: a link leading outside is refused, not touched.
 */
function entryPath(ws: Guarded, target: string): string {
  ws.guard.resolve(target);
  return path.join(ws.guard.resolve(path.dirname(target)), path.basename(target));
}

/** Reads a text file, or null when it does not exist. Other failures are IO errors. */
export function readTextOrNull(ws: Guarded, file: string): string | null {
  return readRawOrNull(safePath(ws, file));
}

function readRawOrNull(file: string): string | null {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw ioError(error, `read ${file}`);
  }
}

/** A file's bytes, or null when it does not exist (or cannot be read). */
export function readBytesOrNull(ws: Guarded, file: string): Buffer | null {
  const real = safePath(ws, file);
  try {
    return fs.readFileSync(real);
  } catch {
    return null;
  }
}

/**
 * Text a person hands a command: a file they named (`--from notes.md`), or standard input when
 * `file` is null (`--from -`). Read as it is, links followed; failures are the raw fs errors,
 * for the caller to word.
 */
export function readUserInput(file: string | null): string {
  return fs.readFileSync(file ?? 0, "utf8");
}

/** A file the user named (`--file`, `--from`, a spec path): read where it is, links and all. */
export function readUserFile(file: string): string | null {
  return readRawOrNull(file);
}

/**
 * Writes a file a program named for its answer (git's merge driver writes the merge into `%A`,
 * a temporary file git made): in place, as git expects, outside any workspace's guard.
 */
export function writeUserFile(file: string, text: string): void {
  try {
    fs.writeFileSync(file, text);
  } catch (error) {
    throw ioError(error, `write ${file}`);
  }
}

/**
 * Texts written to files of their own in a fresh temporary folder, for a program that reads
 * files (git merge-file); `remove` deletes the folder.
 */
export function scratchFiles(texts: readonly string[]): { paths: string[]; remove(): void } {
  const os = process.getBuiltinModule("node:os");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "baton-merge-"));
  const paths = texts.map((text, i) => {
    const file = path.join(dir, String(i));
    fs.writeFileSync(file, text);
    return file;
  });
  return { paths, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** The path a person named (`--spec docs/x`, `spec lint ./specs/a`), from the folder they ran in. */
export function userPath(cwd: string, named: string): string {
  return path.resolve(cwd, named);
}

/** `absolute` as seen from `dir`, with forward slashes, for messages (`.` for `dir` itself). */
export function shownFrom(dir: string, absolute: string): string {
  return path.relative(dir, absolute).split(path.sep).join("/") || ".";
}

/** Reads files either inside a workspace (guarded) or where a user pointed (as named). */
export interface FileReader {
  text(file: string): string | null;
  kind(p: string): PathKind;
  /** The names in a folder; empty when it is missing. */
  names(dir: string): string[];
}

export function workspaceReader(ws: Guarded): FileReader {
  return {
    text: (file) => readTextOrNull(ws, file),
    kind: (p) => pathKind(ws, p),
    names: (dir) => listNames(ws, dir) ?? [],
  };
}

/** For paths a person named on the command line: links followed wherever they lead. */
export const userReader: FileReader = {
  text: readUserFile,
  names(dir) {
    try {
      return fs.readdirSync(dir);
    } catch {
      return [];
    }
  },
  kind(p) {
    try {
      const stat = fs.statSync(p);
      return stat.isDirectory() ? "folder" : stat.isFile() ? "file" : null;
    } catch {
      return null;
    }
  },
};

/**
 * Reads a JSON file Baton owns: null when absent; CORRUPT_FILE when unparseable; SCHEMA_TOO_NEW
 * when written by a newer Baton. A corrupt file is reported, never silently replaced.
 */
export function readJsonOrNull(
  ws: Guarded,
  file: string,
  shown: string,
): Record<string, unknown> | null {
  const text = readTextOrNull(ws, file);
  if (text === null) return null;
  return checkSchemaVersion(parseJsonText(text, shown), shown);
}

/** Replaces a file atomically (see writeFileAtomic). */
export function writeText(ws: Guarded, file: string, text: string | Uint8Array): void {
  writeFileAtomic(safePath(ws, file), text, batchOf(ws));
}

/**
 * Replaces a per-machine cache atomically, without flushing its bytes: every cache is checked
 * against what it vouches for before it is used, so one a power cut left empty is rebuilt.
 */
export function writeCache(ws: Guarded, file: string, text: string | Uint8Array): void {
  writeFileAtomic(safePath(ws, file), text, batchOf(ws), false);
}

/**
 * Writes a small file in place, without the temp file and flushes: for markers whose loss in a
 * power cut costs nothing (the crash marker). O_NOFOLLOW: the guard has resolved every link.
 */
export function writeScratch(ws: Guarded, file: string, text: string): void {
  const real = safePath(ws, file);
  const { O_WRONLY, O_CREAT, O_TRUNC, O_NOFOLLOW } = fs.constants;
  try {
    const fd = fs.openSync(real, O_WRONLY | O_CREAT | O_TRUNC | (O_NOFOLLOW ?? 0), 0o644);
    try {
      fs.writeSync(fd, text);
    } finally {
      fs.closeSync(fd);
    }
  } catch (error) {
    throw ioError(error, `write ${file}`);
  }
}

/** Appends one line (see atomic.ts appendLine). */
export function appendLine(ws: Guarded, file: string, line: string): void {
  appendLineRaw(safePath(ws, file), line, batchOf(ws));
}

/** Publishes `content` at the first free name of `targets` (see atomic.ts createNewFile). */
export function createNewFile(
  ws: Guarded,
  content: string,
  targets: readonly string[],
): string | null {
  const first = targets[0];
  if (first === undefined) return null;
  // link(2) never follows a link at the new name (a taken name fails), so the folder is all
  // that needs checking.
  const dir = safePath(ws, path.dirname(first));
  const created = createNewFileRaw(
    content,
    targets.map((t) => path.join(dir, path.basename(t))),
    batchOf(ws),
  );
  return created === null ? null : path.join(path.dirname(first), path.basename(created));
}

/**
 * Replaces the folder `dir` as one unit with `entries` (name → new text, or null to carry the
 * existing file over); see atomic.ts replaceFolder. The folder itself may not be a link.
 */
export function replaceFolder(
  ws: Guarded,
  dir: string,
  entries: ReadonlyMap<string, string | null>,
): void {
  replaceFolderRaw(entryPath(ws, dir), entries, batchOf(ws));
}

/** Removes a file (a missing one is fine); a link is removed, never followed. */
export function removeFile(ws: Guarded, file: string): void {
  removeFileRaw(entryPath(ws, file), batchOf(ws));
}

/** Removes an empty folder; false when it is not empty or not there. */
export function removeEmptyDir(ws: Guarded, dir: string): boolean {
  try {
    fs.rmdirSync(entryPath(ws, dir));
    return true;
  } catch (error) {
    if (error instanceof BatonError) throw error;
    return false;
  }
}

/** Creates a folder and its parents. */
export function makeDir(ws: Guarded, dir: string): void {
  const real = safePath(ws, dir);
  try {
    makeDirRaw(batchOf(ws), real);
  } catch (error) {
    throw ioError(error, `create ${dir}`);
  }
}

/** Renames `from` to `to` (its folder made first), durably. */
export function movePath(ws: Guarded, from: string, to: string): void {
  renamePath(entryPath(ws, from), entryPath(ws, to), batchOf(ws));
}

/** Cuts `file` to `size` bytes. */
export function truncateFile(ws: Guarded, file: string, size: number): void {
  try {
    fs.truncateSync(safePath(ws, file), size);
  } catch (error) {
    throw ioError(error, `truncate ${file}`);
  }
}

/** The names in a folder, or null when it does not exist (or is not a folder). */
export function listNames(ws: Guarded, dir: string): string[] | null {
  try {
    return fs.readdirSync(safePath(ws, dir));
  } catch (error) {
    if (error instanceof BatonError) throw error;
    return null;
  }
}

/**
 * The text of every file of `dir` whose name `keep` accepts, in name order; empty when the folder
 * is missing. For folders of many small records (a spec's claims and work sessions): the folder
 * goes through the guard once, not once per file. An entry that is a link is read through the
 * guard (followed only inside the repository, else UNSAFE_PATH); a plain file is opened without
 * following links, so one swapped in meanwhile is never followed out.
 */
export function readFolderTexts(
  ws: Guarded,
  dir: string,
  keep: (name: string) => boolean,
): { name: string; file: string; text: string }[] {
  let entries: fs.Dirent[];
  const real = safePath(ws, dir);
  try {
    entries = fs.readdirSync(real, { withFileTypes: true });
  } catch {
    return [];
  }
  const { O_RDONLY, O_NOFOLLOW } = fs.constants;
  const out: { name: string; file: string; text: string }[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (!keep(entry.name)) continue;
    const file = path.join(dir, entry.name);
    let text: string | null;
    if (entry.isSymbolicLink()) text = readTextOrNull(ws, file);
    else if (!entry.isFile()) continue;
    else {
      try {
        text = fs.readFileSync(path.join(real, entry.name), {
          encoding: "utf8",
          flag: O_RDONLY | (O_NOFOLLOW ?? 0),
        });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "ENOENT") continue;
        // Replaced by a link since the listing: read it the guarded way.
        if (code === "ELOOP") text = readTextOrNull(ws, file);
        else throw ioError(error, `read ${file}`);
      }
    }
    if (text !== null) out.push({ name: entry.name, file, text });
  }
  return out;
}

/** The entries of a folder with their types, or null when it does not exist. */
export function listEntries(ws: Guarded, dir: string): fs.Dirent[] | null {
  try {
    return fs.readdirSync(safePath(ws, dir), { withFileTypes: true });
  } catch (error) {
    if (error instanceof BatonError) throw error;
    return null;
  }
}

export type PathKind = "file" | "folder" | null;

/** What is at `p` (links inside followed): a file, a folder, or nothing (or something else). */
export function pathKind(ws: Guarded, p: string): PathKind {
  const stat = statOrNull(ws, p);
  return stat === null ? null : stat.isDirectory() ? "folder" : stat.isFile() ? "file" : null;
}

export function exists(ws: Guarded, p: string): boolean {
  return statOrNull(ws, p) !== null;
}

/** The stat of `p`, or null when it is not there. */
export function statOrNull(ws: Guarded, p: string): fs.Stats | null;
export function statOrNull(ws: Guarded, p: string, bigint: true): fs.BigIntStats | null;
export function statOrNull(
  ws: Guarded,
  p: string,
  bigint = false,
): fs.Stats | fs.BigIntStats | null {
  const real = safePath(ws, p);
  try {
    return bigint ? fs.statSync(real, { bigint: true }) : fs.statSync(real);
  } catch {
    return null;
  }
}

/**
 * Visits everything below `dir`, folders before what they hold; `visit` answers for a folder
 * whether to go in. Only `dir` goes through the guard: an entry listed as a folder is a folder,
 * not a link (links are visited, never followed), so nothing found below it leads outside.
 * A folder that cannot be listed is passed over.
 */
export function walkTree(
  ws: Guarded,
  dir: string,
  visit: (full: string, entry: fs.Dirent) => boolean,
): void {
  const stack = [safePath(ws, dir)];
  const spelled = new Map([[stack[0] as string, dir]]);
  while (stack.length > 0) {
    const real = stack.pop() as string;
    const shown = spelled.get(real) as string;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(real, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const full = path.join(shown, entry.name);
      if (visit(full, entry) && entry.isDirectory()) {
        const inner = path.join(real, entry.name);
        spelled.set(inner, full);
        stack.push(inner);
      }
    }
    spelled.delete(real);
  }
}

/**
 * Watches a folder: its entries, reported by name (with `recursive`, everything below it, where
 * the kernel does that: macOS and Windows). `listed`: a folder {@link walkTree} found, which
 * needs no second check. Errors after the start reach the watcher's "error".
 */
export function watchFolder(
  ws: Guarded,
  dir: string,
  recursive: boolean,
  listener: (type: string, name: string | null) => void,
  listed = false,
): fs.FSWatcher {
  return fs.watch(listed ? dir : safePath(ws, dir), { persistent: true, recursive }, (type, name) =>
    listener(type, name === null ? null : String(name)),
  );
}

/** Opens a file for positioned reads (the caller closes it), or null when it does not exist. */
export function openForRead(ws: Guarded, file: string): number | null {
  try {
    return fs.openSync(safePath(ws, file), "r");
  } catch (error) {
    if (error instanceof BatonError) throw error;
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw ioError(error, `read ${file}`);
  }
}

/**
 * Opens an existing file for reading and for appending (every write lands at its end), or null
 * when it does not exist. For a per-machine cache that is read and extended through one
 * descriptor, so an append always goes to the file that was read. O_NOFOLLOW: the guard has
 * resolved every link.
 */
export function openForAppend(ws: Guarded, file: string): number | null {
  const { O_RDWR, O_APPEND, O_NOFOLLOW } = fs.constants;
  try {
    return fs.openSync(safePath(ws, file), O_RDWR | O_APPEND | (O_NOFOLLOW ?? 0));
  } catch (error) {
    if (error instanceof BatonError) throw error;
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw ioError(error, `open ${file}`);
  }
}

/**
 * A function giving the lstat of an entry of `dir` by name, for checking thousands of files: the
 * folder goes through the guard once, not once per file. An entry that is a link is reported as
 * a link, never followed (read it through the guarded functions). Null when `dir` is not a
 * folder; the function gives null for a name that is not there or cannot be stat'ed.
 */
export function entryStats(ws: Guarded, dir: string): ((name: string) => fs.Stats | null) | null {
  const real = safePath(ws, dir);
  try {
    if (!fs.statSync(real).isDirectory()) return null;
  } catch {
    return null;
  }
  const prefix = real.endsWith(path.sep) ? real : `${real}${path.sep}`;
  return (name) => {
    if (name === "" || name === "." || name === ".." || /[\\/]/.test(name)) {
      throw new BatonError("INTERNAL", `not a plain file name: ${name}`, "report this bug");
    }
    try {
      return fs.lstatSync(`${prefix}${name}`, { throwIfNoEntry: false }) ?? null;
    } catch {
      return null;
    }
  };
}

/** JSON.parse with the failure reported as CORRUPT_FILE naming the file. */
export function parseJsonText(text: string, shown: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw corruptFile(
      shown,
      `is not valid JSON (${reason})`,
      `restore it from git (git checkout -- ${shown}) or fix it by hand; Baton left it untouched`,
    );
  }
}

/** YAML parsing with the failure reported as CORRUPT_FILE naming the file. */
export function parseYamlText(text: string, shown: string): unknown {
  try {
    return parseYaml(text, fullYaml);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw corruptFile(
      shown,
      `is not valid YAML (${reason})`,
      "fix the YAML or restore the file from git; Baton left it untouched",
    );
  }
}

export function writeJson(ws: Guarded, file: string, data: { schema_version: number }): void {
  writeText(ws, file, jsonText(data));
}

/** The bytes writeJson writes: pretty JSON of this build's schema version, nothing else. */
export function jsonText(data: { schema_version: number }): string {
  if (data.schema_version !== SCHEMA_VERSION) {
    throw new BatonError(
      "INTERNAL",
      `refusing to write schema_version ${data.schema_version}`,
      "report this bug",
    );
  }
  return `${JSON.stringify(data, null, 2)}\n`;
}

/**
 * `absolute` relative to `root` (with `/`), or null when it lies outside. An existing path is
 * judged by where it really is, so a symlink inside the root that points out counts as outside.
 */
export function pathWithin(root: string, absolute: string): string | null {
  const inside = (base: string, target: string) => {
    const rel = path.relative(base, target);
    return rel === ".." || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)
      ? null
      : rel.split(path.sep).join("/");
  };
  let real: string | null = null;
  try {
    real = fs.realpathSync(absolute);
  } catch {
    // Not there (yet): only its spelling can be judged.
  }
  const direct = inside(root, absolute);
  if (real === null) return direct;
  let realRoot = root;
  try {
    realRoot = fs.realpathSync(root);
  } catch {
    // A root that does not resolve is compared as spelled.
  }
  const actual = inside(realRoot, real);
  if (actual === null) return null;
  return direct ?? actual;
}
