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
 * Read-and-update access to the catalog by id. The store backs it either with a parsed
 * `Catalog` or with line-level edits of index.json, so a write never has to parse every entry.
 */
export interface CatalogView {
  get(id: string): TopicEntry | undefined;
  set(entry: TopicEntry): void;
}

export function viewOf(catalog: Catalog): CatalogView {
  return {
    get: (id) => catalog.topics[id],
    set: (entry) => {
      catalog.topics[entry.id] = entry;
    },
  };
}

function asView(target: Catalog | CatalogView): CatalogView {
  return "topics" in target ? viewOf(target) : target;
}

/**
 * Merges `entry` into the catalog, creating it when absent. `relates` is a set: adding an id
 * already present changes nothing. Returns whether anything changed, so callers can skip a write.
 */
export function upsertTopic(
  target: Catalog | CatalogView,
  entry: Omit<TopicEntry, "created" | "updated" | "relates"> & { relates?: string[] },
  now: string,
): boolean {
  const catalog = asView(target);
  const existing = catalog.get(entry.id);
  if (!existing) {
    const fresh: TopicEntry = { ...entry, created: now, updated: now };
    if (entry.relates) fresh.relates = [...new Set(entry.relates)];
    catalog.set(fresh);
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
    catalog.set(next);
  }
  return changed;
}

export function addRelation(
  target: Catalog | CatalogView,
  from: string,
  to: string,
  now: string,
): boolean {
  const catalog = asView(target);
  const entry = catalog.get(from);
  if (!entry || entry.relates?.includes(to)) return false;
  catalog.set({ ...entry, relates: [...(entry.relates ?? []), to], updated: now });
  return true;
}

/**
 * Two snapshots of one topic as one: the catalog log's lines, index.json's entry under them, two
 * branches' entries in a merge. The newer `updated` wins each field (on a tie, `after`), the
 * relations of both are kept (the older's first), and `created` is the earlier, so the result is
 * the same whichever order two clones' changes are met in, and no branch's links are lost.
 */
export function mergeTopicSnapshots(before: TopicEntry, after: TopicEntry): TopicEntry {
  const [older, newer] = after.updated < before.updated ? [after, before] : [before, after];
  const merged: TopicEntry = { ...older, ...newer };
  if (older.relates || newer.relates) {
    merged.relates = [...new Set([...(older.relates ?? []), ...(newer.relates ?? [])])];
  }
  if (older.created < merged.created) merged.created = older.created;
  return merged;
}

/**
 * index.json in its canonical form: one topic per line, sorted by id, so a diff shows exactly
 * the topics that changed and two branches adding topics rarely touch the same lines.
 */
export function renderCatalog(schemaVersion: number, entries: Map<string, string>): string {
  const ids = [...entries.keys()].sort();
  const lines = ids.map(
    (id, i) => `    ${JSON.stringify(id)}: ${entries.get(id)}${i < ids.length - 1 ? "," : ""}`,
  );
  return `{\n  "schema_version": ${schemaVersion},\n  "topics": {\n${lines.join("\n")}${lines.length ? "\n" : ""}  }\n}\n`;
}
