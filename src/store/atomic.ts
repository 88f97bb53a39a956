import fs from "node:fs";
import path from "node:path";
import { BatonError } from "../core/errors.ts";
import {
  finishSteps,
  inodeOf,
  inodeOfFd,
  pauseAt,
  type Step,
  type UndoLog,
  undoSteps,
} from "./undo-log.ts";

/** Temp files carry this marker so a sweep can recognise, and only ever remove, its own leftovers. */
export const TEMP_MARKER = ".baton-tmp-";

/** Most file systems cap a name at 255 bytes; the temp name must fit whatever the target's is. */
const MAX_BASE_BYTES = 180;

export function tempPathFor(target: string): string {
  const dir = path.dirname(target);
  let base = path.basename(target);
  while (Buffer.byteLength(base) > MAX_BASE_BYTES) base = base.slice(0, -1);
  return path.join(
    dir,
    `.${base}${TEMP_MARKER}${process.pid}-${Math.random().toString(36).slice(2, 10)}`,
  );
}

/**
 * Replaces `target` with `content` so that a reader, or a crash at any instant, sees either the
 * old bytes or the new ones: write a temp file in the same folder, check every byte landed,
 * fsync it, rename over the target, then fsync the folder so the rename itself is durable.
 * On any failure the temp file is removed and the old target is untouched; the error is always
 * an IO_ERROR BatonError. An existing file keeps its permission bits. A symlink at `target` is
 * replaced, never followed: a cloned repository cannot steer a write outside itself.
 */
export function writeFileAtomic(
  target: string,
  content: string | Uint8Array,
  batch: WriteBatch | null = null,
  /**
   * false for a cache that is checked before it is trusted: a power cut may leave it empty or
   * old, never half of two, and a reader then rebuilds it; the flush is skipped.
   */
  flush = true,
): void {
  const data = typeof content === "string" ? Buffer.from(content, "utf8") : content;
  let temp: string | null = null;
  let fd: number | null = null;
  let dir: string;
  let mode: number | null = null;
  try {
    dir = path.dirname(target);
    mode = existingMode(target);
    temp = tempPathFor(target);
    noteDir(batch, dir);
    fd = openTemp(batch, temp, dir, mode ?? 0o644);
    if (mode !== null) chmodQuietly(fd, mode);
    let written = 0;
    while (written < data.length) {
      const n = fs.writeSync(fd, data, written, data.length - written);
      if (n <= 0) throw Object.assign(new Error("short write"), { code: "EIO" });
      written += n;
    }
    if (flush) fs.fsyncSync(fd);
    const step = batch ? keepOldAside(batch, target, inodeOfFd(fd)) : null;
    const open = fd;
    fd = null;
    fs.closeSync(open);
    renameWithRetry(temp, target);
    temp = null;
    if (step) pauseAt(`${step.op}:${path.basename(target)}`);
  } catch (error) {
    if (fd !== null) closeQuietly(fd);
    if (temp !== null) removeQuietly(temp);
    throw ioError(error, `write ${target}`);
  }
  if (batch) batch.dirs.add(dir);
  else fsyncDir(dir);
}

/**
 * Inside a batch, before `target` is replaced by the file `ino`: records the step, then keeps
 * the old file (if any) at a hard-linked backup name so the transaction can be undone. A file
 * system without hard links gets a copy; a symlink standing there is moved aside.
 */
function keepOldAside(active: WriteBatch, target: string, ino: string): Step {
  let old: fs.BigIntStats | null = null;
  try {
    old = fs.lstatSync(target, { bigint: true });
  } catch {
    // Nothing there: a new file.
  }
  if (old === null || old.isDirectory()) {
    return record(active, { op: "create", path: target, ino });
  }
  const backup = tempPathFor(target);
  const step = record(active, { op: "replace", path: target, ino, backup, kept: `${old.ino}` });
  if (!old.isFile()) {
    fs.renameSync(target, backup);
    return step;
  }
  try {
    fs.linkSync(target, backup);
    return step;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EOPNOTSUPP" && code !== "EMLINK")
      throw error;
  }
  fs.copyFileSync(target, backup, fs.constants.COPYFILE_EXCL);
  // The copy is another file: its own inode is what an undo must find.
  return record(active, { ...step, kept: inodeOf(backup) ?? "" });
}

