import fs from "node:fs";
import path from "node:path";
import {
  type Catalog,
  type CatalogView,
  renderCatalog,
  type TopicEntry,
  upsertTopic,
} from "../core/catalog.ts";
import { BatonError } from "../core/errors.ts";
import { isTopicId, topicTypeOf } from "../core/ids.ts";
import { checkSchemaVersion, SCHEMA_VERSION } from "../core/schema.ts";
import { writeFileAtomic } from "./atomic.ts";
import { parseJsonText, readTextOrNull } from "./files.ts";
import type { Workspace } from "./workspace.ts";

/** A catalog opened for a read-modify-write under the workspace lock. */
export interface CatalogHandle extends CatalogView {
  /** True once any entry was set. */
  readonly changed: boolean;
  /** Writes index.json when something changed; a no-op otherwise. */
  save(): void;
}

/**
 * Opens index.json for edits. In the canonical one-topic-per-line form, entries are kept as
 * their JSON text and only the ones asked for are parsed, so adding a spike to a catalog of
 * 10,000 topics costs a split and a join rather than parsing and printing every entry. Any other
 * valid form (hand-formatted, older) is parsed whole and rewritten canonically on save.
 */
export function openCatalog(ws: Workspace): CatalogHandle {
  const shown = ws.rel(ws.paths.index);
  const text = readTextOrNull(ws.paths.index);
  const entries =
    (text === null ? new Map<string, string>() : canonicalEntries(text, shown)) ??
    parsedEntries(text as string, shown);
  const parsed = new Map<string, TopicEntry>();
  let changed = false;
  return {
    get(id) {
      const cachedEntry = parsed.get(id);
      if (cachedEntry) return cachedEntry;
      const raw = entries.get(id);
      if (raw === undefined) return undefined;
      let entry: TopicEntry;
      try {
        entry = JSON.parse(raw) as TopicEntry;
      } catch {
        throw new BatonError(
          "CORRUPT_FILE",
          `${shown}: the entry for ${id} is not valid JSON`,
          "fix that line by hand or restore the file from git; Baton left it untouched",
        );
      }
      parsed.set(id, entry);
      return entry;
    },
    set(entry) {
      parsed.set(entry.id, entry);
      entries.set(entry.id, JSON.stringify(entry));
      changed = true;
    },
    get changed() {
      return changed;
    },
    save() {
      if (changed) writeFileAtomic(ws.paths.index, renderCatalog(SCHEMA_VERSION, entries));
    },
  };
}

/** Entry texts keyed by id when `text` is canonical, else null. */
function canonicalEntries(text: string, shown: string): Map<string, string> | null {
  const lines = text.split("\n");
  const version = /^ {2}"schema_version": (\d+),$/.exec(lines[1] ?? "");
  if (lines[0] !== "{" || !version || lines[2] !== '  "topics": {') return null;
  checkSchemaVersion({ schema_version: Number(version[1]) }, shown);
  let end = lines.length - 1;
  while (end > 0 && lines[end] === "") end--;
  if (lines[end] !== "}" || lines[end - 1] !== "  }") return null;
  const entries = new Map<string, string>();
  for (let i = 3; i < end - 1; i++) {
    const line = lines[i] as string;
    // `    "<id>": {...},` — sliced rather than matched: this runs once per topic on every write.
    const keyEnd = line.indexOf('": {', 5);
    if (!line.startsWith('    "') || keyEnd === -1) return null;
    const id = line.slice(5, keyEnd);
    if (id.includes("\\") || id.includes('"')) return null;
    const json = line.endsWith(",") ? line.slice(keyEnd + 3, -1) : line.slice(keyEnd + 3);
    if (!json.endsWith("}") || entries.has(id)) return null;
    entries.set(id, json);
  }
  return entries;
}

function parsedEntries(text: string, shown: string): Map<string, string> {
  const catalog = parseCatalog(text, shown);
  return new Map(Object.values(catalog.topics).map((entry) => [entry.id, JSON.stringify(entry)]));
}

/** Parses and validates index.json text of any valid form. */
export function parseCatalog(text: string, shown: string): Catalog {
  const data = parseJsonText(text, shown);
  const record = checkSchemaVersion(data, shown);
  const topics = record.topics ?? {};
  if (topics === null || typeof topics !== "object" || Array.isArray(topics)) {
    throw new BatonError(
      "CORRUPT_FILE",
      `${shown}: topics must be an object keyed by topic id`,
      "restore it from git or fix it by hand; Baton left it untouched",
    );
  }
  for (const [id, entry] of Object.entries(topics as Record<string, unknown>)) {
    if (entry === null || typeof entry !== "object" || (entry as TopicEntry).id !== id) {
      throw new BatonError(
        "CORRUPT_FILE",
        `${shown}: the entry for ${id} is malformed (it must be an object whose id is ${id})`,
        "restore it from git or fix the entry by hand",
      );
    }
  }
  return {
    schema_version: record.schema_version as number,
    topics: topics as Record<string, TopicEntry>,
  };
}

/**
 * Topic folders a killed writer made but did not get into index.json (its catalog write comes
 * last) are added back, so no topic stays invisible to `topic list`. Runs only in the sweep after
 * a crash, under the lock. Returns the ids adopted.
 */
export function adoptOrphanTopics(ws: Workspace, now: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(ws.paths.topics);
  } catch {
    return [];
  }
  const catalog = openCatalog(ws);
  const adopted: string[] = [];
  for (const id of names.sort()) {
    if (!isTopicId(id) || catalog.get(id) !== undefined) continue;
    const type = topicTypeOf(id);
    const doc = path.join(ws.paths.topics, id, `${type}.md`);
    const text = readTextOrNull(doc);
    if (text === null) continue;
    const title = /^# (.+)$/m.exec(text)?.[1]?.trim() || id;
    upsertTopic(catalog, { id, type, title, path: ws.rel(doc) }, now);
    adopted.push(id);
  }
  catalog.save();
  return adopted;
}
