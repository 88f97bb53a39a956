import fs from "node:fs";
import path from "node:path";
import { BatonError } from "../core/errors.ts";

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
export function writeFileAtomic(target: string, content: string | Uint8Array): void {
  const data = typeof content === "string" ? Buffer.from(content, "utf8") : content;
  let temp: string | null = null;
  let fd: number | null = null;
  let dir: string;
  let mode: number | null = null;
  try {
    dir = path.dirname(target);
    mode = existingMode(target);
    temp = tempPathFor(target);
    fd = openTemp(temp, dir, mode ?? 0o644);
    if (mode !== null) chmodQuietly(fd, mode);
    let written = 0;
    while (written < data.length) {
      const n = fs.writeSync(fd, data, written, data.length - written);
      if (n <= 0) throw Object.assign(new Error("short write"), { code: "EIO" });
      written += n;
    }
    fs.fsyncSync(fd);
    const open = fd;
    fd = null;
    fs.closeSync(open);
    renameWithRetry(temp, target);
    temp = null;
  } catch (error) {
    if (fd !== null) closeQuietly(fd);
    if (temp !== null) removeQuietly(temp);
    throw ioError(error, `write ${target}`);
  }
  if (batch) {
    if (mode === null) batch.created.push(target);
    batch.dirs.add(dir);
  } else fsyncDir(dir);
}

/** Creates the temp file, making its folder first only when it is missing (the rare case). */
function openTemp(temp: string, dir: string, mode: number): number {
  try {
    return fs.openSync(temp, "wx", mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const madeDir = fs.mkdirSync(dir, { recursive: true });
  if (madeDir !== undefined) batch?.createdDirs.push(madeDir);
  return fs.openSync(temp, "wx", mode);
}

/**
 * The writes of one locked transaction. Folder fsyncs are made once per folder when it commits
 * (every rename is visible at once; the flush only makes it durable, so it can wait for the last
 * one). When the transaction fails, the files and folders it created are removed again, so a
 * command refused by a full disk halfway leaves no half-made topic behind; files it had updated
 * keep their new bytes (each is whole), and running the command again completes the rest.
 */
interface WriteBatch {
  created: string[];
  createdDirs: string[];
  dirs: Set<string>;
}

let batch: WriteBatch | null = null;

/** Starts a batch; false (and nothing started) when one is already open. */
export function beginWriteBatch(): boolean {
  if (batch) return false;
  batch = { created: [], createdDirs: [], dirs: new Set() };
  return true;
}

/** Makes the batch durable (commit) or removes what it created (rollback), then ends it. */
export async function endWriteBatch(commit: boolean): Promise<void> {
  const done = batch;
  batch = null;
  if (!done) return;
  if (!commit) {
    for (const file of done.created.reverse()) removeQuietly(file);
    for (const dir of done.createdDirs.reverse()) {
      try {
        fs.rmSync(dir, { recursive: true, force: true });
      } catch {
        // A folder that cannot be removed now is empty or harmless; the sweep ignores it.
      }
    }
  }
  for (const dir of done.createdDirs) done.dirs.add(path.dirname(dir));
  const dirs = [...done.dirs].filter((dir) => commit || fs.existsSync(dir));
  // In parallel: the file system can commit them in one journal transaction.
  await Promise.all(dirs.map(fsyncDirAsync));
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
export function createNewFile(content: string, targets: readonly string[]): string | null {
  const first = targets[0];
  if (first === undefined) return null;
  const dir = path.dirname(first);
  const temp = tempPathFor(first);
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(temp, content, { flag: "wx", mode: 0o644, flush: true });
    for (const target of targets) {
      try {
        fs.linkSync(temp, target);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "EEXIST") continue;
        if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EOPNOTSUPP" && code !== "EXDEV")
          throw error;
        if (!createExclusively(target, content)) continue;
      }
      fsyncDir(dir);
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

/** Removes a file (a missing one is fine); a failure is IO_ERROR. */
export function removeFile(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch (error) {
    throw ioError(error, `remove ${file}`);
  }
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
 * space mid-append), the new line starts on a line of its own instead of gluing onto the torn
 * one, so one bad append never spoils the next.
 */
export function appendLine(target: string, line: string): void {
  let fd: number | null = null;
  try {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    // O_NOFOLLOW: the guard resolved every link before the path reached here.
    const { O_RDWR, O_APPEND, O_CREAT, O_NOFOLLOW } = fs.constants;
    fd = fs.openSync(target, O_RDWR | O_APPEND | O_CREAT | (O_NOFOLLOW ?? 0), 0o644);
    const size = fs.fstatSync(fd).size;
    let prefix = "";
    if (size > 0) {
      const last = Buffer.alloc(1);
      fs.readSync(fd, last, 0, 1, size - 1);
      if (last[0] !== 0x0a) prefix = "\n";
    }
    const data = Buffer.from(`${prefix}${line.endsWith("\n") ? line : `${line}\n`}`, "utf8");
    const n = fs.writeSync(fd, data);
    if (n !== data.length) throw Object.assign(new Error("short append"), { code: "EIO" });
    fs.fsyncSync(fd);
    if (size === 0) {
      if (batch) batch.dirs.add(path.dirname(target));
      else fsyncDir(path.dirname(target));
    }
  } catch (error) {
    throw ioError(error, `append to ${target}`);
  } finally {
    if (fd !== null) closeQuietly(fd);
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
};

/** What a failed write leaves, true for every command (see endWriteBatch). */
const AFTER_FAILURE =
  "the file kept its old bytes and anything new this command made was removed; re-running it finishes the job without duplicates";

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
