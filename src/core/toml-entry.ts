import { sameData } from "./equal.ts";
import { quotedEnd } from "./jsonc.ts";

/**
 * TOML for agent files: the strings Baton writes, and one table (`[<key>.<name>]`, such as
 * Codex's `[mcp_servers.baton]`) kept in a TOML config shared with the user. Only that table's
 * lines are replaced or appended: every other table, key and comment keeps its bytes, and nothing
 * is written when the table already holds the value, compared as data. The file is read line by
 * line, as far as telling tables, keys and multi-line values apart needs; it is not validated.
 */

export type TomlValue = string | number | boolean | string[];

/** A TOML basic string: JSON's escapes are all valid TOML escapes. */
export function tomlBasicString(text: string): string {
  return JSON.stringify(text);
}

/** A TOML string: a literal multi-line string when possible (no escaping), else a basic one. */
export function tomlMultilineString(text: string): string {
  if (!text.includes("'''") && !text.endsWith("'")) return `'''\n${text}'''`;
  return tomlBasicString(text);
}

/** `[key.name]` followed by one `k = v` line per entry, in order. */
export function renderTomlTable(
  key: string,
  name: string,
  value: Record<string, TomlValue>,
): string {
  const lines = Object.entries(value).map(([k, v]) => `${k} = ${renderValue(v)}`);
  return `[${key}.${name}]\n${lines.join("\n")}\n`;
}

function renderValue(v: TomlValue): string {
  if (typeof v === "string") return tomlBasicString(v);
  if (Array.isArray(v)) return `[${v.map(tomlBasicString).join(", ")}]`;
  return String(v);
}

/** The table is defined some other way (dotted keys, an inline table, twice…). */
export type TomlTableResult =
  | { ok: true; text: string }
  | { ok: false; refusal: "defined-elsewhere" };

/**
 * `before` (null: no file) with the table `[key.name]` holding exactly `value`: replaced where
 * its header is, else appended after a blank line. Keys inside that table are Baton's; its
 * sub-tables (`[key.name.env]`) and everything else are the user's and are kept.
 */
export function upsertTomlTable(
  before: string | null,
  key: string,
  name: string,
  value: Record<string, TomlValue>,
): TomlTableResult {
  const text = before ?? "";
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const block = renderTomlTable(key, name, value).replaceAll("\n", eol);
  const lines = scanLines(text);
  const path = [key, name];
  const headers = lines.filter((l) => l.header !== null && startsWith(l.header.path, [key]));
  const own = headers.filter((l) => !l.header?.array && equal(l.header?.path ?? [], path));
  // Keys in the table or its sub-tables are fine; any other key reaching into it defines it a
  // second way (`baton.command = …` under `[mcp_servers]`, an inline `mcp_servers = {…}`), and
  // appending a table then would leave a file the agent refuses to load.
  const tablePath = (l: Line) => (l.table === -1 ? [] : (lines[l.table]?.header?.path ?? []));
  const conflict =
    own.length > 1 ||
    headers.some((l) => l.header?.array) ||
    lines.some(
      (l) =>
        l.key !== null &&
        !startsWith(tablePath(l), path) &&
        (equal(l.key.path, [key]) || startsWith(l.key.path, path)),
    );
  if (conflict) return { ok: false, refusal: "defined-elsewhere" };

  const header = own[0];
  if (!header) {
    if (text.trim() === "") return { ok: true, text: block };
    const base = text.endsWith("\n") ? text : `${text}${eol}`;
    return { ok: true, text: `${base}${eol}${block}` };
  }
  const body = lines.filter((l) => l.table === header.index && l.index !== header.index);
  if (sameData(tableValue(body), value)) return { ok: true, text };
  // The table ends at its last key line: comments and blank lines after it introduce what follows.
  const content = body.filter((l) => l.kind !== "blank");
  const last = content.at(-1) ?? header;
  return {
    ok: true,
    text: text.slice(0, header.start) + block + text.slice(last.end),
  };
}

interface Line {
  index: number;
  start: number;
  /** Just past the line's end of line. */
  end: number;
  text: string;
  /** `blank` also covers comment-only lines. */
  kind: "blank" | "header" | "key" | "continuation";
  header: { path: string[]; array: boolean } | null;
  /** A key line's full dotted path (its table's path included) and its value's text. */
  key: { path: string[]; value: string } | null;
  /** The index of the header line of the table this line is in (-1: the root table). */
  table: number;
}

function scanLines(text: string): Line[] {
  const out: Line[] = [];
  let table = -1;
  let tablePath: string[] = [];
  let depth = 0;
  let multi: string | null = null;
  const re = /[^\n]*\n|[^\n]+$/g;
  for (const m of text.matchAll(re)) {
    const raw = m[0];
    const line: Line = {
      index: out.length,
      start: m.index,
      end: m.index + raw.length,
      text: raw.replace(/\r?\n$/, ""),
      kind: "continuation",
      header: null,
      key: null,
      table,
    };
    out.push(line);
    if (multi !== null) {
      const close = line.text.indexOf(multi);
      if (close === -1) continue;
      const rest = scanValue(line.text.slice(close + 3));
      multi = rest.multi;
      depth += rest.depth;
      continue;
    }
    if (depth > 0) {
      const rest = scanValue(line.text);
      multi = rest.multi;
      depth += rest.depth;
      continue;
    }
    const trimmed = line.text.trim();
    if (trimmed === "" || trimmed.startsWith("#")) {
      line.kind = "blank";
      continue;
    }
    if (trimmed.startsWith("[")) {
      const header = parseHeader(trimmed);
      if (header) {
        line.kind = "header";
        line.header = header;
        table = line.index;
        tablePath = header.path;
        line.table = table;
        continue;
      }
    }
    const eq = indexOutsideStrings(line.text, "=");
    const keyPath = eq === -1 ? null : parseKeyPath(line.text.slice(0, eq));
    if (keyPath === null) continue;
    const value = line.text.slice(eq + 1);
    line.kind = "key";
    line.key = { path: [...tablePath, ...keyPath], value };
    const scanned = scanValue(value);
    multi = scanned.multi;
    depth = Math.max(0, scanned.depth);
  }
  return out;
}

