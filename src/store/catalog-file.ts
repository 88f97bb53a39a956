import fs from "node:fs";
import path from "node:path";
import {
  type Catalog,
  type CatalogView,
  mergeTopicSnapshots,
  renderCatalog,
  type TopicEntry,
  upsertTopic,
} from "../core/catalog.ts";
import { corruptFile } from "../core/errors.ts";
import { isTopicId, topicTypeOf } from "../core/ids.ts";
import { checkSchemaVersion, SCHEMA_VERSION } from "../core/schema.ts";
import { ioError } from "./atomic.ts";
import {
  appendLine,
  listNames,
  openForRead,
  parseJsonText,
  readTextOrNull,
  removeFile,
  truncateFile,
  writeText,
} from "./files.ts";
import type { Workspace } from "./workspace.ts";

/** A catalog opened for a read-modify-write under the workspace lock. */
export interface CatalogHandle extends CatalogView {
  /** True once any entry was set. */
  readonly changed: boolean;
  /** Writes index.json when something changed; a no-op otherwise. */
  save(): void;
}

/**
 * index.json up to this size is rewritten whole on every change (a few milliseconds). A larger
 * one takes its changes in index.log.jsonl first and is rewritten once the log holds
 * LOG_COMPACT_LINES of them, so adding a topic to a catalog of 10,000 costs one append rather
 * than reading, printing and flushing megabytes.
 */
export const WHOLE_REWRITE_BYTES = 128 * 1024;
export const LOG_COMPACT_LINES = 200;

/**
 * Opens the catalog for edits under the workspace lock. In the canonical one-topic-per-line
 * form, index.json stays raw bytes and an entry is found by searching for its line, so a write
 * parses only the entries it touches. Any other valid form (hand-formatted, older) is parsed
 * whole and rewritten canonically on save.
 */
export function openCatalog(ws: Workspace): CatalogHandle {
  const shown = ws.rel(ws.paths.index);
  const index = readIndex(ws);
  const log = readCatalogLog(ws);
  const parsed = new Map<string, TopicEntry>();
  const changed = new Map<string, TopicEntry>();
  return {
    get(id) {
      const known = parsed.get(id);
      if (known) return known;
      const raw = index.lookup(id);
      const fromLog = log.entries.get(id);
      const fromIndex = raw === undefined ? undefined : parseEntry(raw, id, shown);
      const entry =
        fromIndex && fromLog ? mergeTopicSnapshots(fromIndex, fromLog) : (fromLog ?? fromIndex);
      if (entry) parsed.set(id, entry);
      return entry;
    },
    set(entry) {
      parsed.set(entry.id, entry);
      changed.set(entry.id, entry);
    },
    get changed() {
      return changed.size > 0;
    },
    save() {
      if (changed.size === 0) return;
      const logging = log.lines > 0 || index.size > WHOLE_REWRITE_BYTES;
      if (logging && log.lines + changed.size < LOG_COMPACT_LINES) {
        appendLine(ws, ws.paths.indexLog, [...changed.values()].map(logLine).join("\n"));
        return;
      }
      const entries = index.all();
      for (const [id, entry] of log.entries) {
        const before = entries.get(id);
        const merged = before ? mergeTopicSnapshots(parseEntry(before, id, shown), entry) : entry;
        entries.set(id, JSON.stringify(merged));
      }
      for (const [id, entry] of changed) entries.set(id, JSON.stringify(entry));
      writeText(ws, ws.paths.index, renderCatalog(SCHEMA_VERSION, entries));
      // Folded in: a crash before this removal replays the same snapshots, which changes nothing.
      if (log.lines > 0 || log.exists) removeFile(ws, ws.paths.indexLog);
    },
  };
}

/**
 * Every topic, for the commands that list or show them: index.json with the log's changes
 * applied. Reads only.
 */
export function readCatalogFile(ws: Workspace): Catalog {
  const text = readTextOrNull(ws, ws.paths.index);
  const shown = ws.rel(ws.paths.index);
  const catalog =
    text === null ? { schema_version: SCHEMA_VERSION, topics: {} } : parseCatalog(text, shown);
  // A topic a line merge left on two lines is read as both, not as whichever came last.
  if (text !== null && indexHasRepeats(text)) {
    for (const [id, json] of canonicalEntries(text, shown) ?? []) {
      catalog.topics[id] = parseEntry(json, id, shown);
    }
  }
  for (const [id, entry] of readCatalogLog(ws).entries) {
    const before = catalog.topics[id];
    catalog.topics[id] = before ? mergeTopicSnapshots(before, entry) : entry;
  }
  return catalog;
}

