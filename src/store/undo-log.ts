import fs from "node:fs";
import path from "node:path";
import { BatonError } from "../core/errors.ts";
import { SCHEMA_VERSION } from "../core/schema.ts";
import { TEMP_MARKER } from "./atomic.ts";
import { pathWithin } from "./files.ts";

/**
 * One change a locked transaction made, recorded before it is made, with what undoing it needs.
 * Files are recognised by inode (`ino`, `kept`), so an undo touches only the very file the
 * transaction put there: never one that was changed since, nor one a forged log names.
 *
 * - `create`: a file that did not exist (`ino`: the new file). Undo: remove it.
 * - `replace`: a file replaced by a new one (`ino`); the old one is kept at `backup` (`kept`).
 *   Undo: put the backup back. Commit: remove the backup.
 * - `remove`: a file or folder moved aside to `backup` (`kept`). Undo: move it back. Commit:
 *   remove it for good.
 * - `move`: a staged folder moved from `from` (a temp name beside it) to `path` (`ino`). Undo:
 *   move it back.
 * - `rename`: a file or folder renamed from `from` to `path` (`ino`), anywhere inside the
 *   workspace (`spec migrate`). Undo: rename it back while nothing stands at `from`.
 * - `append`: bytes appended to a file (`ino`) that was `size` bytes long. Undo: cut it there.
 * - `mkdir`: a folder that did not exist. Undo: remove it while it holds nothing but (empty)
 *   folders and temp files; a temp-named folder (a staged set) is removed whole.
 * - `dir`: a folder the transaction writes temp files into, for the sweep after a crash.
 */
export type Step =
  | { op: "create"; path: string; ino: string }
  | { op: "replace"; path: string; ino: string; backup: string; kept: string }
  | { op: "remove"; path: string; backup: string; kept: string }
  | { op: "move"; path: string; from: string; ino: string }
  | { op: "rename"; path: string; from: string; ino: string }
  | { op: "append"; path: string; ino: string; size: number }
  | { op: "mkdir"; path: string }
  | { op: "dir"; path: string };

/**
 * The crash marker of a transaction, holding its undo log: a header line, then one line per
 * step, written with write(2) before the step is taken (a killed process loses nothing it
 * wrote), then `{"op":"commit"}` once the transaction is complete. Paths are relative to the
 * workspace root.
 */
export class UndoLog {
  private fd: number | null;
  readonly root: string;

  private constructor(fd: number, root: string) {
    this.fd = fd;
    this.root = root;
  }

  /** Creates the marker; it must not exist (a leftover one is repaired first). */
  static create(file: string, root: string): UndoLog {
    // O_EXCL never follows a symlink standing at the name: it fails instead.
    const fd = fs.openSync(file, "wx", 0o644);
    const log = new UndoLog(fd, root);
    try {
      log.write({ schema_version: SCHEMA_VERSION, pid: process.pid, at: new Date().toISOString() });
    } catch (error) {
      log.close();
      throw error;
    }
    return log;
  }

  record(step: Step): void {
    const rel: Record<string, unknown> = { ...step };
    for (const key of ["path", "backup", "from"] as const) {
      const value = (step as Record<string, unknown>)[key];
      if (typeof value === "string") rel[key] = relativeTo(this.root, value);
    }
    this.write(rel);
  }

  commit(): void {
    this.write({ op: "commit" });
  }

  close(): void {
    const fd = this.fd;
    this.fd = null;
    if (fd === null) return;
    try {
      fs.closeSync(fd);
    } catch {
      // Nothing more to release.
    }
  }

  private write(record: Record<string, unknown>): void {
    if (this.fd === null) return;
    const data = Buffer.from(`${JSON.stringify(record)}\n`, "utf8");
    const n = fs.writeSync(this.fd, data);
    if (n !== data.length) throw Object.assign(new Error("short write"), { code: "EIO" });
  }
}

function relativeTo(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join("/");
}