/** The table's keys and values, or null when one is not a simple one-line value. */
function tableValue(body: Line[]): Record<string, TomlValue> | null {
  const out: Record<string, TomlValue> = {};
  for (const line of body) {
    if (line.kind === "blank") continue;
    if (line.kind !== "key" || line.key === null) return null;
    const name = line.key.path.at(-1);
    const value = parseSimpleValue(line.key.value);
    if (line.key.path.length !== 3 || name === undefined || value === undefined) return null;
    out[name] = value;
  }
  return out;
}

function parseSimpleValue(raw: string): TomlValue | undefined {
  const v = stripComment(raw).trim();
  if (v === "true" || v === "false") return v === "true";
  if (/^[+-]?\d+$/.test(v)) return Number(v);
  if (v.startsWith("[") && v.endsWith("]")) {
    const items: string[] = [];
    let rest = v.slice(1, -1).trim();
    while (rest !== "") {
      const end = rest.startsWith('"') || rest.startsWith("'") ? quotedEnd(rest, 0) : -1;
      if (end === -1) return undefined;
      const item = parseString(rest.slice(0, end));
      if (item === undefined) return undefined;
      items.push(item);
      rest = rest.slice(end).trim();
      if (rest.startsWith(",")) rest = rest.slice(1).trim();
      else if (rest !== "") return undefined;
    }
    return items;
  }
  return parseString(v);
}

function parseString(v: string): string | undefined {
  if (v.length >= 2 && v.startsWith("'") && v.endsWith("'") && !v.slice(1, -1).includes("'"))
    return v.slice(1, -1);
  if (v.startsWith('"') && !v.startsWith('"""')) {
    try {
      const parsed: unknown = JSON.parse(v);
      return typeof parsed === "string" ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Whether the value opens a multi-line string left open, and how many brackets it leaves open. */
function scanValue(value: string): { multi: string | null; depth: number } {
  let depth = 0;
  let i = 0;
  while (i < value.length) {
    const c = value.charAt(i);
    if (c === "#") break;
    const triple = value.slice(i, i + 3);
    if (triple === '"""' || triple === "'''") {
      const close = value.indexOf(triple, i + 3);
      if (close === -1) return { multi: triple, depth };
      i = close + 3;
      continue;
    }
    if (c === '"' || c === "'") {
      i = quotedEnd(value, i);
      continue;
    }
    if (c === "[" || c === "{") depth++;
    else if (c === "]" || c === "}") depth--;
    i++;
  }
  return { multi: null, depth };
}

/** `[a.b]` or `[[a.b]]`, with an optional comment after it. */
function parseHeader(trimmed: string): { path: string[]; array: boolean } | null {
  const array = trimmed.startsWith("[[");
  const open = array ? 2 : 1;
  const close = indexOutsideStrings(trimmed, "]", open);
  if (close === -1) return null;
  const after = trimmed.slice(close + (array ? 2 : 1)).trim();
  if (array && trimmed.charAt(close + 1) !== "]") return null;
  if (after !== "" && !after.startsWith("#")) return null;
  const path = parseKeyPath(trimmed.slice(open, close));
  return path === null ? null : { path, array };
}

/** A dotted key (`a.b`, `"a.b".c`, `'x'`) as its parts, or null when it is not one. */
function parseKeyPath(raw: string): string[] | null {
  const parts: string[] = [];
  let rest = raw.trim();
  for (;;) {
    let part: string | undefined;
    if (rest.startsWith('"') || rest.startsWith("'")) {
      const end = quotedEnd(rest, 0);
      part = parseString(rest.slice(0, end));
      rest = rest.slice(end).trim();
    } else {
      const bare = /^[A-Za-z0-9_-]+/.exec(rest)?.[0];
      part = bare;
      rest = rest.slice(bare?.length ?? 0).trim();
    }
    if (part === undefined) return null;
    parts.push(part);
    if (rest === "") return parts;
    if (!rest.startsWith(".")) return null;
    rest = rest.slice(1).trim();
  }
}

function indexOutsideStrings(text: string, wanted: string, from = 0): number {
  let i = from;
  while (i < text.length) {
    const c = text.charAt(i);
    if (c === '"' || c === "'") {
      i = quotedEnd(text, i);
      continue;
    }
    if (c === wanted) return i;
    i++;
  }
  return -1;
}

function stripComment(value: string): string {
  const hash = indexOutsideStrings(value, "#");
  return hash === -1 ? value : value.slice(0, hash);
}

function startsWith(path: string[], prefix: string[]): boolean {
  return prefix.every((p, i) => path[i] === p);
}

function equal(a: string[], b: string[]): boolean {
  return a.length === b.length && startsWith(a, b);
}