interface IndexFile {
  size: number;
  lookup(id: string): string | undefined;
  /** Every entry's JSON text by id. */
  all(): Map<string, string>;
}

function readIndex(ws: Workspace): IndexFile {
  const file = ws.paths.index;
  const shown = ws.rel(file);
  const fd = openForRead(ws, file);
  if (fd === null) return { size: 0, lookup: () => undefined, all: () => new Map() };
  try {
    const size = fs.fstatSync(fd).size;
    const canonical = size > WHOLE_REWRITE_BYTES ? canonicalBounds(fd, size, shown) : null;
    if (canonical === null) {
      const text = readAt(fd, 0, size).toString("utf8");
      const entries = canonicalEntries(text, shown) ?? parsedEntries(text, shown);
      return { size, lookup: (id) => entries.get(id), all: () => new Map(entries) };
    }
    return {
      size,
      // Entries are sorted by id, one per line: a binary search reads a few blocks, not the file.
      lookup: (id) => withFd(ws, file, (again) => findEntryLine(again, canonical, id, shown)),
      all() {
        const entries = canonicalEntries(readTextOrNull(ws, file) ?? "", shown);
        if (entries === null) {
          throw corruptFile(
            shown,
            "has a malformed entry line",
            "fix that line by hand or restore the file from git; Baton left it untouched",
          );
        }
        return entries;
      },
    };
  } finally {
    fs.closeSync(fd);
  }
}

