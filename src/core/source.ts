/**
 * Where an item Baton imported from another tool came from (`baton import`): the tool's format,
 * the file or folder it was read from, its id there, and a digest of what was read. A task JSON,
 * a ticket, a plan's import.json and a spec's status.yaml each carry one, so importing again finds
 * what it made before instead of making it twice, and can tell a changed source from one that
 * is as it was (and leave Baton's own later edits alone).
 */

export interface ItemSource {
  /** The import format: `taskmaster`, `backlogmd`, `kiro`… */
  format: string;
  /** The file or folder, relative to the workspace root (absolute when it lies outside). */
  path: string;
  /** The item's id in that tool (`master/3`, `task-7`, `IMPL-1`, a folder's name). */
  id: string;
  /** A digest of the fields read from the source; absent where nothing is compared. */
  digest?: string;
}

/** The source as flat fields, in a fixed order (a YAML section, a JSON object). */
export function sourceFields(source: ItemSource): Record<string, string> {
  return {
    format: source.format,
    path: source.path,
    id: source.id,
    ...(source.digest === undefined ? {} : { digest: source.digest }),
  };
}

/** `taskmaster:.taskmaster/tasks/tasks.json#master/3`: how results and reports name an item. */
export function sourceRef(source: Pick<ItemSource, "format" | "path" | "id">): string {
  return `${source.format}:${source.path}#${source.id}`;
}

/** Two sources name the same item (the digest aside). */
export function sameSource(a: ItemSource | null | undefined, b: ItemSource): boolean {
  return !!a && a.format === b.format && a.path === b.path && a.id === b.id;
}

/**
 * A recorded source as read from a file, or null when absent; `undefined` when it is there but
 * is not one (the caller reports the file).
 */
export function readItemSource(value: unknown): ItemSource | null | undefined {
  if (value === undefined || value === null) return null;
  if (typeof value !== "object" || Array.isArray(value)) return undefined;
  const r = value as Record<string, unknown>;
  const text = (v: unknown) => typeof v === "string" && v !== "";
  if (!text(r.format) || !text(r.path) || !text(r.id)) return undefined;
  if (r.digest !== undefined && r.digest !== null && !text(r.digest)) return undefined;
  return {
    format: r.format as string,
    path: r.path as string,
    id: r.id as string,
    ...(typeof r.digest === "string" ? { digest: r.digest } : {}),
  };
}

/**
 * A short digest of a value's JSON (cyrb53: 53 bits, as 14 hex digits). It tells whether what was
 * read from a source changed since the last import; it guards nothing, so no cryptographic hash
 * (and no node:crypto in the core) is needed.
 */
export function digestOf(value: unknown): string {
  const text = JSON.stringify(value) ?? "";
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  const n = 4294967296 * (2097151 & h2) + (h1 >>> 0);
  return n.toString(16).padStart(14, "0");
}
