import type { TopicType } from "./ids.ts";
import { SCHEMA_VERSION } from "./schema.ts";

/** One topic in `index.json`. The optional fields link it into a planning session. */
export interface TopicEntry {
  id: string;
  type: TopicType;
  title: string;
  path: string;
  created: string;
  updated: string;
  root_seed?: string;
  session_id?: string;
  relates?: string[];
}

export interface Catalog {
  schema_version: number;
  topics: Record<string, TopicEntry>;
}

export function emptyCatalog(): Catalog {
  return { schema_version: SCHEMA_VERSION, topics: {} };
}

/**
 * Merges `patch` into the entry for `id`, creating it when absent. `relates` is a set: adding an
 * id already present changes nothing. Returns whether anything changed, so callers can skip a
 * write that would only touch `updated`.
 */
export function upsertTopic(
  catalog: Catalog,
  entry: Omit<TopicEntry, "created" | "updated" | "relates"> & { relates?: string[] },
  now: string,
): boolean {
  const existing = catalog.topics[entry.id];
  if (!existing) {
    const fresh: TopicEntry = { ...entry, created: now, updated: now };
    if (entry.relates) fresh.relates = [...new Set(entry.relates)];
    catalog.topics[entry.id] = fresh;
    return true;
  }
  let changed = false;
  const next: TopicEntry = { ...existing };
  for (const key of ["root_seed", "session_id"] as const) {
    const value = entry[key];
    if (value !== undefined && next[key] !== value) {
      next[key] = value;
      changed = true;
    }
  }
  for (const rel of entry.relates ?? []) {
    const relates = next.relates ?? [];
    if (!relates.includes(rel)) {
      next.relates = [...relates, rel];
      changed = true;
    }
  }
  if (changed) {
    next.updated = now;
    catalog.topics[entry.id] = next;
  }
  return changed;
}

export function addRelation(catalog: Catalog, from: string, to: string, now: string): boolean {
  const entry = catalog.topics[from];
  if (!entry || entry.relates?.includes(to)) return false;
  catalog.topics[from] = { ...entry, relates: [...(entry.relates ?? []), to], updated: now };
  return true;
}