/** What a leftover marker says: its steps (absolute paths) and whether it committed. */
export interface LeftoverLog {
  /** False for a marker without a log (an older Baton's, or one torn before its header). */
  logged: boolean;
  committed: boolean;
  steps: Step[];
  /** Entries naming a path outside the workspace or malformed: ignored, counted. */
  refused: number;
}

/**
 * Reads a leftover marker. A torn last line (the writer died mid-write) is ignored: its step
 * had not been taken yet. Paths are resolved inside `root` only; an entry that would reach
 * outside it (`..`, an absolute path, a folder symlinked out) is refused, so a marker committed
 * to a repository cannot steer the repair anywhere else.
 */
export function readLeftoverLog(file: string, root: string, shown: string): LeftoverLog {
  let text: string;
  try {
    if (!fs.lstatSync(file).isFile())
      return { logged: false, committed: false, steps: [], refused: 0 };
    text = fs.readFileSync(file, "utf8");
  } catch {
    return { logged: false, committed: false, steps: [], refused: 0 };
  }
  const lines = text.split("\n");
  const out: LeftoverLog = { logged: false, committed: false, steps: [], refused: 0 };
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line);
    } catch {
      if (i < lines.length - 1 && i > 0) out.refused++;
      return;
    }
    if (record === null || typeof record !== "object") return;
    if (i === 0) {
      const version = record.schema_version;
      if (typeof version !== "number") return;
      if (version > SCHEMA_VERSION) {
        throw new BatonError(
          "SCHEMA_TOO_NEW",
          `${shown} was left by a newer Baton (schema_version ${version}) that was interrupted`,
          "run that newer Baton once so it can finish or undo its change; this one left it untouched",
        );
      }
      out.logged = true;
      return;
    }
    if (!out.logged) return;
    if (record.op === "commit") {
      out.committed = true;
      return;
    }
    const step = parseStep(record, root);
    if (step) out.steps.push(step);
    else out.refused++;
  });
  return out;
}

function parseStep(record: Record<string, unknown>, root: string): Step | null {
  const at = (key: string): string | null => inside(root, record[key]);
  const id = (key: string): string | null =>
    typeof record[key] === "string" && /^\d+$/.test(record[key] as string)
      ? (record[key] as string)
      : null;
  const file = at("path");
  if (file === null) return null;
  const ino = id("ino");
  switch (record.op) {
    case "create":
      return ino ? { op: "create", path: file, ino } : null;
    case "append": {
      const size = record.size;
      return ino && typeof size === "number" && Number.isSafeInteger(size) && size >= 0
        ? { op: "append", path: file, ino, size }
        : null;
    }
    case "replace":
    case "remove": {
      const backup = at("backup");
      const kept = id("kept");
      if (!backup || !kept || !isSiblingTemp(file, backup)) return null;
      return record.op === "replace"
        ? ino
          ? { op: "replace", path: file, ino, backup, kept }
          : null
        : { op: "remove", path: file, backup, kept };
    }
    case "move": {
      const from = at("from");
      return from && ino && isSiblingTemp(file, from)
        ? { op: "move", path: file, from, ino }
        : null;
    }
    case "rename": {
      // The inode pins the very entry this transaction renamed: a forged line names none.
      const from = at("from");
      return from && ino ? { op: "rename", path: file, from, ino } : null;
    }
    case "mkdir":
      return { op: "mkdir", path: file };
    case "dir":
      return { op: "dir", path: file };
    default:
      return null;
  }
}

/** A backup or staged copy lives beside its target under a temp name, never anywhere else. */
function isSiblingTemp(file: string, other: string): boolean {
  return path.dirname(file) === path.dirname(other) && path.basename(other).includes(TEMP_MARKER);
}

function inside(root: string, value: unknown): string | null {
  if (typeof value !== "string" || value === "" || value.includes("\0")) return null;
  if (path.isAbsolute(value) || /^[A-Za-z]:/.test(value)) return null;
  const parts = value.split(/[\\/]/);
  if (parts.includes("..") || parts.includes(".")) return null;
  const file = path.join(root, ...parts);
  // The folder it sits in must really be inside: a symlinked folder pointing out is refused.
  return pathWithin(root, path.dirname(file)) === null ? null : file;
}