/** Creates the temp file, making its folder first only when it is missing (the rare case). */
function openTemp(batch: WriteBatch | null, temp: string, dir: string, mode: number): number {
  try {
    return fs.openSync(temp, "wx", mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  makeDir(batch, dir);
  return fs.openSync(temp, "wx", mode);
}

/** mkdir -p, recording the first folder it made so a failed transaction removes it again. */
export function makeDir(batch: WriteBatch | null, dir: string): void {
  const madeDir = fs.mkdirSync(dir, { recursive: true });
  if (madeDir !== undefined && batch) record(batch, { op: "mkdir", path: madeDir });
}

/** Records, once per transaction, a folder that is about to receive temp files. */
function noteDir(batch: WriteBatch | null, dir: string): void {
  if (!batch || batch.tempDirs.has(dir)) return;
  record(batch, { op: "dir", path: dir });
  batch.tempDirs.add(dir);
}

function record<S extends Step>(active: WriteBatch, step: S): S {
  active.log?.record(step);
  active.steps.push(step);
  return step;
}

/**
 * The writes of one locked transaction. Folder fsyncs are made once per folder when it commits
 * (every rename is visible at once; the flush only makes it durable, so it can wait for the last
 * one). Every change is a {@link Step}, recorded in the transaction's undo log before it is
 * made: a file replaced or removed is kept aside (a hard link, no copy) until the commit, so a
 * failing transaction puts back every file it changed and removes every file and folder it
 * created, and the next command does the same for one whose process was killed.
 */
export interface WriteBatch {
  log: UndoLog | null;
  steps: Step[];
  tempDirs: Set<string>;
  dirs: Set<string>;
}

/** A new batch; its steps go to `log` too. A value: the transaction that owns it passes it on. */
export function newWriteBatch(log: UndoLog | null = null): WriteBatch {
  return { log, steps: [], tempDirs: new Set(), dirs: new Set() };
}

/**
 * Ends the batch. Commit: makes it durable, records the commit, then drops the old bytes kept
 * aside. Rollback: undoes every step, last first. Returns false when a rollback could not undo
 * everything (the log then stays for the next command to finish).
 */
export async function endWriteBatch(done: WriteBatch, commit: boolean): Promise<boolean> {
  if (!commit) {
    const clean = undoSteps(done.steps);
    const dirs = [...done.dirs].filter((dir) => fs.existsSync(dir));
    await Promise.all(dirs.map((dir) => fsyncDirAsync(dir).catch(() => {})));
    return clean;
  }
  for (const step of done.steps) if (step.op === "mkdir") done.dirs.add(path.dirname(step.path));
  try {
    // In parallel: the file system can commit them in one journal transaction.
    await Promise.all([...done.dirs].map(fsyncDirAsync));
  } finally {
    pauseAt("commit");
    done.log?.commit();
    finishSteps(done.steps);
  }
  return true;
}

/** Where the batch stands, to undo back to with {@link rollbackTo}. */
export function savepoint(batch: WriteBatch): number {
  return batch.steps.length;
}

/** Undoes the steps taken since `mark`; the transaction goes on. */
export function rollbackTo(batch: WriteBatch, mark: number): void {
  if (batch.steps.length <= mark) return;
  const undone = batch.steps.splice(mark);
  if (!undoSteps(undone)) {
    // What could not be undone stays recorded, so the batch's own rollback retries it.
    batch.steps.push(...undone);
  }
}

function fsyncDirAsync(dir: string): Promise<void> {
  if (process.platform === "win32") return Promise.resolve();
  return new Promise((resolve, reject) => {
    let fd: number;
    try {
      fd = fs.openSync(dir, "r");
    } catch {
      resolve(); // As in fsyncDir: a folder that cannot be opened is left to the file system.
      return;
    }
    fs.fsync(fd, (error) => {
      closeQuietly(fd);
      if (!error || !["EIO", "ENOSPC", "EDQUOT"].includes(error.code ?? "")) resolve();
      else reject(dirFlushError(dir, error.code as string));
    });
  });
}

/**
 * Puts `content` at the first of `targets` (all in one folder) that does not exist yet, never
 * replacing a file: the bytes go to a temp file, fsynced, which link(2) publishes; a taken name
 * (EEXIST) moves on to the next. Exactly one of several processes racing for a name wins it, and
 * a reader sees no file or the whole file. Returns the path used, or null when every name is
 * taken. On a file system without hard links it falls back to an exclusive create of the target
 * itself: still one winner, though a reader may then see it half-written.
 */
export function createNewFile(
  content: string,
  targets: readonly string[],
  batch: WriteBatch | null = null,
): string | null {
  const first = targets[0];
  if (first === undefined) return null;
  const dir = path.dirname(first);
  const temp = tempPathFor(first);
  try {
    noteDir(batch, dir);
    makeDir(batch, dir);
    fs.writeFileSync(temp, content, { flag: "wx", mode: 0o644, flush: true });
    const ino = batch ? inodeOf(temp) : null;
    for (const target of targets) {
      // Recorded first: undoing it removes the name only if it is this very file.
      if (batch && ino) record(batch, { op: "create", path: target, ino });
      try {
        fs.linkSync(temp, target);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "EEXIST") continue;
        if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EOPNOTSUPP" && code !== "EXDEV")
          throw error;
        if (!createExclusively(target, content)) continue;
        const made = batch ? inodeOf(target) : null;
        if (batch && made) record(batch, { op: "create", path: target, ino: made });
      }
      fsyncDir(dir);
      pauseAt(`create:${path.basename(target)}`);
      return target;
    }
    return null;
  } catch (error) {
    throw ioError(error, `create ${first}`);
  } finally {
    removeQuietly(temp);
  }
}

function createExclusively(target: string, content: string): boolean {
  try {
    fs.writeFileSync(target, content, { flag: "wx", mode: 0o644, flush: true });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

/**
 * Removes a file (a missing one is fine); a failure is IO_ERROR. Inside a batch the file is
 * moved aside instead and removed for good when the transaction commits.
 */
export function removeFile(file: string, batch: WriteBatch | null = null): void {
  try {
    if (batch && existingKind(file) === "file") moveAside(batch, file);
    else fs.rmSync(file, { force: true });
  } catch (error) {
    throw ioError(error, `remove ${file}`);
  }
}

/**
 * Renames `from` to `to` (the target's folder made first); inside a batch a `rename` step,
 * undone by renaming it back, and the folders are flushed at commit.
 */
export function renamePath(from: string, to: string, batch: WriteBatch | null = null): void {
  try {
    makeDir(batch, path.dirname(to));
    const ino = inodeOf(from);
    if (batch && ino) record(batch, { op: "rename", path: to, from, ino });
    renameWithRetry(from, to);
  } catch (error) {
    throw ioError(error, `move ${from} to ${to}`);
  }
  if (batch) {
    batch.dirs.add(path.dirname(from));
    batch.dirs.add(path.dirname(to));
    pauseAt(`rename:${path.basename(to)}`);
  } else {
    fsyncDir(path.dirname(from));
    if (path.dirname(to) !== path.dirname(from)) fsyncDir(path.dirname(to));
  }
}

/**
 * Moves what stands at `file` to a temp name beside it; inside a batch that is a `remove`
 * step (undone by moving it back, dropped at commit). Returns the temp name.
 */
function moveAside(batch: WriteBatch | null, file: string): string {
  const backup = tempPathFor(file);
  const kept = inodeOf(file);
  if (batch && kept) record(batch, { op: "remove", path: file, backup, kept });
  renameWithRetry(file, backup);
  if (batch) {
    batch.dirs.add(path.dirname(file));
    pauseAt(`remove:${path.basename(file)}`);
  }
  return backup;
}

function existingKind(file: string): "file" | "folder" | null {
  try {
    return fs.lstatSync(file).isDirectory() ? "folder" : "file";
  } catch {
    return null;
  }
}

/**
 * Replaces the folder `target` as one unit. The new set is written aside first, into a temp
 * folder beside it: `entries` maps each name to its new content, or to null to carry the old
 * folder's entry over unchanged (a hard link, no copy); nothing else is carried. Every file is
 * fsynced, then the old folder is moved aside and the new one renamed into its place, so a
 * reader sees the old set or the new one, never a mix. A failure before the switch leaves the
 * old folder untouched; inside a batch, the switch is undone with the transaction, and the old
 * folder is removed only when it commits.
 */
export function replaceFolder(
  target: string,
  entries: ReadonlyMap<string, string | null>,
  batch: WriteBatch | null = null,
): void {
  const parent = path.dirname(target);
  const staged = tempPathFor(target);
  let madeStaged = false;
  try {
    const old = existingKind(target);
    if (old === "file") {
      const kind = fs.lstatSync(target).isSymbolicLink() ? "ELOOP" : "ENOTDIR";
      throw Object.assign(new Error("not a folder"), { code: kind });
    }
    makeDir(batch, parent);
    if (batch) record(batch, { op: "mkdir", path: staged });
    fs.mkdirSync(staged);
    madeStaged = true;
    for (const [name, content] of entries) {
      const to = path.join(staged, name);
      if (content !== null) writeDurably(to, content);
      else if (old === "folder") carryOver(path.join(target, name), to);
    }
    fsyncDir(staged);
    const aside = old === "folder" ? moveAside(batch, target) : null;
    const ino = inodeOf(staged);
    if (batch && ino) record(batch, { op: "move", path: target, from: staged, ino });
    renameWithRetry(staged, target);
    madeStaged = false;
    if (batch) {
      batch.dirs.add(parent);
      pauseAt(`move:${path.basename(target)}`);
    } else {
      fsyncDir(parent);
      if (aside) fs.rmSync(aside, { recursive: true, force: true });
    }
  } catch (error) {
    if (madeStaged && !batch) fs.rmSync(staged, { recursive: true, force: true });
    throw ioError(error, `replace ${target}`);
  }
}

function writeDurably(file: string, content: string): void {
  const fd = fs.openSync(file, "wx", 0o644);
  try {
    const data = Buffer.from(content, "utf8");
    let written = 0;
    while (written < data.length) {
      const n = fs.writeSync(fd, data, written, data.length - written);
      if (n <= 0) throw Object.assign(new Error("short write"), { code: "EIO" });
      written += n;
    }
    fs.fsyncSync(fd);
  } finally {
    closeQuietly(fd);
  }
}

/** An unchanged entry of the old folder, into the new one: a hard link, else a copy. */
function carryOver(from: string, to: string): void {
  const stat = fs.lstatSync(from, { throwIfNoEntry: false });
  if (!stat) return;
  if (stat.isFile()) {
    try {
      fs.linkSync(from, to);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EOPNOTSUPP" && code !== "EMLINK")
        throw error;
    }
  }
  fs.cpSync(from, to, {
    recursive: true,
    errorOnExist: true,
    force: false,
    verbatimSymlinks: true,
  });
}

function dirFlushError(dir: string, code: string): BatonError {
  return new BatonError(
    "IO_ERROR",
    `could not flush folder ${dir} to disk (${code})`,
    "the new content is in place but may not survive a power loss; check the disk",
  );
}

/**
 * Makes a rename (or a new file) in `dir` durable. Platforms that cannot open or fsync a folder
 * (Windows; some network and FUSE file systems) are skipped: the rename is still atomic there.
 * A real I/O failure is reported, since the new bytes are visible but may not survive a crash.
 */
export function fsyncDir(dir: string): void {
  if (process.platform === "win32") return;
  let fd: number | null = null;
  try {
    fd = fs.openSync(dir, "r");
    fs.fsyncSync(fd);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!["EIO", "ENOSPC", "EDQUOT"].includes(code ?? "")) return;
    throw dirFlushError(dir, code as string);
  } finally {
    if (fd !== null) closeQuietly(fd);
  }
}

/** The permission bits of an existing regular file at `file` (a symlink is not followed). */
function existingMode(file: string): number | null {
  try {
    const stat = fs.lstatSync(file);
    return stat.isFile() ? stat.mode & 0o777 : null;
  } catch {
    return null;
  }
}

function chmodQuietly(fd: number, mode: number): void {
  try {
    fs.fchmodSync(fd, mode);
  } catch {
    // Not every file system keeps modes; the content matters more than the bits.
  }
}

/**
 * On Windows, a rename over a file another process has open (a reader, an editor, a virus
 * scanner) fails with EPERM/EACCES/EBUSY for a moment; retry briefly before giving up.
 */
function renameWithRetry(from: string, to: string): void {
  const deadline = Date.now() + (process.platform === "win32" ? 2_000 : 0);
  let wait = 5;
  for (;;) {
    try {
      fs.renameSync(from, to);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "";
      if (Date.now() >= deadline || !["EPERM", "EACCES", "EBUSY"].includes(code)) throw error;
      sleepSync(wait);
      wait = Math.min(wait * 2, 100);
    }
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // The descriptor is already unusable; nothing more to release.
  }
}

function removeQuietly(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // Left for the next sweep; the original failure is the one worth reporting.
  }
}

/**
 * Appends one line with a single write(2) on an O_APPEND descriptor, then fsyncs it. Call it
 * holding the workspace lock. If the file's last line is torn (a writer died or ran out of
 * space mid-append), that fragment, which holds no complete record, is cut off first, so one
 * bad append never spoils the next and never leaves garbage in the middle of the file. A last
 * line that is whole but lacks its newline (an editor's) keeps its bytes and gets one.
 */
export function appendLine(target: string, line: string, batch: WriteBatch | null = null): void {
  let fd: number | null = null;
  try {
    makeDir(batch, path.dirname(target));
    const existed = existingKind(target) !== null;
    // O_NOFOLLOW: the guard resolved every link before the path reached here.
    const { O_RDWR, O_APPEND, O_CREAT, O_NOFOLLOW } = fs.constants;
    fd = fs.openSync(target, O_RDWR | O_APPEND | O_CREAT | (O_NOFOLLOW ?? 0), 0o644);
    const size = fs.fstatSync(fd).size;
    const torn = size > 0 ? tornTail(fd, size) : null;
    if (batch) {
      const ino = inodeOfFd(fd);
      const keep = torn?.cut ?? size;
      record(
        batch,
        existed
          ? { op: "append", path: target, ino, size: keep }
          : { op: "create", path: target, ino },
      );
    }
    if (torn?.cut !== undefined) fs.ftruncateSync(fd, torn.cut);
    const prefix = torn && torn.cut === undefined ? "\n" : "";
    const data = Buffer.from(`${prefix}${line.endsWith("\n") ? line : `${line}\n`}`, "utf8");
    const n = fs.writeSync(fd, data);
    if (n !== data.length) throw Object.assign(new Error("short append"), { code: "EIO" });
    fs.fsyncSync(fd);
    if (size === 0) {
      if (batch) batch.dirs.add(path.dirname(target));
      else fsyncDir(path.dirname(target));
    }
    if (batch) pauseAt(`append:${path.basename(target)}`);
  } catch (error) {
    throw ioError(error, `append to ${target}`);
  } finally {
    if (fd !== null) closeQuietly(fd);
  }
}

/**
 * When the file does not end with a newline: `cut` is where its torn last line starts (the
 * bytes after the last newline are not a whole JSON record), or undefined when that line is
 * whole and only needs a newline (or is too long to judge).
 */
function tornTail(fd: number, size: number): { cut?: number } | null {
  const last = Buffer.alloc(1);
  fs.readSync(fd, last, 0, 1, size - 1);
  if (last[0] === 0x0a) return null;
  const window = Math.min(size, 64 * 1024);
  const tail = Buffer.alloc(window);
  fs.readSync(fd, tail, 0, window, size - window);
  const nl = tail.lastIndexOf(0x0a);
  if (nl === -1 && window < size) return {};
  const start = nl + 1;
  try {
    JSON.parse(tail.subarray(start).toString("utf8"));
    return {};
  } catch {
    return { cut: size - window + start };
  }
}

const IO_HINTS: Record<string, string> = {
  ENOSPC: "free disk space and run the command again",
  EDQUOT: "your disk quota is used up; free space and run the command again",
  EFBIG: "the file grew past the size limit for this process or file system",
  EACCES: "check the folder's permissions",
  EPERM: "check the folder's permissions",
  EROFS: "the file system is read-only",
  ENOTDIR: "a file stands where Baton expects a folder; move it away and retry",
  EISDIR: "a folder stands where Baton expects a file; move it away and retry",
  EEXIST: "a file or folder is in the way; move it away and retry",
  EMFILE: "too many open files; close some programs and retry",
  ELOOP: "a symlink stands where Baton expects a folder; replace it with the folder itself",
};

/** What a failed write leaves, true for every command (see endWriteBatch). */
const AFTER_FAILURE =
  "nothing was changed: every file this command wrote is back as it was and anything new it made was removed; re-running it does the whole job";

/** Wraps a file-system failure as IO_ERROR with a hint; a BatonError passes through unchanged. */
export function ioError(error: unknown, action: string): BatonError {
  if (error instanceof BatonError) return error;
  const code = (error as NodeJS.ErrnoException | null)?.code ?? "EIO";
  return new BatonError(
    "IO_ERROR",
    `could not ${action} (${code})`,
    `${IO_HINTS[code] ?? "check the path and disk, then run the command again"}; ${AFTER_FAILURE}`,
  );
}

/** True for the errors Node's fs raises (they carry a string `code` and a `syscall`). */
export function isFsError(error: unknown): error is NodeJS.ErrnoException {
  return (
    error instanceof Error &&
    typeof (error as NodeJS.ErrnoException).code === "string" &&
    typeof (error as NodeJS.ErrnoException).syscall === "string"
  );
}

/**
 * Removes temp files left by a writer that died mid-write. Safe only while holding the lock.
 * Only regular files whose name carries {@link TEMP_MARKER} are touched.
 */
export function sweepTempFiles(dirs: Iterable<string>): string[] {
  const removed: string[] = [];
  for (const dir of dirs) {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (!entry.name.includes(TEMP_MARKER) || !entry.isFile()) continue;
      const full = path.join(dir, entry.name);
      try {
        fs.rmSync(full, { force: true });
        removed.push(full);
      } catch {
        // Still there next time; a leftover temp file is harmless meanwhile.
      }
    }
  }
  return removed;
}
