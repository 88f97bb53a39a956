import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { BatonError } from "../core/errors.ts";

/** Temp files carry this marker so a sweep can recognise, and only ever remove, its own leftovers. */
export const TEMP_MARKER = ".baton-tmp-";

export function tempPathFor(target: string): string {
  const dir = path.dirname(target);
  const base = path.basename(target);
  return path.join(dir, `.${base}${TEMP_MARKER}${process.pid}-${randomBytes(4).toString("hex")}`);
}

/**
 * Replaces `target` with `content` so that a reader, or a crash at any instant, sees either the
 * old bytes or the new ones: write a temp file in the same folder, check every byte landed,
 * fsync it, rename over the target, then fsync the folder so the rename itself is durable.
 * On any failure the temp file is removed and the old target is untouched.
 */
export function writeFileAtomic(target: string, content: string | Uint8Array): void {
  const data = typeof content === "string" ? Buffer.from(content, "utf8") : content;
  const dir = path.dirname(target);
  fs.mkdirSync(dir, { recursive: true });
  const temp = tempPathFor(target);
  let fd: number | null = null;
  try {
    fd = fs.openSync(temp, "wx", 0o644);
    let written = 0;
    while (written < data.length) {
      const n = fs.writeSync(fd, data, written, data.length - written);
      if (n <= 0) throw Object.assign(new Error("short write"), { code: "EIO" });
      written += n;
    }
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = null;
    fs.renameSync(temp, target);
  } catch (error) {
    if (fd !== null) closeQuietly(fd);
    fs.rmSync(temp, { force: true });
    throw ioError(error, `write ${target}`);
  }
  fsyncDir(dir);
}

/** Creates `target` only when it does not exist yet; returns false when it already did. */
export function createFileAtomic(target: string, content: string): boolean {
  if (fs.existsSync(target)) return false;
  writeFileAtomic(target, content);
  return true;
}

export function fsyncDir(dir: string): void {
  let fd: number | null = null;
  try {
    fd = fs.openSync(dir, "r");
    fs.fsyncSync(fd);
  } catch {
    // Some platforms (Windows) cannot open or fsync a folder; the rename is still atomic there.
  } finally {
    if (fd !== null) closeQuietly(fd);
  }
}

function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // The descriptor is already unusable; nothing more to release.
  }
}

/** Appends one line with a single write(2) on an O_APPEND descriptor, then fsyncs it. */
export function appendLine(target: string, line: string): void {
  const data = Buffer.from(line.endsWith("\n") ? line : `${line}\n`, "utf8");
  fs.mkdirSync(path.dirname(target), { recursive: true });
  let fd: number | null = null;
  try {
    fd = fs.openSync(target, "a", 0o644);
    const n = fs.writeSync(fd, data);
    if (n !== data.length) throw Object.assign(new Error("short append"), { code: "EIO" });
    fs.fsyncSync(fd);
  } catch (error) {
    throw ioError(error, `append to ${target}`);
  } finally {
    if (fd !== null) closeQuietly(fd);
  }
}

export function ioError(error: unknown, action: string): BatonError {
  if (error instanceof BatonError) return error;
  const code = (error as NodeJS.ErrnoException | null)?.code ?? "EIO";
  const hints: Record<string, string> = {
    ENOSPC: "free disk space and run the command again; nothing was changed",
    EACCES: "check the folder's permissions; nothing was changed",
    EPERM: "check the folder's permissions; nothing was changed",
    EROFS: "the file system is read-only; nothing was changed",
  };
  return new BatonError(
    "IO_ERROR",
    `could not ${action} (${code})`,
    hints[code] ?? "check the path and disk, then run the command again; nothing was changed",
  );
}

/** Removes temp files left by a writer that died mid-write. Safe only while holding the lock. */
export function sweepTempFiles(dirs: Iterable<string>): string[] {
  const removed: string[] = [];
  for (const dir of dirs) {
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      if (!name.includes(TEMP_MARKER)) continue;
      const full = path.join(dir, name);
      fs.rmSync(full, { force: true });
      removed.push(full);
    }
  }
  return removed;
}
