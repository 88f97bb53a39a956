/**
 * How many task files a plan has, without reading them: `status`, the journal and `resume` show
 * the count after every command, so its cost must not grow with the plan. The count is kept in a
 * per-machine cache (`.baton/cache/plan-tasks.json`, gitignored with the rest of `cache/`)
 * keyed by the `.task/` folder's mtime and inode, which change whenever a task file is added,
 * removed or the folder replaced; a miss lists the folder once. Never written back to the plan.
 */
import path from "node:path";
import { isTaskId } from "../core/plan/tasks.ts";
import { SCHEMA_VERSION } from "../core/schema.ts";
import { listNames, readTextOrNull, statOrNull, writeCache } from "./files.ts";
import { isUnsafePath } from "./guard.ts";
import { topicFile } from "./repo.ts";
import type { Workspace } from "./workspace.ts";

interface CountCache {
  schema_version: number;
  plans: Record<string, { stamp: string; count: number }>;
}

function cachePath(ws: Workspace): string {
  return path.join(ws.paths.batonDir, "cache", "plan-tasks.json");
}

function readCache(ws: Workspace): CountCache {
  try {
    const data = JSON.parse(readTextOrNull(ws, cachePath(ws)) ?? "") as CountCache;
    if (data.schema_version === SCHEMA_VERSION && data.plans && typeof data.plans === "object") {
      return data;
    }
  } catch {
    // A missing or damaged cache is only slower: it is rebuilt.
  }
  return { schema_version: SCHEMA_VERSION, plans: {} };
}

/** The names of the plan's task files (`<task-id>.json`), or null without a `.task/` folder. */
function listTaskFileNames(ws: Workspace, dir: string): string[] | null {
  const names = listNames(ws, dir);
  return names === null
    ? null
    : names.filter((n) => n.endsWith(".json") && isTaskId(n.slice(0, -5)));
}

/** The number of task files in the plan's `.task/` folder, or null when it has none. */
export function countPlanTasks(ws: Workspace, planId: string): number | null {
  const dir = topicFile(ws, planId, ".task");
  const stat = statOrNull(ws, dir, true);
  if (stat === null) return null;
  const stamp = `${stat.ino}:${stat.mtimeNs}`;
  const cache = readCache(ws);
  const hit = cache.plans[planId];
  if (hit && hit.stamp === stamp) return hit.count;
  const names = listTaskFileNames(ws, dir);
  if (names === null) return null;
  cache.plans[planId] = { stamp, count: names.length };
  try {
    writeCache(ws, cachePath(ws), `${JSON.stringify(cache)}\n`);
  } catch (error) {
    // A cache that cannot be written only costs a folder listing next time.
    if (isUnsafePath(error)) throw error;
  }
  return names.length;
}
