/**
 * A spec's tasks as work sessions read them, without parsing tasks.md on every command: every
 * claim, `work next` and `status` needs them, and parsing a 1,000-task file costs more than the
 * rest of the command. The parsed tasks are kept in a per-machine cache
 * (`.baton/cache/work-tasks/<spec>.json`, gitignored with the rest of `cache/`) keyed by the
 * file's inode, size and mtime, which any change to it moves; a miss parses the file once. The
 * cache is never written back to the spec, and a damaged one is only slower.
 */
import path from "node:path";
import { SCHEMA_VERSION } from "../core/schema.ts";
import { parseSpecTaskList } from "../core/spec/tasks-md.ts";
import { type WorkTask, workTasks } from "../core/work/ready.ts";
import { readTextOrNull, statOrNull, writeText } from "./files.ts";
import { isUnsafePath } from "./guard.ts";
import type { Workspace } from "./workspace.ts";

interface TasksCache {
  schema_version: number;
  file: string;
  stamp: string;
  tasks: WorkTask[];
}

function cachePath(ws: Workspace, spec: string): string {
  return path.join(ws.paths.batonDir, "cache", "work-tasks", `${spec}.json`);
}

/** The tasks of `file` (a spec's tasks.md), or null when it does not exist. */
export function readWorkTasks(ws: Workspace, spec: string, file: string): WorkTask[] | null {
  // Stat first, read after: what is cached is never older than the stamp it is kept under.
  const stat = statOrNull(ws, file, true);
  if (stat === null) return null;
  const stamp = `${stat.ino}:${stat.size}:${stat.mtimeNs}`;
  const rel = ws.rel(file);
  const cache = cachePath(ws, spec);
  try {
    const data = JSON.parse(readTextOrNull(ws, cache) ?? "") as TasksCache;
    if (
      data.schema_version === SCHEMA_VERSION &&
      data.file === rel &&
      data.stamp === stamp &&
      Array.isArray(data.tasks)
    )
      return data.tasks;
  } catch (error) {
    if (isUnsafePath(error)) throw error;
    // A missing or damaged cache is only slower: it is rebuilt.
  }
  const text = readTextOrNull(ws, file);
  if (text === null) return null;
  const tasks = workTasks(parseSpecTaskList(text).tasks);
  const record: TasksCache = { schema_version: SCHEMA_VERSION, file: rel, stamp, tasks };
  try {
    writeText(ws, cache, `${JSON.stringify(record)}\n`);
  } catch (error) {
    // A cache that cannot be written only costs a parse next time.
    if (isUnsafePath(error)) throw error;
  }
  return tasks;
}