const CANONICAL_HEAD = /^\{\n {2}"schema_version": (\d+),\n {2}"topics": \{\n/;
const CANONICAL_TAIL = "  }\n}\n";

/** Where the entry lines of a canonical index.json start and end, or null for any other form. */
function canonicalBounds(fd: number, size: number, shown: string): Span | null {
  const head = CANONICAL_HEAD.exec(readAt(fd, 0, Math.min(size, 80)).toString("utf8"));
  if (!head) return null;
  checkSchemaVersion({ schema_version: Number(head[1]) }, shown);
  const tailAt = size - CANONICAL_TAIL.length;
  if (tailAt < head[0].length) return null;
  if (readAt(fd, tailAt, CANONICAL_TAIL.length).toString("utf8") !== CANONICAL_TAIL) return null;
  return { start: head[0].length, end: tailAt };
}

interface Span {
  start: number;
  end: number;
}

/** The JSON of `id`'s entry line within `span` (whose lines are sorted by id), or undefined. */
function findEntryLine(fd: number, span: Span, id: string, shown: string): string | undefined {
  const malformed = (text: string): never => {
    throw corruptFile(
      shown,
      `has a malformed entry line: ${JSON.stringify(text.slice(0, 60))}`,
      "fix that line by hand (a merge conflict?) or restore the file from git; Baton left it untouched",
    );
  };
  let lo = span.start;
  let hi = span.end;
  // Invariant: the entry's line, if present, starts in [lo, hi); lo is a line start.
  while (hi - lo > 16_384) {
    const mid = lo + Math.floor((hi - lo) / 2);
    const line = lineStartingFrom(fd, mid, span.end);
    if (line === null || line.start >= hi) {
      hi = mid;
      continue;
    }
    const found = entryId(line.text) ?? malformed(line.text);
    if (found === id) return entryJson(line.text);
    if (found < id) lo = line.end + 1;
    else hi = line.start;
  }
  const block = readLinesAt(fd, lo, hi, span.end);
  for (const text of block) {
    if (text === "") continue;
    const found = entryId(text) ?? malformed(text);
    if (found === id) return entryJson(text);
  }
  return undefined;
}

/** The first line starting at or after `pos` (and before `limit`), read whole. */
function lineStartingFrom(
  fd: number,
  pos: number,
  limit: number,
): { start: number; end: number; text: string } | null {
  let at = pos - 1;
  let start = -1;
  while (start === -1 && at < limit) {
    const chunk = readAt(fd, at, Math.min(4096, limit - at));
    const nl = chunk.indexOf(0x0a);
    if (nl !== -1) start = at + nl + 1;
    else at += chunk.length;
    if (chunk.length === 0) break;
  }
  if (start === -1 || start >= limit) return null;
  const parts: Buffer[] = [];
  let cursor = start;
  for (;;) {
    const chunk = readAt(fd, cursor, Math.min(4096, limit - cursor));
    if (chunk.length === 0) break;
    const nl = chunk.indexOf(0x0a);
    if (nl !== -1) {
      parts.push(chunk.subarray(0, nl));
      cursor += nl;
      break;
    }
    parts.push(chunk);
    cursor += chunk.length;
  }
  return { start, end: cursor, text: Buffer.concat(parts).toString("utf8") };
}

/** The whole lines starting in [from, to), the last one read to its end. */
function readLinesAt(fd: number, from: number, to: number, limit: number): string[] {
  const parts = [readAt(fd, from, to - from)];
  let cursor = to;
  while (cursor < limit && parts.at(-1)?.at(-1) !== 0x0a) {
    const chunk = readAt(fd, cursor, Math.min(4096, limit - cursor));
    if (chunk.length === 0) break;
    const nl = chunk.indexOf(0x0a);
    parts.push(nl === -1 ? chunk : chunk.subarray(0, nl + 1));
    cursor += nl === -1 ? chunk.length : nl + 1;
  }
  return Buffer.concat(parts).toString("utf8").split("\n");
}

function entryId(line: string): string | null {
  if (!line.startsWith('    "')) return null;
  const end = line.indexOf('": {', 5);
  return end === -1 ? null : line.slice(5, end);
}

function entryJson(line: string): string {
  const json = line.slice(line.indexOf('": {', 5) + 3);
  return json.endsWith(",") ? json.slice(0, -1) : json;
}

function withFd<T>(ws: Workspace, file: string, use: (fd: number) => T): T {
  const fd = openForRead(ws, file);
  if (fd === null)
    throw ioError(Object.assign(new Error("gone"), { code: "ENOENT" }), `read ${ws.rel(file)}`);
  try {
    return use(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.allocUnsafe(Math.max(0, length));
  let filled = 0;
  while (filled < length) {
    const n = fs.readSync(fd, buffer, filled, length - filled, position + filled);
    if (n === 0) break;
    filled += n;
  }
  return buffer.subarray(0, filled);
}

function parseEntry(raw: string, id: string, shown: string): TopicEntry {
  try {
    return JSON.parse(raw) as TopicEntry;
  } catch {
    throw corruptFile(
      shown,
      `the entry for ${id} is not valid JSON`,
      "fix that line by hand or restore the file from git; Baton left it untouched",
    );
  }
}

// ---- index.log.jsonl ----

interface CatalogLog {
  exists: boolean;
  lines: number;
  /** The latest state of every topic the log names. */
  entries: Map<string, TopicEntry>;
}

/**
 * One line of index.log.jsonl as the topic snapshot it holds; null for a blank line; a line that
 * is not JSON, is from a newer Baton or holds no topic is refused (CORRUPT_FILE, SCHEMA_TOO_NEW).
 */
export function parseCatalogLogLine(line: string, shown: string, n: number): TopicEntry | null {
  if (line.trim() === "") return null;
  let record: { schema_version?: unknown; topic?: TopicEntry };
  try {
    record = JSON.parse(line);
  } catch {
    throw corruptFile(
      shown,
      "is not valid JSON",
      "fix or remove that line, or restore the file from git; Baton left it untouched",
      n,
    );
  }
  checkSchemaVersion(record, shown, n);
  const topic = record.topic;
  if (!topic || typeof topic !== "object" || typeof topic.id !== "string") {
    throw corruptFile(
      shown,
      "holds no topic",
      "fix or remove that line, or restore the file from git",
      n,
    );
  }
  return topic;
}

function isWholeJson(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}

function logLine(entry: TopicEntry): string {
  return JSON.stringify({ schema_version: SCHEMA_VERSION, topic: entry });
}

/**
 * Reads the log: one `{schema_version, topic}` snapshot per line, the newer `updated` winning
 * (a later line on a tie). After a git merge (the file merges by union) two branches' snapshots
 * of one topic both apply, in whatever order the union left them: their relations are united,
 * so neither branch's links are lost. A torn last line (a writer killed mid-append) is skipped;
 * anything else unreadable is reported, never dropped.
 */
function readCatalogLog(ws: Workspace): CatalogLog {
  const shown = ws.rel(ws.paths.indexLog);
  const text = readTextOrNull(ws, ws.paths.indexLog);
  const entries = new Map<string, TopicEntry>();
  if (text === null) return { exists: false, lines: 0, entries };
  const lines = text.split("\n");
  let count = 0;
  lines.forEach((line, i) => {
    let topic: TopicEntry | null;
    try {
      topic = parseCatalogLogLine(line, shown, i + 1);
    } catch (error) {
      // A torn last line (a writer killed mid-append) is not JSON at all: skipped.
      const last = i === lines.length - 1 || (i === lines.length - 2 && lines.at(-1) === "");
      if (last && !isWholeJson(line)) return;
      throw error;
    }
    if (topic === null) return;
    count++;
    const before = entries.get(topic.id);
    entries.set(topic.id, before ? mergeTopicSnapshots(before, topic) : topic);
  });
  return { exists: true, lines: count, entries };
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
    if (!json.endsWith("}")) return null;
    const before = entries.get(id);
    // One topic on two lines (a line merge of two branches' catalogs): both are kept, as one.
    entries.set(
      id,
      before === undefined
        ? json
        : JSON.stringify(
            mergeTopicSnapshots(parseEntry(before, id, shown), parseEntry(json, id, shown)),
          ),
    );
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
    throw corruptFile(
      shown,
      "topics must be an object keyed by topic id",
      "restore it from git or fix it by hand; Baton left it untouched",
    );
  }
  for (const [id, entry] of Object.entries(topics as Record<string, unknown>)) {
    if (entry === null || typeof entry !== "object" || (entry as TopicEntry).id !== id) {
      throw corruptFile(
        shown,
        `the entry for ${id} is malformed (it must be an object whose id is ${id})`,
        "restore it from git or fix the entry by hand",
      );
    }
  }
  return {
    schema_version: record.schema_version as number,
    topics: topics as Record<string, TopicEntry>,
  };
}

function indexHasRepeats(text: string): boolean {
  const seen = new Set<string>();
  for (const line of text.split("\n")) {
    const id = entryId(line);
    if (id === null) continue;
    if (seen.has(id)) return true;
    seen.add(id);
  }
  return false;
}

/**
 * Ids that index.json lists on more than one line: what a line merge that was not the merge
 * driver can leave. Every reader keeps one of them (JSON keeps the last key), so the other's
 * changes are lost until the lines are folded.
 */
export function indexDuplicateIds(ws: Workspace): string[] {
  const text = readTextOrNull(ws, ws.paths.index);
  if (text === null) return [];
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const line of text.split("\n")) {
    const id = entryId(line);
    if (id === null) continue;
    if (seen.has(id)) twice.add(id);
    seen.add(id);
  }
  return [...twice].sort();
}

/**
 * Folds the entries index.json lists twice into one each (by mergeTopicSnapshots), rewriting
 * it in its canonical form; the ids folded. Under the lock, in the transaction.
 */
export function foldIndexDuplicates(ws: Workspace): string[] {
  const shown = ws.rel(ws.paths.index);
  const text = readTextOrNull(ws, ws.paths.index);
  const head = text === null ? null : CANONICAL_HEAD.exec(text);
  if (text === null || head === null) return [];
  checkSchemaVersion({ schema_version: Number(head[1]) }, shown);
  const entries = new Map<string, TopicEntry>();
  const folded = new Set<string>();
  for (const line of text.split("\n")) {
    const id = entryId(line);
    if (id === null) continue;
    const entry = parseEntry(entryJson(line), id, shown);
    const before = entries.get(id);
    if (before) folded.add(id);
    entries.set(id, before ? mergeTopicSnapshots(before, entry) : entry);
  }
  if (folded.size === 0) return [];
  const rendered = new Map([...entries].map(([id, entry]) => [id, JSON.stringify(entry)]));
  writeText(ws, ws.paths.index, renderCatalog(SCHEMA_VERSION, rendered));
  return [...folded].sort();
}

/**
 * Topic folders a killed writer made but did not get into index.json (its catalog write comes
 * last) are added back, so no topic stays invisible to `topic list`. Runs only in the sweep after
 * a crash, under the lock. Returns the ids adopted.
 */
export function adoptOrphanTopics(ws: Workspace, now: string): string[] {
  const names = listNames(ws, ws.paths.topics) ?? [];
  const catalog = openCatalog(ws);
  const adopted: string[] = [];
  for (const id of names.sort()) {
    if (!isTopicId(id) || catalog.get(id) !== undefined) continue;
    const type = topicTypeOf(id);
    const doc = path.join(ws.paths.topics, id, `${type}.md`);
    const text = readTextOrNull(ws, doc);
    if (text === null) continue;
    const title = /^# (.+)$/m.exec(text)?.[1]?.trim() || id;
    upsertTopic(catalog, { id, type, title, path: ws.rel(doc) }, now);
    adopted.push(id);
  }
  catalog.save();
  return adopted;
}

/**
 * Cuts a torn last line off index.log.jsonl (a writer killed mid-append), so the next append
 * does not bury it mid-file where it would read as corruption. Sweep-time only, under the lock.
 */
export function repairCatalogLog(ws: Workspace): boolean {
  let text: string | null;
  try {
    text = readTextOrNull(ws, ws.paths.indexLog);
  } catch {
    return false;
  }
  if (text === null || text === "" || text.endsWith("\n")) return false;
  const keep = text.lastIndexOf("\n") + 1;
  truncateFile(ws, ws.paths.indexLog, Buffer.byteLength(text.slice(0, keep), "utf8"));
  return true;
}
