/**
 * Watching a workspace's state files for a face that lives on (`baton serve`): which files
 * changed, and the new lines of every event log (`.baton/events.jsonl` and any `events.jsonl`
 * below the state folders, such as a spec's coordination timeline), reported in batches a few
 * milliseconds apart.
 *
 * On Linux each folder gets a watch of its own (inotify reports its entries by name). Node's own
 * recursive watch (`recursive: true`) is not used there: it watches every file by inode, stats it
 * on each event, and stops reporting a file once an atomic write has replaced it (every Baton
 * write is one), so the second change to a file would never be seen. macOS and Windows watch
 * recursively in the kernel and use that.
 *
 * Folders are listed through the file layer (the guard), links are never followed, and an event
 * log is read from the last offset seen, whole lines only (a torn last line waits for the rest).
 */
import fs from "node:fs";
import path from "node:path";
import { TEMP_MARKER } from "./atomic.ts";
import { entryStats, type Guarded, openForRead, walkTree, watchFolder } from "./files.ts";
import { pathGuard } from "./guard.ts";
import type { Workspace } from "./workspace.ts";

/** The name of every event log Baton keeps. */
export const EVENT_LOG = "events.jsonl";

/** More changed paths than this in one batch are reported as `all` instead of listed. */
export const MAX_LISTED_PATHS = 256;
/** More new event lines than this in one batch: the oldest are left out (`dropped`). */
export const MAX_EVENTS_PER_BATCH = 1000;

export interface LoggedEvent {
  /** The log it was appended to, relative to the root with forward slashes. */
  log: string;
  event: Record<string, unknown>;
}

export interface StateChange {
  /** The files and folders that changed, relative to the root with forward slashes, sorted. */
  paths: string[];
  /** Too many changed to list (a checkout, a pull): read everything again. */
  all: boolean;
  /** New lines of the event logs, oldest first. */
  events: LoggedEvent[];
  /** New event lines left out of `events` because there were too many. */
  dropped: number;
}

export interface WatchOptions {
  onChange(change: StateChange): void;
  /** A folder that could not be watched (the system's watch limit, permissions). */
  notice(message: string): void;
  /** Quiet time that closes a batch; the first change of a batch waits at most this long. */
  debounceMs?: number;
  /** Watch each folder on its own even where the kernel watches recursively (tests). */
  perFolder?: boolean;
}

export interface StateWatch {
  close(): void;
  /** How many folder watches are open (per-folder mode), for the benchmark. */
  folders(): number;
}

/** Baton's per-machine files, which change on every command and say nothing of the state. */
const QUIET = [".lock.d", ".lock", ".writing", "cache"];

export function watchState(ws: Workspace, options: WatchOptions): StateWatch {
  const debounce = options.debounceMs ?? 30;
  const perFolder =
    options.perFolder === true || (process.platform !== "darwin" && process.platform !== "win32");
  const root = ws.root;
  const batonDir = ws.paths.batonDir;
  const journal = ws.paths.journal;
  const rel = (p: string) => path.relative(root, p).split(path.sep).join("/");
  const quietPrefix = `${batonDir}${path.sep}`;
  const quiet = new Set(QUIET);
  const ignored = (full: string) => {
    if (path.basename(full).includes(TEMP_MARKER)) return true;
    if (!full.startsWith(quietPrefix)) return false;
    const sep = full.indexOf(path.sep, quietPrefix.length);
    return quiet.has(full.slice(quietPrefix.length, sep < 0 ? undefined : sep));
  };
  // A guard per batch: a folder swapped for a link since the last one is seen as a link.
  const guarded = (): Guarded => ({ guard: pathGuard(root) });

  const deep = deepRoots(ws);
  // The journal's own folder is watched for the journal alone when no deep root holds it.
  const journalDir = deep.some((d) => within(d, journal)) ? null : path.dirname(journal);

  const watchers = new Map<string, fs.FSWatcher>();
  const offsets = new Map<string, number>();
  const pending = new Set<string>();
  const warned = new Set<string>();
  let timer: NodeJS.Timeout | null = null;
  let closed = false;

  const warn = (dir: string, error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    if (warned.has(code)) return;
    warned.add(code);
    options.notice(`live updates miss changes under ${rel(dir) || "."}: cannot watch it (${code})`);
  };

  const schedule = () => {
    if (closed || timer) return;
    timer = setTimeout(flush, debounce);
  };

  const noted = (full: string) => {
    if (closed || ignored(full)) return;
    pending.add(full);
    schedule();
  };

  const watch = (
    g: Guarded,
    dir: string,
    recursive: boolean,
    onEvent: (type: string, name: string | null) => void,
    listed = false,
  ) => {
    try {
      const watcher = watchFolder(g, dir, recursive, onEvent, listed);
      watcher.on("error", () => {
        if (watchers.get(dir) === watcher) unwatch(dir);
      });
      watchers.get(dir)?.close();
      watchers.set(dir, watcher);
    } catch (error) {
      warn(dir, error);
    }
  };

  const unwatch = (dir: string) => {
    for (const [d, watcher] of watchers) {
      if (d === dir || within(dir, d)) {
        watcher.close();
        watchers.delete(d);
      }
    }
  };

  /**
   * Watches `dir` and the folders below it (per-folder mode), noting each event log's length;
   * with `report`, every file found counts as changed (a folder that arrived whole, its files
   * written before its watch was open).
   */
  const walk = (g: Guarded, dir: string, report: boolean) => {
    const folder = (d: string, listed: boolean) => {
      if (perFolder) watch(g, d, false, (type, name) => onFolderEvent(d, type, name), listed);
    };
    const visit = (full: string, entry: fs.Dirent) => {
      if (entry.name.includes(TEMP_MARKER)) return false;
      if (entry.isDirectory()) {
        if (ignored(full)) return false;
        folder(full, true);
        return true;
      }
      if (!entry.isFile() || ignored(full)) return false;
      if (entry.name === EVENT_LOG && !offsets.has(full))
        offsets.set(full, report ? 0 : sizeOf(g, full));
      if (report) pending.add(full);
      return false;
    };
    try {
      folder(dir, false);
      walkTree(g, dir, visit);
    } catch (error) {
      warn(dir, error); // A link leading outside: nothing below it is watched.
    }
  };

  const onFolderEvent = (dir: string, type: string, name: string | null) => {
    if (closed) return;
    if (name === null) {
      noted(dir);
      return;
    }
    const full = path.join(dir, name);
    if (ignored(full)) return;
    if (type === "rename") {
      // A folder made, moved into place or removed: its watches follow it.
      const g = guarded();
      const stat = entryStats(g, dir)?.(name) ?? null;
      unwatch(full);
      if (stat?.isDirectory()) walk(g, full, true);
    }
    noted(full);
  };

  const flush = () => {
    timer = null;
    if (closed) return;
    const changed = [...pending];
    pending.clear();
    const g = guarded();
    const events: LoggedEvent[] = [];
    let dropped = 0;
    for (const full of changed) {
      if (path.basename(full) !== EVENT_LOG) continue;
      const read = appended(g, full, offsets);
      for (const event of read) events.push({ log: rel(full), event });
    }
    if (events.length > MAX_EVENTS_PER_BATCH) {
      dropped = events.length - MAX_EVENTS_PER_BATCH;
      events.splice(0, dropped);
    }
    const paths = [...new Set(changed.map(rel))].sort();
    const all = paths.length > MAX_LISTED_PATHS;
    options.onChange({ paths: all ? [] : paths, all, events, dropped });
  };

  const g = guarded();
  for (const dir of deep) {
    walk(g, dir, false);
    if (!perFolder) {
      watch(g, dir, true, (_type, name) => {
        if (name === null) return noted(dir);
        const full = path.join(dir, name);
        if (path.basename(full) === EVENT_LOG && !offsets.has(full)) offsets.set(full, 0);
        noted(full);
      });
    }
  }
  if (journalDir) {
    const name = path.basename(journal);
    watch(g, journalDir, false, (_type, changed) => {
      if (changed === name) noted(journal);
    });
  }

  return {
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
    folders: () => watchers.size,
  };
}