/**
 * Undoes `steps`, last first. Each undo checks the inode it recorded, so running it twice (a
 * repair killed halfway and run again) or on a file changed since changes nothing wrong.
 * Returns false when some step could not be undone (the caller keeps the marker, so the next
 * command tries again).
 */
export function undoSteps(steps: readonly Step[]): boolean {
  let clean = true;
  for (let i = steps.length - 1; i >= 0; i--) {
    try {
      undoStep(steps[i] as Step);
    } catch {
      clean = false;
    }
  }
  return clean;
}

function undoStep(step: Step): void {
  switch (step.op) {
    case "create":
      if (inodeOf(step.path) === step.ino) removeTree(step.path);
      return;
    case "replace": {
      if (inodeOf(step.backup) !== step.kept) return;
      const now = inodeOf(step.path);
      if (now === step.ino || now === null) fs.renameSync(step.backup, step.path);
      else removeTree(step.backup);
      return;
    }
    case "remove":
      if (inodeOf(step.backup) !== step.kept) return;
      if (inodeOf(step.path) === null) fs.renameSync(step.backup, step.path);
      else removeTree(step.backup);
      return;
    case "move":
    case "rename":
      if (inodeOf(step.path) === step.ino && inodeOf(step.from) === null) {
        fs.renameSync(step.path, step.from);
      }
      return;
    case "append": {
      const stat = lstatOrNull(step.path);
      if (stat && stat.ino.toString() === step.ino && stat.size >= BigInt(step.size)) {
        fs.truncateSync(step.path, step.size);
      }
      return;
    }
    case "mkdir":
      if (path.basename(step.path).includes(TEMP_MARKER)) removeTree(step.path);
      else removeIfOnlyLeftovers(step.path);
      return;
    case "dir":
      return;
  }
}

/** After a commit: the old bytes kept aside are no longer needed. */
export function finishSteps(steps: readonly Step[]): void {
  for (const step of steps) {
    if (step.op !== "replace" && step.op !== "remove") continue;
    try {
      if (inodeOf(step.backup) === step.kept) removeTree(step.backup);
    } catch {
      // A backup that cannot be removed now carries the temp marker: the next sweep takes it.
    }
  }
}

/** Removes a folder tree that holds nothing but folders and temp files; true when it went. */
function removeIfOnlyLeftovers(dir: string): boolean {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return true;
  }
  let empty = true;
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) empty = removeIfOnlyLeftovers(full) && empty;
    else if (entry.name.includes(TEMP_MARKER) && entry.isFile()) removeTree(full);
    else empty = false;
  }
  if (!empty) return false;
  fs.rmdirSync(dir);
  return true;
}

function removeTree(file: string): void {
  fs.rmSync(file, { recursive: true, force: true });
}

function lstatOrNull(file: string): fs.BigIntStats | null {
  try {
    return fs.lstatSync(file, { bigint: true });
  } catch {
    return null;
  }
}

/** The inode number of whatever stands at `file` (a symlink itself, never its target). */
export function inodeOf(file: string): string | null {
  return lstatOrNull(file)?.ino.toString() ?? null;
}

export function inodeOfFd(fd: number): string {
  return fs.fstatSync(fd, { bigint: true }).ino.toString();
}

/**
 * Test seam: with BATON_TEST_PAUSE=<label>, the process stops right after the step so
 * labelled (`<op>:<file name>`, or `commit` just before the commit record), says so on stderr
 * and waits, so a test can kill it -9 at exactly that point. Unset, it costs one lookup.
 */
export function pauseAt(label: string): void {
  const wanted = process.env.BATON_TEST_PAUSE;
  if (!wanted || wanted !== label) return;
  fs.writeSync(2, `baton-test-paused ${label}\n`);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
}