/** The state folders that exist, none inside another: `.baton` and any configured elsewhere. */
function deepRoots(ws: Workspace): string[] {
  const p = ws.paths;
  const dirs = [p.batonDir, p.knowledge, p.planning, p.tickets, p.archive]
    .map((d) => path.resolve(d))
    .sort((a, b) => a.length - b.length);
  const out: string[] = [];
  for (const dir of dirs) {
    if (out.some((d) => d === dir || within(d, dir))) continue;
    if (!isFolder(ws, dir)) continue;
    out.push(dir);
  }
  return out;
}

function isFolder(ws: Workspace, dir: string): boolean {
  const stat = entryStats(ws, path.dirname(dir))?.(path.basename(dir)) ?? null;
  return stat?.isDirectory() === true;
}

/** Whether `inner` lies below `outer`. */
function within(outer: string, inner: string): boolean {
  const r = path.relative(outer, inner);
  return r !== "" && !r.startsWith("..") && !path.isAbsolute(r);
}

function sizeOf(g: Guarded, file: string): number {
  let fd: number | null = null;
  try {
    fd = openForRead(g, file);
    return fd === null ? 0 : fs.fstatSync(fd).size;
  } catch {
    return 0;
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

/**
 * The whole lines appended to an event log since `offsets` last saw it, parsed; lines that are
 * no JSON object are skipped (the CLI reports them). A log that shrank (a repair cut a torn
 * line, a checkout replaced it) is read on from its new end.
 */
function appended(
  g: Guarded,
  file: string,
  offsets: Map<string, number>,
): Record<string, unknown>[] {
  let fd: number | null = null;
  try {
    fd = openForRead(g, file);
    if (fd === null) {
      offsets.delete(file);
      return [];
    }
    const size = fs.fstatSync(fd).size;
    const start = offsets.get(file) ?? 0;
    if (size <= start) {
      offsets.set(file, size);
      return [];
    }
    const bytes = Buffer.alloc(size - start);
    let read = 0;
    while (read < bytes.length) {
      const n = fs.readSync(fd, bytes, read, bytes.length - read, start + read);
      if (n <= 0) break;
      read += n;
    }
    const end = read === 0 ? -1 : bytes.lastIndexOf(0x0a, read - 1);
    if (end < 0) return [];
    offsets.set(file, start + end + 1);
    const out: Record<string, unknown>[] = [];
    for (const line of bytes.subarray(0, end).toString("utf8").split("\n")) {
      try {
        const value: unknown = JSON.parse(line);
        if (value && typeof value === "object" && !Array.isArray(value))
          out.push(value as Record<string, unknown>);
      } catch {
        // Not an event: the CLI names the line when it reads the log.
      }
    }
    return out;
  } catch {
    return [];
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}
